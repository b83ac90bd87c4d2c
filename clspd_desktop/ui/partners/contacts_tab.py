"""Référents: every person named by a partner, searchable and filterable, with their charter status."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import Contact, ContactListItem
from clspd_desktop.services.operations import Change
from clspd_desktop.ui.partners import contact_actions
from clspd_desktop.ui.partners.columns import CONTACT_COLUMNS
from clspd_desktop.ui.partners.filter_bar import FilterBar
from clspd_desktop.ui.partners.tab import PartnersTab, button_row
from clspd_desktop.ui.widgets.record_table import RecordTable


class ContactsTab(PartnersTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        # referents, their organisation's name, and memberships (the formation filter, the charter column)
        super().__init__(ctx, {Change.DIRECTORY, Change.FORMATIONS}, parent)
        self._items: dict[int, ContactListItem] = {}
        layout = QVBoxLayout(self)
        self.filters = FilterBar("Rechercher un référent (nom, fonction, e-mail, organisation)…")
        layout.addWidget(self.filters)
        self.new_button = QPushButton("Nouveau référent…")
        self.new_button.setToolTip("Ctrl+N")
        self.edit_button = QPushButton("Modifier…")
        self.record_button = QPushButton("Appartenances et charte…")
        self.delete_button = QPushButton("Supprimer")
        layout.addLayout(button_row(self.new_button, self.edit_button, self.record_button, self.delete_button))
        self.table = RecordTable(CONTACT_COLUMNS, identity=lambda i: i.contact.id, name="Référents")
        layout.addWidget(self.table, 1)

        self.filters.changed.connect(self.show_contacts)
        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.table.open_requested.connect(self.edit)
        self.record_button.clicked.connect(self.edit_record)
        self.delete_button.clicked.connect(self.delete)
        self.table.delete_requested.connect(self.delete)

    def load(self) -> None:
        """Read every referent once, with the formations of the filter (after any change)."""
        self.filters.set_formations(self.ctx.store.formations.formations())
        self._items = {item.contact.id: item for item in self.ctx.store.directory.contacts()}
        self.show_contacts()

    def show_contacts(self) -> None:
        """The referents matching the filters. Each keystroke asks SQLite for the matching ids only and
        shows the rows already read."""
        filters = self.filters
        if filters.query.strip() or filters.category_value is not None or filters.formation_id is not None:
            ids = self.ctx.store.directory.contact_ids(filters.query, filters.category_value, filters.formation_id)
            items = [self._items[i] for i in ids if i in self._items]
        else:
            items = list(self._items.values())
        self.table.set_records(items)
        filters.show_count(len(items), len(self._items), "référent", "référents")

    def current(self) -> Contact | None:
        item = self.table.current_record()
        return item.contact if item else None

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def new(self) -> None:
        contact = contact_actions.new_contact(self.ctx, self)
        if contact is not None:
            self.table.select_where(lambda i: i.contact.id == contact.id)

    def edit(self) -> None:
        contact = self.current()
        if contact is not None:
            contact_actions.edit_contact(self.ctx, self, contact)

    def edit_record(self) -> None:
        contact = self.current()
        if contact is not None:
            contact_actions.edit_record(self.ctx, self, contact)

    def delete(self) -> None:
        contact = self.current()
        if contact is not None:
            contact_actions.delete_contact(self.ctx, self, contact)
