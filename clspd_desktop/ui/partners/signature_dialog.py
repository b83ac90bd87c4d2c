"""A signature of the charte déontologique, and its end (withdrawal or exclusion) when there is one."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import CharterEndReason, CharterSignature
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui.partners.membership_dialog import read_dates
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.form_dialog import FormDialog


def default_charter_version(ctx: AppContext) -> str:
    council = ctx.store.council.get()
    return council.charter_version if council else ""


class SignatureDialog(FormDialog):
    def __init__(self, ctx: AppContext, contact_id: int, contact_name: str,
                 signature: CharterSignature | None = None, parent: QWidget | None = None) -> None:
        super().__init__(f"Charte déontologique — {contact_name}", parent)
        self.ctx = ctx
        self.signature = signature or CharterSignature(
            contact_id=contact_id, charter_version=default_charter_version(ctx), signed_on=date.today())
        s = self.signature
        self.version = self.add_field("Version de la charte *", QLineEdit(s.charter_version), "charter_version")
        self.signed_on = self.add_field("Signée le *", DateField(s.signed_on), "signed_on")
        self.end_reason = self.add_field(
            "Fin de validité",
            ChoiceBox([("Aucune (signature en cours)", None), *((r.label, r) for r in CharterEndReason)]),
            "end_reason")
        self.end_reason.select(s.end_reason)
        self.ended_on = self.add_field("Date du retrait ou de l'exclusion", DateField(s.ended_on), "ended_on")
        self.notes = self.add_field("Notes", QPlainTextEdit(s.notes), "notes")
        self.notes.setFixedHeight(60)
        self.end_reason.currentIndexChanged.connect(self._sync_end)
        self._sync_end()

    def _sync_end(self) -> None:
        ended = self.end_reason.value() is not None
        self.ended_on.setEnabled(ended)
        if not ended:
            self.ended_on.clear()

    def save(self) -> None:
        """Dates typed wrongly are refused here; what a signature needs is checked by the operation."""
        errors: dict[str, str] = {}
        dates = read_dates(errors, signed_on=self.signed_on, ended_on=self.ended_on)
        if errors:
            raise ValidationError(errors)
        edited = CharterSignature(
            id=self.signature.id, contact_id=self.signature.contact_id, charter_version=self.version.text(),
            signed_on=dates["signed_on"], ended_on=dates["ended_on"], end_reason=self.end_reason.value(),
            notes=self.notes.toPlainText(),
        )
        self.signature = self.ctx.runner.call(partial(ops.save_signature, signature=edited))
