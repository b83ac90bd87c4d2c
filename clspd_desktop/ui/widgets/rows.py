"""A row of buttons under a table or a form, the way every screen lines them up."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """The widgets side by side from the left, the rest of the width left empty."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
