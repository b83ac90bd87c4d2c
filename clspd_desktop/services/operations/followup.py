"""Operations of the decisions follow-up: change an item's status or comment, name its referent, send
reminders (the e-mail drafts are written on the worker; the date each was sent is remembered)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clspd_desktop.domain.followup import FollowUpStatus, reminders
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done


def update_item(env: OpEnv, item_id: int, status: FollowUpStatus, comment: str,
                today: date | None = None) -> Done[None]:
    """Set the status and comment; « Fait » dates the item (kept if it was already done)."""
    comment = " ".join(comment.split()) if "\n" not in comment else comment.strip()
    if len(comment) > 2000:
        raise ValidationError({"comment": "Le commentaire est trop long (2 000 caractères au plus)."})
    with env.store.transaction():
        item = env.store.followup.item(item_id)
        if item is None:
            raise UserError("Cette suite à donner n'existe plus (supprimée avec sa réunion ?). Rien n'a été "
                            "modifié.")
        stored, progress = status.stored()
        done_on = (item.done_on or today or date.today()) if status is FollowUpStatus.DONE else None
        env.store.followup.update(item_id, stored, progress, comment, done_on)
    return done(None, Change.MINUTES)


def set_referent(env: OpEnv, item_id: int, contact_id: int | None) -> Done[None]:
    with env.store.transaction():
        env.store.followup.set_responsible_contact(item_id, contact_id)
    return done(None, Change.MINUTES)


@dataclass(frozen=True)
class RemindersWritten:
    drafts: list[Path]
    people: int
    unreachable: int


def write_reminders(env: OpEnv, folder: Path, today: date | None = None) -> Done[RemindersWritten]:
    """One .eml draft per referent with overdue or upcoming items, then the date they were reminded."""
    from clspd_desktop.services.followup_reminders import write_reminder_draft

    today = today or date.today()
    council = env.store.council.get()
    if council is None:
        raise UserError("Décrivez d'abord le conseil (écran « Conseil »).")
    pending, unreachable = reminders(env.store.followup.items(), today)
    if not pending:
        raise UserError("Aucune relance à préparer : aucune suite à donner en retard ou à échéance dans les "
                        "30 jours n'a de référent avec une adresse électronique.")
    drafts = []
    for number, reminder in enumerate(pending, start=1):
        env.progress.report(number - 1, len(pending), f"Relance de {reminder.name}")
        contact = env.store.directory.get_contact(reminder.contact_id)
        drafts.append(write_reminder_draft(council, reminder, folder, today, contact))
    with env.store.transaction():
        env.store.followup.mark_reminded([i.id for r in pending for i in (*r.overdue, *r.upcoming)], today)
    return done(RemindersWritten(drafts, len(pending), len(unreachable)), Change.MINUTES)
