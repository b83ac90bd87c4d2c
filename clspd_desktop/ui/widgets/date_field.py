"""A date typed the French way (JJ/MM/AAAA) that may stay empty: end dates are often unknown."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from clspd_desktop.domain.dates import parse_date, short_date


class DateField(QLineEdit):
    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("JJ/MM/AAAA")
        self.setMaximumWidth(130)
        self.set_value(value)

    def set_value(self, value: date | None) -> None:
        self.setText(short_date(value))

    def value(self) -> date | None:
        """The typed date, None when empty; ValueError (French message) when not a date."""
        return parse_date(self.text())
