"""A referent's memberships (plenary, restricted formation, working groups) and charter signatures.

Each change is saved as soon as its own small dialog is accepted (those ask before losing what was typed),
so this window itself never holds unsaved edits. It follows the dispatcher: a membership added from the
Formations tab, or an undo, shows here at once.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.context import AppContext
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.directory import Contact, Membership
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.partners.columns import MEMBERSHIP_COLUMNS, SIGNATURE_COLUMNS, MembershipRow
from clspd_desktop.ui.partners.membership_dialog import MembershipDialog
from clspd_desktop.ui.partners.signature_dialog import SignatureDialog
from clspd_desktop.ui.partners.wording import quoted
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.record_table import RecordTable


def _section(title: str, table: RecordTable, *buttons: QPushButton) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.addWidget(table)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    return box


class ContactRecordDialog(QDialog):
    def __init__(self, ctx: AppContext, contact: Contact, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.contact = contact
        self.setWindowTitle(f"Appartenances et charte — {contact.full_name}")
        self.resize(820, 560)
        layout = QVBoxLayout(self)
        heading = QLabel(contact.full_name + (f" — {contact.function}" if contact.function else ""))
        heading.setTextFormat(Qt.TextFormat.PlainText)
        theme.set_relative_size(heading, 1.2, bold=True)
        layout.addWidget(heading)

        self.memberships = RecordTable(MEMBERSHIP_COLUMNS, identity=lambda r: r.membership.id, name="Appartenances")
        self.add_membership_button = QPushButton("Ajouter une appartenance…")
        self.edit_membership_button = QPushButton("Modifier…")
        self.delete_membership_button = QPushButton("Supprimer")
        layout.addWidget(_section("Formations du conseil", self.memberships, self.add_membership_button,
                                  self.edit_membership_button, self.delete_membership_button), 1)

        self.signatures = RecordTable(SIGNATURE_COLUMNS, identity=lambda s: s.id, name="Signatures de la charte")
        self.add_signature_button = QPushButton("Enregistrer une signature…")
        self.edit_signature_button = QPushButton("Modifier / retrait ou exclusion…")
        self.delete_signature_button = QPushButton("Supprimer")
        layout.addWidget(_section("Charte déontologique", self.signatures, self.add_signature_button,
                                  self.edit_signature_button, self.delete_signature_button), 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.add_membership_button.clicked.connect(self.add_membership)
        self.edit_membership_button.clicked.connect(self.edit_membership)
        self.memberships.open_requested.connect(self.edit_membership)
        self.delete_membership_button.clicked.connect(self.delete_membership)
        self.memberships.delete_requested.connect(self.delete_membership)
        self.add_signature_button.clicked.connect(self.add_signature)
        self.edit_signature_button.clicked.connect(self.edit_signature)
        self.signatures.open_requested.connect(self.edit_signature)
        self.delete_signature_button.clicked.connect(self.delete_signature)
        self.signatures.delete_requested.connect(self.delete_signature)
        ctx.runner.dispatcher.subscribe(self, {Change.FORMATIONS}, self._on_changes)
        self.reload()

    def _on_changes(self, changes: OpChanges) -> None:
        self.reload()

    def reload(self) -> None:
        names = {f.id: f.display_name for f in self.ctx.store.formations.formations()}
        self.memberships.set_records(
            MembershipRow(m, names.get(m.formation_id, "")) for m in
            self.ctx.store.formations.memberships_of(self.contact.id))
        self.signatures.set_records(self.ctx.store.formations.signatures_of(self.contact.id))

    def add_membership(self) -> None:
        modal.run(MembershipDialog(self.ctx, Membership(formation_id=0, contact_id=self.contact.id),
                                   self.contact.full_name, self))

    def edit_membership(self) -> None:
        row = self.memberships.current_record()
        if row is not None:
            modal.run(MembershipDialog(self.ctx, row.membership, self.contact.full_name, self))

    def delete_membership(self) -> None:
        row = self.memberships.current_record()
        if row is None:
            return
        if messages.confirm(self, "Supprimer l'appartenance",
                            f"Retirer {self.contact.full_name} de « {row.formation_name} » ?\n"
                            "Pour garder l'historique, indiquez plutôt une date de fin.", "Supprimer"):
            self.ctx.runner.run(partial(ops.delete_membership, membership_id=row.membership.id), parent=self,
                                undo=f"Retrait de {quoted(self.contact.full_name)} de {quoted(row.formation_name)}")

    def add_signature(self) -> None:
        modal.run(SignatureDialog(self.ctx, self.contact.id, self.contact.full_name, parent=self))

    def edit_signature(self) -> None:
        signature = self.signatures.current_record()
        if signature is not None:
            modal.run(SignatureDialog(self.ctx, self.contact.id, self.contact.full_name, signature, self))

    def delete_signature(self) -> None:
        signature = self.signatures.current_record()
        if signature is None:
            return
        if messages.confirm(self, "Supprimer la signature",
                            f"Supprimer la signature du {short_date(signature.signed_on)} "
                            f"(« {signature.charter_version} ») ?\nPour un retrait ou une exclusion, "
                            "modifiez plutôt la signature : l'historique est conservé.", "Supprimer"):
            self.ctx.runner.run(partial(ops.delete_signature, signature_id=signature.id), parent=self,
                                undo=f"Suppression de la signature de {quoted(self.contact.full_name)}")
