"""Réunions: every change a user makes to meetings, invitations, attendance, minutes and their documents.

Each operation owns its transaction, applies the rules of `domain/meetings.py` (overlaps, series, the
charter of confidential groups, invitation roles) and says what it changed. The store-level helpers
(`invite_formation_members`, `invite_contact`) are what the operations run inside their transaction; demo
data and benchmarks call them too, so no second copy of the rules exists.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from clspd_desktop.db.store import Store
from clspd_desktop.domain.civility import agreed
from clspd_desktop.domain.directory import Contact, Formation
from clspd_desktop.domain.meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    Invitation,
    InvitationRole,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Minutes,
    RefusedInvitee,
    Reply,
    SeriesFrequency,
    cannot_invite,
    cannot_sit,
    charter_refusal,
    check_series_allowed,
    free_name_representative_refused,
    invitation_role,
    overlap_error,
    postponement_note,
    series_clash_error,
    series_dates,
    settle_action_item,
    unknown_walk_in_refused,
    validate_action_item,
    validate_meeting,
    validate_notice_days,
)
from clspd_desktop.domain.plan_links import LinkSource
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services import meeting_documents
from clspd_desktop.services.attendance_stats import AttendanceStats, export_xlsx
from clspd_desktop.services.attendance_stats import compute as compute_attendance
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done

if TYPE_CHECKING:  # reportlab and the mail stack load when a document or a message is made
    from clspd_desktop.services import convocation_sending as sending
    from clspd_desktop.services import mail

MEETING_GONE = "Cette réunion n'existe plus."
INVITATION_GONE = "Cette invitation n'existe plus (la liste a peut-être été modifiée entre-temps)."
CONTACT_GONE = "Ce référent n'existe plus dans l'annuaire."
FORMATION_GONE = "Cette formation n'existe plus : choisissez une autre formation ou un autre groupe."
T = TypeVar("T")


# --- reading what the rules need ---------------------------------------------------------------------------
def _saved_id(record_id: int | None) -> int:
    """The id of a record just written (None only for a record never saved)."""
    if record_id is None:
        raise RuntimeError("Enregistrement sans identifiant après son écriture")
    return record_id


def _found(record: T | None, gone: str) -> T:
    """The record read, or the French message saying it is gone (deleted in the meantime)."""
    if record is None:
        raise UserError(gone)
    return record


def _meeting(store: Store, meeting_id: int) -> Meeting:
    return _found(store.meetings.get_meeting(meeting_id), MEETING_GONE)


def _formation(store: Store, formation_id: int) -> Formation:
    return _found(store.formations.get(formation_id), FORMATION_GONE)


def _invitation(store: Store, invitation_id: int) -> Invitation:
    return _found(store.meetings.get_invitation(invitation_id), INVITATION_GONE)


def refusal_reason(store: Store, contact_id: int, on: date) -> str:
    """Why a referent may not sit in a confidential group on `on` ('' when they may)."""
    return charter_refusal(store.formations.signatures_of(contact_id), on)


def refused_members(store: Store, meeting_id: int) -> list[RefusedInvitee]:
    """Current members of a confidential group who cannot be invited, with the reason (a read)."""
    meeting = _meeting(store, meeting_id)
    formation = _formation(store, meeting.formation_id)
    if not formation.confidential:
        return []
    on = meeting.starts_at.date()
    return [RefusedInvitee(m.contact, m.organisation_name, refusal_reason(store, m.membership.contact_id, on))
            for m in store.formations.members(meeting.formation_id, on) if not m.has_valid_signature]


# --- meetings ----------------------------------------------------------------------------------------------
def _save_checked(store: Store, meeting: Meeting, formation: Formation) -> Meeting:
    validate_meeting(meeting)
    if meeting.status is not MeetingStatus.CANCELLED:
        other = store.meetings.overlapping_start(meeting)
        if other is not None:
            raise overlap_error(formation.display_name, other)
    return store.meetings.save_meeting(meeting)


def save_meeting_checked(store: Store, meeting: Meeting) -> Meeting:
    """Save one meeting after the rules (times, de droit requester, agenda titles, no overlap)."""
    return _save_checked(store, meeting, _formation(store, meeting.formation_id))


def _update_following(store: Store, edited: Meeting, series_id: int, from_date: date) -> list[Meeting]:
    """Copy the edited occurrence's times, place, texts and agenda into the planned or postponed occurrences
    of its series from `from_date` on; each keeps its day and its items' notes."""
    formation = _formation(store, edited.formation_id)
    updated = []
    for meeting in store.meetings.series_meetings(series_id):
        if meeting.starts_at.date() < from_date or meeting.status not in (
                MeetingStatus.PLANNED, MeetingStatus.POSTPONED):
            continue
        meeting.starts_at = datetime.combine(meeting.starts_at.date(), edited.starts_at.time())
        meeting.ends_at = meeting.starts_at + edited.duration
        for name in ("title", "place", "video_link", "signatory", "prefect_presentation"):
            setattr(meeting, name, getattr(edited, name))
        old = {item.position: item for item in meeting.agenda}
        meeting.agenda = [
            AgendaItem(title=item.title, presenter=item.presenter,
                       notes=old[n].notes if n in old else "", id=old[n].id if n in old else None)
            for n, item in enumerate(edited.agenda, 1)]
        updated.append(_save_checked(store, meeting, formation))
    return updated


def save_meeting(env: OpEnv, meeting: Meeting, *, with_following: bool = False) -> Done[list[Meeting]]:
    """Create or edit a meeting; `with_following` also applies the edit to the next occurrences of its series
    (all or nothing)."""
    with env.store.transaction():
        saved = [save_meeting_checked(env.store, meeting)]
        if with_following and meeting.series_id is not None:
            following = meeting.starts_at.date() + timedelta(days=1)
            saved += _update_following(env.store, meeting, meeting.series_id, following)
    return done(saved, Change.MEETINGS)


def create_series(env: OpEnv, first: Meeting, frequency: SeriesFrequency, until: date,
                  first_agenda: list[AgendaItem] | None = None) -> Done[list[Meeting]]:
    """A working group's recurring meetings: one per occurrence, each a copy of `first` (agenda included);
    `first_agenda`, when given, is the first occurrence's own (the open decisions it carries forward)."""
    store = env.store
    formation = _formation(store, first.formation_id)
    check_series_allowed(formation.kind)
    validate_meeting(first)
    try:
        days = series_dates(first.starts_at.date(), frequency, until)
    except ValueError as exc:
        raise ValidationError({"until": str(exc)}) from exc
    with store.transaction():
        clash = store.meetings.overlapping_series(first.formation_id, days[0], until)
        if clash:
            raise series_clash_error(formation.display_name, *clash)
        series_id = store.meetings.add_series(first.formation_id, frequency, until)
        created = []
        for number, day in enumerate(days):
            starts = datetime.combine(day, first.starts_at.time())
            agenda = first_agenda if number == 0 and first_agenda is not None else first.agenda
            occurrence = replace(
                first, id=None, uid="", sequence=0, series_id=series_id, starts_at=starts,
                ends_at=starts + first.duration, status=MeetingStatus.PLANNED,
                agenda=[replace(item, id=None, meeting_id=None) for item in agenda])
            created.append(_save_checked(store, occurrence, formation))
    return done(created, Change.MEETINGS)


def postpone_meeting(env: OpEnv, meeting_id: int, starts_at: datetime, ends_at: datetime) -> Done[Meeting]:
    """Move the meeting (same UID: calendars update it) and mark it postponed, noting the first date."""
    with env.store.transaction():
        meeting = _meeting(env.store, meeting_id)
        previous = meeting.starts_at
        if starts_at == previous and ends_at == meeting.ends_at:
            raise ValidationError({"starts_at": "Choisissez une nouvelle date ou un nouvel horaire pour le report."})
        meeting.starts_at, meeting.ends_at = starts_at, ends_at
        meeting.status = MeetingStatus.POSTPONED
        meeting.notes = f"{meeting.notes}\n{postponement_note(previous)}".strip()
        saved = save_meeting_checked(env.store, meeting)
    return done(saved, Change.MEETINGS)


def set_meeting_status(env: OpEnv, meeting_id: int, status: MeetingStatus) -> Done[None]:
    with env.store.transaction():
        _meeting(env.store, meeting_id)
        env.store.meetings.set_status(meeting_id, status)
    return done(None, Change.MEETINGS)


def delete_meeting(env: OpEnv, meeting_id: int) -> Done[None]:
    """With its agenda, invitations, minutes, decisions and document records (undoable)."""
    with env.store.transaction():
        env.store.meetings.delete_meeting(meeting_id)
    return done(None, Change.MEETINGS, Change.INVITATIONS, Change.MINUTES, Change.LINKS)


def set_notice_days(env: OpEnv, plenary: int, other: int) -> Done[None]:
    validate_notice_days(plenary, other)
    with env.store.transaction():
        env.store.meetings.set_notice_days(plenary, other)
    return done(None, Change.SETTINGS, Change.MEETINGS)


# --- invitations -------------------------------------------------------------------------------------------
def invite_formation_members(store: Store, meeting_id: int, on: date | None = None) -> list[RefusedInvitee]:
    """Invite the formation's members on `on` (default: the meeting's day): titulars convened, substitutes
    informed; members already invited stay as they are. A confidential group refuses members without a
    valid charter signature: they are returned with the reason."""
    meeting = _meeting(store, meeting_id)
    formation = _formation(store, meeting.formation_id)
    on = on or meeting.starts_at.date()
    refused = []
    with store.transaction():
        already = store.meetings.invited_contacts(meeting_id)
        for member in store.formations.members(meeting.formation_id, on):
            contact = member.contact
            if member.membership.contact_id in already:
                continue
            if formation.confidential and not member.has_valid_signature:
                refused.append(RefusedInvitee(contact, member.organisation_name,
                                              refusal_reason(store, member.membership.contact_id, on)))
                continue
            store.meetings.insert_invitation(store.meetings.invitation_for(
                meeting_id, contact, invitation_role(contact.role), member.membership.category))
    return refused


def invite_contact(store: Store, meeting_id: int, contact_id: int,
                   role: InvitationRole = InvitationRole.INVITED) -> Invitation:
    """One more invitee; a confidential group takes only valid signatories of the charter."""
    meeting = _meeting(store, meeting_id)
    formation = _formation(store, meeting.formation_id)
    contact = _found(store.directory.get_contact(contact_id), CONTACT_GONE)
    on = meeting.starts_at.date()
    if formation.confidential:
        reason = refusal_reason(store, contact_id, on)
        if reason:
            raise cannot_invite(contact.full_name, reason)
    with store.transaction():
        if contact_id in store.meetings.invited_contacts(meeting_id):
            raise UserError(f"{contact.full_name} est déjà {agreed('invite', contact.full_name)} à cette réunion.")
        return store.meetings.insert_invitation(store.meetings.invitation_for(
            meeting_id, contact, role, store.meetings.membership_category(meeting.formation_id, contact_id, on)))


def invite_members(env: OpEnv, meeting_id: int) -> Done[list[RefusedInvitee]]:
    return done(invite_formation_members(env.store, meeting_id), Change.INVITATIONS)


def add_invitation(env: OpEnv, meeting_id: int, contact_id: int) -> Done[Invitation]:
    return done(invite_contact(env.store, meeting_id, contact_id), Change.INVITATIONS)


def remove_invitation(env: OpEnv, invitation_id: int) -> Done[None]:
    """Undoable: the invitee comes back with their reply and attendance."""
    with env.store.transaction():
        env.store.meetings.remove_invitation(invitation_id)
    return done(None, Change.INVITATIONS)


def set_role(env: OpEnv, invitation_id: int, role: InvitationRole) -> Done[None]:
    with env.store.transaction():
        env.store.meetings.set_role(invitation_id, role)
    return done(None, Change.INVITATIONS)


def set_reply(env: OpEnv, invitation_id: int, reply: Reply | None, represented_by: str = "",
              when: datetime | None = None) -> Done[None]:
    represented_by = represented_by.strip() if reply is Reply.REPRESENTED else ""
    if reply is Reply.REPRESENTED and not represented_by:
        raise ValidationError({"represented_by": "Indiquez la personne qui représentera l'invité."})
    with env.store.transaction():
        env.store.meetings.set_reply(invitation_id, reply, represented_by,
                                     (when or datetime.now()) if reply else None)
    return done(None, Change.INVITATIONS)


def _check_confidential_person(store: Store, invitation: Invitation, contact_id: int | None, name: str) -> None:
    meeting = _meeting(store, invitation.meeting_id)
    if not _formation(store, meeting.formation_id).confidential:
        return
    if contact_id is None:
        raise free_name_representative_refused(name)
    reason = refusal_reason(store, contact_id, meeting.starts_at.date())
    if reason:
        raise cannot_sit(name, reason)


def set_attendance(env: OpEnv, invitation_id: int, attendance: Attendance | None, represented_by: str = "",
                   represented_by_contact_id: int | None = None,
                   arrived_at: datetime | None = None) -> Done[None]:
    """One attendance mark, committed at once (the PC may die mid-meeting). In a confidential group only a
    signatory of the charter may represent someone."""
    store = env.store
    invitation = _invitation(store, invitation_id)
    if attendance is Attendance.REPRESENTED:
        if represented_by_contact_id is not None:
            contact = _found(store.directory.get_contact(represented_by_contact_id), CONTACT_GONE)
            represented_by = represented_by.strip() or contact.full_name
        represented_by = represented_by.strip()
        if not represented_by:
            raise ValidationError({"represented_by": "Indiquez par qui la personne est représentée."})
        _check_confidential_person(store, invitation, represented_by_contact_id, represented_by)
    else:
        represented_by, represented_by_contact_id = "", None
    if attendance is not Attendance.PRESENT:
        arrived_at = None
    with store.transaction():
        store.meetings.set_attendance(invitation_id, attendance, represented_by, represented_by_contact_id,
                                      arrived_at)
    return done(None, Change.INVITATIONS)


def add_walk_in(env: OpEnv, meeting_id: int, contact: Contact, arrived_at: datetime | None = None) -> Done[Invitation]:
    """Someone not invited turns up: create the referent in the directory if new, mark them present."""
    store = env.store
    meeting = _meeting(store, meeting_id)
    formation = _formation(store, meeting.formation_id)
    if not contact.last_name.strip():
        raise ValidationError({"last_name": "Indiquez au moins le nom de la personne."})
    if formation.confidential:
        if contact.id is None:
            raise unknown_walk_in_refused()
        reason = refusal_reason(store, contact.id, meeting.starts_at.date())
        if reason:
            raise cannot_sit(contact.full_name, reason)
    kinds = [Change.INVITATIONS]
    with store.transaction():
        if contact.id is None:
            contact = store.directory.save_contact(contact)
            kinds.append(Change.DIRECTORY)
        contact_id = _saved_id(contact.id)
        invitation_id = store.meetings.invited_contacts(meeting_id).get(contact_id)
        if invitation_id is None:
            invitation = store.meetings.invitation_for(
                meeting_id, contact, InvitationRole.INVITED,
                store.meetings.membership_category(meeting.formation_id, contact_id, meeting.starts_at.date()))
            invitation.walk_in = True
            invitation_id = _saved_id(store.meetings.insert_invitation(invitation).id)
        store.meetings.set_attendance(invitation_id, Attendance.PRESENT, arrived_at=arrived_at)
    return done(_invitation(store, invitation_id), *kinds)


# --- minutes, decisions, action items ----------------------------------------------------------------------
def save_minutes(env: OpEnv, minutes: Minutes, item_notes: dict[int, str]) -> Done[Minutes]:
    """The summary and every agenda item's notes, all or nothing."""
    with env.store.transaction():
        _meeting(env.store, minutes.meeting_id)
        env.store.meetings.save_minutes(minutes)
        for item_id, notes in item_notes.items():
            env.store.meetings.save_agenda_notes(item_id, notes)
    return done(minutes, Change.MINUTES)


def save_decision(env: OpEnv, decision: Decision) -> Done[Decision]:
    if not decision.text.strip():
        raise ValidationError({"text": "Écrivez le texte de la décision."})
    with env.store.transaction():
        saved = env.store.meetings.save_decision(decision)
    return done(saved, Change.MINUTES)


def delete_decision(env: OpEnv, decision_id: int) -> Done[None]:
    """Its links to plan actions go with it (the actions stay)."""
    with env.store.transaction():
        env.store.meetings.delete_decision(decision_id)
    return done(None, Change.MINUTES, Change.LINKS)


def save_action_item(env: OpEnv, item: ActionItem, today: date | None = None) -> Done[ActionItem]:
    validate_action_item(item)
    settle_action_item(item, today or date.today())
    with env.store.transaction():
        saved = env.store.meetings.save_action_item(item)
    return done(saved, Change.MINUTES)


def delete_action_item(env: OpEnv, item_id: int) -> Done[None]:
    with env.store.transaction():
        env.store.meetings.delete_action_item(item_id)
    return done(None, Change.MINUTES, Change.LINKS)


def unlink_plan_action(env: OpEnv, source: LinkSource, source_id: int, action_id: int) -> Done[None]:
    """Remove one link between a decision or action item and a plan action; neither is deleted."""
    with env.store.transaction():
        env.store.links.unlink(source, source_id, action_id)
    return done(None, Change.LINKS)


def link_plan_action(env: OpEnv, source: LinkSource, source_id: int, action_id: int) -> Done[None]:
    with env.store.transaction():
        env.store.links.link(source, source_id, action_id)
    return done(None, Change.LINKS)


# --- documents ---------------------------------------------------------------------------------------------
def attach_document(env: OpEnv, meeting_id: int, source: Path, agenda_item_id: int | None) -> Done[MeetingDocument]:
    """Copy the file into the data folder and record it (a file of any size: run on the worker)."""
    env.progress.report(0, 1, f"Copie de « {Path(source).name} »…")
    with env.store.transaction():
        document = meeting_documents.attach_document(env.store, env.paths.documents_dir, meeting_id, source,
                                                     agenda_item_id)
    return done(document, Change.MEETINGS)


def remove_document(env: OpEnv, document_id: int) -> Done[None]:
    """Forget the document, then delete its copy once that is committed (unless another record uses it)."""
    with env.store.transaction():
        removed = env.store.meetings.remove_document(document_id)
    if removed is not None:
        meeting_documents.delete_unused_copy(env.store, env.paths.documents_dir, removed)
    return done(None, Change.MEETINGS)


# --- printed documents, e-mail and SMTP (long work: run on the worker) ----------------------------------------
def write_convocations(env: OpEnv, meeting_id: int, target: Path) -> Done[Path]:
    """One letter per invitee, in protocol order, in one PDF."""
    from clspd_desktop.services.reports.convocations_pdf import build_merged_convocations, load_papers

    env.progress.report(0, 1, "Préparation des convocations…")
    papers = load_papers(env.store, meeting_id)
    env.progress.report(0, 1, f"Préparation des convocations ({plural(len(papers.invitations), 'invité')})…")
    return done(build_merged_convocations(papers, target, rules=env.rules))


def write_signin_sheet(env: OpEnv, meeting_id: int, target: Path) -> Done[Path]:
    from clspd_desktop.services.reports.convocations_pdf import load_papers
    from clspd_desktop.services.reports.signin_sheet_pdf import build_signin_sheet

    env.progress.report(0, 1, "Préparation de la feuille d'émargement…")
    return done(build_signin_sheet(load_papers(env.store, meeting_id), target))


def write_minutes_pdf(env: OpEnv, meeting_id: int, target: Path) -> Done[Path]:
    from clspd_desktop.services.reports.minutes_pdf import build_minutes_pdf, load_minutes

    env.progress.report(0, 1, "Préparation du compte rendu…")
    papers, content = load_minutes(env.store, meeting_id)
    return done(build_minutes_pdf(papers, content, target))


def prepare_drafts(env: OpEnv, meeting_id: int, *, bcc: bool, cancel: bool) -> Done[sending.DraftBatch]:
    """The .eml drafts (a resent invitation raises the calendar SEQUENCE: a write)."""
    from clspd_desktop.services import convocation_sending as sending

    env.progress.report(0, 1, "Préparation des brouillons…")
    with env.store.transaction():
        batch = sending.prepare_drafts(env.store, env.paths, meeting_id, bcc=bcc, cancel=cancel, rules=env.rules)
    return done(batch, Change.MEETINGS)


def record_drafts_sent(env: OpEnv, batch: sending.DraftBatch) -> Done[None]:
    from clspd_desktop.services import convocation_sending as sending

    with env.store.transaction():
        sending.record_drafts_sent(env.store, batch)
    return done(None, Change.INVITATIONS)


def send_by_smtp(env: OpEnv, meeting_id: int, smtp: mail.SmtpSettings, password: str | None, *,
                 cancel: bool = False) -> Done[sending.SendReport]:
    """One message per invitee; each accepted one is recorded as sent at once. « Annuler » stops before the
    next message: what already left stays recorded and the report says so."""
    from clspd_desktop.services import convocation_sending as sending


    def step(sent: int, total: int, name: str) -> bool:
        if env.progress.cancelled:
            return False
        env.progress.report(sent, total, f"Envoi à {name}… ({sent + 1} sur {total})" if name else "Envoi terminé.")
        return True

    report = sending.send_by_smtp(env.store, env.paths, meeting_id, smtp, password, cancel=cancel,
                                  progress=step, rules=env.rules)
    return done(report, Change.INVITATIONS, Change.MEETINGS)


def cancel_meeting(env: OpEnv, meeting_id: int) -> Done[None]:
    """Mark the meeting cancelled before the invitees are told (the row stays)."""
    from clspd_desktop.services import convocation_sending as sending

    with env.store.transaction():
        sending.cancel_meeting(env.store, meeting_id)
    return done(None, Change.MEETINGS)


@dataclass
class MeetingsOverview:
    """What the Réunions screen shows first: the meetings of the weeks the calendar shows, and those of the
    list's period and formation."""

    calendar: list[Meeting]
    listed: list[Meeting]


def meetings_overview(env: OpEnv, first: date, last: date, list_start: date, list_end: date,
                      list_formation_id: int | None) -> Done[MeetingsOverview]:
    """A read the runner runs on a worker for the screen's first show."""
    meetings = env.store.meetings
    return Done(MeetingsOverview(meetings.meetings_between(first, last, agendas=False),
                                 meetings.meetings_between(list_start, list_end, list_formation_id, agendas=False)))


def attendance_statistics(env: OpEnv, start: date, end: date, formation_id: int | None) -> Done[AttendanceStats]:
    """A read over every meeting of the period: run on the worker."""
    env.progress.report(0, 1, "Calcul des statistiques de présence…")
    return done(compute_attendance(env.store, start, end, formation_id))


def export_attendance_statistics(env: OpEnv, stats: AttendanceStats, target: Path) -> Done[Path]:
    env.progress.report(0, 1, "Export des statistiques de présence…")
    return done(export_xlsx(stats, target))
