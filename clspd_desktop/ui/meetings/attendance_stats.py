"""Statistiques de présence: attendance rate per organisation and per referent over a chosen period, as a
table and a bar chart (drawn with QPainter: PySide6-Essentials has no QtCharts), exportable to Excel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import parse_date
from clspd_desktop.domain.text import sort_key
from clspd_desktop.errors import UserError
from clspd_desktop.services.attendance_stats import AttendanceCount, AttendanceStats, rate_text
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.file_export import choose_target
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.flow_layout import FlowLayout

XLSX_FILTER = "Classeurs Excel (*.xlsx)"
OUT_OF_DATE = "\nDes présences ou des réunions ont changé depuis ce calcul : « Calculer » les met à jour."


class RateChart(QWidget):
    """Horizontal bars, one per row, longest rate first; labels shortened to fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AttendanceCount] = []
        self.setMinimumWidth(300)  # fits its third of the area at 1366 px without a horizontal scroll bar

    def set_rows(self, rows: list[AttendanceCount]) -> None:
        self.rows = sorted(rows, key=lambda r: (-r.rate, r.label))
        self.setMinimumHeight(max(60, self.row_height() * len(self.rows) + 16))
        self.updateGeometry()
        self.update()

    def row_height(self) -> int:
        """A row follows the font (14 pt, 150 %), never a fixed pixel height."""
        return self.fontMetrics().height() + 8

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(480, max(60, self.row_height() * len(self.rows) + 16))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        if not self.rows:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Aucune présence enregistrée sur la période.")
            return
        label_width = min(260, int(self.width() * 0.42))
        value_width = metrics.horizontalAdvance("100 %") + 10
        bar_space = max(20, self.width() - label_width - value_width - 16)
        c, row_height = theme.colours(), self.row_height()
        for index, row in enumerate(self.rows):
            top = 8 + index * row_height
            label = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(4, top, label_width - 8, row_height), Qt.AlignmentFlag.AlignVCenter
                             | Qt.AlignmentFlag.AlignRight, label)
            bar = QRectF(label_width, top + 4, bar_space * row.rate, row_height - 8)
            painter.fillRect(QRectF(label_width, top + 4, bar_space, row_height - 8), QColor(c.bar_track))
            painter.fillRect(bar, QColor(c.bar_low if row.rate < 0.5 else c.bar))  # low: call before the plenary
            painter.drawText(QRectF(label_width + bar_space + 6, top, value_width, row_height),
                             Qt.AlignmentFlag.AlignVCenter, rate_text(row))
        painter.end()


def _table(first_headers: list[str]) -> QTableWidget:
    headers = [*first_headers, "Convocations", "Présents", "Représentés", "Excusés", "Absents", "Taux"]
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    if len(first_headers) > 1:
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.setSortingEnabled(True)
    table.sortByColumn(len(headers) - 1, Qt.SortOrder.DescendingOrder)  # best attendance first
    return table


class _TextItem(QTableWidgetItem):
    """Sorts as a French reader expects (É with E), shows the text exactly as typed."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return sort_key(self.text()) < sort_key(other.text())


class _NumberItem(QTableWidgetItem):
    """Sorts by value, not by text ('9' after '10' otherwise)."""

    def __init__(self, text: str, value: float) -> None:
        super().__init__(text)
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return self.value < getattr(other, "value", 0)


def _fill(table: QTableWidget, rows: list[AttendanceCount], with_organisation: bool) -> None:
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for line, row in enumerate(rows):
        texts = [row.label, row.organisation] if with_organisation else [row.label]
        items: list[QTableWidgetItem] = [_TextItem(text) for text in texts]
        items += [_NumberItem(str(n), n) for n in (row.convened, row.present, row.represented, row.excused,
                                                     row.absent)]
        items.append(_NumberItem(rate_text(row), row.rate))
        for column, item in enumerate(items):
            table.setItem(line, column, item)
    table.setSortingEnabled(True)


class AttendanceStatsView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stats: AttendanceStats | None = None
        self._stale = True
        layout = QVBoxLayout(self)
        picker = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        today = date.today()
        self.start = DateField(date(today.year - 1, 1, 1))
        self.end = DateField(today)
        for field in (self.start, self.end):
            field.setMinimumWidth(100)  # « 31/12/2026 » stays readable when the window is narrow
        self.period = QComboBox()
        for label in ("Période choisie", "Année en cours", "Année précédente", "12 derniers mois"):
            self.period.addItem(label)
        self.period.setAccessibleName("Période")
        self.formation = QComboBox()
        # long group names must not widen the window (the area's minimum width is its widest tab's)
        self.formation.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.formation.setMinimumContentsLength(24)
        self.refresh_button = QPushButton("Calculer")
        self.export_button = QPushButton("Exporter en Excel…")
        for widget in (QLabel("Du"), self.start, QLabel("au"), self.end, self.period, QLabel("Formation :"),
                       self.formation):
            picker.addWidget(widget)
        picker.addWidget(self.refresh_button)
        picker.addWidget(self.export_button)
        layout.addLayout(picker)
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)  # a long caption must not widen the whole window
        layout.addWidget(self.caption)

        self.tabs = QTabWidget()
        self.organisations = _table(["Organisation"])
        self.referents = _table(["Référent", "Organisation"])
        self.organisations.setAccessibleName("Présence par organisation")
        self.referents.setAccessibleName("Présence par référent")
        self.chart = RateChart()
        for table, title in ((self.organisations, "Par organisation"), (self.referents, "Par référent")):
            self.tabs.addTab(table, title)
        # the chart under the tables: beside them, at 1366×768, the six figures left the names ~50 px
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.tabs)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        splitter.addWidget(scroll)
        splitter.setSizes([340, 200])
        layout.addWidget(splitter, 1)

        self.period.currentIndexChanged.connect(self._preset)
        self.refresh_button.clicked.connect(lambda *_: self.reload())
        self.formation.currentIndexChanged.connect(lambda *_: self.reload())
        self.tabs.currentChanged.connect(self._draw_chart)
        self.export_button.clicked.connect(self.export)
        self.start.returnPressed.connect(lambda *_: self.reload())
        self.end.returnPressed.connect(lambda *_: self.reload())
        ctx.runner.dispatcher.subscribe(
            self, {Change.MEETINGS, Change.INVITATIONS, Change.FORMATIONS, Change.DIRECTORY}, self._on_changes)
        self.refresh()

    def _on_changes(self, changes: OpChanges) -> None:
        """The figures are not recounted behind the user's back: a recount is long work, and while it ran the
        attendance typed in a meeting window would be refused. They are marked out of date instead."""
        self._fill_formations()
        self._stale = True
        if self.stats is not None and not self.caption.text().endswith(OUT_OF_DATE):
            self.caption.setText(self.caption.text() + OUT_OF_DATE)

    def refresh(self) -> None:
        """Reload formations and figures (called when the area is shown)."""
        self._fill_formations()
        # counting two years of attendance is only worth it once the tab is actually shown
        self._stale = True
        if self.isVisible():
            self._reload_when_free()

    def _fill_formations(self) -> None:
        current = self.formation.currentData()
        self.formation.blockSignals(True)
        self.formation.clear()
        self.formation.addItem("Toutes", None)
        for formation in self.ctx.store.formations.formations():
            self.formation.addItem(formation.display_name, formation.id)
        index = self.formation.findData(current)
        self.formation.setCurrentIndex(max(0, index))
        self.formation.blockSignals(False)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self._reload_when_free()

    def _reload_when_free(self) -> None:
        """Automatic recounts wait while other long work runs (the user did not ask for them)."""
        if not self.ctx.runner.busy:
            self.reload()

    def _preset(self, index: int) -> None:
        today = date.today()
        ranges = {1: (date(today.year, 1, 1), today), 2: (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
                  3: (date(today.year - 1, today.month, 1), today)}
        if index in ranges:
            start, end = ranges[index]
            self.start.set_value(start)
            self.end.set_value(end)
            self.reload()

    def set_period(self, start: date, end: date) -> None:
        self.start.set_value(start)
        self.end.set_value(end)
        self.reload()

    def reload(self, then: Callable[[], None] | None = None) -> bool:
        """Count the period's attendance on the worker; False when the period cannot be read."""
        try:
            start, end = parse_date(self.start.text()), parse_date(self.end.text())
            if start is None or end is None:
                raise UserError("Indiquez le début et la fin de la période (JJ/MM/AAAA).")
        except ValueError as exc:
            messages.warn(self, "Période", str(exc))
            return False
        except UserError as exc:
            messages.show_error(self, exc, "Période")
            return False
        self._stale = False

        def show(stats: AttendanceStats) -> None:
            self._show(stats)
            if then is not None:
                then()

        return self.ctx.runner.start(
            partial(ops.attendance_statistics, start=start, end=end, formation_id=self.formation.currentData()),
            parent=self, label="Calcul des statistiques de présence…", cancellable=True, on_success=show,
            title="Période")

    def _show(self, stats: AttendanceStats) -> None:
        self.stats = stats
        overall = stats.overall
        self.caption.setText(f"{stats.period_text} — taux de présence d'ensemble : {rate_text(overall)} "
                             f"({overall.attended} présences ou représentations sur {overall.convened} "
                             "convocations de titulaires).")
        _fill(self.organisations, stats.by_organisation, with_organisation=False)
        _fill(self.referents, stats.by_referent, with_organisation=True)
        self._draw_chart()

    def _draw_chart(self) -> None:
        if self.stats is None:
            return
        rows = self.stats.by_referent if self.tabs.currentWidget() is self.referents else self.stats.by_organisation
        self.chart.set_rows(rows)

    def export(self) -> None:
        """The figures shown, to Excel (counted first when they are not yet)."""
        if self.stats is None:
            self.reload(then=self.export)
            return
        target = choose_target(self, self.ctx.paths.exports_dir, "Exporter les statistiques de présence",
                               f"presences-{self.stats.start.isoformat()}", ".xlsx", XLSX_FILTER, self.stats.end)
        if target is None:
            return
        self.ctx.runner.start(
            partial(ops.export_attendance_statistics, stats=self.stats, target=target), parent=self,
            label="Export des statistiques de présence…", on_success=lambda written: messages.inform(
                self, "Export terminé", f"Les statistiques de présence sont enregistrées dans :\n{written}"))
