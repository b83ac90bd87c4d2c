"""The reminder e-mail to one referent: their overdue items and those due within 30 days, as an .eml
draft the coordinator reviews in their mail client before sending."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from clspd_desktop.domain.civility import Addressee, civility_forms
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date, short_date
from clspd_desktop.domain.directory import Contact
from clspd_desktop.domain.followup import FollowUpItem, Reminder
from clspd_desktop.services.mail import build_message, save_draft


def _line(item: FollowUpItem) -> str:
    due = f" — échéance {short_date(item.due_date)}" if item.due_date else ""
    origin = f"{item.formation_name}, réunion du {short_date(item.meeting_day)}"
    return f"• {item.text}{due}\n  ({origin}){' — ' + item.comment if item.comment else ''}"


def greeting(contact: Contact | None) -> str:
    """« Bonjour Monsieur Fabre, » (or the person's title), « Madame, Monsieur, » when not known."""
    if contact is None:
        return civility_forms().greeting(Addressee(), "")
    person = Addressee(civility=contact.civility, appellation=contact.appellation, function=contact.function)
    return civility_forms().greeting(person, contact.last_name)


def reminder_body(council: Council, reminder: Reminder, today: date, contact: Contact | None = None) -> str:
    parts = [greeting(contact), "",
             f"Voici le point, au {long_date(today)}, des suites à donner qui vous ont été confiées en réunion "
             f"du {council.kind.value} {council.of_name}."]
    if reminder.overdue:
        parts += ["", "Échéance dépassée :", *(_line(i) for i in reminder.overdue)]
    if reminder.upcoming:
        parts += ["", "À échéance dans les 30 prochains jours :", *(_line(i) for i in reminder.upcoming)]
    ask = ("Merci de me faire savoir où elle en est, ou si elle peut être close."
           if len(reminder.overdue) + len(reminder.upcoming) == 1
           else "Merci de me faire savoir où en est chacune, ou si elle peut être close.")
    parts += ["", ask, "",
              "Bien cordialement,", council.coordinator_name or council.chair_name,
              council.coordinator_function or council.chair_title]
    return "\n".join(p for p in parts if p is not None)


def _file_name(name: str) -> str:
    return re.sub(r"[^\w-]+", "-", name, flags=re.UNICODE).strip("-")[:60] or "referent"


def write_reminder_draft(council: Council, reminder: Reminder, folder: Path, today: date,
                         contact: Contact | None = None) -> Path:
    """`contact` (the referent's record) gives the greeting its civility or title."""
    subject = f"{council.kind.value} {council.of_name} — suites à donner : point au {short_date(today)}"
    message = build_message(to=reminder.email, subject=subject,
                            body=reminder_body(council, reminder, today, contact),
                            sender=council.coordinator_email or council.email)
    return save_draft(message, folder / f"relance-{_file_name(reminder.name)}-{today.isoformat()}.eml")
