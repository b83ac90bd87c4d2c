"""Operations of the individual follow-up (issue 17), each on the coordinator's unlocked session.

The UI binds the session with `functools.partial(op, session=…)` and runs them through the one runner;
each writes in one transaction of the encrypted store, appends to its access log, and says
`Change.INDIVIDUAL`. Nothing here writes a person's name anywhere but the encrypted store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clspd_desktop.db.individual_store import IndividualStore
from clspd_desktop.domain.individual.aggregates import YearFigures, year_figures
from clspd_desktop.domain.individual.records import (
    AccessEntry,
    AccessKind,
    FollowUpAction,
    FollowUpRecord,
    ListItem,
    ListKind,
    ListsInUse,
    refuse_if_inactive,
    validate_action,
    validate_end,
    validate_list_label,
    validate_record,
)
from clspd_desktop.domain.individual.retention import destruction_date, is_due
from clspd_desktop.domain.individual.settings import FormationChoice, ResponsibleRole, validate_opt_in
from clspd_desktop.domain.records import saved_id
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.individual import snapshots
from clspd_desktop.services.individual.dpo_export import write_access_log_csv
from clspd_desktop.services.individual.session import IndividualSession, load_opt_in, snapshots_dir
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done

GONE = "Cette fiche n'existe plus (détruite à l'échéance de conservation ?). Rien n'a été modifié."


def _log(session: IndividualSession, store: IndividualStore, kind: AccessKind, record_id: int | None,
         reason: str = "") -> None:
    store.append_access(AccessEntry(session.clock(), session.who, kind, record_id, reason))


def _lists(store: IndividualStore) -> ListsInUse:
    return ListsInUse({i.id: i for i in store.list_items(active_only=True)})


def _existing(store: IndividualStore, record_id: int) -> FollowUpRecord:
    record = store.record(record_id)
    if record is None:
        raise UserError(GONE)
    return record


# ---- opt-in -------------------------------------------------------------------------------------------

def enable_module(env: OpEnv, *, session: IndividualSession, passphrase: str, confirmation: str,
                  responsible_role: ResponsibleRole, responsible_name: str, coordinator_name: str,
                  groups: list[FormationChoice]) -> Done[None]:
    """Turn the module on: paperwork inputs checked first (no plenary, no restricted formation), then the
    passphrase, then the encrypted store is created with them and the default lists."""
    settings = validate_opt_in(responsible_role, responsible_name, coordinator_name, groups, session.rules,
                               session.today())
    session.enable(passphrase, confirmation, settings)
    return done(None, Change.INDIVIDUAL)


# ---- predefined lists (editable by the coordinator; no free text on a record) -------------------------

def add_list_item(env: OpEnv, *, session: IndividualSession, kind: ListKind, label: str) -> Done[int]:
    label = validate_list_label(label)
    store = session.store
    with store.transaction():
        if store.list_label_taken(kind, label):
            raise ValidationError({"label": f"« {label} » est déjà dans la liste."})
        item_id = store.add_list_item(kind, label)
    return done(item_id, Change.INDIVIDUAL)


def rename_list_item(env: OpEnv, *, session: IndividualSession, item: ListItem, label: str) -> Done[None]:
    label = validate_list_label(label)
    store = session.store
    with store.transaction():
        if store.list_label_taken(item.kind, label, except_id=item.id):
            raise ValidationError({"label": f"« {label} » est déjà dans la liste."})
        store.rename_list_item(item.id, label)
    return done(None, Change.INDIVIDUAL)


def set_list_item_active(env: OpEnv, *, session: IndividualSession, item_id: int, active: bool) -> Done[None]:
    """Entries are retired, never deleted: records that ticked them keep their meaning."""
    store = session.store
    with store.transaction():
        store.set_list_item_active(item_id, active)
    return done(None, Change.INDIVIDUAL)


# ---- records ------------------------------------------------------------------------------------------

def create_record(env: OpEnv, *, session: IndividualSession, record: FollowUpRecord) -> Done[int]:
    store = session.store
    groups = list(load_opt_in(store).groups)
    record.group_name = next((g.name for g in groups if g.id == record.group_id), record.group_name)
    validate_record(record, groups, _lists(store), session.today(), session.rules)
    record.end_date = None
    with store.transaction():
        record_id = store.add_record(record)
        _log(session, store, AccessKind.CREATE, record_id)
    return done(record_id, Change.INDIVIDUAL)


def update_record(env: OpEnv, *, session: IndividualSession, record: FollowUpRecord) -> Done[None]:
    store = session.store
    refuse_if_inactive(_existing(store, saved_id(record.id)))
    groups = list(load_opt_in(store).groups)
    record.group_name = next((g.name for g in groups if g.id == record.group_id), record.group_name)
    validate_record(record, groups, _lists(store), session.today(), session.rules)
    with store.transaction():
        store.update_record(record)
        _log(session, store, AccessKind.UPDATE, record.id)
    return done(None, Change.INDIVIDUAL)


def end_follow_up(env: OpEnv, *, session: IndividualSession, record_id: int, end_date: date) -> Done[date]:
    """The record goes to the inactive base (read-only); returns its destruction date."""
    store = session.store
    record = _existing(store, record_id)
    validate_end(record, end_date, session.today())
    with store.transaction():
        store.end_record(record_id, end_date)
        _log(session, store, AccessKind.END, record_id)
    return done(destruction_date(record.birth_date, end_date, session.rules), Change.INDIVIDUAL)


@dataclass(frozen=True)
class RecordView:
    record: FollowUpRecord
    actions: list[FollowUpAction]
    destroyed_on: date
    note_warning: str


def _consultation_reason(store: IndividualStore, record: FollowUpRecord, reason_id: int | None) -> str:
    """An inactive record is consulted only occasionally and with a reason (AU-038, art. 5)."""
    if record.active:
        return ""
    reasons = {i.id: i.label for i in store.list_items(ListKind.CONSULTATION_REASON, active_only=True)}
    if reason_id not in reasons:
        raise ValidationError({"reason_id": "Ce suivi est terminé : choisissez le motif de la consultation "
                                            "(il est inscrit au journal des accès)."})
    return reasons[reason_id]


def open_record(env: OpEnv, *, session: IndividualSession, record_id: int,
                reason_id: int | None = None) -> Done[RecordView]:
    """Every opening is written to the access log, with the reason for an inactive record."""
    store = session.store
    record = _existing(store, record_id)
    reason = _consultation_reason(store, record, reason_id)
    with store.transaction():
        _log(session, store, AccessKind.OPEN, record_id, reason)
    view = RecordView(record, store.actions(record_id),
                      destruction_date(record.birth_date, record.end_date, session.rules), session.rules.note_warning)
    return Done(view)


def log_output(env: OpEnv, *, session: IndividualSession, record_id: int, kind: AccessKind,
               reason_id: int | None = None) -> Done[None]:
    """Called before a record is printed or exported: no output without its line in the log."""
    if kind not in (AccessKind.PRINT, AccessKind.EXPORT):
        raise ValueError(kind)
    store = session.store
    record = _existing(store, record_id)
    reason = _consultation_reason(store, record, reason_id)
    with store.transaction():
        _log(session, store, kind, record_id, reason)
    return Done(None)


# ---- actions ------------------------------------------------------------------------------------------

def save_action(env: OpEnv, *, session: IndividualSession, action: FollowUpAction) -> Done[int]:
    store = session.store
    refuse_if_inactive(_existing(store, action.record_id))
    validate_action(action, _lists(store), session.rules)
    with store.transaction():
        if action.id is None:
            action.id = store.add_action(action)
        else:
            stored = store.action(action.id)
            if stored is None or stored.record_id != action.record_id:
                raise UserError("Cette action n'existe plus. Rien n'a été modifié.")
            store.update_action(action)
        _log(session, store, AccessKind.UPDATE, action.record_id)
    return done(int(action.id), Change.INDIVIDUAL)


# ---- retention ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueRecord:
    record_id: int
    destroyed_on: date
    active: bool


def due_for_purge(session: IndividualSession, within_days: int | None = None) -> list[DueRecord]:
    """What will be destroyed within `within_days` (30 by default): record numbers and dates only."""
    days = session.rules.purge_notice_days if within_days is None else within_days
    today = session.today()
    return sorted((DueRecord(saved_id(r.id), destruction_date(r.birth_date, r.end_date, session.rules), r.active)
                   for r in session.store.records()
                   if is_due(r.birth_date, r.end_date, today, session.rules, days)),
                  key=lambda d: (d.destroyed_on, d.record_id))


@dataclass(frozen=True)
class PurgeResult:
    destroyed: int
    snapshots_deleted: int
    snapshot: Path | None


def purge(env: OpEnv, *, session: IndividualSession) -> Done[PurgeResult]:
    """Destroy what is due today: rows deleted with secure_delete, the file compacted (VACUUM), every
    earlier snapshot deleted and a fresh one taken."""
    store = session.store
    now = session.clock()
    due = [d.record_id for d in due_for_purge(session, within_days=0)]
    if not due:
        return Done(PurgeResult(0, 0, None))
    with store.transaction():
        store.delete_records(due)
        for record_id in due:
            _log(session, store, AccessKind.PURGE, record_id)
        store.record_purge(now, len(due))
    store.compact()
    folder = snapshots_dir(session.paths)
    deleted = snapshots.rotate(folder, now, now, session.rules, session.paths.data_dir)
    fresh = snapshots.take_snapshot(store, folder, now)
    return done(PurgeResult(len(due), len(deleted), fresh), Change.INDIVIDUAL)


def take_snapshot(env: OpEnv, *, session: IndividualSession) -> Done[Path]:
    """A dated encrypted copy (e.g. daily or before an update), then the rotation."""
    store = session.store
    now = session.clock()
    purges = store.purges()
    folder = snapshots_dir(session.paths)
    path = snapshots.take_snapshot(store, folder, now)
    snapshots.rotate(folder, now, purges[-1][0] if purges else None, session.rules, session.paths.data_dir)
    return Done(path)


def restore_latest_snapshot(env: OpEnv, *, session: IndividualSession, passphrase: str) -> Done[Path]:
    """After a damaged store was set aside: the latest snapshot becomes the store, then it is unlocked."""
    from clspd_desktop.services.individual.session import store_path

    taken = snapshots.list_snapshots(snapshots_dir(session.paths))
    if not taken:
        raise UserError("Aucun instantané du suivi individuel n'a été trouvé : rien n'a été restauré.")
    latest = max(taken, key=taken.__getitem__)
    session.lock()
    snapshots.restore(latest, store_path(session.paths), passphrase)
    session.unlock(passphrase)
    return done(latest, Change.INDIVIDUAL)


# ---- for the DPO and the bilan ------------------------------------------------------------------------

def export_access_log(env: OpEnv, *, session: IndividualSession, target: Path) -> Done[Path]:
    store = session.store
    with store.transaction():
        _log(session, store, AccessKind.LOG_EXPORT, None)
    return Done(write_access_log_csv(store.access_log(), target))


def bilan_figures(session: IndividualSession, year: int) -> YearFigures:
    """Aggregates only: persons followed, entries, exits by group and age band, and records destroyed."""
    store = session.store
    purged = sum(n for at, n in store.purges() if at.year == year)
    return year_figures(store.records(), year, session.rules, purged)


def figures_if_unlocked(session: IndividualSession | None, year: int) -> YearFigures | None:
    """The year's aggregates for a bilan, read by the caller on the thread that owns the store's connection
    (the GUI's) before the bilan is handed to the worker: numbers only, never a name nor the key. None when
    the module is off or locked, and the bilan says « non inclus : module verrouillé »."""
    if session is None or not session.enabled or session.locked:
        return None
    try:
        return bilan_figures(session, year)
    except UserError:
        return None
