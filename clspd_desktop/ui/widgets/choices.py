"""Combo boxes holding a value behind each French label.

Values stay on the Python side: Qt would turn an enum stored as item data into a plain string.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget


class ChoiceBox(QComboBox):
    def __init__(self, choices: Iterable[tuple[str, Any]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []
        # a 5 000-character organisation name must not widen the dialog beyond the screen
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.set_choices(choices)

    def set_choices(self, choices: Iterable[tuple[str, Any]]) -> None:
        """Replace the entries, keeping the chosen value when it is still offered."""
        kept = self.value()
        self.blockSignals(True)
        self.clear()
        self._values = []
        for label, value in choices:
            self.addItem(label)
            self._values.append(value)
        self.blockSignals(False)
        if not self.select(kept):
            self.setCurrentIndex(0 if self.count() else -1)
            self.currentIndexChanged.emit(self.currentIndex())

    def shown_text(self) -> str:
        """The current entry as it fits the box: a long plan or organisation name ends with « … » instead of
        being cut mid-word (Qt's own label is cut at the frame)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        return self.fontMetrics().elidedText(self.currentText(), Qt.TextElideMode.ElideRight, field.width())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if self.isEditable():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def value(self) -> Any:
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def select(self, value: Any) -> bool:
        for index, candidate in enumerate(self._values):
            if candidate == value and type(candidate) is type(value):
                self.setCurrentIndex(index)
                return True
        return False
