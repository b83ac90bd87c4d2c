"""An instant search box: filters as the user types, Échap clears it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame, QWidget


class SearchField(QLineEdit):
    def __init__(self, placeholder: str = "Rechercher…", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(260)

    def placeholder_width(self) -> int:
        """The width that shows the whole placeholder (Qt elides it otherwise): its text, the frame and the
        margins Qt keeps around the text (2 px each side; the clear button is hidden while the field is
        empty)."""
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        contents = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        margins = self.textMargins()
        return (self.fontMetrics().horizontalAdvance(self.placeholderText()) + self.width() - contents.width()
                + margins.left() + margins.right() + 2 * 2)

    def fit_placeholder(self) -> None:
        """Never narrower than its whole placeholder (a search whose hint reads « …, u… » says little)."""
        self.setMinimumWidth(max(self.minimumWidth(), self.placeholder_width()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)
