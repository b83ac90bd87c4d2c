"""Combo boxes holding a value behind each French label."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget


class ChoiceBox(QComboBox):
    def __init__(self, choices: Iterable[tuple[str, Any]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_choices(choices)

    def set_choices(self, choices: Iterable[tuple[str, Any]]) -> None:
        """Replace the entries, keeping the chosen value when it is still offered (no signal storm)."""
        kept = self.value()
        self.blockSignals(True)
        self.clear()
        for label, value in choices:
            self.addItem(label, value)
        self.blockSignals(False)
        if not self.select(kept):
            self.setCurrentIndex(0 if self.count() else -1)
            self.currentIndexChanged.emit(self.currentIndex())

    def value(self) -> Any:
        return self.currentData() if self.currentIndex() >= 0 else None

    def select(self, value: Any) -> bool:
        for index in range(self.count()):
            if self.itemData(index) == value:
                self.setCurrentIndex(index)
                return True
        return False
