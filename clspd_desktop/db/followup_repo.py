"""Rows of the decisions follow-up: every action item with its meeting, formation, responsible and links.

The referent answering for an item is the one named on it, else the organisation's titular referent with an
e-mail address (first in alphabetical order): that is who a reminder goes to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from clspd_desktop.db.database import Database
from clspd_desktop.db.rows import as_date, dicts
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.followup import FollowUpItem, FollowUpStatus, MeetingToClose
from clspd_desktop.domain.meetings import ActionItemStatus

_SEPARATOR = "\x1f"  # never typed by a user: joins the linked plan actions' titles in one column

_QUERY = f"""
SELECT ai.id, ai.text, ai.meeting_id, substr(m.starts_at, 1, 10) AS day, m.title AS meeting_title,
       f.id AS formation_id, f.name AS formation_name, f.confidential,
       ai.responsible_organisation_id, o.name AS organisation_name, ai.responsible_name,
       c.id AS responsible_contact_id, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) AS contact_name,
       coalesce(c.email, '') AS contact_email, ai.due_date, ai.status, ai.progress, ai.comment, ai.reminded_on,
       ai.done_on,
       (SELECT group_concat(pa.title, '{_SEPARATOR}') FROM action_item_plan_action l
          JOIN plan_action pa ON pa.id = l.action_id WHERE l.action_item_id = ai.id) AS plan_actions
FROM action_item ai
JOIN meeting m ON m.id = ai.meeting_id
JOIN formation f ON f.id = m.formation_id
LEFT JOIN organisation o ON o.id = ai.responsible_organisation_id
LEFT JOIN contact c ON c.id = coalesce(ai.responsible_contact_id, (
    SELECT t.id FROM contact t WHERE t.organisation_id = ai.responsible_organisation_id AND t.role = 'titular'
    AND t.email != '' ORDER BY t.last_name, t.first_name, t.id LIMIT 1))
"""


def _item(row: dict) -> FollowUpItem:
    return FollowUpItem(
        id=row["id"], text=row["text"], meeting_id=row["meeting_id"], meeting_day=date.fromisoformat(row["day"]),
        meeting_title=row["meeting_title"] or "", formation_id=row["formation_id"],
        formation_name=row["formation_name"], confidential=bool(row["confidential"]),
        organisation_id=row["responsible_organisation_id"], organisation_name=row["organisation_name"] or "",
        responsible_name=row["responsible_name"] or "", contact_id=row["responsible_contact_id"],
        contact_name=row["contact_name"] or "", contact_email=row["contact_email"],
        due_date=as_date(row["due_date"]), status=FollowUpStatus.of(ActionItemStatus(row["status"]), row["progress"]),
        comment=row["comment"], plan_actions=tuple(row["plan_actions"].split(_SEPARATOR)) if row["plan_actions"] else (),
        reminded_on=as_date(row["reminded_on"]), done_on=as_date(row["done_on"]),
    )


class FollowUpRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def items(self) -> list[FollowUpItem]:
        """Every action item, oldest meeting first."""
        rows = dicts(self.db.execute(_QUERY + " ORDER BY m.starts_at, ai.id"))
        return [_item(r) for r in rows]

    def item(self, item_id: int) -> FollowUpItem | None:
        rows = dicts(self.db.execute(_QUERY + " WHERE ai.id = ?", [item_id]))
        return _item(rows[0]) if rows else None

    def update(self, item_id: int, status: ActionItemStatus, progress: str, comment: str,
               done_on: date | None) -> None:
        self.db.execute("UPDATE action_item SET status = ?, progress = ?, comment = ?, done_on = ? WHERE id = ?",
                        [status.value, progress, comment, done_on.isoformat() if done_on else None, item_id])

    def set_responsible_contact(self, item_id: int, contact_id: int | None) -> None:
        self.db.execute("UPDATE action_item SET responsible_contact_id = ? WHERE id = ?", [contact_id, item_id])

    def mark_reminded(self, item_ids: Iterable[int], on: date) -> None:
        self.db.execute(
            "UPDATE action_item SET reminded_on = ? WHERE id IN (SELECT value FROM json_each(?))",
            [on.isoformat(), "[" + ",".join(str(int(i)) for i in item_ids) + "]"])

    def meetings_to_close(self, today: date) -> list[MeetingToClose]:
        """Meetings whose day has passed and that are still « Prévue »: held, or cancelled, to be said."""
        rows = self.db.execute(
            "SELECT m.id, substr(m.starts_at, 1, 10), f.kind, f.name, m.title FROM meeting m "
            "JOIN formation f ON f.id = m.formation_id "
            "WHERE m.status = 'planned' AND substr(m.starts_at, 1, 10) < ? ORDER BY m.starts_at",
            [today.isoformat()]).fetchall()
        return [MeetingToClose(r[0], date.fromisoformat(r[1]), FormationKind(r[2]), r[3], r[4] or "") for r in rows]
