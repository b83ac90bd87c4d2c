"""The records screens' own operations (issue 17, points 2, 6 and 7): unlock and lock, print a fiche, examine
records in a confidential group's meeting.

They run on the GUI thread through `runner.call` like every quick operation, and must: sqlcipher3
connections are `check_same_thread`, so the encrypted store is only usable on the thread that unlocked it,
and its operations are small (one record, one meeting). A meeting's examination writes the decisions into
the records (encrypted store) and only a count into the main database's minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.individual.records import AccessEntry, AccessKind, FollowUpAction, ListKind
from clspd_desktop.domain.individual.retention import destruction_date
from clspd_desktop.errors import UserError
from clspd_desktop.services.individual.session import IndividualSession, load_opt_in
from clspd_desktop.services.operations import individual as ops
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done


def unlock(env: OpEnv, *, session: IndividualSession, passphrase: str) -> Done[None]:
    """Open the store for this session; a wrong passphrase leaves the file untouched (French message)."""
    session.unlock(passphrase)
    return done(None, Change.INDIVIDUAL)


def lock(env: OpEnv, *, session: IndividualSession) -> Done[None]:
    session.lock()
    return done(None, Change.INDIVIDUAL)


def group_signatories(env: OpEnv, group_id: int, on: datetime) -> list[str]:
    """The group's current members with a valid charter signature: the only people a fiche may go to."""
    return [f"{m.contact.last_name.upper()} {m.contact.first_name}".strip()
            + (f" — {m.organisation_name}" if m.organisation_name else "")
            for m in env.store.formations.members(group_id, on.date()) if m.has_valid_signature]


def print_record(env: OpEnv, *, session: IndividualSession, record_id: int, target: Path,
                 reason_id: int | None = None) -> Done[Path]:
    """The print is logged first (no output without its line in the access log), then the PDF is written."""
    from clspd_desktop.services.reports.individual_record_pdf import (
        PrintedRecord,
        build_record_pdf,
        labels_of,
    )

    ops.log_output(env, session=session, record_id=record_id, kind=AccessKind.PRINT, reason_id=reason_id)
    store = session.store
    record = store.record(record_id)
    council = env.store.council.get()
    if record is None or council is None:
        raise UserError(ops.GONE)
    now = session.clock()
    printed = PrintedRecord(record, store.actions(record_id), labels_of(store.list_items()),
                            group_signatories(env, record.group_id, now),
                            destruction_date(record.birth_date, record.end_date, session.rules))
    return Done(build_record_pdf(printed, council, target, now.date()))


@dataclass(frozen=True)
class MeetingGroup:
    """Whether a meeting's group may examine records, and which ones it already did."""

    allowed: bool
    examined: list[int]


def meeting_group(env: OpEnv, *, session: IndividualSession, meeting_id: int) -> MeetingGroup:
    """A read: the meeting's group must be confidential and one the opt-in retained."""
    meeting = env.store.meetings.get_meeting(meeting_id)
    formation = env.store.formations.get(meeting.formation_id) if meeting else None
    store = session.store
    allowed = bool(formation and formation.confidential
                   and formation.id in {g.id for g in load_opt_in(store).groups})
    return MeetingGroup(allowed, store.examined_in(meeting_id))


def examine_in_meeting(env: OpEnv, *, session: IndividualSession, meeting_id: int, record_id: int,
                       actions: list[FollowUpAction]) -> Done[int]:
    """Record that `record_id` was examined in the meeting, with the actions decided on it (into the record,
    validated like any action), log it, then store the new count in the minutes. Returns the count.

    Two files cannot share a transaction: the encrypted store is written first, and the count is recomputed
    from it (never incremented), so repeating the operation repairs a count a failure left behind."""
    meeting = env.store.meetings.get_meeting(meeting_id)
    if meeting is None:
        raise UserError("Cette réunion n'existe plus. Rien n'a été modifié.")
    store = session.store
    if not meeting_group(env, session=session, meeting_id=meeting_id).allowed:
        raise UserError("Le groupe de cette réunion n'est pas retenu pour le suivi individuel (groupe "
                        "confidentiel choisi lors de l'activation) : aucune fiche n'y est examinée.")
    record = ops._existing(store, record_id)  # noqa: SLF001 - the same refusal as the other record operations
    if record.group_id != meeting.formation_id:
        raise UserError("Cette fiche relève d'un autre groupe de travail : elle ne peut pas être examinée dans "
                        "cette réunion. Rien n'a été modifié.")
    ops.refuse_if_inactive(record)
    lists = ops._lists(store)  # noqa: SLF001
    for action in actions:
        action.record_id = record_id
        ops.validate_action(action, lists, session.rules)
    now = session.clock()
    with store.transaction():
        store.add_examination(meeting_id, record_id, now)
        for action in actions:
            action.id = store.add_action(action)
        store.append_access(AccessEntry(now, session.who, AccessKind.EXAMINE, record_id,
                                        f"Réunion du {long_date(meeting.starts_at.date())}"))
    count = len(store.examined_in(meeting_id))
    with env.store.transaction():
        env.store.meetings.set_situations_examined(meeting_id, count)
    return done(count, Change.INDIVIDUAL, Change.MINUTES)


def consultation_reasons(session: IndividualSession) -> list[tuple[int, str]]:
    return [(i.id, i.label) for i in session.store.list_items(ListKind.CONSULTATION_REASON, active_only=True)]
