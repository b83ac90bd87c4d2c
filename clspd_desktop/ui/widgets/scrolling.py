"""A page, panel or form that scrolls instead of widening the window or the dialog (issue 18: 1366×768 at
125 % or 150 %, a 14 pt system font). Tab still reaches every control inside: the scroll area brings the
focused one into view, so the area itself takes no focus stop."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStyle, QWidget


class FitScrollArea(QScrollArea):
    """Asks for the whole of its content (Qt's scroll area caps its wish at 24 lines, so a dialog would open
    with a scroll bar on a screen that has room), and needs little: the screen decides, content scrolls."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # fields added after the area was laid out: its wish changed
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        content = self.widget()
        if content is None:
            return super().sizeHint()
        if content.layout() is not None:
            content.layout().activate()  # rows added since its last pass (the dialog not shown yet)
        frame = 2 * self.frameWidth()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        hint = content.sizeHint().expandedTo(content.minimumSizeHint())
        return QSize(hint.width() + frame + bar, hint.height() + frame)


def scrolled(widget: QWidget) -> QScrollArea:
    """`widget` filling a frameless scroll area (scroll bars only when the window is smaller than it)."""
    area = FitScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(widget)
    return area
