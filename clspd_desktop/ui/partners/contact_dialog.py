"""Create or edit a referent (the person an organisation names to the council)."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.civility import civility_forms
from clspd_desktop.domain.directory import Civility, Contact, ContactRole
from clspd_desktop.domain.text import sort_key
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui.partners.function_box import FunctionBox
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.form_dialog import FormDialog

CIVILITIES = (("—", Civility.NONE), ("Madame", Civility.MRS), ("Monsieur", Civility.MR))


class ContactDialog(FormDialog):
    def __init__(self, ctx: AppContext, contact: Contact | None = None, organisation_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Modifier le référent" if contact else "Nouveau référent", parent)
        self.ctx = ctx
        self.contact = contact or Contact(last_name="", organisation_id=organisation_id)
        c = self.contact
        self.civility = self.add_field("Civilité", ChoiceBox(CIVILITIES), "civility")
        self.civility.select(c.civility)
        self.first_name = self.add_field("Prénom", QLineEdit(c.first_name), "first_name")
        self.last_name = self.add_field("Nom *", QLineEdit(c.last_name), "last_name")
        # known functions (the parquet's chargé(e) de mission aux élus locaux…) offered, any other typed
        self.function = self.add_field("Fonction", FunctionBox(c.function, c.civility), "function")
        self.civility.currentIndexChanged.connect(lambda _index: self.function.offer(self.civility.value()))
        # how letters address the person; left empty, the form proposed from civility and function is used
        self.appellation = self.add_field("Appellation", QLineEdit(c.appellation), "appellation")
        self.appellation.setToolTip("Formule d'appel des courriers (« Monsieur le Préfet », « Madame la Maire »…). "
                                    "Laissée vide, celle proposée en grisé est utilisée.")
        self.civility.currentIndexChanged.connect(self._propose_appellation)
        self.function.textChanged.connect(self._propose_appellation)
        self._propose_appellation()
        self.email = self.add_field("E-mail", QLineEdit(c.email), "email")
        self.phone = self.add_field("Téléphone", QLineEdit(c.phone), "phone")
        self.phone.setPlaceholderText("01 23 45 67 89")
        organisations = sorted(ctx.store.directory.organisations(), key=lambda o: sort_key(o.name))
        self.organisation = self.add_field(
            "Organisation", ChoiceBox([("(aucune)", None), *((o.name, o.id) for o in organisations)]),
            "organisation_id")
        self.organisation.select(c.organisation_id)
        self.role = self.add_field("Rôle", ChoiceBox((r.label, r) for r in ContactRole), "role")
        self.role.select(c.role)
        self.notes = self.add_field("Notes", QPlainTextEdit(c.notes), "notes")
        self.notes.setFixedHeight(60)
        self.last_name.setFocus()

    def _propose_appellation(self) -> None:
        self.appellation.setPlaceholderText(
            civility_forms().proposed_appellation(self.civility.value(), self.function.text()))

    def save(self) -> None:
        edited = Contact(
            id=self.contact.id, civility=self.civility.value(), first_name=self.first_name.text(),
            last_name=self.last_name.text(), function=self.function.text(), email=self.email.text(),
            phone=self.phone.text(), organisation_id=self.organisation.value(), role=self.role.value(),
            notes=self.notes.toPlainText(), appellation=self.appellation.text(),
        )
        self.contact = self.ctx.runner.call(partial(ops.save_contact, contact=edited))
