"""The two small dialogs of the live attendance screen: "représenté par" and the walk-in."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import Contact
from clspd_desktop.errors import ValidationError
from clspd_desktop.ui import theme
from clspd_desktop.ui.meetings.common import ContactPicker
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.form_dialog import FormDialog


class RepresentedDialog(FormDialog):
    """Pick the representative among referents (type, Entrée) or type a free name."""

    def __init__(self, ctx: AppContext, person: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Représentation — {person}", parent)
        self.resize(640, 480)
        self.picker = self.add_field("Référent de l'annuaire", ContactPicker(ctx), "contact")
        self.free_name = self.add_field("ou nom libre", QLineEdit(), "represented_by")
        self.free_name.setPlaceholderText("Ex. : Cdt Leroy, adjoint au chef de circonscription")
        self.save_button.setText("Valider")
        self.name = ""
        self.contact_id: int | None = None
        self.picker.search.setFocus()

    def save(self) -> None:
        typed = self.free_name.text().strip()
        if typed:
            self.name, self.contact_id = typed, None
            return
        contact_id = self.picker.contact_id()
        if contact_id is None:
            raise ValidationError({"represented_by": "Choisissez un référent ou tapez le nom du représentant."})
        self.name, self.contact_id = self.picker.list.currentItem().text().split(" — ")[0], contact_id
        contact = self.picker.ctx.store.directory.get_contact(contact_id)
        if contact is not None:
            self.name = contact.full_name


class WalkInDialog(FormDialog):
    """Someone who was not invited: a new person (created in the directory) or a known referent."""

    def __init__(self, ctx: AppContext, exclude: set[int], parent: QWidget | None = None) -> None:
        super().__init__("Arrivée non prévue", parent)
        self.resize(660, 640)
        self.ctx = ctx
        self.last_name = self.add_field("Nom", QLineEdit(), "last_name")
        self.first_name = self.add_field("Prénom", QLineEdit(), "first_name")
        self.organisation = self.add_field("Organisation", ChoiceBox(
            [("(aucune)", None), *((o.name, o.id) for o in ctx.store.directory.organisations())]), "organisation")
        self.function = self.add_field("Fonction", QLineEdit(), "function")
        self.email = self.add_field("E-mail", QLineEdit(), "email")
        note = QLabel("… ou une personne déjà dans l'annuaire :")
        note.setStyleSheet(f"color: {theme.colours().muted};")
        self.form.addRow("", note)
        self.picker = self.add_field("Référent", ContactPicker(ctx, exclude), "contact")
        self.picker.search.setText("")
        self.save_button.setText("Enregistrer sa présence")
        self.contact: Contact | None = None
        self.last_name.setFocus()

    def save(self) -> None:
        if self.last_name.text().strip():
            self.contact = Contact(last_name=self.last_name.text().strip(), first_name=self.first_name.text().strip(),
                                   organisation_id=self.organisation.value(), function=self.function.text().strip(),
                                   email=self.email.text().strip())
            return
        if self.first_name.text().strip():
            raise ValidationError({"last_name": "Indiquez le nom de la personne."})
        if not self.picker.search.text().strip() or self.picker.contact_id() is None:
            raise ValidationError({"last_name": "Tapez le nom de la personne, ou cherchez-la dans l'annuaire."})
        self.contact = self.ctx.store.directory.get_contact(self.picker.contact_id())
