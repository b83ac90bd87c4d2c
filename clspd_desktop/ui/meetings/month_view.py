"""Month calendar: one cell per day with its meetings, coloured by formation kind, confidential groups
marked, cancelled meetings struck through. Page préc./suiv. change month; double-click a day to create."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent, QPaintEvent, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.domain.dates import MONTHS, WEEKDAYS
from clspd_desktop.domain.directory import Formation
from clspd_desktop.domain.meetings import Meeting, MeetingStatus, add_months
from clspd_desktop.domain.text import plural
from clspd_desktop.ui import theme
from clspd_desktop.ui.meetings.common import CONFIDENTIAL_MARK, kind_colours, short_name
from clspd_desktop.ui.widgets.flow_layout import FlowLayout

MAX_SHOWN = 4  # at most this many chips a day (fewer when the cell is short), then « + n autres »


class MeetingChip(QPushButton):
    def __init__(self, meeting: Meeting, formation: Formation | None, parent: QWidget | None = None) -> None:
        mark = f"{CONFIDENTIAL_MARK} " if formation and formation.confidential else ""
        super().__init__(f"{meeting.starts_at.strftime('%H:%M')} {mark}{short_name(formation)}", parent)
        self.meeting = meeting
        c = theme.colours()
        fg, bg = kind_colours(formation.kind if formation else None)
        cancelled = meeting.status is MeetingStatus.CANCELLED
        if cancelled:
            fg, bg = c.cancelled_text, c.cancelled_bg
        style = (f"text-align: left; padding: 1px 4px; border: none; border-radius: 3px; color: {fg}; "
                 f"background: {bg};")
        if formation and formation.confidential:
            style += f" border-left: 4px solid {c.alert_stripe};"
        self.setStyleSheet(style)
        font = self.font()
        font.setStrikeOut(cancelled)
        self.setFont(font)
        tip = [formation.display_name if formation else "", meeting.title, meeting.status.label]
        if formation and formation.confidential:
            tip.append("Groupe confidentiel")
        self.setToolTip("\n".join(t for t in tip if t))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # long group names must not widen their column: every day gets the same width
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.text())

    def shown_text(self, option: QStyleOptionButton | None = None) -> str:
        """The text as drawn: a chip narrower than its text ends with « … » (the tooltip and the accessible
        name have it all), never a cut letter."""
        if option is None:
            option = QStyleOptionButton()
            self.initStyleOption(option)
        room = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self).width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, max(room - 2, 0))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = self.shown_text(option)
        QStylePainter(self).drawControl(QStyle.ControlElement.CE_PushButton, option)


class DayCell(QFrame):
    """One of the 42 day cells of the grid. Cells are made once and refilled when the month or the meetings
    change: no widget is ever added to the grid after it is shown, so none can be drawn outside it. A cell
    shows as many chips as its height allows, then « + n autres »."""

    activated = Signal(object)  # date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day = date.today()
        self.setObjectName("dayCell")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(4, 2, 4, 2)
        self.layout_.setSpacing(2)
        self.number = QLabel()
        self.layout_.addWidget(self.number)
        self.more = QLabel()
        self.more.setStyleSheet(f"color: {theme.colours().muted};")
        self.more.hide()
        self.layout_.addWidget(self.more)
        self.layout_.addStretch(1)
        self.chips: list[MeetingChip] = []
        self.total = 0  # meetings that day, shown or not
        self._look: tuple[bool, bool] | None = None  # (in the month, today) as last styled

    def show_day(self, day: date, in_month: bool, is_today: bool) -> None:
        self.day = day
        self.number.setText(str(day.day))
        if self._look == (in_month, is_today):
            return  # a style sheet is parsed and every child re-polished: only when the look changes
        self._look = (in_month, is_today)
        c = theme.colours()
        background = c.base if in_month else c.subtle
        border = f"2px solid {c.accent}" if is_today else f"1px solid {c.border}"
        self.setStyleSheet(f"#dayCell {{ background: {background}; border: {border}; }}")
        self.number.setStyleSheet(f"color: {c.accent if in_month else c.muted}; font-weight: bold;")

    def set_chips(self, chips: list[MeetingChip], total: int) -> None:
        """Replace the chips (at most MAX_SHOWN are made; `total` counts the day's meetings)."""
        for chip in self.chips:
            self.layout_.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self.chips, self.total = chips, total
        for chip in chips:
            self.layout_.insertWidget(self.layout_.indexOf(self.more), chip)
        self._fit()

    @property
    def shown(self) -> int:
        return sum(1 for chip in self.chips if not chip.isHidden())

    def _fit(self) -> None:
        """Show the chips that fit the cell's height; the others are counted in « + n autres »."""
        if not self.chips:
            self.more.hide()
            return
        spacing = self.layout_.spacing()
        margins = self.layout_.contentsMargins()
        room = self.height() - margins.top() - margins.bottom() - self.number.sizeHint().height() - spacing
        chip = self.chips[0].sizeHint().height() + spacing
        fits = max(room // chip, 0)
        if fits < self.total:  # keep a line for « + n autres »
            fits = max((room - self.more.sizeHint().height() - spacing) // chip, 0)
        if self.height() <= 0:  # not laid out yet: show what was made
            fits = len(self.chips)
        for index, widget in enumerate(self.chips):
            widget.setVisible(index < fits)
        hidden = self.total - self.shown
        self.more.setText(f"+ {hidden} {'autre' if hidden == 1 else 'autres'}")
        self.more.setVisible(hidden > 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self.activated.emit(self.day)


class MonthView(QWidget):
    day_activated = Signal(object)  # date: create a meeting that day
    meeting_activated = Signal(int)  # meeting id: open it

    def __init__(self, month: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.month = month.replace(day=1)
        self.today = date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.previous_button = QPushButton("◀ Mois précédent")
        self.previous_button.setToolTip("Page précédente")
        self.today_button = QPushButton("Aujourd'hui")
        self.next_button = QPushButton("Mois suivant ▶")
        self.next_button.setToolTip("Page suivante")
        self.title = QLabel()
        theme.set_relative_size(self.title, 1.45, bold=True)
        self.title.setStyleSheet("padding: 0 12px;")
        for widget in (self.previous_button, self.today_button, self.next_button, self.title):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.legend = QLabel()
        bar.addWidget(self.legend)
        layout.addLayout(bar)
        self.grid = QGridLayout()
        self.grid.setSpacing(0)
        layout.addLayout(self.grid, 1)
        for column, name in enumerate(WEEKDAYS):
            header = QLabel(name.capitalize())
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setStyleSheet(f"font-weight: bold; color: {theme.colours().muted}; padding: 4px;")
            self.grid.addWidget(header, 0, column)
        for row in range(1, 7):
            self.grid.setRowStretch(row, 1)
        for column in range(7):
            self.grid.setColumnStretch(column, 1)
        self.cells: list[DayCell] = []
        for offset in range(42):
            cell = DayCell(self)
            cell.activated.connect(self.day_activated)
            self.cells.append(cell)
            self.grid.addWidget(cell, 1 + offset // 7, offset % 7)
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.today_button.clicked.connect(lambda: self.set_month(date.today()))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.go(-1),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.go(1),
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.loader = None  # the page's: (first day, last day) -> meetings and formations by id

    def set_loader(self, loader) -> None:
        self.loader = loader
        self.refresh()

    def first_shown(self) -> date:
        return self.month - timedelta(days=self.month.weekday())

    def last_shown(self) -> date:
        return self.first_shown() + timedelta(days=41)

    def go(self, months: int) -> None:
        self.set_month(add_months(self.month, months))

    def set_month(self, month: date) -> None:
        self.month = month.replace(day=1)
        self.refresh()

    def cell(self, day: date) -> DayCell:
        return self.cells[(day - self.first_shown()).days]

    def refresh(self) -> None:
        """Read the weeks shown through the loader, and show them."""
        meetings, formations = self.loader(self.first_shown(), self.last_shown()) if self.loader else ([], {})
        self.show_meetings(meetings, formations)

    def show_meetings(self, meetings: list[Meeting], formations: dict[int, Formation]) -> None:
        """Fill the weeks shown with `meetings`, read for them (by `refresh`, or on a worker for the first show)."""
        self.title.setText(f"{MONTHS[self.month.month - 1].capitalize()} {self.month.year}")
        by_day: dict[date, list[Meeting]] = {}
        for meeting in meetings:
            by_day.setdefault(meeting.starts_at.date(), []).append(meeting)
        for offset, cell in enumerate(self.cells):
            day = self.first_shown() + timedelta(days=offset)
            cell.show_day(day, day.month == self.month.month, day == self.today)
            todays = by_day.get(day, [])
            chips = []
            for meeting in todays[:MAX_SHOWN]:
                chip = MeetingChip(meeting, formations.get(meeting.formation_id), cell)
                chip.clicked.connect(lambda _=False, mid=meeting.id: self.meeting_activated.emit(mid))
                chips.append(chip)
            cell.set_chips(chips, len(todays))
        in_month = sum(1 for m in meetings if m.starts_at.date().month == self.month.month)
        self.legend.setText(f"{plural(in_month, 'réunion', feminine=True)} ce mois-ci")
