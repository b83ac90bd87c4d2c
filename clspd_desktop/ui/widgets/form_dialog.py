"""A dialog made of a form: "Enregistrer" runs `save()`; refused input keeps the dialog open with the
French messages next to the fields, and nothing is written. Closing it (Annuler, Échap, the window's
cross) with unsaved edits asks « Enregistrer / Ne pas enregistrer / Annuler »."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.ui import messages
from clspd_desktop.ui.accessibility import focus_chain, move_to_end_of_tab_order
from clspd_desktop.ui.widgets.form_errors import FormErrors
from clspd_desktop.ui.widgets.scrolling import scrolled
from clspd_desktop.ui.widgets.unsaved import ask_before_losing, field_state


class FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.errors = FormErrors()
        layout = QVBoxLayout(self)
        body = QWidget()  # the fields scroll when the screen is short (125 %, 150 %, 14 pt): the buttons stay
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        column.addLayout(self.form)
        column.addStretch(1)
        self.body_area = scrolled(body)
        layout.addWidget(self.body_area, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Enregistrer")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._saved_state: tuple[object, ...] | None = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._saved_state is None:  # the fields hold the record's values when first shown
            self.mark_saved()
            self.focus_first_field()

    def focus_first_field(self) -> None:
        """Open on the first field, and let Tab reach Enregistrer / Annuler after every field (a subclass
        may build its fields after the buttons)."""
        move_to_end_of_tab_order(self, self.buttons)
        chain = [w for w in focus_chain(self) if not self.buttons.isAncestorOf(w)]
        if chain:
            chain[0].setFocus(Qt.FocusReason.TabFocusReason)

    def mark_saved(self) -> None:
        """The fields as they are now count as saved (called when first shown)."""
        self._saved_state = field_state(self)

    def has_unsaved_changes(self) -> bool:
        return self._saved_state is not None and field_state(self) != self._saved_state

    def _try_save(self) -> bool:
        self.accept()
        return self.result() == QDialog.DialogCode.Accepted

    def reject(self) -> None:
        if self.has_unsaved_changes() and not ask_before_losing(self, f"« {self.windowTitle()} »", self._try_save):
            return
        if self.result() != QDialog.DialogCode.Accepted:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        event.ignore()
        self.reject()

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
