"""French validation messages shown right under the field they concern (ValidationError.fields)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget


class FormErrors:
    """One hidden red label per field; `show()` fills those named in a ValidationError."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}

    def add_row(self, form: QFormLayout, label: str, widget: QWidget, field: str) -> None:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        error = QLabel()
        error.setTextFormat(Qt.TextFormat.PlainText)
        error.setWordWrap(True)
        error.setStyleSheet("color: #b00020;")
        error.setObjectName(f"error_{field}")
        error.hide()
        layout.addWidget(error)
        self.labels[field] = error
        form.addRow(label, box)

    def show(self, fields: dict[str, str]) -> list[str]:
        """Display each message under its field; returns the messages that have no field of their own."""
        self.clear()
        orphans = []
        for field, message in fields.items():
            label = self.labels.get(field)
            if label is None:
                orphans.append(message)
                continue
            label.setText(message)
            label.show()
        return orphans

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()

    def message(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""
