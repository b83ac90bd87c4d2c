"""« Diffuser le compte rendu »: one e-mail draft per participant the user ticks (present, represented,
excused), with the minutes as a PDF. A confidential group's conclusions never leave the PC by e-mail: they
can only be printed, and the refusal says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.meetings import Attendance, Invitation
from clspd_desktop.errors import UserError
from clspd_desktop.services.mail import build_message, save_draft

DISTRIBUTED = (Attendance.PRESENT, Attendance.REPRESENTED, Attendance.EXCUSED)
CONFIDENTIAL_REFUSAL = (
    "Le relevé de conclusions d'un groupe de travail confidentiel ne s'envoie pas par courriel (article L132-5 "
    "du code de la sécurité intérieure et charte déontologique) : imprimez-le et remettez-le aux seuls membres "
    "signataires de la charte. Aucun courriel n'a été préparé.")


@dataclass(frozen=True)
class Recipient:
    invitation_id: int
    name: str
    organisation: str
    email: str
    attendance: Attendance


def recipients(store: Store, meeting_id: int) -> list[Recipient]:
    """Who may receive the minutes: participants present, represented or excused (absent ones are not
    offered), with the address they were convened at; refused for a confidential group."""
    meeting = store.meetings.get_meeting(meeting_id)
    if meeting is None:
        raise UserError("Cette réunion n'existe plus.")
    formation = store.formations.get(meeting.formation_id)
    if formation is not None and formation.confidential:
        raise UserError(CONFIDENTIAL_REFUSAL)
    invitations: list[Invitation] = store.meetings.invitations(meeting_id)
    return [Recipient(i.id or 0, i.name, i.organisation_name, i.email, i.attendance)
            for i in sorted(invitations, key=lambda i: i.precedence)
            if i.attendance in DISTRIBUTED]


def write_minutes_drafts(store: Store, meeting_id: int, chosen: list[int], folder: Path,
                         today: date | None = None) -> list[Path]:
    """The minutes PDF, then one .eml draft per chosen participant with an address; the list of drafts."""
    from clspd_desktop.services.reports.minutes_pdf import build_minutes_pdf, load_minutes

    offered = {r.invitation_id: r for r in recipients(store, meeting_id)}
    targets = [offered[i] for i in chosen if i in offered and offered[i].email]
    if not targets:
        raise UserError("Aucun des participants choisis n'a d'adresse électronique : aucun courriel n'a été "
                        "préparé.")
    papers, content = load_minutes(store, meeting_id)
    day = papers.meeting.starts_at.date()
    pdf = build_minutes_pdf(papers, content, folder / f"compte-rendu-{day.isoformat()}.pdf", today=today)
    council = papers.council
    title = f"{papers.formation.display_name} du {long_date(day)}"
    drafts = []
    for recipient in targets:
        body = (f"Madame, Monsieur,\n\nVous trouverez ci-joint le compte rendu de la réunion « {title} » du "
                f"{council.kind.value} {council.of_name}.\n\nBien cordialement,\n"
                f"{council.coordinator_name or council.chair_name}\n"
                f"{council.coordinator_function or council.chair_title}")
        message = build_message(to=recipient.email, subject=f"Compte rendu — {title}", body=body,
                                attachments=[pdf], sender=council.coordinator_email or council.email)
        safe_name = "".join(c if c.isalnum() else "-" for c in recipient.name).strip("-")[:50] or "participant"
        drafts.append(save_draft(message, folder / f"compte-rendu-{day.isoformat()}-{safe_name}.eml"))
    return drafts
