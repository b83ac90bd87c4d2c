"""Réunions: month calendar and list, new meeting or series, settings, attendance statistics."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QTabWidget, QToolBar, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import Formation
from clspd_desktop.domain.meetings import Meeting
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import meetings as meetings_ops
from clspd_desktop.ui import theme
from clspd_desktop.ui.accessibility import area_shortcut, reveal_and_focus
from clspd_desktop.ui.followup_view import FollowUpView
from clspd_desktop.ui.mail_settings_dialog import MailSettingsDialog
from clspd_desktop.ui.meetings.attendance_stats import AttendanceStatsView
from clspd_desktop.ui.meetings.detail import MeetingDetail
from clspd_desktop.ui.meetings.meeting_dialog import MeetingDialog
from clspd_desktop.ui.meetings.meeting_list import MeetingList, period_bounds
from clspd_desktop.ui.meetings.month_view import MonthView
from clspd_desktop.ui.meetings.small_dialogs import MeetingSettingsDialog
from clspd_desktop.ui.widgets import modal


class MeetingsPage(QWidget):
    def __init__(self, ctx: AppContext, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel("Réunions")
        theme.set_relative_size(title, 1.6, bold=True)
        layout.addWidget(title)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = self.toolbar.addAction("Nouvelle réunion… (Ctrl+N)")
        self.new_action.triggered.connect(lambda: self.new_meeting())
        self.open_action = self.toolbar.addAction("Ouvrir la réunion")
        self.open_action.triggered.connect(self.open_selected)
        self.toolbar.addSeparator()
        self.settings_action = self.toolbar.addAction("Paramètres des réunions…")
        self.settings_action.triggered.connect(self.settings)
        self.mail_action = self.toolbar.addAction("Compte d'envoi (SMTP)…")
        self.mail_action.triggered.connect(self.mail_settings)
        layout.addWidget(self.toolbar)
        shortcut = QAction(self)
        shortcut.setShortcut(QKeySequence("Ctrl+N"))
        shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.triggered.connect(lambda: self.new_meeting())
        self.addAction(shortcut)

        self.tabs = QTabWidget()
        self.month = MonthView(self.today)
        self.month.today = self.today
        self.list = MeetingList()
        self.tabs.addTab(self.month, "Calendrier")
        self.tabs.addTab(self.list, "Liste")
        self.stats = AttendanceStatsView(ctx)
        self.tabs.addTab(self.stats, "Statistiques de présence")
        self.followup = FollowUpView(ctx, self.today)
        self.tabs.addTab(self.followup, "Suivi des décisions")
        layout.addWidget(self.tabs, 1)
        area_shortcut(self, "Ctrl+F", "Rechercher dans le suivi des décisions", lambda: reveal_and_focus(self.followup.search))
        self.formations: dict[int, Formation] = {}
        self.month.day_activated.connect(self.new_meeting)
        self.month.meeting_activated.connect(self.open_meeting)
        self.list.meeting_activated.connect(self.open_meeting)
        self.list.formation.currentIndexChanged.connect(self.reload_list)
        self.list.period.currentIndexChanged.connect(self.reload_list)
        self.detail: MeetingDetail | None = None  # the meeting window, while open
        ctx.runner.dispatcher.subscribe(self, {Change.MEETINGS, Change.FORMATIONS}, self._on_changes)
        self.loading = False  # True from the first show until its data has been read
        self._shown = 0  # how many times data was shown: a read started before a later refresh is outdated
        self._read_in_background()

    def _read_in_background(self) -> None:
        """The first show: the meetings are read on a worker while the calendar paints its days (the few
        formations are read at once: a month the user turns to meanwhile is read and shown whole)."""
        self.loading = True
        self._show_formations(self.ctx.store.formations.formations())
        self.month.loader = self._load
        self.month.show_meetings([], {})
        self.month.legend.setText("Chargement des réunions…")
        month, shown = self.month.month, self._shown
        chosen = (self.list.period.value(), self.list.formation.value())
        start, end = period_bounds(chosen[0], self.today)
        read = partial(meetings_ops.meetings_overview, first=self.month.first_shown(), last=self.month.last_shown(),
                       list_start=start, list_end=end, list_formation_id=chosen[1])

        def loaded(overview: meetings_ops.MeetingsOverview) -> None:
            if self._shown != shown:  # a change was shown meanwhile, read on the GUI thread
                return
            self.loading = False
            if self.month.month == month:  # else the month the user turned to is already shown
                self.month.show_meetings(overview.calendar, self.formations)
            if (self.list.period.value(), self.list.formation.value()) == chosen:
                self.list.set_meetings(overview.listed)

        self.ctx.runner.read(read, on_result=loaded, parent=self)

    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    def _load(self, first: date, last: date) -> tuple[list[Meeting], dict[int, Formation]]:
        return self.ctx.store.meetings.meetings_between(first, last, agendas=False), self.formations

    def refresh(self) -> None:
        """Reload the formations, the month shown and the list (after a change: at once, on the GUI thread)."""
        self._shown += 1
        self.loading = False
        self._show_formations(self.ctx.store.formations.formations())
        self.month.set_loader(self._load)
        self.reload_list()

    def _show_formations(self, formations: list[Formation]) -> None:
        self.formations = {f.id: f for f in formations}
        self.list.set_formations(formations)

    def reload_list(self) -> None:
        start, end = period_bounds(self.list.period.value(), self.today)
        self.list.set_meetings(self.ctx.store.meetings.meetings_between(start, end, self.list.formation.value(),
                                                                       agendas=False))

    def new_meeting(self, day: date | None = None) -> None:
        dialog = MeetingDialog(self.ctx, day=day or self.today, formation_id=self.list.formation.value(), parent=self)
        if modal.run(dialog) and len(dialog.saved) == 1:
            self.open_meeting(dialog.saved[0].id)

    def open_selected(self) -> None:
        meeting = self.list.table.current_record()
        if meeting is not None:
            self.open_meeting(meeting.id)
        else:
            self.tabs.setCurrentWidget(self.list)

    def open_meeting(self, meeting_id: int) -> None:
        """The meeting window; when it closes for a copy just made (« Dupliquer »), the copy's opens."""
        next_id: int | None = meeting_id
        while next_id is not None:
            self.detail = MeetingDetail(self.ctx, next_id, self)
            try:
                modal.run(self.detail)
                next_id = self.detail.open_next
            finally:
                self.detail.deleteLater()
                self.detail = None

    def can_leave(self) -> bool:
        """Asked before switching area or quitting: the meeting window must not lose typed minutes."""
        return self.detail is None or self.detail.can_close()

    def settings(self) -> None:
        modal.run(MeetingSettingsDialog(self.ctx, self))

    def mail_settings(self) -> None:
        modal.run(MailSettingsDialog(self.ctx, self))
