"""Sending convocations: .eml drafts (one per invitee, or one with everybody in Bcc) for the user's mail
client, or direct SMTP with one result per recipient. Built on services.mail; no Qt.

Rules that protect the user:
- the date sent is recorded per invitee, only for messages the server really accepted (drafts are only
  recorded when the user says they sent them);
- a server that refuses the connection or the login stops the sending at once with a French message,
  recording nothing more; a refused recipient is reported and the others still go;
- a confidential group's documents are never attached (they are handed out in the room);
- the .ics keeps the meeting's UID; SEQUENCE is raised when an update or a cancellation follows a sending.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from enum import StrEnum
from pathlib import Path

from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.legal_rules import LegalRules
from clspd_desktop.domain.meetings import Invitation, InvitationRole, MeetingStatus
from clspd_desktop.domain.records import saved_id
from clspd_desktop.errors import UserError
from clspd_desktop.paths import AppPaths
from clspd_desktop.safe_files import write_bytes_atomically
from clspd_desktop.services import mail
from clspd_desktop.services.invitations_ics import build_ics, ics_file_name
from clspd_desktop.services.meeting_documents import document_path, safe_file_name
from clspd_desktop.services.reports.convocations_pdf import (
    MeetingPapers,
    build_merged_convocations,
    formation_title,
    load_papers,
    meeting_date_line,
    place_lines,
    render_letter,
    safe_file_stem,
)

NO_ADDRESS = "Pas d'adresse e-mail : à envoyer par courrier."
# Progress callback: (done, total, name) -> False to stop before the next message.
Progress = Callable[[int, int, str], bool]


class Outcome(StrEnum):
    SENT = "sent"
    REFUSED = "refused"
    NO_ADDRESS = "no_address"
    NOT_SENT = "not_sent"

    @property
    def label(self) -> str:
        return {"sent": "Envoyé", "refused": "Refusé", "no_address": "Sans adresse",
                "not_sent": "Non envoyé"}[self.value]


@dataclass
class RecipientResult:
    invitation: Invitation
    outcome: Outcome
    detail: str = ""


@dataclass
class SendReport:
    results: list[RecipientResult] = field(default_factory=list)
    stopped: str = ""  # why the sending stopped before the end ('' when it went to the end)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)


@dataclass
class DraftBatch:
    folder: Path
    drafts: list[Path]
    invitations: list[Invitation]  # those a draft was written for (to record as sent once the user sent them)
    without_address: list[Invitation]


# --- content ----------------------------------------------------------------------------------------------
def _subject(papers: MeetingPapers, cancel: bool, informed: bool = False) -> str:
    what = "Annulation" if cancel else ("Information" if informed else "Convocation")
    return (f"{what} — {formation_title(papers.formation)} du {papers.council.kind.value}, "
            f"{long_date(papers.meeting.starts_at.date())}")


def _body(papers: MeetingPapers, cancel: bool, informed: bool = False) -> str:
    council, meeting = papers.council, papers.meeting
    instance = f"{formation_title(papers.formation)} du {council.kind.value} ({council.name})"
    if cancel:
        lines = [f"La réunion « {instance} » prévue le {meeting_date_line(meeting)} est annulée.",
                 "L'invitation jointe la retire de votre agenda."]
    else:
        lines = [f"Veuillez trouver ci-joint votre {'information' if informed else 'convocation'} à la réunion "
                 f"« {instance} » du {meeting_date_line(meeting)}.", *place_lines(meeting)]
        if not informed:
            deadline = (f" avant le {long_date(meeting.reply_deadline)}" if meeting.reply_deadline else "")
            lines.append(f"Merci d'indiquer{deadline} votre réponse (présence, représentation ou absence) : "
                         "répondez à l'invitation de calendrier jointe ou renvoyez le coupon-réponse.")
        if papers.formation.confidential:
            lines.append("Groupe confidentiel : les documents de travail sont remis en séance.")
    signature = [council.coordinator_name, council.coordinator_function, council.coordinator_phone,
                 council.coordinator_email]
    return "Madame, Monsieur,\n\n" + "\n".join(lines) + "\n\nCordialement,\n\n" + \
        "\n".join(s for s in signature if s and s.strip()) + "\n"


def _documents(papers: MeetingPapers, paths: AppPaths) -> list[Path]:
    """The meeting's documents as stored in the app; none for a confidential group."""
    if papers.formation.confidential:
        return []
    files = []
    for doc in papers.documents:
        stored = document_path(paths.documents_dir, doc)
        if not stored.is_file():
            raise UserError(f"Le document « {doc.original_name} » est introuvable dans le dossier des documents "
                            f"de l'application ({paths.documents_dir}). Rien n'a été envoyé.")
        # attach under the name the user knows, not the internal one
        copy = _work_folder(paths, papers) / "documents" / safe_file_name(doc.original_name)
        write_bytes_atomically(copy, stored.read_bytes())
        files.append(copy)
    return files


def _work_folder(paths: AppPaths, papers: MeetingPapers) -> Path:
    meeting = papers.meeting
    return paths.exports_dir / "convocations" / (
        f"{meeting.starts_at.strftime('%Y-%m-%d')}-{safe_file_stem(papers.formation.name, 40)}-{meeting.id}")


def _recipients(papers: MeetingPapers) -> tuple[list[Invitation], list[Invitation]]:
    invitees = papers.in_precedence()
    return [i for i in invitees if i.email.strip()], [i for i in invitees if not i.email.strip()]


def _message_for(papers: MeetingPapers, paths: AppPaths, invitation: Invitation, documents: list[Path], *,
                 cancel: bool, draft: bool, sender: str, today: date, rules: LegalRules | None) -> EmailMessage:
    folder = _work_folder(paths, papers) / safe_file_stem(invitation.name)
    informed = invitation.role is InvitationRole.INFORMED
    invitation_ics = build_ics(papers.council, papers.meeting, papers.formation, [invitation], cancel=cancel)
    ics = write_bytes_atomically(folder / ics_file_name(papers.meeting, cancel), invitation_ics)
    attachments = [ics]
    if not cancel:
        letter = write_bytes_atomically(folder / f"{'Information' if informed else 'Convocation'} - "
                                                 f"{safe_file_stem(invitation.name)}.pdf",
                                        render_letter(papers, invitation, today, rules))
        attachments = [letter, ics, *documents]
    return mail.build_message(to=invitation.email.strip(), subject=_subject(papers, cancel, informed),
                              body=_body(papers, cancel, informed), attachments=attachments, sender=sender,
                              draft=draft, calendar=invitation_ics)


def _raise_sequence_if_resent(store: Store, papers: MeetingPapers, cancel: bool) -> None:
    """Calendars only replace an invitation whose SEQUENCE went up: raise it when one already left."""
    if cancel or any(i.sent_at for i in papers.invitations):
        papers.meeting.sequence = store.meetings.bump_sequence(saved_id(papers.meeting.id))


# --- drafts -----------------------------------------------------------------------------------------------
def prepare_drafts(store: Store, paths: AppPaths, meeting_id: int, *, bcc: bool = False, cancel: bool = False,
                   today: date | None = None, rules: LegalRules | None = None) -> DraftBatch:
    """Write .eml drafts (X-Unsent: 1) in the meeting's folder under exports; nothing is recorded as sent."""
    today = today or date.today()
    papers = load_papers(store, meeting_id)
    with_address, without = _recipients(papers)
    if not with_address:
        raise UserError("Aucun invité n'a d'adresse e-mail : imprimez les convocations et envoyez-les par courrier.")
    _raise_sequence_if_resent(store, papers, cancel)
    folder = _work_folder(paths, papers)
    documents = [] if cancel else _documents(papers, paths)
    sender = papers.council.coordinator_email or papers.council.email
    stamp = "annulation" if cancel else "convocation"
    if bcc:
        drafts = [save_bcc_draft(papers, paths, with_address, documents, cancel=cancel, sender=sender,
                                 today=today, rules=rules)]
    else:
        drafts = []
        for number, invitation in enumerate(with_address, 1):
            message = _message_for(papers, paths, invitation, documents, cancel=cancel, draft=True, sender=sender,
                                   today=today, rules=rules)
            drafts.append(mail.save_draft(message, folder / f"{number:03d}-{stamp}-"
                                                            f"{safe_file_stem(invitation.name)}.eml"))
    return DraftBatch(folder, drafts, with_address, without)


def save_bcc_draft(papers: MeetingPapers, paths: AppPaths, recipients: list[Invitation], documents: list[Path], *,
                   cancel: bool, sender: str, today: date, rules: LegalRules | None) -> Path:
    """One message to the coordinator with every invitee in Bcc: the merged letters and an .ics without
    the attendee list (Bcc exists to keep the addresses private)."""
    folder = _work_folder(paths, papers)
    ics = write_bytes_atomically(folder / ics_file_name(papers.meeting, cancel),
                                 build_ics(papers.council, papers.meeting, papers.formation, [], cancel=cancel))
    attachments = [ics]
    if not cancel:
        merged = build_merged_convocations(papers, folder / "Convocations.pdf", today, rules)
        attachments = [merged, ics, *documents]
    message = mail.build_message(to=sender or "", subject=_subject(papers, cancel), body=_body(papers, cancel),
                                 attachments=attachments, sender=sender, draft=True)
    message["Bcc"] = ", ".join(i.email.strip() for i in recipients)
    return mail.save_draft(message, folder / f"{'annulation' if cancel else 'convocations'}-cci.eml")


def record_drafts_sent(store: Store, batch: DraftBatch, when: datetime | None = None) -> None:
    """The user confirms the drafts left: record the date for each invitee they were written for."""
    ids = [i.id for i in batch.invitations if i.id is not None]
    store.meetings.mark_sent(ids, when or datetime.now())


# --- SMTP -------------------------------------------------------------------------------------------------
def _recipient_refused(error: UserError) -> bool:
    """A refused address concerns one recipient; anything else (down, login, policy) concerns them all."""
    return isinstance(error.__cause__, smtplib.SMTPRecipientsRefused)


def send_by_smtp(store: Store, paths: AppPaths, meeting_id: int, smtp: mail.SmtpSettings, password: str | None, *,
                 cancel: bool = False, progress: Progress | None = None, today: date | None = None,
                 rules: LegalRules | None = None, timeout: float = 20, now: Callable[[], datetime] = datetime.now,
                 ) -> SendReport:
    """Send one message per invitee; each accepted message is recorded as sent at once (a crash keeps it)."""
    if not smtp.configured:
        raise UserError("Aucun compte d'envoi n'est configuré : renseignez le serveur et l'adresse d'envoi, "
                        "ou préparez des brouillons à ouvrir dans votre messagerie.")
    if smtp.clear_text_login:  # before anything is prepared: no password in clear, not even for the first
        raise UserError(f"{mail.CLEAR_TEXT_LOGIN} Aucune convocation n'est partie.")
    today = today or date.today()
    papers = load_papers(store, meeting_id)
    with_address, without = _recipients(papers)
    report = SendReport(results=[RecipientResult(i, Outcome.NO_ADDRESS, NO_ADDRESS) for i in without])
    if not with_address:
        report.stopped = "Aucun invité n'a d'adresse e-mail."
        return report
    documents = [] if cancel else _documents(papers, paths)
    _raise_sequence_if_resent(store, papers, cancel)
    pending = list(with_address)
    for done, invitation in enumerate(with_address):
        if progress is not None and not progress(done, len(with_address), invitation.name):
            report.stopped = "Envoi interrompu par l'utilisateur."
            break
        message = _message_for(papers, paths, invitation, documents, cancel=cancel, draft=False,
                               sender=smtp.sender, today=today, rules=rules)
        try:
            mail.send_smtp(message, smtp, password, timeout=timeout)
        except UserError as exc:
            if not _recipient_refused(exc):
                report.stopped = exc.message
                break
            report.results.append(RecipientResult(invitation, Outcome.REFUSED, exc.message))
            pending.remove(invitation)
            continue
        if not cancel:
            store.meetings.mark_sent([saved_id(invitation.id)], now())
        report.results.append(RecipientResult(invitation, Outcome.SENT))
        pending.remove(invitation)
    if progress is not None and not report.stopped:
        progress(len(with_address), len(with_address), "")
    report.results += [RecipientResult(i, Outcome.NOT_SENT, report.stopped) for i in pending]
    return report


# --- cancellation -----------------------------------------------------------------------------------------
def cancel_meeting(store: Store, meeting_id: int) -> None:
    """Mark the meeting cancelled (the row stays: history, and the notices to send)."""
    meeting = store.meetings.get_meeting(meeting_id)
    if meeting is None:
        raise UserError("Cette réunion n'existe plus.")
    if meeting.status is MeetingStatus.HELD:
        raise UserError("Cette réunion a déjà eu lieu : elle ne peut plus être annulée.")
    store.meetings.cancel(meeting_id)
