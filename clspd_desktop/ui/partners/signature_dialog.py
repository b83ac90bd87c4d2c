"""A signature of the charte déontologique, and its end (withdrawal or exclusion) when there is one."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import CharterEndReason, CharterSignature
from clspd_desktop.errors import ValidationError
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
        errors: dict[str, str] = {}
        dates = read_dates(errors, signed_on=self.signed_on, ended_on=self.ended_on)
        signed_on, ended_on = dates.get("signed_on"), dates.get("ended_on")
        version = self.version.text().strip()
        if not version:
            errors["charter_version"] = "Indiquez la version de la charte signée."
        if "signed_on" not in errors and signed_on is None:
            errors["signed_on"] = "Indiquez la date de signature."
        reason = self.end_reason.value()
        if reason is not None and "ended_on" not in errors and ended_on is None:
            errors["ended_on"] = f"Indiquez la date du {reason.label.lower()}."
        if signed_on and ended_on and ended_on < signed_on:
            errors["ended_on"] = "Cette date précède la date de signature."
        if errors:
            raise ValidationError(errors)
        self.signature = self.ctx.store.formations.save_signature(CharterSignature(
            id=self.signature.id, contact_id=self.signature.contact_id, charter_version=version,
            signed_on=signed_on, ended_on=ended_on if reason else None, end_reason=reason,
            notes=self.notes.toPlainText(),
        ))
