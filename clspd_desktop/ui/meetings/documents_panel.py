"""Convocations et envoi: the meeting's printed documents (convocations, sign-in sheet, compte rendu), the
e-mail drafts or the SMTP sending with one result per recipient, the cancellation notice, and the
late-convocation flag against the notice period. Documents and sending run on the worker with a progress
window; the counters follow the dispatcher (inviting 90 people updates « envoyées : 0 sur 90 » at once)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date, short_date
from clspd_desktop.domain.meetings import InvitationRole, MeetingStatus, latest_sending_date
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError
from clspd_desktop.services import convocation_sending as sending
from clspd_desktop.services import mail
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.file_export import PrintSwitch, choose_target, print_on_worker
from clspd_desktop.ui.widgets.flow_layout import FlowLayout

PDF_FILTER = "Documents PDF (*.pdf)"


class MeetingDocumentsPanel(QWidget):
    def __init__(self, ctx: AppContext, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        layout = QVBoxLayout(self)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.notice)

        printed = QGroupBox("Documents à imprimer")
        grid = QGridLayout(printed)
        self.convocations_button = QPushButton("Convocations (PDF)…")
        self.signin_button = QPushButton("Feuille d'émargement (PDF)…")
        self.minutes_button = QPushButton("Compte rendu (PDF)…")
        for column, button in enumerate((self.convocations_button, self.signin_button, self.minutes_button)):
            grid.addWidget(button, 0, column)
        # « Imprimer » under each: the same document sent to the printer
        self.print_buttons = [QPushButton("Imprimer") for _ in range(3)]
        for column, button in enumerate(self.print_buttons):
            button.setToolTip("Produire ce document et l'envoyer à l'imprimante par défaut")
            grid.addWidget(button, 1, column)
        self.printing = PrintSwitch()
        layout.addWidget(printed)

        mailing = QGroupBox("Envoi par e-mail")
        mail_layout = QVBoxLayout(mailing)
        row = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        row.addWidget(QLabel("Brouillons :"))
        self.draft_mode = QComboBox()
        self.draft_mode.addItem("Un message par invité", False)
        self.draft_mode.addItem("Un seul message, invités en copie cachée (Cci)", True)
        row.addWidget(self.draft_mode, 1)
        self.drafts_button = QPushButton("Préparer les e-mails (brouillons .eml)…")
        self.smtp_button = QPushButton("Envoyer par SMTP…")
        row.addWidget(self.drafts_button)
        row.addWidget(self.smtp_button)
        mail_layout.addLayout(row)
        self.cancel_button = QPushButton("Annuler la réunion et prévenir")
        cancel_row = QHBoxLayout()
        cancel_row.addStretch(1)
        cancel_row.addWidget(self.cancel_button)
        mail_layout.addLayout(cancel_row)
        layout.addWidget(mailing)

        self.results_caption = QLabel("Résultat du dernier envoi")
        self.results = QTableWidget(0, 4)
        self.results.setAccessibleName("Résultat de l'envoi")
        self.results.setHorizontalHeaderLabels(["Invité", "Adresse", "Résultat", "Détail"])
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().setVisible(False)
        self.results.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((240, 230, 110)):
            self.results.setColumnWidth(column, width)
        layout.addWidget(self.results_caption)
        layout.addWidget(self.results, 100)
        layout.addStretch(1)  # until a sending's results show, the boxes keep their height at the top
        self.results_caption.setVisible(False)
        self.results.setVisible(False)

        self.convocations_button.clicked.connect(self.save_convocations)
        self.signin_button.clicked.connect(self.save_signin_sheet)
        self.minutes_button.clicked.connect(self.save_minutes)
        for button, save in zip(self.print_buttons, (self.save_convocations, self.save_signin_sheet,
                                                     self.save_minutes), strict=True):
            button.clicked.connect(lambda _=False, save=save: self.printing.run(save))
        self.drafts_button.clicked.connect(self.prepare_drafts)
        self.smtp_button.clicked.connect(self.send_smtp)
        self.cancel_button.clicked.connect(self.cancel_and_notify)
        self.last_report: sending.SendReport | None = None
        ctx.runner.dispatcher.subscribe(self, {Change.MEETINGS, Change.INVITATIONS, Change.SETTINGS,
                                               Change.FORMATIONS}, self._on_changes)
        self.refresh()

    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    # --- state ---------------------------------------------------------------------------------------
    def refresh(self, today: date | None = None) -> None:
        """The notice-period line: last day to send, sent so far, late or not."""
        today = today or date.today()
        meeting = self.ctx.store.meetings.get_meeting(self.meeting_id)
        formation = self.ctx.store.formations.get(meeting.formation_id) if meeting else None
        if meeting is None or formation is None:
            self.notice.setText("Cette réunion n'existe plus.")
            self.setEnabled(False)
            return
        days = self.ctx.store.meetings.notice_days(formation.kind)
        latest = latest_sending_date(meeting.starts_at.date(), days)
        convened = [i for i in self.ctx.store.meetings.invitations(self.meeting_id)
                    if i.role is InvitationRole.INVITED and not i.walk_in]
        sent = [i for i in convened if i.sent_at]
        late_sent = [i for i in sent if i.sent_at.date() > latest]
        unsent = len(convened) - len(sent)
        text = (f"Délai de convocation : {days} jours francs — date limite d'envoi : {long_date(latest)}. "
                f"Convocations envoyées : {len(sent)} sur {len(convened)}.")
        late = False
        if meeting.status is MeetingStatus.CANCELLED:
            text = "Réunion annulée : prévenez les invités avec « Annuler la réunion et prévenir »."
        elif meeting.starts_at.date() >= today and unsent and today > latest:
            text += f"\nEN RETARD : {plural(unsent, 'convocation non envoyée', 'convocations non envoyées', feminine=True)} alors que la date limite est passée."
            late = True
        if late_sent and meeting.status is not MeetingStatus.CANCELLED:
            text += f"\n{plural(len(late_sent), 'convocation envoyée', 'convocations envoyées', feminine=True)} après la date limite."
            late = True
        self.late = late
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {theme.colours().error}; font-weight: bold;" if late
                                  else f"color: {theme.colours().success};")
        self.cancel_button.setEnabled(meeting.status is not MeetingStatus.HELD)

    # --- printed documents ---------------------------------------------------------------------------
    def _save_pdf(self, title: str, stem: str, write: Callable[..., object], done: str) -> bool:
        """Ask where, then write on the worker; True when the work started."""
        meeting = self.ctx.store.meetings.get_meeting(self.meeting_id)
        day = meeting.starts_at.date() if meeting else None
        if self.printing.on:
            return print_on_worker(self, self.ctx, title.replace("(PDF)", "(impression)"), stem,
                                   lambda target: partial(write, meeting_id=self.meeting_id, target=target),
                                   label=f"{title}…", day=day)
        target = choose_target(self, self.ctx.paths.exports_dir, title, stem, ".pdf", PDF_FILTER, day)
        if target is None:
            return False
        return self.ctx.runner.start(
            partial(write, meeting_id=self.meeting_id, target=target), parent=self, label=f"{title}…",
            cancellable=True, on_success=lambda written: messages.inform(self, title, f"{done}\n{written}"))

    def save_convocations(self) -> bool:
        return self._save_pdf(
            "Convocations (PDF)", "convocations", ops.write_convocations,
            "Les convocations (une lettre par invité, dans l'ordre protocolaire) sont enregistrées dans :")

    def save_signin_sheet(self) -> bool:
        return self._save_pdf("Feuille d'émargement (PDF)", "feuille-emargement", ops.write_signin_sheet,
                              "La feuille d'émargement est enregistrée dans :")

    def save_minutes(self) -> bool:
        meeting = self.ctx.store.meetings.get_meeting(self.meeting_id)
        formation = self.ctx.store.formations.get(meeting.formation_id) if meeting else None
        done = "Le compte rendu est enregistré dans :"
        if formation is not None and formation.confidential:
            done = ("Relevé de conclusions CONFIDENTIEL : ne le transmettez pas hors du groupe et ne le joignez "
                    "à aucun envoi. Il est enregistré dans :")
        return self._save_pdf("Compte rendu (PDF)", "compte-rendu", ops.write_minutes_pdf, done)

    # --- e-mail --------------------------------------------------------------------------------------
    def _draft_batch(self, cancel: bool, then: Callable[[sending.DraftBatch], None] | None = None) -> bool:
        """Write the drafts on the worker, open them, say where they are; then `then(batch)`."""

        def ready(batch: sending.DraftBatch) -> None:
            missing = ""
            if batch.without_address:
                names = ", ".join(i.name for i in batch.without_address)
                missing = f"\n\nSans adresse e-mail (à envoyer par courrier) : {names}."
            try:
                mail.open_with_system(batch.drafts[0] if len(batch.drafts) == 1 else batch.folder)
            except UserError as exc:
                messages.show_error(self, exc)
            messages.inform(self, "Brouillons prêts",
                            f"{plural(len(batch.drafts), 'brouillon enregistré', 'brouillons enregistrés')} dans :\n"
                            f"{batch.folder}\n"
                            "Ouvrez-les dans votre messagerie puis envoyez-les." + missing)
            if then is not None:
                then(batch)

        return self.ctx.runner.start(
            partial(ops.prepare_drafts, meeting_id=self.meeting_id, bcc=bool(self.draft_mode.currentData()),
                    cancel=cancel),
            parent=self, label="Préparation des brouillons…", on_success=ready)

    def prepare_drafts(self) -> bool:
        return self._draft_batch(cancel=False, then=self._ask_sent_date)

    def _ask_sent_date(self, batch: sending.DraftBatch) -> None:
        if messages.confirm(
                self, "Date d'envoi",
                f"Une fois les messages envoyés depuis votre messagerie, enregistrer aujourd'hui comme date "
                f"d'envoi pour {plural(len(batch.invitations), 'invité')} ?", "Enregistrer la date d'envoi"):
            self.ctx.runner.run(partial(ops.record_drafts_sent, batch=batch), parent=self)

    def _smtp_account(self) -> tuple[mail.SmtpSettings, str | None] | None:
        smtp = mail.SmtpSettings.load(self.ctx.store.settings)
        if not smtp.configured:
            messages.warn(self, "Envoi par SMTP",
                          "Aucun compte d'envoi n'est configuré (serveur et adresse d'envoi). Préparez plutôt les "
                          "brouillons, ou renseignez le compte dans Réunions › « Compte d'envoi (SMTP)… ».")
            return None
        try:
            return smtp, mail.smtp_password()
        except UserError as exc:
            messages.show_error(self, exc)
            return None

    def send_smtp(self, cancel: bool = False) -> bool:
        """Send on the worker, one message per invitee; « Annuler » stops before the next one."""
        account = self._smtp_account()
        if account is None:
            return False
        smtp, password = account
        what = "l'annulation" if cancel else "les convocations"
        if not messages.confirm(self, "Envoi par SMTP",
                                f"Envoyer {what} à chaque invité par le serveur {smtp.host} ?", "Envoyer"):
            return False
        return self.ctx.runner.start(
            partial(ops.send_by_smtp, meeting_id=self.meeting_id, smtp=smtp, password=password, cancel=cancel),
            parent=self, label="Envoi par e-mail…", cancellable=True, on_success=self._sent)

    def _sent(self, report: sending.SendReport) -> None:
        self.last_report = report
        self.show_report(report)
        sent = report.count(sending.Outcome.SENT)
        summary = f"{plural(sent, 'message envoyé', 'messages envoyés')} sur {plural(len(report.results), 'invité')}."
        if report.stopped:
            messages.warn(self, "Envoi interrompu", f"{report.stopped}\n{summary} Les autres n'ont pas été "
                                                   "envoyés et ne sont pas notés comme envoyés.")
        else:
            messages.inform(self, "Envoi terminé", summary)

    def show_report(self, report: sending.SendReport) -> None:
        self.results.setRowCount(len(report.results))
        for row, result in enumerate(report.results):
            values = (result.invitation.name, result.invitation.email, result.outcome.label, result.detail)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value[:600])
                self.results.setItem(row, column, item)
        self.results_caption.setText(f"Résultat de l'envoi du {short_date(date.today())} à "
                                     f"{datetime.now().strftime('%H:%M')}")
        self.results_caption.setVisible(True)
        self.results.setVisible(True)

    # --- cancellation --------------------------------------------------------------------------------
    def cancel_and_notify(self) -> None:
        meeting = self.ctx.store.meetings.get_meeting(self.meeting_id)
        if meeting is None:
            return
        if meeting.status is not MeetingStatus.CANCELLED:
            if not messages.confirm(self, "Annuler la réunion",
                                    f"Annuler la réunion du {long_date(meeting.starts_at.date())} et prévenir les "
                                    "invités ? Elle reste dans l'historique.", "Annuler la réunion"):
                return
            if self.ctx.runner.run(partial(ops.cancel_meeting, meeting_id=self.meeting_id), parent=self) is None:
                return
        if mail.SmtpSettings.load(self.ctx.store.settings).configured:
            self.send_smtp(cancel=True)
        else:
            self._draft_batch(cancel=True)
