"""Live attendance, for a laptop on the meeting table, keyboard only.

The filter box keeps the focus: type a few letters (accents ignored), Entrée marks the first match present
(with the arrival time once the meeting has started), Ctrl+E excusé, Ctrl+A absent, Ctrl+R représenté par,
Ctrl+Suppr effacer, Ctrl+W arrivée non prévue; Haut/Bas choose another line. Every mark is committed at
once, in its own transaction (a quick operation on the GUI thread): a PC that dies mid-meeting loses
nothing already entered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.civility import agreed
from clspd_desktop.domain.dates import time_fr
from clspd_desktop.domain.meetings import Attendance, Invitation
from clspd_desktop.domain.text import search_key
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui import theme
from clspd_desktop.ui.meetings.attendance_dialogs import RepresentedDialog, WalkInDialog
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.record_table import Column, RecordTable, RecordTableModel

LATE_GRACE = timedelta(minutes=10)  # ticking the list at 14 h 05 does not make everyone a latecomer
_BACKGROUNDS = {Attendance.PRESENT: "success_bg", Attendance.REPRESENTED: "info_bg", Attendance.EXCUSED: "warning_bg",
                Attendance.ABSENT: "alert_bg"}  # the theme's colours, text in `text` on each


def attendance_text(inv: Invitation) -> str:
    if inv.attendance is None:
        return "—"
    if inv.attendance is Attendance.REPRESENTED:
        return f"{agreed('represented', inv.name, True)} par {inv.represented_by}"
    if inv.attendance is Attendance.PRESENT and inv.arrived_at:
        return f"{agreed('present', inv.name, True)}, {agreed('arrive', inv.name)} à {time_fr(inv.arrived_at)}"
    return agreed(inv.attendance.value, inv.name, True)


def reply_text(inv: Invitation) -> str:
    if inv.reply is None:
        return ""
    if inv.reply_represented_by:
        return f"{agreed('represented', inv.name, True)} par {inv.reply_represented_by}"
    return agreed(inv.reply.value, inv.name, True)


ATTENDANCE_COLUMNS = [
    Column("Nom", lambda i: i.name + (" (arrivée non prévue)" if i.walk_in else ""), 250),
    Column("Organisation", lambda i: i.organisation_name, 250),
    Column("Fonction", lambda i: i.function, 180),
    Column("Qualité", lambda i: i.role.label, 110),
    Column("Réponse", reply_text, 160),
    Column("Présence", attendance_text, 260),
]


class AttendanceModel(RecordTableModel):
    """Rows coloured by attendance, so the room's state reads at a glance."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and 0 <= index.row() < self.rowCount():
            name = _BACKGROUNDS.get(self.record(index.row()).attendance)
            return QColor(getattr(theme.colours(), name)) if name else None
        return super().data(index, role)


class AttendanceView(QWidget):
    def __init__(self, ctx: AppContext, meeting_id: int, clock: Callable[[], datetime] = datetime.now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.clock = clock
        self.meeting = ctx.store.meetings.get_meeting(meeting_id)
        self._all: list[Invitation] = []

        layout = QVBoxLayout(self)
        top = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.count = QLabel()
        theme.set_relative_size(self.count, 2.6, bold=True)
        self.count.setStyleSheet(f"color: {theme.colours().accent};")
        caption = QLabel("présents ou représentés\n/ convoqués")
        caption.setStyleSheet(f"color: {theme.colours().muted};")
        top.addWidget(self.count)
        top.addWidget(caption)
        top.addStretch(1)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        theme.set_relative_size(self.status, 1.1)
        self.status.setStyleSheet(f"color: {theme.colours().success};")
        top.addWidget(self.status)
        layout.addLayout(top)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Tapez quelques lettres du nom ou de l'organisation, puis Entrée = présent")
        theme.set_relative_size(self.filter, 1.45)
        self.filter.setStyleSheet("padding: 6px;")
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.table = RecordTable(ATTENDANCE_COLUMNS, identity=lambda i: i.id, sortable=False, name="Présences")
        self.table.table_model = AttendanceModel(ATTENDANCE_COLUMNS, self.table)
        self.table.setModel(self.table.table_model)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the filter box keeps the keyboard
        self.table.verticalHeader().setDefaultSectionSize(30)
        layout.addWidget(self.table, 1)

        buttons = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
                ("present", "Présent (Entrée)", lambda: self.mark(Attendance.PRESENT)),
                ("excused", "Excusé (Ctrl+E)", lambda: self.mark(Attendance.EXCUSED)),
                ("absent", "Absent (Ctrl+A)", lambda: self.mark(Attendance.ABSENT)),
                ("represented", "Représenté par… (Ctrl+R)", self.mark_represented),
                ("clear", "Effacer (Ctrl+Suppr)", lambda: self.mark(None)),
                ("walk_in", "Arrivée non prévue… (Ctrl+W)", self.add_walk_in)):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.filter.textChanged.connect(self._apply_filter)
        self.filter.installEventFilter(self)
        ctx.runner.dispatcher.subscribe(self, {Change.INVITATIONS, Change.MEETINGS}, self._on_changes)
        self.reload()

    def _on_changes(self, changes: OpChanges) -> None:
        if changes.touches({Change.MEETINGS}):  # postponed: the arrival times count from the new start
            self.meeting = self.ctx.store.meetings.get_meeting(self.meeting_id) or self.meeting
        self.reload()

    # --- data ----------------------------------------------------------------------------------------
    def reload(self) -> None:
        self._all = self.ctx.store.meetings.invitations(self.meeting_id)
        present, convened = self.ctx.store.meetings.attendance_count(self.meeting_id)
        self.count.setText(f"{present} / {convened}")
        self._apply_filter()

    def visible(self) -> list[Invitation]:
        return self.table.table_model.records()

    def _apply_filter(self) -> None:
        words = search_key(self.filter.text()).split()
        shown = [i for i in self._all
                 if all(w in search_key(i.name, i.organisation_name, i.function) for w in words)]
        self.table.set_records(shown)
        if shown and self.table.current_record() is None:
            self.table.selectRow(0)

    def current(self) -> Invitation | None:
        return self.table.current_record()

    # --- keyboard ------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            return self._handle_key(event)
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key, ctrl = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.mark(Attendance.PRESENT)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._move(-1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_Escape:
            self.filter.clear()
        elif ctrl and key == Qt.Key.Key_E:
            self.mark(Attendance.EXCUSED)
        elif ctrl and key == Qt.Key.Key_A:
            self.mark(Attendance.ABSENT)
        elif ctrl and key == Qt.Key.Key_R:
            self.mark_represented()
        elif ctrl and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.mark(None)
        elif ctrl and key == Qt.Key.Key_W:
            self.add_walk_in()
        else:
            return False
        return True

    def _move(self, step: int) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = (rows[0].row() + step) if rows else 0
        if 0 <= row < len(self.visible()):
            self.table.selectRow(row)

    # --- actions -------------------------------------------------------------------------------------
    def _arrival(self) -> datetime | None:
        now = self.clock().replace(second=0, microsecond=0)
        late = self.meeting.starts_at + LATE_GRACE < now < self.meeting.ends_at
        return now if late else None

    def _done(self, text: str) -> None:
        """After a mark (the dispatcher has already reloaded the list): ready for the next name."""
        self.filter.clear()
        self.status.setText(text)
        self.filter.setFocus()

    def _save(self, op) -> bool:
        """One mark, committed now; a refusal is shown and nothing is written."""
        return self.ctx.runner.run(op, parent=self) is not None

    def mark(self, attendance: Attendance | None) -> None:
        invitation = self.current()
        if invitation is None:
            self.status.setText("Aucune personne ne correspond à la saisie.")
            return
        arrived = self._arrival() if attendance is Attendance.PRESENT else None
        if not self._save(partial(ops.set_attendance, invitation_id=invitation.id, attendance=attendance,
                                  arrived_at=arrived)):
            return
        label = attendance.label.lower() if attendance else "sans statut"
        when = f", arrivée à {time_fr(arrived)}" if arrived else ""
        self._done(f"Enregistré : {invitation.name} — {label}{when}.")

    def mark_represented(self) -> None:
        invitation = self.current()
        if invitation is None:
            return
        dialog = RepresentedDialog(self.ctx, invitation.name, self)
        if not modal.run(dialog):
            self.filter.setFocus()
            return
        if not self._save(partial(ops.set_attendance, invitation_id=invitation.id,
                                  attendance=Attendance.REPRESENTED, represented_by=dialog.name,
                                  represented_by_contact_id=dialog.contact_id)):
            return
        self._done(f"Enregistré : {invitation.name} — {agreed('represented', invitation.name)} par {dialog.name}.")

    def add_walk_in(self) -> None:
        exclude = {i.contact_id for i in self._all if i.contact_id is not None}
        dialog = WalkInDialog(self.ctx, exclude, self)
        if not modal.run(dialog) or dialog.contact is None:
            self.filter.setFocus()
            return
        result = self.ctx.runner.run(partial(ops.add_walk_in, meeting_id=self.meeting_id, contact=dialog.contact,
                                             arrived_at=self._arrival()), parent=self)
        if result is None:
            return
        invitation = result.value
        self._done(f"Enregistré : {invitation.name} — {agreed('present', invitation.name)} (arrivée non prévue).")

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.filter.setFocus()

