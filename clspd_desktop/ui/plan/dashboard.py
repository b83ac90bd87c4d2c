"""Plan dashboard: progress per axis, funding per funder and per year as bar charts drawn with QPainter
(PySide6-Essentials has no QtCharts), and the lists that need action: late actions, FIPD alerts."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QListWidget, QScrollArea, QVBoxLayout, QWidget

from clspd_desktop.domain.plan import PlanFigures
from clspd_desktop.ui import theme

MONEY_SERIES = ("Demandé", "Accordé", "Versé")


def short_euros(cents: int) -> str:
    """'12,5 k€' for chart labels, where full amounts would not fit."""
    value = cents / 100
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f} M€".replace(".", ",")
    if value >= 1_000:
        return f"{value / 1_000:.1f} k€".replace(".", ",")
    return f"{value:.0f} €"


class BarChart(QWidget):
    """Horizontal grouped bars: one group per label, one bar per series; values are drawn at the bar's end."""

    def __init__(self, series: Sequence[str], formatter: Callable[[float], str], maximum: float | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = list(series)
        self.formatter = formatter
        self.fixed_maximum = maximum
        self.groups: list[tuple[str, list[float]]] = []
        self.setMinimumWidth(420)

    def set_groups(self, groups: list[tuple[str, list[float]]]) -> None:
        self.groups = groups
        bar = self.bar_height()
        self.setMinimumHeight(30 + len(groups) * (bar * len(self.series) + 12) + (22 if len(self.series) > 1 else 0))
        self.update()

    def bar_height(self) -> int:
        """A bar as tall as its small value label (which follows the system font), never fixed pixels."""
        return max(14, QFontMetrics(self.small_font()).height() + 2)

    def small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() - 1))
        return small

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        c = theme.colours()
        series = (QColor(c.series_first), QColor(c.series_second), QColor(c.series_third))
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        if not self.groups:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Aucune donnée")
            return
        label_width = min(max(metrics.horizontalAdvance(g[0]) for g in self.groups) + 12, int(self.width() * 0.5))
        value_width = QFontMetrics(self.small_font()).horizontalAdvance("999,9 k€") + 8
        maximum = self.fixed_maximum or max((v for _, values in self.groups for v in values), default=0) or 1
        plot = self.width() - label_width - value_width - 8
        y, bar = 8, self.bar_height()
        for label, values in self.groups:
            block = bar * len(values)
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.setPen(QColor(c.text))
            painter.drawText(QRectF(0, y, label_width - 8, block), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, text)
            for n, value in enumerate(values):
                width = max(0.0, plot * value / maximum)
                colour = series[n % len(series)] if len(values) > 1 else series[1]
                painter.fillRect(QRectF(label_width, y + n * bar + 1, width, bar - 2), colour)
                painter.setPen(QColor(c.text))
                painter.setFont(self.small_font())
                painter.drawText(QRectF(label_width + width + 4, y + n * bar, value_width, bar),
                                 Qt.AlignmentFlag.AlignVCenter, self.formatter(value))
                painter.setFont(self.font())
            y += block + 12
        if len(self.series) > 1:
            x = label_width
            for n, name in enumerate(self.series):
                painter.fillRect(QRectF(x, y + 4, 12, 12), series[n])
                painter.setPen(QColor(c.text))
                painter.drawText(int(x + 16), int(y + 15), name)
                x += 26 + metrics.horizontalAdvance(name)
        painter.end()


def _box(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(widget)
    return box


class PlanDashboard(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        inner = QWidget()
        grid = QGridLayout(inner)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        theme.set_relative_size(self.summary, 1.1)
        grid.addWidget(self.summary, 0, 0, 1, 2)
        self.progress_chart = BarChart(["Avancement"], lambda v: f"{v:.0f} %", maximum=100)
        self.funder_chart = BarChart(MONEY_SERIES, lambda v: short_euros(int(v)))
        self.year_chart = BarChart(MONEY_SERIES, lambda v: short_euros(int(v)))
        self.late_list = QListWidget()
        self.alerts_list = QListWidget()
        for widget in (self.late_list, self.alerts_list):
            widget.setMinimumHeight(160)
            widget.setWordWrap(True)
        grid.addWidget(_box("Avancement moyen par axe", self.progress_chart), 1, 0)
        grid.addWidget(_box("Actions en retard", self.late_list), 1, 1)
        grid.addWidget(_box("Financements par financeur", self.funder_chart), 2, 0)
        grid.addWidget(_box("Financements par année", self.year_chart), 2, 1)
        grid.addWidget(_box("FIPD : plafond de 50 % et bilans à transmettre", self.alerts_list), 3, 0, 1, 2)
        grid.setRowStretch(4, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.setWidget(inner)

    def load(self, figures: PlanFigures) -> None:
        self.summary.setText(figures.summary)
        self.progress_chart.set_groups(figures.progress)
        self.funder_chart.set_groups(figures.by_funder)
        self.year_chart.set_groups(figures.by_year)
        self.late_list.clear()
        self.late_list.addItems(figures.late or ["Aucune action en retard."])
        self.alerts_list.clear()
        self.alerts_list.addItems(figures.alerts or ["Aucune alerte FIPD."])
