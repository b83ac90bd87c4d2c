"""French validation messages shown right under the field they concern (ValidationError.fields)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from clspd_desktop.ui import theme
from clspd_desktop.ui.accessibility import visible_text


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
        error.setStyleSheet(f"color: {theme.colours().error};")
        error.setObjectName(f"error_{field}")
        error.hide()
        layout.addWidget(error)
        self.labels[field] = error
        # The form label names the field itself (not its container) for screen readers, and Alt+letter
        # moves to it when the label has a mnemonic.
        caption = QLabel(label)
        caption.setBuddy(widget)
        widget.setAccessibleName(visible_text(label))
        form.addRow(caption, box)

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
            field_widget = label.parentWidget().layout().itemAt(0).widget()
            field_widget.setAccessibleDescription(message)
        return orphans

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()
            label.parentWidget().layout().itemAt(0).widget().setAccessibleDescription("")

    def message(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""
