"""Formations et groupes: the plenary, the restricted formation and working groups, with their members."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.directory import Formation, FormationKind
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import UserError
from clspd_desktop.services.operations import Change
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.partners.add_members_dialog import AddMembersDialog
from clspd_desktop.ui.partners.columns import FORMATION_COLUMNS, MEMBER_COLUMNS, FormationRow, MemberRow
from clspd_desktop.ui.partners.membership_dialog import MembershipDialog
from clspd_desktop.ui.partners.tab import PartnersTab, button_row
from clspd_desktop.ui.partners.wording import quoted
from clspd_desktop.ui.partners.working_group_dialog import WorkingGroupDialog
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.record_table import RecordTable


def in_sentence(formation: Formation) -> str:
    """'la formation plénière', 'le groupe de travail « Tranquillité »' (the user's name left as typed)."""
    if formation.kind is FormationKind.WORKING_GROUP:
        return f"le groupe de travail « {formation.name} »"
    return f"la {formation.kind.label[0].lower()}{formation.kind.label[1:]}"


def from_formation(formation: Formation) -> str:
    """'de la formation plénière', 'du groupe de travail « X »'."""
    phrase = in_sentence(formation)
    return "du" + phrase[2:] if phrase.startswith("le ") else "de " + phrase


class FormationsTab(PartnersTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        # groups and members, and the referents' names, organisations and signatures shown beside them
        super().__init__(ctx, {Change.FORMATIONS, Change.DIRECTORY}, parent)
        self._loading = False
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Vertical)  # members get the full width
        layout.addWidget(splitter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        # formations keep the council's order (plenary, restricted, then groups): no sorting here
        self.formations = RecordTable(FORMATION_COLUMNS, identity=lambda r: r.formation.id, sortable=False,
                                      name="Formations et groupes")
        left_layout.addWidget(self.formations, 1)
        self.new_button = QPushButton("Nouveau groupe de travail…")
        self.new_button.setToolTip("Ctrl+N")
        self.edit_button = QPushButton("Modifier…")
        self.delete_button = QPushButton("Supprimer")
        left_layout.addLayout(button_row(self.new_button, self.edit_button, self.delete_button))
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        theme.set_relative_size(self.heading, 1.2, bold=True)
        self.description = QLabel()
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.description.setWordWrap(True)
        self.description.setStyleSheet(f"color: {theme.colours().muted};")
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.description)
        self.include_past = QCheckBox("Afficher aussi les anciens membres")
        right_layout.addWidget(self.include_past)
        self.members = RecordTable(MEMBER_COLUMNS, identity=lambda r: r.item.membership.id, name="Membres")
        right_layout.addWidget(self.members, 1)
        self.add_members_button = QPushButton("Ajouter des membres…")
        self.edit_member_button = QPushButton("Modifier l'appartenance…")
        self.remove_member_button = QPushButton("Retirer de la formation")
        right_layout.addLayout(button_row(self.add_members_button, self.edit_member_button,
                                          self.remove_member_button))
        splitter.addWidget(right)
        splitter.setSizes([200, 500])

        self.formations.selectionModel().selectionChanged.connect(self._show_members)
        self.include_past.toggled.connect(self._show_members)
        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.formations.open_requested.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.formations.delete_requested.connect(self.delete)
        self.add_members_button.clicked.connect(self.add_members)
        self.edit_member_button.clicked.connect(self.edit_member)
        self.members.open_requested.connect(self.edit_member)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.members.delete_requested.connect(self.remove_member)

    def load(self) -> None:
        formations = self.ctx.store.formations
        counts = formations.member_counts()
        self._loading = True  # the selection is restored below: the members are read once, after
        try:
            self.formations.set_records(FormationRow(f, counts.get(f.id, 0)) for f in formations.formations())
            if self.formations.current_record() is None:
                self.formations.selectRow(0)
        finally:
            self._loading = False
        self._show_members()

    def current(self) -> Formation | None:
        row = self.formations.current_record()
        return row.formation if row else None

    def focus_search(self) -> None:
        """No search box here: Ctrl+F puts the keyboard in the members list."""
        self.members.setFocus()

    def _show_members(self) -> None:
        if self._loading:
            return
        formation = self.current()
        items = self.ctx.store.formations.members(formation.id, include_past=self.include_past.isChecked()) \
            if formation else []
        self.members.set_records(MemberRow(n, item) for n, item in enumerate(items, 1))
        if formation is None:
            self.heading.setText("Sélectionnez une formation")
            self.description.clear()
        else:
            kind = formation.wg_type.label.lower() if formation.wg_type else ""
            details = [f"groupe {kind}"] if kind else []
            if formation.confidential:
                details.append("confidentiel : réservé aux signataires de la charte")
            details.append(plural(len(items), "membre", "membres") + " (ordre protocolaire)")
            self.heading.setText(f"{formation.display_name} — " + ", ".join(details))
            self.description.setText(formation.description)
            self.description.setVisible(bool(formation.description))
        is_group = formation is not None and formation.kind is FormationKind.WORKING_GROUP
        self.edit_button.setEnabled(is_group)
        self.delete_button.setEnabled(is_group)
        self.add_members_button.setEnabled(formation is not None)

    # --- groups --------------------------------------------------------------------------------------
    def new(self) -> None:
        dialog = WorkingGroupDialog(self.ctx, parent=self)
        if modal.run(dialog):
            self.formations.select_where(lambda r: r.formation.id == dialog.formation.id)

    def edit(self) -> None:
        formation = self.current()
        if formation is None:
            return
        if formation.kind is not FormationKind.WORKING_GROUP:
            messages.inform(self, formation.display_name,
                            "Les formations plénière et restreinte sont fixées par la loi : seule leur "
                            "composition se modifie, avec « Ajouter des membres… ».")
            return
        modal.run(WorkingGroupDialog(self.ctx, formation, self))

    def delete(self) -> None:
        formation = self.current()
        if formation is None or formation.kind is not FormationKind.WORKING_GROUP:
            return
        try:
            ops.check_working_group_deletable(self.ctx.store, formation.id)
        except UserError as exc:
            messages.show_error(self, exc, "Suppression impossible")
            return
        count = len(self.ctx.store.formations.members(formation.id, include_past=True))
        if not messages.confirm(self, "Supprimer le groupe de travail",
                                f"Supprimer {in_sentence(formation)} ?\n\n"
                                f"Ses {plural(count, 'appartenance', 'appartenances', feminine=True)} seront aussi "
                                "supprimées (les référents restent dans l'annuaire). Édition > Annuler (Ctrl+Z) le "
                                "rétablit.",
                                "Supprimer"):
            return
        self.ctx.runner.run(partial(ops.delete_working_group, formation_id=formation.id), parent=self,
                            undo=f"Suppression du groupe {quoted(formation.name)}")

    # --- members -------------------------------------------------------------------------------------
    def add_members(self) -> None:
        formation = self.current()
        if formation is not None:
            modal.run(AddMembersDialog(self.ctx, formation, self))

    def edit_member(self) -> None:
        row = self.members.current_record()
        if row is not None:
            modal.run(MembershipDialog(self.ctx, row.item.membership, row.item.contact.full_name, self))

    def remove_member(self) -> None:
        row = self.members.current_record()
        formation = self.current()
        if row is None or formation is None:
            return
        if not messages.confirm(self, "Retirer de la formation",
                                f"Retirer {row.item.contact.full_name} {from_formation(formation)} ?\n\n"
                                "L'appartenance est effacée. Pour garder l'historique, indiquez plutôt une date "
                                "de fin avec « Modifier l'appartenance… ».", "Retirer"):
            return
        self.ctx.runner.run(partial(ops.delete_membership, membership_id=row.item.membership.id), parent=self,
                            undo=f"Retrait de {quoted(row.item.contact.full_name)}")
