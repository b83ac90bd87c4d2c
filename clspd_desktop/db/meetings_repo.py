"""Meetings: calendar, agenda, invitations and attendance, minutes, decisions, action items, documents.

Rows only: the rules (overlaps, series, the confidential groups' charter, invitation roles) live in
`domain/meetings.py` and `services/operations/meetings.py`, which own the transactions. Each write is still
atomic on its own (nested in the operation's transaction): during a meeting the PC may die at any moment.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from clspd_desktop.db.council_repo import SettingsRepository
from clspd_desktop.db.database import Database
from clspd_desktop.db.directory_repo import DirectoryRepository
from clspd_desktop.db.formations_repo import FormationsRepository
from clspd_desktop.db.rows import as_date, dicts
from clspd_desktop.domain.dates import iso, long_date, short_date
from clspd_desktop.domain.directory import (
    Contact,
    Formation,
    FormationKind,
    MembershipCategory,
    OrganisationCategory,
)
from clspd_desktop.domain.meetings import (
    DEFAULT_NOTICE_DAYS_OTHER,
    DEFAULT_NOTICE_DAYS_PLENARY,
    NOTICE_SETTING_OTHER,
    NOTICE_SETTING_PLENARY,
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    Decision,
    DeDroitRequester,
    Invitation,
    InvitationRole,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Minutes,
    Reply,
    SeriesFrequency,
    latest_sending_date,
)
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError

UID_SUFFIX = "@clspd-desktop"



# --- results that are not plain domain objects ---------------------------------------------------------
@dataclass
class LateConvocation:
    meeting: Meeting
    formation_name: str
    latest_date: date  # last day convocations could leave with the notice period
    unsent: int  # convened invitees not sent yet
    sent_late: int  # sent after latest_date

    @property
    def description(self) -> str:
        parts = []
        if self.unsent:
            parts.append(plural(self.unsent, "convocation non envoyée", "convocations non envoyées", feminine=True))
        if self.sent_late:
            parts.append(f"{plural(self.sent_late, 'envoyée', feminine=True)} en retard")
        if not parts:
            parts.append("aucun invité")
        return (f"{self.formation_name} du {long_date(self.meeting.starts_at.date())} : "
                f"{', '.join(parts)} (date limite d'envoi : {short_date(self.latest_date)}).")


@dataclass
class OpenActionItem:
    item: ActionItem
    meeting_id: int
    meeting_starts_at: datetime
    formation_name: str
    responsible: str  # the organisation's name, or the person typed
    overdue: bool


# --- conversions ---------------------------------------------------------------------------------------
def dt_text(value: datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat(timespec="seconds") if value else None


def as_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _enum_or_none(kind: type, value: str | None) -> Any:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        return None


def meeting_from(row: dict[str, Any]) -> Meeting:
    return Meeting(
        id=row["id"], uid=row["uid"], sequence=row["sequence"], formation_id=row["formation_id"],
        series_id=row["series_id"], title=row["title"], starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]), place=row["place"], video_link=row["video_link"],
        status=MeetingStatus(row["status"]), de_droit=bool(row["de_droit"]),
        de_droit_requester=DeDroitRequester(row["de_droit_requester"]),
        de_droit_requested_on=as_date(row["de_droit_requested_on"]),
        prefect_presentation=bool(row["prefect_presentation"]), reply_deadline=as_date(row["reply_deadline"]),
        signatory=row["signatory"], notes=row["notes"],
    )


def _meeting_values(meeting: Meeting) -> dict[str, Any]:
    return {
        "uid": meeting.uid, "sequence": meeting.sequence, "formation_id": meeting.formation_id,
        "series_id": meeting.series_id, "title": meeting.title.strip(), "starts_at": dt_text(meeting.starts_at),
        "ends_at": dt_text(meeting.ends_at), "place": meeting.place.strip(),
        "video_link": meeting.video_link.strip(), "status": meeting.status.value, "de_droit": int(meeting.de_droit),
        "de_droit_requester": meeting.de_droit_requester.value if meeting.de_droit else "",
        "de_droit_requested_on": iso(meeting.de_droit_requested_on) if meeting.de_droit else None,
        "prefect_presentation": int(meeting.prefect_presentation), "reply_deadline": iso(meeting.reply_deadline),
        "signatory": meeting.signatory.strip(), "notes": meeting.notes,
    }


def agenda_item_from(row: dict[str, Any]) -> AgendaItem:
    return AgendaItem(id=row["id"], meeting_id=row["meeting_id"], position=row["position"], title=row["title"],
                      presenter=row["presenter"], notes=row["notes"])


def invitation_from(row: dict[str, Any]) -> Invitation:
    return Invitation(
        id=row["id"], meeting_id=row["meeting_id"], contact_id=row["contact_id"], name=row["name"],
        organisation_name=row["organisation_name"],
        organisation_category=_enum_or_none(OrganisationCategory, row["organisation_category"]),
        membership_category=_enum_or_none(MembershipCategory, row["membership_category"]),
        function=row["function"], email=row["email"], role=InvitationRole(row["role"]),
        walk_in=bool(row["walk_in"]), sent_at=as_datetime(row["sent_at"]),
        reply=_enum_or_none(Reply, row["reply"]), reply_represented_by=row["reply_represented_by"],
        reply_at=as_datetime(row["reply_at"]), attendance=_enum_or_none(Attendance, row["attendance"]),
        represented_by=row["represented_by"], represented_by_contact_id=row["represented_by_contact_id"],
        arrived_at=as_datetime(row["arrived_at"]),
    )


def _invitation_values(inv: Invitation) -> dict[str, Any]:
    return {
        "meeting_id": inv.meeting_id, "contact_id": inv.contact_id, "name": inv.name.strip(),
        "organisation_name": inv.organisation_name,
        "organisation_category": inv.organisation_category.value if inv.organisation_category else "",
        "membership_category": inv.membership_category.value if inv.membership_category else "",
        "function": inv.function, "email": inv.email, "role": inv.role.value, "walk_in": int(inv.walk_in),
        "sent_at": dt_text(inv.sent_at), "reply": inv.reply.value if inv.reply else None,
        "reply_represented_by": inv.reply_represented_by, "reply_at": dt_text(inv.reply_at),
        "attendance": inv.attendance.value if inv.attendance else None, "represented_by": inv.represented_by,
        "represented_by_contact_id": inv.represented_by_contact_id, "arrived_at": dt_text(inv.arrived_at),
    }


def document_from(row: dict[str, Any]) -> MeetingDocument:
    return MeetingDocument(id=row["id"], meeting_id=row["meeting_id"], agenda_item_id=row["agenda_item_id"],
                           original_name=row["original_name"], stored_name=row["stored_name"],
                           sha256=row["sha256"], size=row["size"])


def decision_from(row: dict[str, Any]) -> Decision:
    return Decision(id=row["id"], meeting_id=row["meeting_id"], agenda_item_id=row["agenda_item_id"],
                    position=row["position"], text=row["text"])


def action_item_from(row: dict[str, Any]) -> ActionItem:
    return ActionItem(
        id=row["id"], meeting_id=row["meeting_id"], agenda_item_id=row["agenda_item_id"], text=row["text"],
        responsible_organisation_id=row["responsible_organisation_id"], responsible_name=row["responsible_name"],
        due_date=as_date(row["due_date"]), status=ActionItemStatus(row["status"]), done_on=as_date(row["done_on"]),
    )


def _insert(db: Database, table: str, values: dict[str, Any]) -> int:
    cursor = db.execute(
        f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(':' + k for k in values)})", values)
    if cursor.lastrowid is None:  # an INSERT always sets it; this keeps the type checker informed
        raise RuntimeError(f"INSERT INTO {table} sans identifiant")
    return cursor.lastrowid


def _update(db: Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = :{k}" for k in values)
    db.execute(f"UPDATE {table} SET {sets} WHERE id = :id", {**values, "id": row_id})


class MeetingsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.directory = DirectoryRepository(db)
        self.formations = FormationsRepository(db)
        self.settings = SettingsRepository(db)

    # --- meetings ------------------------------------------------------------------------------------
    def overlapping_start(self, meeting: Meeting) -> datetime | None:
        """Start of another meeting of the same formation (not cancelled) over `meeting`'s times."""
        row = self.db.execute(
            "SELECT starts_at FROM meeting WHERE formation_id = ? AND status != 'cancelled' "
            "AND id IS NOT ? AND starts_at < ? AND ends_at > ? ORDER BY starts_at LIMIT 1",
            [meeting.formation_id, meeting.id, dt_text(meeting.ends_at), dt_text(meeting.starts_at)]).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def save_meeting(self, meeting: Meeting) -> Meeting:
        """Insert or update, with its agenda in the given order; the UID is generated once and kept."""
        with self.db.atomic():
            if not meeting.uid:
                meeting.uid = f"{uuid.uuid4()}{UID_SUFFIX}"
            values = _meeting_values(meeting)
            if meeting.id is None:
                meeting.id = _insert(self.db, "meeting", values)
            else:
                values["updated_at"] = dt_text(datetime.now())
                _update(self.db, "meeting", meeting.id, values)
            self._save_agenda(meeting)
        return meeting

    def _save_agenda(self, meeting: Meeting) -> None:
        """Items keep their id (notes, decisions and documents point to them); removed ones are deleted."""
        kept = [item.id for item in meeting.agenda if item.id is not None]
        self.db.execute(
            f"DELETE FROM agenda_item WHERE meeting_id = ? AND id NOT IN ({', '.join('?' * len(kept)) or 'NULL'})",
            [meeting.id, *kept])
        for position, item in enumerate(meeting.agenda, 1):
            item.position, item.meeting_id = position, meeting.id
            values = {"meeting_id": meeting.id, "position": position, "title": item.title.strip(),
                      "presenter": item.presenter.strip(), "notes": item.notes}
            if item.id is None:
                item.id = _insert(self.db, "agenda_item", values)
            else:
                _update(self.db, "agenda_item", item.id, values)

    def get_meeting(self, meeting_id: int) -> Meeting | None:
        rows = dicts(self.db.execute("SELECT * FROM meeting WHERE id = ?", [meeting_id]))
        if not rows:
            return None
        meeting = meeting_from(rows[0])
        meeting.agenda = self.agenda(meeting_id)
        return meeting

    def agenda(self, meeting_id: int) -> list[AgendaItem]:
        rows = dicts(self.db.execute("SELECT * FROM agenda_item WHERE meeting_id = ? ORDER BY position, id",
                                     [meeting_id]))
        return [agenda_item_from(r) for r in rows]

    def _with_agendas(self, rows: list[dict[str, Any]]) -> list[Meeting]:
        meetings = [meeting_from(r) for r in rows]
        if not meetings:
            return meetings
        by_id = {m.id: m for m in meetings}
        ids = list(by_id)
        for start in range(0, len(ids), 900):  # SQLite's parameter limit
            chunk = ids[start:start + 900]
            for row in dicts(self.db.execute(
                    f"SELECT * FROM agenda_item WHERE meeting_id IN ({', '.join('?' * len(chunk))}) "
                    "ORDER BY meeting_id, position, id", chunk)):
                by_id[row["meeting_id"]].agenda.append(agenda_item_from(row))
        return meetings

    def meetings_between(self, start: date, end: date, formation_id: int | None = None,
                         agendas: bool = True) -> list[Meeting]:
        """Meetings starting from `start` to `end` included, by date, with their agendas unless `agendas` is
        False (the calendar and the list show none: a year of a large council has thousands of items)."""
        sql = "SELECT * FROM meeting WHERE starts_at >= ? AND starts_at < ?"
        params: list[Any] = [start.isoformat(), (end + timedelta(days=1)).isoformat()]
        if formation_id is not None:
            sql += " AND formation_id = ?"
            params.append(formation_id)
        rows = dicts(self.db.execute(sql + " ORDER BY starts_at, id", params))
        return self._with_agendas(rows) if agendas else [meeting_from(r) for r in rows]

    def meetings_with_minutes_between(self, start: date, end: date) -> list[Meeting]:
        """Meetings from `start` to `end` included that have a compte rendu, by date, with their agendas."""
        return self._with_agendas(dicts(self.db.execute(
            "SELECT * FROM meeting WHERE starts_at >= ? AND starts_at < ? "
            "AND id IN (SELECT meeting_id FROM minutes) ORDER BY starts_at, id",
            [start.isoformat(), (end + timedelta(days=1)).isoformat()])))

    def meeting_years(self) -> tuple[int, int] | None:
        row = self.db.execute("SELECT MIN(starts_at), MAX(starts_at) FROM meeting").fetchone()
        return (int(row[0][:4]), int(row[1][:4])) if row and row[0] else None

    def set_status(self, meeting_id: int, status: MeetingStatus) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE meeting SET status = ?, updated_at = ? WHERE id = ?",
                            [status.value, dt_text(datetime.now()), meeting_id])

    def cancel(self, meeting_id: int) -> None:
        """The row stays (history, and the cancellation notice sent to calendars)."""
        self.set_status(meeting_id, MeetingStatus.CANCELLED)

    def bump_sequence(self, meeting_id: int) -> int:
        with self.db.atomic():
            self.db.execute("UPDATE meeting SET sequence = sequence + 1 WHERE id = ?", [meeting_id])
            row = self.db.execute("SELECT sequence FROM meeting WHERE id = ?", [meeting_id]).fetchone()
        if row is None:
            raise UserError("Cette réunion n'existe plus.")
        return row[0]

    def delete_meeting(self, meeting_id: int) -> None:
        """Deletes its agenda, invitations, minutes and document records (the UI confirms first)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM meeting WHERE id = ?", [meeting_id])

    # --- series --------------------------------------------------------------------------------------
    def add_series(self, formation_id: int, frequency: SeriesFrequency, until: date) -> int:
        return _insert(self.db, "meeting_series", {
            "formation_id": formation_id, "frequency": frequency.value, "until_date": until.isoformat()})

    def overlapping_series(self, formation_id: int, first: date, until: date) -> tuple[date, date] | None:
        """(first meeting, last day) of a series of the formation whose dates overlap `first`…`until`."""
        row = self.db.execute(
            "SELECT MIN(m.starts_at), s.until_date FROM meeting_series s JOIN meeting m ON m.series_id = s.id "
            "WHERE s.formation_id = ? AND m.status != 'cancelled' GROUP BY s.id "
            "HAVING MIN(m.starts_at) <= ? AND s.until_date >= ? LIMIT 1",
            [formation_id, (until + timedelta(days=1)).isoformat(), first.isoformat()]).fetchone()
        return (date.fromisoformat(row[0][:10]), date.fromisoformat(row[1])) if row else None

    def series_info(self, series_id: int) -> tuple[SeriesFrequency, date] | None:
        row = self.db.execute("SELECT frequency, until_date FROM meeting_series WHERE id = ?", [series_id]).fetchone()
        return (SeriesFrequency(row[0]), date.fromisoformat(row[1])) if row else None

    def series_meetings(self, series_id: int) -> list[Meeting]:
        return self._with_agendas(dicts(self.db.execute(
            "SELECT * FROM meeting WHERE series_id = ? ORDER BY starts_at", [series_id])))

    # --- invitations ---------------------------------------------------------------------------------
    def invitations(self, meeting_id: int) -> list[Invitation]:
        """Invitees in protocol order (décret 89-655): what convocations and sign-in sheets print."""
        rows = dicts(self.db.execute("SELECT * FROM invitation WHERE meeting_id = ?", [meeting_id]))
        return sorted((invitation_from(r) for r in rows), key=lambda i: i.precedence)

    def get_invitation(self, invitation_id: int) -> Invitation | None:
        rows = dicts(self.db.execute("SELECT * FROM invitation WHERE id = ?", [invitation_id]))
        return invitation_from(rows[0]) if rows else None

    def invitation_for(self, meeting_id: int, contact: Contact, role: InvitationRole,
                       membership: MembershipCategory | None) -> Invitation:
        """A new invitation with the referent's name, organisation and function copied (history survives)."""
        org = self.directory.get_organisation(contact.organisation_id) if contact.organisation_id else None
        return Invitation(
            meeting_id=meeting_id, contact_id=contact.id, name=contact.full_name,
            organisation_name=org.name if org else "", organisation_category=org.category if org else None,
            membership_category=membership, function=contact.function, email=contact.email, role=role)

    def membership_category(self, formation_id: int, contact_id: int, on: date) -> MembershipCategory | None:
        row = self.db.execute(
            "SELECT category FROM membership WHERE formation_id = ? AND contact_id = ? "
            "AND (start_date IS NULL OR start_date <= ?) AND (end_date IS NULL OR end_date >= ?) LIMIT 1",
            [formation_id, contact_id, on.isoformat(), on.isoformat()]).fetchone()
        return MembershipCategory(row[0]) if row else None

    def invited_contacts(self, meeting_id: int) -> dict[int, int]:
        """Invitation id by referent id, for the referents invited to the meeting."""
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT contact_id, id FROM invitation WHERE meeting_id = ? AND contact_id IS NOT NULL", [meeting_id])}

    def insert_invitation(self, invitation: Invitation) -> Invitation:
        with self.db.atomic():
            invitation.id = _insert(self.db, "invitation", _invitation_values(invitation))
        return invitation

    def remove_invitation(self, invitation_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM invitation WHERE id = ?", [invitation_id])

    def set_role(self, invitation_id: int, role: InvitationRole) -> None:
        with self.db.atomic():
            self._touch(invitation_id, {"role": role.value})

    def _touch(self, invitation_id: int, values: dict[str, Any]) -> None:
        values = {**values, "updated_at": dt_text(datetime.now())}
        cursor = self.db.execute(
            f"UPDATE invitation SET {', '.join(f'{k} = :{k}' for k in values)} WHERE id = :id",
            {**values, "id": invitation_id})
        if cursor.rowcount == 0:
            raise UserError("Cette invitation n'existe plus (la liste a peut-être été modifiée entre-temps).")

    def mark_sent(self, invitation_ids: Iterable[int], when: datetime) -> None:
        with self.db.atomic():
            for invitation_id in invitation_ids:
                self._touch(invitation_id, {"sent_at": dt_text(when)})

    def set_reply(self, invitation_id: int, reply: Reply | None, represented_by: str = "",
                  when: datetime | None = None) -> None:
        with self.db.atomic():
            self._touch(invitation_id, {
                "reply": reply.value if reply else None, "reply_represented_by": represented_by,
                "reply_at": dt_text(when) if reply else None})

    def set_attendance(self, invitation_id: int, attendance: Attendance | None, represented_by: str = "",
                       represented_by_contact_id: int | None = None, arrived_at: datetime | None = None) -> None:
        """Record one attendance mark in its own committed transaction (the PC may die mid-meeting)."""
        with self.db.atomic():
            self._touch(invitation_id, {
                "attendance": attendance.value if attendance else None, "represented_by": represented_by,
                "represented_by_contact_id": represented_by_contact_id, "arrived_at": dt_text(arrived_at)})

    def attendance_count(self, meeting_id: int) -> tuple[int, int]:
        """(present or represented, convened): the live count shown during the meeting."""
        row = self.db.execute(
            "SELECT SUM(attendance IN ('present', 'represented')), "
            "SUM(role = 'invited' AND walk_in = 0) FROM invitation WHERE meeting_id = ?", [meeting_id]).fetchone()
        return (row[0] or 0, row[1] or 0)

    # --- minutes, decisions, action items ------------------------------------------------------------
    def minutes(self, meeting_id: int) -> Minutes | None:
        rows = dicts(self.db.execute("SELECT * FROM minutes WHERE meeting_id = ?", [meeting_id]))
        if not rows:
            return None
        r = rows[0]
        return Minutes(meeting_id=meeting_id, summary=r["summary"], written_by=r["written_by"],
                       approved_on=as_date(r["approved_on"]), situations_examined=r["situations_examined"])

    def set_situations_examined(self, meeting_id: int, count: int) -> None:
        """The count of individual situations examined (the minutes row is created when missing)."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO minutes (meeting_id, situations_examined, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(meeting_id) DO UPDATE SET situations_examined = excluded.situations_examined, "
                "updated_at = excluded.updated_at", [meeting_id, count, dt_text(datetime.now())])

    def save_minutes(self, minutes: Minutes) -> Minutes:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO minutes (meeting_id, summary, written_by, approved_on, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(meeting_id) DO UPDATE SET summary = excluded.summary, "
                "written_by = excluded.written_by, approved_on = excluded.approved_on, "
                "updated_at = excluded.updated_at",
                [minutes.meeting_id, minutes.summary, minutes.written_by.strip(), iso(minutes.approved_on),
                 dt_text(datetime.now())])
        return minutes

    def save_agenda_notes(self, item_id: int, notes: str) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE agenda_item SET notes = ? WHERE id = ?", [notes, item_id])

    def decisions(self, meeting_id: int) -> list[Decision]:
        rows = dicts(self.db.execute("SELECT * FROM decision WHERE meeting_id = ? ORDER BY position, id",
                                     [meeting_id]))
        return [decision_from(r) for r in rows]

    def save_decision(self, decision: Decision) -> Decision:
        with self.db.atomic():
            if decision.id is None and not decision.position:
                decision.position = self.db.execute(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM decision WHERE meeting_id = ?",
                    [decision.meeting_id]).fetchone()[0]
            values = {"meeting_id": decision.meeting_id, "agenda_item_id": decision.agenda_item_id,
                      "position": decision.position, "text": decision.text.strip()}
            if decision.id is None:
                decision.id = _insert(self.db, "decision", values)
            else:
                _update(self.db, "decision", decision.id, values)
        return decision

    def delete_decision(self, decision_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM decision WHERE id = ?", [decision_id])

    def action_items(self, meeting_id: int) -> list[ActionItem]:
        rows = dicts(self.db.execute(
            "SELECT * FROM action_item WHERE meeting_id = ? ORDER BY due_date IS NULL, due_date, id", [meeting_id]))
        return [action_item_from(r) for r in rows]

    def save_action_item(self, item: ActionItem) -> ActionItem:
        values = {"meeting_id": item.meeting_id, "agenda_item_id": item.agenda_item_id, "text": item.text.strip(),
                  "responsible_organisation_id": item.responsible_organisation_id,
                  "responsible_name": item.responsible_name.strip(), "due_date": iso(item.due_date),
                  "status": item.status.value, "done_on": iso(item.done_on)}
        with self.db.atomic():
            if item.id is None:
                item.id = _insert(self.db, "action_item", values)
            else:
                _update(self.db, "action_item", item.id, values)
        return item

    def delete_action_item(self, item_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM action_item WHERE id = ?", [item_id])

    def open_action_items(self, today: date) -> list[OpenActionItem]:
        """Every open action item, soonest due first, with its meeting and whether it is past due."""
        rows = dicts(self.db.execute(
            "SELECT a.*, m.starts_at AS m_starts_at, f.kind AS f_kind, f.name AS f_name, o.name AS o_name "
            "FROM action_item a JOIN meeting m ON m.id = a.meeting_id JOIN formation f ON f.id = m.formation_id "
            "LEFT JOIN organisation o ON o.id = a.responsible_organisation_id "
            "WHERE a.status = 'open' ORDER BY a.due_date IS NULL, a.due_date, m.starts_at"))
        result = []
        for r in rows:
            item = action_item_from(r)
            kind = FormationKind(r["f_kind"])
            formation_name = Formation(kind=kind, name=r["f_name"]).display_name
            responsible = " — ".join(p for p in (r["o_name"] or "", item.responsible_name) if p)
            result.append(OpenActionItem(item, item.meeting_id, datetime.fromisoformat(r["m_starts_at"]),
                                         formation_name, responsible, item.is_overdue(today)))
        return result

    # --- documents -----------------------------------------------------------------------------------
    def documents(self, meeting_id: int) -> list[MeetingDocument]:
        rows = dicts(self.db.execute(
            "SELECT d.* FROM meeting_document d LEFT JOIN agenda_item a ON a.id = d.agenda_item_id "
            "WHERE d.meeting_id = ? ORDER BY a.position IS NULL, a.position, d.id", [meeting_id]))
        return [document_from(r) for r in rows]

    def add_document(self, document: MeetingDocument) -> MeetingDocument:
        values = {"meeting_id": document.meeting_id, "agenda_item_id": document.agenda_item_id,
                  "original_name": document.original_name, "stored_name": document.stored_name,
                  "sha256": document.sha256, "size": document.size}
        with self.db.atomic():
            document.id = _insert(self.db, "meeting_document", values)
        return document

    def remove_document(self, document_id: int) -> MeetingDocument | None:
        """Delete the record; returns it so the caller can remove the file when nothing else uses it."""
        rows = dicts(self.db.execute("SELECT * FROM meeting_document WHERE id = ?", [document_id]))
        with self.db.atomic():
            self.db.execute("DELETE FROM meeting_document WHERE id = ?", [document_id])
        return document_from(rows[0]) if rows else None

    def stored_name_in_use(self, stored_name: str) -> bool:
        return self.db.execute("SELECT 1 FROM meeting_document WHERE stored_name = ? LIMIT 1",
                               [stored_name]).fetchone() is not None

    # --- legal watch ---------------------------------------------------------------------------------
    def notice_days(self, formation_kind: FormationKind) -> int:
        if formation_kind is FormationKind.PLENARY:
            return self.settings.get_int(NOTICE_SETTING_PLENARY, DEFAULT_NOTICE_DAYS_PLENARY)
        return self.settings.get_int(NOTICE_SETTING_OTHER, DEFAULT_NOTICE_DAYS_OTHER)

    def set_notice_days(self, plenary: int, other: int) -> None:
        with self.db.atomic():
            self.settings.set(NOTICE_SETTING_PLENARY, plenary)
            self.settings.set(NOTICE_SETTING_OTHER, other)

    def last_plenary_date(self, before: date) -> date | None:
        """Day of the last plenary held (not cancelled) strictly before `before`."""
        row = self.db.execute(
            "SELECT MAX(m.starts_at) FROM meeting m JOIN formation f ON f.id = m.formation_id "
            "WHERE f.kind = 'plenary' AND m.status != 'cancelled' AND m.starts_at < ?",
            [before.isoformat()]).fetchone()
        return date.fromisoformat(row[0][:10]) if row and row[0] else None

    def plenaries_in_year(self, year: int) -> list[Meeting]:
        return self._with_agendas(dicts(self.db.execute(
            "SELECT m.* FROM meeting m JOIN formation f ON f.id = m.formation_id WHERE f.kind = 'plenary' "
            "AND m.status != 'cancelled' AND m.starts_at >= ? AND m.starts_at < ? ORDER BY m.starts_at",
            [f"{year:04d}-01-01", f"{year + 1:04d}-01-01"])))

    def upcoming_meetings(self, today: date, days: int = 30) -> list[Meeting]:
        return self._with_agendas(dicts(self.db.execute(
            "SELECT * FROM meeting WHERE status != 'cancelled' AND starts_at >= ? AND starts_at < ? "
            "ORDER BY starts_at", [today.isoformat(), (today + timedelta(days=days + 1)).isoformat()])))

    def late_convocations(self, today: date, notice_plenary: int, notice_other: int) -> list[LateConvocation]:
        """Upcoming meetings whose convocations missed, or are about to miss, the notice period: some
        convened invitee sent after the last possible day, or not sent while that day has passed."""
        formations = {f.id: f for f in self.formations.formations()}
        rows = dicts(self.db.execute(
            "SELECT m.*, (SELECT COUNT(*) FROM invitation i WHERE i.meeting_id = m.id AND i.role = 'invited' "
            "             AND i.walk_in = 0 AND i.sent_at IS NULL) AS unsent, "
            "(SELECT GROUP_CONCAT(substr(i.sent_at, 1, 10)) FROM invitation i WHERE i.meeting_id = m.id "
            " AND i.role = 'invited' AND i.walk_in = 0 AND i.sent_at IS NOT NULL) AS sent_days, "
            "(SELECT COUNT(*) FROM invitation i WHERE i.meeting_id = m.id) AS invitees "
            "FROM meeting m WHERE m.status IN ('planned', 'postponed') AND m.starts_at >= ? AND m.starts_at < ? "
            "ORDER BY m.starts_at",
            # a meeting further away than the longest notice still has time: its last sending day is after
            # today, so nothing sent so far is late and nothing unsent is due (read at every start-up)
            [today.isoformat(), (today + timedelta(days=max(notice_plenary, notice_other) + 1)).isoformat()]))
        late = []
        for r in rows:
            meeting = meeting_from(r)
            formation = formations.get(meeting.formation_id)
            if formation is None:
                continue
            notice = notice_plenary if formation.kind is FormationKind.PLENARY else notice_other
            latest = latest_sending_date(meeting.starts_at.date(), notice)
            sent_late = sum(1 for d in (r["sent_days"] or "").split(",") if d and date.fromisoformat(d) > latest)
            unsent = r["unsent"] if today > latest else 0
            if sent_late or unsent or (today > latest and r["invitees"] == 0):
                late.append(LateConvocation(meeting, formation.display_name, latest, unsent, sent_late))
        return late
