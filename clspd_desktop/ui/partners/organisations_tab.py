"""Organisations: the filtered, sortable list above, the selected organisation's referents below."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QPushButton, QSplitter, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import Organisation
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError
from clspd_desktop.services.operations import Change
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui import messages
from clspd_desktop.ui.partners import contact_actions
from clspd_desktop.ui.partners.columns import (
    ORGANISATION_COLUMNS,
    REFERENT_OF_ORGANISATION_COLUMNS,
    OrganisationRow,
)
from clspd_desktop.ui.partners.contact_actions import dependents_text
from clspd_desktop.ui.partners.filter_bar import FilterBar
from clspd_desktop.ui.partners.organisation_dialog import OrganisationDialog
from clspd_desktop.ui.partners.tab import PartnersTab, button_row
from clspd_desktop.ui.partners.wording import quoted
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.record_table import RecordTable


class OrganisationsTab(PartnersTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        # organisations, their referents, and the formation filter (memberships)
        super().__init__(ctx, {Change.DIRECTORY, Change.FORMATIONS}, parent)
        layout = QVBoxLayout(self)
        self.filters = FilterBar("Rechercher une organisation (nom, commune, e-mail, catégorie)…")
        layout.addWidget(self.filters)
        self.new_button = QPushButton("Nouvelle organisation…")
        self.new_button.setToolTip("Ctrl+N")
        self.edit_button = QPushButton("Modifier…")
        self.delete_button = QPushButton("Supprimer")
        layout.addLayout(button_row(self.new_button, self.edit_button, self.delete_button))

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = RecordTable(ORGANISATION_COLUMNS, identity=lambda r: r.organisation.id, name="Organisations")
        splitter.addWidget(self.table)
        self.referents_box = QGroupBox("Référents")
        lower = QVBoxLayout(self.referents_box)
        self.referents = RecordTable(REFERENT_OF_ORGANISATION_COLUMNS, identity=lambda c: c.id,
                                     name="Référents de l'organisation")
        lower.addWidget(self.referents)
        self.add_referent_button = QPushButton("Ajouter un référent…")
        self.edit_referent_button = QPushButton("Modifier le référent…")
        self.record_button = QPushButton("Appartenances et charte…")
        lower.addLayout(button_row(self.add_referent_button, self.edit_referent_button, self.record_button))
        splitter.addWidget(self.referents_box)
        splitter.setSizes([420, 220])
        layout.addWidget(splitter, 1)

        self._referent_counts: dict[int, int] = {}
        self._total = 0
        self.filters.changed.connect(self.show_organisations)
        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.table.open_requested.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.table.delete_requested.connect(self.delete)
        self.table.selectionModel().selectionChanged.connect(self._show_referents)
        self.add_referent_button.clicked.connect(self.add_referent)
        self.edit_referent_button.clicked.connect(self.edit_referent)
        self.referents.open_requested.connect(self.edit_referent)
        self.referents.delete_requested.connect(self.delete_referent)
        self.record_button.clicked.connect(self.edit_referent_record)
        self.reload()  # the tab the area opens on

    # --- loading -------------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the formations of the filter, the counts, then the list (after any change)."""
        directory = self.ctx.store.directory
        self.filters.set_formations(self.ctx.store.formations.formations())
        self._referent_counts = directory.organisation_contact_counts()
        self._total = directory.count_organisations()
        self.show_organisations()

    def show_organisations(self) -> None:
        """The organisations matching the filters (each keystroke: one query, the counts are kept)."""
        rows = [OrganisationRow(o, self._referent_counts.get(o.id, 0)) for o in self.ctx.store.directory.organisations(
            self.filters.query, self.filters.category_value, self.filters.formation_id)]
        self.table.set_records(rows)
        self.filters.show_count(len(rows), self._total, "organisation", "organisations")
        self._show_referents()

    def current(self) -> Organisation | None:
        row = self.table.current_record()
        return row.organisation if row else None

    def _show_referents(self) -> None:
        org = self.current()
        self.referents.set_records(self.ctx.store.directory.contacts_of(org.id) if org else [])
        self.referents_box.setTitle(f"Référents de « {org.name[:120]} »" if org else
                                    "Référents (sélectionnez une organisation)")
        for button in (self.add_referent_button, self.edit_referent_button, self.record_button):
            button.setEnabled(org is not None)

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    # --- organisations -------------------------------------------------------------------------------
    def new(self) -> None:
        dialog = OrganisationDialog(self.ctx, parent=self)
        if modal.run(dialog):
            self.table.select_where(lambda r: r.organisation.id == dialog.organisation.id)

    def edit(self) -> None:
        org = self.current()
        if org is not None:
            modal.run(OrganisationDialog(self.ctx, org, self))

    def delete(self) -> None:
        """Refused at once when it leads plan actions; else confirmed, then deleted after a snapshot (on the
        worker: the snapshot copies the whole database). Ctrl+Z brings everything back."""
        org = self.current()
        if org is None:
            return
        try:
            ops.check_organisation_deletable(self.ctx.store, org.id)
        except UserError as exc:
            messages.show_error(self, exc, "Suppression impossible")
            return
        contacts = self.ctx.store.directory.contacts_of(org.id)
        consequence = (f"Ses {plural(len(contacts), 'référent', 'référents')}, leurs "
                       f"{dependents_text(self.ctx, contacts)} seront aussi supprimés." if contacts
                       else "Elle n'a aucun référent.")
        if not messages.confirm(self, "Supprimer l'organisation",
                                f"Supprimer l'organisation « {org.name} » ?\n\n{consequence}\n"
                                "Un instantané de la base est enregistré juste avant (rubrique Sauvegardes), "
                                "et Édition > Annuler (Ctrl+Z) la rétablit.", "Supprimer"):
            return
        self.ctx.runner.start(partial(ops.delete_organisation, organisation_id=org.id), parent=self,
                              label="Suppression de l'organisation…", undo=f"Suppression de {quoted(org.name)}")

    # --- its referents -------------------------------------------------------------------------------
    def add_referent(self) -> None:
        org = self.current()
        if org is not None:
            contact_actions.new_contact(self.ctx, self, org.id)

    def edit_referent(self) -> None:
        contact = self.referents.current_record()
        if contact is not None:
            contact_actions.edit_contact(self.ctx, self, contact)

    def edit_referent_record(self) -> None:
        contact = self.referents.current_record()
        if contact is not None:
            contact_actions.edit_record(self.ctx, self, contact)

    def delete_referent(self) -> None:
        contact = self.referents.current_record()
        if contact is not None:
            contact_actions.delete_contact(self.ctx, self, contact)
