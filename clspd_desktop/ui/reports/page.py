"""The « Rapports » area: the council-level documents in one place, a list on the left and, on the right,
what the chosen document holds and the button that produces it. The panels' facts (members, plans, years,
bilan texts) follow every operation that changes them, through the dispatcher."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.ui import theme
from clspd_desktop.ui.reports.bilan_panel import BilanPanel
from clspd_desktop.ui.reports.common import card, plain_label
from clspd_desktop.ui.reports.document_panels import (
    CompositionOrderPanel,
    CompositionPanel,
    DirectoryPanel,
    PlanPanel,
)
from clspd_desktop.ui.widgets.scrolling import scrolled

CAPTION_ROLE = Qt.ItemDataRole.UserRole + 1
# what the panels show: the council and its order, members, meetings (years), the plan, the bilan texts
SHOWN_CHANGES = {Change.COUNCIL, Change.DIRECTORY, Change.FORMATIONS, Change.MEETINGS, Change.PLAN, Change.REPORTS}


class _ReportItemDelegate(QStyledItemDelegate):
    """Each report as a bold title over a grey one-line caption, with an accent bar when selected."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        line = QFontMetrics(option.font).height()  # two lines of the system font, whatever its size
        # no width of its own: the list lays each row across its viewport and paint() elides the caption.
        # The rect's width was the list's before the layout settled, wider than the viewport at 1366 px:
        # rows overflowed, cut without « … », under a horizontal scroll bar.
        return QSize(1, max(58, 2 * line + 24))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, QColor(theme.colours().hover))
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), QColor(theme.colours().accent))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor(theme.colours().subtle))
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor(theme.colours().accent if enabled else theme.colours().muted))
        text_rect = rect.adjusted(16, 9, -10, -8)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         index.data(Qt.ItemDataRole.DisplayRole))
        caption_font = QFont(option.font)
        caption_font.setPointSizeF(max(7.0, option.font.pointSizeF() - 1))
        painter.setFont(caption_font)
        painter.setPen(QColor(theme.colours().muted))
        caption = painter.fontMetrics().elidedText(index.data(CAPTION_ROLE) or "", Qt.TextElideMode.ElideRight,
                                                   text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, caption)
        painter.setPen(QColor(theme.colours().border))
        painter.drawLine(rect.left() + 12, rect.bottom(), rect.right() - 12, rect.bottom())
        painter.restore()


class ReportsPage(QWidget):
    """`today` is injectable so tests choose the default year and the dates printed."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._today = today
        self.setObjectName("reportsPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#reportsPage {{ background: {theme.colours().page}; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(theme.make_heading(plain_label("Rapports"), 1))
        layout.addWidget(plain_label("Les documents du conseil, prêts à imprimer, à présenter en séance ou à "
                                     "transmettre. Choisissez un document dans la liste.",
                                     f"color: {theme.colours().muted};"))

        body = QHBoxLayout()
        body.setSpacing(14)
        self.list = QListWidget()
        self.list.setAccessibleName("Documents")
        self.list.setItemDelegate(_ReportItemDelegate(self.list))
        self.list.setMouseTracking(True)
        # in characters, so that it follows the system font, and narrower than the documents it lists
        self.list.setMinimumWidth(18 * self.list.fontMetrics().averageCharWidth())
        self.list.setMaximumWidth(300)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # captions are elided
        c = theme.colours()
        self.list.setStyleSheet(f"QListWidget {{ background: {c.base}; border: 1px solid {c.border}; "
                                "border-radius: 6px; outline: none; }")
        body.addWidget(self.list)
        self.stack = QStackedWidget()
        body.addWidget(scrolled(card(self.stack)), 1)  # a panel wider or taller than 125 % allows scrolls
        layout.addLayout(body, 1)

        self.bilan = BilanPanel(ctx, self.today)
        self.composition = CompositionPanel(ctx, self.today)
        self.composition_order = CompositionOrderPanel(ctx, self.today)
        self.directory = DirectoryPanel(ctx, self.today)
        self.plan = PlanPanel(ctx, self.today)
        self.panels = [self.bilan, self.composition, self.composition_order, self.directory, self.plan]
        self._stale: set[QWidget] = set()
        for panel in self.panels:
            item = QListWidgetItem(panel.title)
            item.setData(CAPTION_ROLE, panel.caption)
            item.setToolTip(panel.caption)
            self.list.addItem(item)
            self.stack.addWidget(panel)
        self.list.currentRowChanged.connect(self._show_panel)

        shortcut = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.Save, self, self.bilan.save, context=shortcut)
        QShortcut(QKeySequence("Ctrl+P"), self, self.produce_current, context=shortcut)
        ctx.runner.dispatcher.subscribe(self, SHOWN_CHANGES, self._on_changes)
        self.refresh()
        self.list.setCurrentRow(0)
        self.list.setFocus()

    def today(self) -> date:
        return self._today or date.today()

    def refresh(self) -> None:
        """Called when the area is shown again or its data changed: the panel shown reads the latest data now,
        the others when they are chosen (a large council's member counts take a moment each)."""
        self._stale = set(self.panels)
        self._refresh_current()

    def _refresh_current(self) -> None:
        panel = self.current_panel()
        if panel in self._stale:
            self._stale.discard(panel)
            panel.refresh()

    def _on_changes(self, _changes: OpChanges) -> None:
        self.refresh()

    def _show_panel(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)
            self._refresh_current()

    def current_panel(self) -> QWidget:
        return self.stack.currentWidget()

    def select(self, panel: QWidget) -> None:
        self.list.setCurrentRow(self.panels.index(panel))

    def produce_current(self) -> None:
        self.current_panel().produce()

    def can_leave(self) -> bool:
        """Asked by the main window before another area is shown or the window closes."""
        if not self.bilan.can_leave():
            self.select(self.bilan)
            return False
        return True
