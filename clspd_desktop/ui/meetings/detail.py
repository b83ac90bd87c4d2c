"""One meeting: its summary and actions (modifier, reporter, annuler, supprimer), then tabs for invitees,
live attendance, minutes, attached documents, convocations and sending. Each tab follows the dispatcher;
closing the window with unsaved minutes asks first."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.meetings import MeetingStatus, day_warnings
from clspd_desktop.domain.text import plural
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import meeting_copies as copies
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.meetings.attendance_view import AttendanceView
from clspd_desktop.ui.meetings.common import meeting_heading
from clspd_desktop.ui.meetings.documents_panel import MeetingDocumentsPanel
from clspd_desktop.ui.meetings.documents_tab import DocumentsTab
from clspd_desktop.ui.meetings.invitees_tab import InviteesTab
from clspd_desktop.ui.meetings.meeting_dialog import MeetingDialog
from clspd_desktop.ui.meetings.minutes_editor import MinutesEditor
from clspd_desktop.ui.meetings.small_dialogs import DuplicateDialog, PostponeDialog
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.flow_layout import FlowLayout


class MeetingDetail(QDialog):
    def __init__(self, ctx: AppContext, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.open_next: int | None = None  # a copy just made: the meetings area opens it once this one closes
        self.resize(1200, 800)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        theme.set_relative_size(self.heading, 1.35, bold=True)
        layout.addWidget(self.heading)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(self.details)
        row = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the dialog off the screen
        self.edit_button = QPushButton("Modifier…")
        self.duplicate_button = QPushButton("Dupliquer…")
        self.postpone_button = QPushButton("Reporter…")
        self.cancel_button = QPushButton("Annuler la réunion")
        self.held_button = QPushButton("Marquer comme tenue")
        self.delete_button = QPushButton("Supprimer")
        self.fullscreen_button = QPushButton("Plein écran (F11)")
        self.actions = (self.edit_button, self.duplicate_button, self.postpone_button, self.cancel_button, self.held_button,
                        self.delete_button)
        for button in self.actions:
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.fullscreen_button)
        layout.addLayout(row)
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(True)
        layout.addWidget(self.tabs, 1)
        self.invitees = InviteesTab(ctx, meeting_id)
        self.attendance = AttendanceView(ctx, meeting_id)
        self.minutes = MinutesEditor(ctx, meeting_id)
        self.documents = DocumentsTab(ctx, meeting_id)
        self.tabs.addTab(self.invitees, "Invités et réponses")
        self.tabs.addTab(self.attendance, "Présence en séance")
        self.tabs.addTab(self.minutes, "Compte rendu")
        self.tabs.addTab(self.documents, "Documents joints")
        self.sending = MeetingDocumentsPanel(ctx, meeting_id)
        self.tabs.addTab(self.sending, "Convocations et envoi")
        self.tabs.currentChanged.connect(self._tab_shown)
        self.edit_button.clicked.connect(self.edit)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.postpone_button.clicked.connect(self.postpone)
        self.cancel_button.clicked.connect(self.cancel_meeting)
        self.held_button.clicked.connect(lambda: self._set_status(MeetingStatus.HELD))
        self.delete_button.clicked.connect(self.delete)
        self.fullscreen_button.clicked.connect(self.toggle_full_screen)
        QShortcut(QKeySequence(Qt.Key.Key_F11), self, self.toggle_full_screen)
        ctx.runner.dispatcher.subscribe(self, {Change.MEETINGS, Change.FORMATIONS}, self._on_changes)
        self.refresh()

    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    def refresh(self) -> None:
        meeting = self.ctx.store.meetings.get_meeting(self.meeting_id)
        for widget in (self.tabs, *self.actions):
            widget.setEnabled(meeting is not None)
        if meeting is None:  # deleted (or a restore without it): nothing left to show, the window still closes
            self.heading.setText("Cette réunion n'existe plus.")
            self.details.setText("")
            return
        formation = self.ctx.store.formations.get(meeting.formation_id)
        mark = "Confidentiel — " if formation and formation.confidential else ""
        self.heading.setText(mark + meeting_heading(meeting, formation))
        self.setWindowTitle(meeting_heading(meeting, formation))
        parts = [f"Statut : {meeting.status.label}"]
        if meeting.place:
            parts.append(f"Lieu : {meeting.place}")
        if meeting.video_link:
            parts.append(f"Visioconférence : {meeting.video_link}")
        if meeting.de_droit:
            parts.append(f"Réunion de droit ({meeting.de_droit_requester.label.lower()})")
        if meeting.prefect_presentation:
            parts.append("Présentation du préfet")
        if meeting.series_id:
            parts.append("Fait partie d'une série")
        warnings = day_warnings(meeting.starts_at.date(), copies.zone(self.ctx.store))
        self.details.setText("\n".join([" · ".join(parts), *warnings]))
        cancelled = meeting.status is MeetingStatus.CANCELLED
        self.cancel_button.setEnabled(not cancelled)
        self.held_button.setEnabled(meeting.status is not MeetingStatus.HELD and not cancelled)

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.attendance:
            self.attendance.filter.setFocus()

    # --- closing: typed minutes are never lost ------------------------------------------------------
    def can_close(self) -> bool:
        """True when the window may close: no work of its own still running (its result comes back here),
        no unsaved minutes, or the user saved or discarded them."""
        return not self.ctx.runner.refuse_if_busy(self) and self.minutes.can_leave()

    def reject(self) -> None:
        if self.can_close():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        event.ignore()
        self.reject()

    # --- actions ------------------------------------------------------------------------------------
    def edit(self) -> None:
        modal.run(MeetingDialog(self.ctx, self.ctx.store.meetings.get_meeting(self.meeting_id), parent=self))

    def duplicate(self) -> None:
        """Copy the meeting to a new day, then close this window for the copy's (typed minutes asked first)."""
        dialog = DuplicateDialog(self.ctx, self.ctx.store.meetings.get_meeting(self.meeting_id), self)
        if not modal.run(dialog) or dialog.copy is None:
            return
        copy = dialog.copy
        left_out = ""
        if copy.left_out:
            left_out = ("\nNon réinvités faute de signature valide de la charte à cette date : "
                        + ", ".join(copy.left_out) + ".")
        messages.inform(self, "Réunion dupliquée",
                        f"La réunion du {long_date(copy.meeting.starts_at.date())} est créée avec "
                        f"{plural(copy.invited, 'invité')}.{left_out}\nElle s'ouvre maintenant.")
        if self.can_close():
            self.open_next = copy.meeting.id
            super().accept()

    def postpone(self) -> None:
        modal.run(PostponeDialog(self.ctx, self.ctx.store.meetings.get_meeting(self.meeting_id), self))

    def cancel_meeting(self) -> None:
        if messages.confirm(self, "Annuler la réunion",
                            "Annuler cette réunion ? Elle reste dans l'historique, barrée, avec ses invités ; "
                            "prévenez-les ensuite depuis « Convocations et envoi ».", "Annuler la réunion"):
            self._set_status(MeetingStatus.CANCELLED)

    def _set_status(self, status: MeetingStatus) -> None:
        self.ctx.runner.run(partial(ops.set_meeting_status, meeting_id=self.meeting_id, status=status), parent=self)

    def delete(self) -> None:
        meeting = self.ctx.store.meetings.get_meeting(self.meeting_id)
        if meeting is None or not messages.confirm(
                self, "Supprimer la réunion",
                "Supprimer définitivement cette réunion, ses invités, sa feuille de présence et son "
                "compte rendu ? Pour garder une trace, utilisez plutôt « Annuler la réunion ». "
                "Édition › Annuler (Ctrl+Z) la rétablit.", "Supprimer"):
            return
        label = f"Suppression de la réunion du {long_date(meeting.starts_at.date())}"
        if self.ctx.runner.run(partial(ops.delete_meeting, meeting_id=self.meeting_id), parent=self,
                               undo=label) is not None:
            super().accept()  # nothing left to save: the minutes went with the meeting

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.tabs.setCurrentWidget(self.attendance)
            self.showFullScreen()
