"""Convocations et envoi: the meeting's printed documents (convocations, sign-in sheet, compte rendu), the
e-mail drafts or the SMTP sending with one result per recipient, the cancellation notice, and the
late-convocation flag against the notice period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
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
from clspd_desktop.services.reports.convocations_pdf import build_merged_convocations, load_papers
from clspd_desktop.services.reports.minutes_pdf import build_minutes_pdf, load_minutes
from clspd_desktop.services.reports.signin_sheet_pdf import build_signin_sheet
from clspd_desktop.ui import messages
from clspd_desktop.ui.file_export import PrintSwitch, print_document, produce_file

PDF_FILTER = "Documents PDF (*.pdf)"
LATE_STYLE = "color: #a61b1b; font-weight: bold;"
OK_STYLE = "color: #1d5e2c;"


class MeetingDocumentsPanel(QWidget):
    changed = Signal()  # sent dates or status changed

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
        row = QHBoxLayout()
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
        self.results.setHorizontalHeaderLabels(["Invité", "Adresse", "Résultat", "Détail"])
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().setVisible(False)
        self.results.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((240, 230, 110)):
            self.results.setColumnWidth(column, width)
        layout.addWidget(self.results_caption)
        layout.addWidget(self.results, 1)
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
        self.notice.setStyleSheet(LATE_STYLE if late else OK_STYLE)
        self.cancel_button.setEnabled(meeting.status is not MeetingStatus.HELD)

    # --- printed documents ---------------------------------------------------------------------------
    def _save_pdf(self, title: str, stem: str, write: Callable[[Path], Path], done: str) -> Path | None:
        meeting = self.ctx.store.meetings.get_meeting(self.meeting_id)
        day = meeting.starts_at.date() if meeting else None
        if self.printing.on:
            return print_document(self, self.ctx.paths.exports_dir, title.replace("(PDF)", "(impression)"), stem,
                                  write, day)
        return produce_file(self, self.ctx.paths.exports_dir, title, stem, ".pdf", PDF_FILTER, write, done, day)

    def save_convocations(self) -> Path | None:
        return self._save_pdf(
            "Convocations (PDF)", "convocations",
            lambda p: build_merged_convocations(load_papers(self.ctx.store, self.meeting_id), p, rules=self.ctx.rules),
            "Les convocations (une lettre par invité, dans l'ordre protocolaire) sont enregistrées dans :")

    def save_signin_sheet(self) -> Path | None:
        return self._save_pdf(
            "Feuille d'émargement (PDF)", "feuille-emargement",
            lambda p: build_signin_sheet(load_papers(self.ctx.store, self.meeting_id), p),
            "La feuille d'émargement est enregistrée dans :")

    def save_minutes(self) -> Path | None:
        def write(path: Path) -> Path:
            papers, content = load_minutes(self.ctx.store, self.meeting_id)
            return build_minutes_pdf(papers, content, path)

        papers = load_papers(self.ctx.store, self.meeting_id)
        done = "Le compte rendu est enregistré dans :"
        if papers.formation.confidential:
            done = ("Relevé de conclusions CONFIDENTIEL : ne le transmettez pas hors du groupe et ne le joignez "
                    "à aucun envoi. Il est enregistré dans :")
        return self._save_pdf("Compte rendu (PDF)", "compte-rendu", write, done)

    # --- e-mail --------------------------------------------------------------------------------------
    def _draft_batch(self, cancel: bool) -> sending.DraftBatch | None:
        try:
            batch = sending.prepare_drafts(self.ctx.store, self.ctx.paths, self.meeting_id,
                                           bcc=bool(self.draft_mode.currentData()), cancel=cancel,
                                           rules=self.ctx.rules)
        except UserError as exc:
            messages.show_error(self, exc)
            return None
        missing = ""
        if batch.without_address:
            names = ", ".join(i.name for i in batch.without_address)
            missing = f"\n\nSans adresse e-mail (à envoyer par courrier) : {names}."
        try:
            mail.open_with_system(batch.drafts[0] if len(batch.drafts) == 1 else batch.folder)
        except UserError as exc:
            messages.show_error(self, exc)
        messages.inform(self, "Brouillons prêts",
                        f"{plural(len(batch.drafts), 'brouillon enregistré', 'brouillons enregistrés')} dans :\n{batch.folder}\n"
                        "Ouvrez-les dans votre messagerie puis envoyez-les." + missing)
        return batch

    def prepare_drafts(self) -> sending.DraftBatch | None:
        batch = self._draft_batch(cancel=False)
        if batch is not None and messages.confirm(
                self, "Date d'envoi",
                f"Une fois les messages envoyés depuis votre messagerie, enregistrer aujourd'hui comme date "
                f"d'envoi pour {plural(len(batch.invitations), 'invité')} ?", "Enregistrer la date d'envoi"):
            sending.record_drafts_sent(self.ctx.store, batch)
            self._changed()
        return batch

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

    def send_smtp(self, cancel: bool = False) -> sending.SendReport | None:
        account = self._smtp_account()
        if account is None:
            return None
        smtp, password = account
        what = "l'annulation" if cancel else "les convocations"
        if not messages.confirm(self, "Envoi par SMTP",
                                f"Envoyer {what} à chaque invité par le serveur {smtp.host} ?", "Envoyer"):
            return None
        progress = QProgressDialog("Envoi en cours…", "Arrêter", 0, 1, self)
        progress.setWindowTitle("Envoi par e-mail")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)

        def step(done: int, total: int, name: str) -> bool:
            progress.setMaximum(max(total, 1))
            progress.setValue(done)
            progress.setLabelText(f"Envoi à {name}… ({done + 1} sur {total})" if name else "Envoi terminé.")
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            report = sending.send_by_smtp(self.ctx.store, self.ctx.paths, self.meeting_id, smtp, password,
                                          cancel=cancel, progress=step, rules=self.ctx.rules)
        except UserError as exc:
            messages.show_error(self, exc)
            return None
        finally:
            progress.close()
        self.show_report(report)
        self._changed()
        sent = report.count(sending.Outcome.SENT)
        summary = f"{plural(sent, 'message envoyé', 'messages envoyés')} sur {plural(len(report.results), 'invité')}."
        if report.stopped:
            messages.warn(self, "Envoi interrompu", f"{report.stopped}\n{summary} Les autres n'ont pas été "
                                                   "envoyés et ne sont pas notés comme envoyés.")
        else:
            messages.inform(self, "Envoi terminé", summary)
        return report

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
            try:
                sending.cancel_meeting(self.ctx.store, self.meeting_id)
            except UserError as exc:
                messages.show_error(self, exc)
                return
            self._changed()
        if mail.SmtpSettings.load(self.ctx.store.settings).configured:
            self.send_smtp(cancel=True)
        else:
            self._draft_batch(cancel=True)

    def _changed(self) -> None:
        self.refresh()
        self.changed.emit()
