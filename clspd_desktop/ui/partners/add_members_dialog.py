"""Add several referents to a formation at once: tick them (search as you type), one category, one date."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import ContactListItem, Formation, MembershipCategory
from clspd_desktop.domain.text import sort_key
from clspd_desktop.errors import ValidationError
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.date_field import DateField
from clspd_desktop.ui.widgets.form_dialog import FormDialog
from clspd_desktop.ui.widgets.search_field import SearchField


def describe(item: ContactListItem) -> str:
    parts = [item.contact.sort_name, item.organisation_name, item.contact.function]
    return " — ".join(p for p in parts if p)


class AddMembersDialog(FormDialog):
    def __init__(self, ctx: AppContext, formation: Formation, parent: QWidget | None = None) -> None:
        super().__init__(f"Ajouter des membres — {formation.display_name}", parent)
        self.resize(700, 620)
        self.ctx = ctx
        self.formation = formation
        self.checked: set[int] = set()
        self.added = 0
        self._current_members = {m.contact.id for m in ctx.store.formations.members(formation.id)}

        picker = QWidget()
        box = QVBoxLayout(picker)
        box.setContentsMargins(0, 0, 0, 0)
        self.search = SearchField("Rechercher un référent (nom, organisation, fonction)…")
        box.addWidget(self.search)
        self.list = QListWidget()
        self.list.setMinimumHeight(320)
        box.addWidget(self.list)
        self.summary = QLabel()
        box.addWidget(self.summary)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.add_field("Référents à ajouter", picker, "contacts")
        self.category = self.add_field(
            "Catégorie de membre", ChoiceBox((c.label, c) for c in MembershipCategory), "category")
        self.category.select(MembershipCategory.DESIGNE)
        self.start = self.add_field("Membre depuis le", DateField(date.today()), "start_date")
        self.save_button.setText("Ajouter")

        self.search.textChanged.connect(self.fill)
        self.list.itemChanged.connect(self._on_item_changed)
        self.fill()
        self.search.setFocus()

    def fill(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        found = self.ctx.store.directory.contacts(self.search.text())
        for item in sorted(found, key=lambda i: sort_key(i.contact.sort_name)):  # É sorts with E
            if item.contact.id in self._current_members:
                continue
            entry = QListWidgetItem(describe(item))
            entry.setData(Qt.ItemDataRole.UserRole, item.contact.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if item.contact.id in self.checked else Qt.CheckState.Unchecked)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        self._update_summary()

    def set_checked(self, contact_id: int, checked: bool = True) -> None:
        for row in range(self.list.count()):
            entry = self.list.item(row)
            if entry.data(Qt.ItemDataRole.UserRole) == contact_id:
                entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _on_item_changed(self, entry: QListWidgetItem) -> None:
        contact_id = entry.data(Qt.ItemDataRole.UserRole)
        if entry.checkState() == Qt.CheckState.Checked:
            self.checked.add(contact_id)
        else:
            self.checked.discard(contact_id)
        self._update_summary()

    def _update_summary(self) -> None:
        n = len(self.checked)
        self.summary.setText("Aucun référent coché." if n == 0 else
                             f"{n} référent{'s' if n > 1 else ''} coché{'s' if n > 1 else ''}.")

    def save(self) -> None:
        errors: dict[str, str] = {}
        if not self.checked:
            errors["contacts"] = "Cochez au moins un référent."
        try:
            start = self.start.value()
        except ValueError as exc:
            errors["start_date"] = str(exc)
        if errors:
            raise ValidationError(errors)
        self.added = self.ctx.runner.call(partial(
            ops.add_members, formation_id=self.formation.id, contact_ids=self.checked,
            category=self.category.value(), start_date=start))
