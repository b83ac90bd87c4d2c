"""Links from meeting decisions and action items to plan actions (tables decision_plan_action and
action_item_plan_action, both ON DELETE CASCADE on either side).

Deleting a meeting, a decision, an action item or a plan action removes its links and nothing else.
Decisions and action items are updated in place by the meetings repository (their ids never change when
the minutes are edited), so links survive every edit of the minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from clspd_desktop.db.database import Database
from clspd_desktop.db.rows import dicts
from clspd_desktop.domain.directory import Formation, FormationKind
from clspd_desktop.domain.plan_links import LinkedAction, LinkSource, MeetingLinks, MeetingMention
from clspd_desktop.errors import UserError

_TABLES = {
    LinkSource.DECISION: ("decision_plan_action", "decision_id", "decision"),
    LinkSource.ACTION_ITEM: ("action_item_plan_action", "action_item_id", "action_item"),
}
_GONE = {
    LinkSource.DECISION: "Cette décision n'existe plus (le compte rendu a peut-être été modifié entre-temps).",
    LinkSource.ACTION_ITEM: "Cette action décidée n'existe plus (le compte rendu a peut-être été modifié "
                            "entre-temps).",
}

# Axis, objective and action numbers exactly as the plan screen counts them (1-based, by position then id).
_NUMBERED = """
WITH ax AS (SELECT id, plan_id, title, ROW_NUMBER() OVER (PARTITION BY plan_id ORDER BY position, id) AS n
            FROM plan_axis),
     ob AS (SELECT id, axis_id, title, ROW_NUMBER() OVER (PARTITION BY axis_id ORDER BY position, id) AS n
            FROM plan_objective),
     ac AS (SELECT id, objective_id, title,
                   ROW_NUMBER() OVER (PARTITION BY objective_id ORDER BY position, id) AS n FROM plan_action),
     links AS ({links})
SELECT links.source, links.source_id, ac.id AS action_id, ac.title, ac.n AS action_n, ob.title AS objective_title,
       ob.n AS objective_n, ax.title AS axis_title, ax.n AS axis_n, p.id AS plan_id, p.start_year, p.end_year
FROM links JOIN ac ON ac.id = links.action_id JOIN ob ON ob.id = ac.objective_id JOIN ax ON ax.id = ob.axis_id
JOIN plan p ON p.id = ax.plan_id
ORDER BY p.start_year, p.id, ax.n, ob.n, ac.n
"""


def _linked_action(row: dict[str, Any]) -> LinkedAction:
    return LinkedAction(
        action_id=row["action_id"], number=f"{row['axis_n']}.{row['objective_n']}.{row['action_n']}",
        title=row["title"], axis_title=row["axis_title"], objective_title=row["objective_title"],
        plan_id=row["plan_id"], plan_period=f"{row['start_year']}-{row['end_year']}")


class PlanLinksRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- writing -------------------------------------------------------------------------------------
    def _check(self, source: LinkSource, source_id: int, action_id: int) -> None:
        _, _, table = _TABLES[source]
        if self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [source_id]).fetchone() is None:
            raise UserError(_GONE[source])
        if self.db.execute("SELECT 1 FROM plan_action WHERE id = ?", [action_id]).fetchone() is None:
            raise UserError("Cette action du plan n'existe plus : elle a peut-être été supprimée entre-temps.")

    def link(self, source: LinkSource, source_id: int, action_id: int) -> bool:
        """Link a decision or an action item to a plan action; linking twice changes nothing.
        True when a new link was written."""
        link_table, column, _ = _TABLES[source]
        with self.db.atomic():
            self._check(source, source_id, action_id)
            cursor = self.db.execute(
                f"INSERT OR IGNORE INTO {link_table} ({column}, action_id) VALUES (?, ?)", [source_id, action_id])
        return cursor.rowcount == 1

    def unlink(self, source: LinkSource, source_id: int, action_id: int) -> bool:
        """Remove one link (the decision and the action stay); True when there was one."""
        link_table, column, _ = _TABLES[source]
        with self.db.atomic():
            cursor = self.db.execute(f"DELETE FROM {link_table} WHERE {column} = ? AND action_id = ?",
                                     [source_id, action_id])
        return cursor.rowcount == 1

    def replace_links(self, source: LinkSource, source_id: int, action_ids: Iterable[int], plan_id: int) -> None:
        """Make `action_ids` the actions of plan `plan_id` linked to the decision or action item, in one
        transaction; links to the actions of other plans are kept (the picker shows one plan at a time)."""
        link_table, column, _ = _TABLES[source]
        wanted = list(dict.fromkeys(action_ids))
        with self.db.atomic():
            for action_id in wanted:
                self._check(source, source_id, action_id)
            self.db.execute(
                f"DELETE FROM {link_table} WHERE {column} = ? AND action_id IN ("
                "SELECT a.id FROM plan_action a JOIN plan_objective o ON o.id = a.objective_id "
                "JOIN plan_axis x ON x.id = o.axis_id WHERE x.plan_id = ?)", [source_id, plan_id])
            for action_id in wanted:
                self.db.execute(f"INSERT OR IGNORE INTO {link_table} ({column}, action_id) VALUES (?, ?)",
                                [source_id, action_id])

    # convenience names, as the minutes speak
    def link_decision(self, decision_id: int, action_id: int) -> bool:
        return self.link(LinkSource.DECISION, decision_id, action_id)

    def unlink_decision(self, decision_id: int, action_id: int) -> bool:
        return self.unlink(LinkSource.DECISION, decision_id, action_id)

    def link_action_item(self, action_item_id: int, action_id: int) -> bool:
        return self.link(LinkSource.ACTION_ITEM, action_item_id, action_id)

    def unlink_action_item(self, action_item_id: int, action_id: int) -> bool:
        return self.unlink(LinkSource.ACTION_ITEM, action_item_id, action_id)

    # --- reading -------------------------------------------------------------------------------------
    def links_of_meeting(self, meeting_id: int) -> MeetingLinks:
        """Every decision's and action item's linked plan actions, in plan order, in one query."""
        links = ("SELECT 'decision' AS source, l.decision_id AS source_id, l.action_id FROM decision_plan_action l "
                 "JOIN decision d ON d.id = l.decision_id WHERE d.meeting_id = :meeting "
                 "UNION ALL SELECT 'action_item', l.action_item_id, l.action_id FROM action_item_plan_action l "
                 "JOIN action_item i ON i.id = l.action_item_id WHERE i.meeting_id = :meeting")
        result = MeetingLinks()
        for row in dicts(self.db.execute(_NUMBERED.format(links=links), {"meeting": meeting_id})):
            by_id = result.decisions if row["source"] == LinkSource.DECISION.value else result.action_items
            by_id.setdefault(row["source_id"], []).append(_linked_action(row))
        return result

    def linked_actions(self, source: LinkSource, source_id: int) -> list[LinkedAction]:
        """The plan actions linked to one decision or action item, in plan order."""
        link_table, column, _ = _TABLES[source]
        links = (f"SELECT '{source.value}' AS source, {column} AS source_id, action_id FROM {link_table} "
                 f"WHERE {column} = :source_id")
        return [_linked_action(r) for r in dicts(self.db.execute(_NUMBERED.format(links=links),
                                                                 {"source_id": source_id}))]

    def meetings_for_action(self, action_id: int) -> list[MeetingMention]:
        """The meetings where a plan action was discussed: one line per linked decision or action item,
        by meeting date (decisions before action items within a meeting), in one query.

        Meetings of confidential working groups are included, with `confidential=True` (a group on individual
        situations is always confidential, a CHECK of the schema): the action editor shows them on this PC,
        but a document that leaves it (fiche-action PDF, bilan, pack for the préfecture) must drop them
        (`domain.plan_links.shareable`)."""
        rows = dicts(self.db.execute(
            "SELECT m.id AS meeting_id, m.starts_at, m.title AS meeting_title, f.kind, f.name AS formation, "
            "f.confidential, 'decision' AS source, d.id AS source_id, d.text, 0 AS kind_order, d.position AS ord "
            "FROM decision_plan_action l JOIN decision d ON d.id = l.decision_id "
            "JOIN meeting m ON m.id = d.meeting_id JOIN formation f ON f.id = m.formation_id WHERE l.action_id = ? "
            "UNION ALL "
            "SELECT m.id, m.starts_at, m.title, f.kind, f.name, f.confidential, 'action_item', i.id, i.text, 1, i.id "
            "FROM action_item_plan_action l JOIN action_item i ON i.id = l.action_item_id "
            "JOIN meeting m ON m.id = i.meeting_id JOIN formation f ON f.id = m.formation_id WHERE l.action_id = ? "
            "ORDER BY starts_at, meeting_id, kind_order, ord, source_id", [action_id, action_id]))
        return [MeetingMention(
            meeting_id=r["meeting_id"], starts_at=datetime.fromisoformat(r["starts_at"]),
            meeting_title=r["meeting_title"],
            formation_name=Formation(kind=FormationKind(r["kind"]), name=r["formation"]).display_name,
            confidential=bool(r["confidential"]), source=LinkSource(r["source"]), source_id=r["source_id"],
            text=r["text"]) for r in rows]
