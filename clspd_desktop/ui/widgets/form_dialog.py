"""A dialog made of a form: "Enregistrer" runs `save()`; refused input keeps the dialog open with the
French messages next to the fields, and nothing is written."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.ui import messages
from clspd_desktop.ui.widgets.form_errors import FormErrors


class FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.errors = FormErrors()
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Enregistrer")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def add_field(self, label: str, widget: QWidget, field: str) -> QWidget:
        self.errors.add_row(self.form, label, widget, field)
        return widget

    def save(self) -> None:
        """Validate and write; raise ValidationError (per field) or UserError."""
        raise NotImplementedError

    def accept(self) -> None:
        self.errors.clear()
        try:
            self.save()
        except ValidationError as exc:
            orphans = self.errors.show(exc.fields)
            if orphans:
                messages.warn(self, "Saisie incomplète", "\n".join(orphans))
            return
        except UserError as exc:
            messages.show_error(self, exc)
            return
        super().accept()
