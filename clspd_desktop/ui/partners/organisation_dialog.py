"""Create or edit an organisation (partner institution)."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import Organisation, OrganisationCategory
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.form_dialog import FormDialog


class OrganisationDialog(FormDialog):
    def __init__(self, ctx: AppContext, organisation: Organisation | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Modifier l'organisation" if organisation else "Nouvelle organisation", parent)
        self.ctx = ctx
        self.organisation = organisation or Organisation(name="")
        org = self.organisation
        self.name = self.add_field("Nom *", QLineEdit(org.name), "name")
        self.category = self.add_field(
            "Catégorie", ChoiceBox((c.label, c) for c in OrganisationCategory), "category")
        self.category.select(org.category)
        self.address = self.add_field("Adresse", QLineEdit(org.address), "address")
        self.postal_code = self.add_field("Code postal", QLineEdit(org.postal_code), "postal_code")
        self.postal_code.setMaximumWidth(110)
        self.city = self.add_field("Commune", QLineEdit(org.city), "city")
        self.phone = self.add_field("Téléphone", QLineEdit(org.phone), "phone")
        self.phone.setPlaceholderText("01 23 45 67 89")
        self.email = self.add_field("E-mail", QLineEdit(org.email), "email")
        self.notes = self.add_field("Notes", QPlainTextEdit(org.notes), "notes")
        self.notes.setFixedHeight(70)
        self.name.setFocus()

    def save(self) -> None:
        edited = Organisation(
            id=self.organisation.id, name=self.name.text(), category=self.category.value(),
            address=self.address.text(), postal_code=self.postal_code.text(), city=self.city.text(),
            phone=self.phone.text(), email=self.email.text(), notes=self.notes.toPlainText(),
        )
        self.organisation = self.ctx.runner.call(partial(ops.save_organisation, organisation=edited))
