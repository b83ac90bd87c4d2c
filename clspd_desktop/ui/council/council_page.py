"""The Conseil screen: the same sections as the assistant, editable at any time, and the obligations."""

from __future__ import annotations

import copy
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.validation import validate_council
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import council as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.council.council_form import CommunesSection, GovernanceSection, IdentitySection
from clspd_desktop.ui.council.documents_tab import CouncilDocumentsTab
from clspd_desktop.ui.council.individual_tab import IndividualTab
from clspd_desktop.ui.council.obligations_view import ObligationsView
from clspd_desktop.ui.widgets.unsaved import ask_before_losing


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class CouncilPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # the collectivité's name, as typed
        theme.set_relative_size(self.heading, 1.45, bold=True)
        layout.addWidget(self.heading)
        self.tabs = QTabWidget()
        self.identity = IdentitySection()
        self.communes = CommunesSection()
        self.governance = GovernanceSection()
        self.obligations = ObligationsView(ctx.rules, data_dir=ctx.paths.data_dir)
        self.tabs.addTab(_scrolling(self.identity), "Identité")
        self.tabs.addTab(self.communes, "Communes membres")
        self.tabs.addTab(_scrolling(self.governance), "Présidence et coordination")
        self.tabs.addTab(self.obligations, "Obligations légales")
        self.documents = CouncilDocumentsTab(ctx)
        self.tabs.addTab(_scrolling(self.documents), "Documents et RGPD")
        self.individual = IndividualTab(ctx)
        self.tabs.addTab(_scrolling(self.individual), "Suivi individuel")
        layout.addWidget(self.tabs)
        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setStyleSheet(f"color: {theme.colours().muted};")
        buttons.addWidget(self.status)
        buttons.addStretch()
        self.revert_button = QPushButton("Annuler les modifications")
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton("Enregistrer (Ctrl+S)")
        self.save_button.setDefault(True)
        theme.show_focus_frame(self.save_button)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.identity.kind_group.buttonToggled.connect(lambda *_: self.communes.set_kind(self.identity.kind()))
        self.stored: Council | None = None
        self.revert()
        ctx.runner.dispatcher.subscribe(self, {Change.COUNCIL}, self._on_changes)

    def _on_changes(self, changes: OpChanges) -> None:
        self.refresh()

    def form_council(self) -> Council:
        council = copy.deepcopy(self.stored)
        for section in (self.identity, self.communes, self.governance):
            section.apply_to(council)
        return council

    def has_unsaved_changes(self) -> bool:
        return self.stored is not None and vars(self.form_council()) != vars(self.stored)

    def refresh(self) -> None:
        """Called when the area is shown or the council changed: reload unless the user has edits in progress."""
        if not self.has_unsaved_changes():
            self.revert()

    def can_leave(self) -> bool:
        """Asked by the main window before another area is shown and before it closes; « Ne pas enregistrer »
        puts the saved council back in the fields."""
        if not self.has_unsaved_changes():
            return True
        if not ask_before_losing(self, "La fiche du conseil", self.save):
            return False
        if self.has_unsaved_changes():
            self.revert()
        return True

    def revert(self) -> None:
        self.stored = self.ctx.store.council.get()
        if self.stored is None:
            return
        for section in (self.identity, self.communes, self.governance):
            section.load(self.stored)
        self._clear_errors()
        self._show_saved_state()

    def _show_saved_state(self) -> None:
        self.heading.setText(f"{self.stored.title}")
        self.obligations.show_for(self.stored)
        self.status.setText("")

    def _clear_errors(self) -> None:
        self.identity.errors.clear()
        self.governance.errors.clear()
        self.communes.show_error("")

    def _problems(self, council: Council) -> dict[str, str]:
        """Dates the fields could not read, with the other fields' problems so that all show at once."""
        problems = self.governance.date_errors()
        if problems:
            try:
                validate_council(copy.deepcopy(council))
            except ValidationError as exc:
                problems.update(exc.fields)
        return problems

    def save(self) -> bool:
        council = self.form_council()
        problems = self._problems(council)
        if not problems:
            try:
                self.ctx.runner.call(partial(ops.save_council, council=council))
            except ValidationError as exc:
                problems = exc.fields
            except UserError as exc:
                messages.show_error(self, exc, "Enregistrement impossible")
                return False
        if problems:
            self._clear_errors()
            self.identity.errors.show(problems)
            self.governance.errors.show(problems)
            self.communes.show_error(problems.get("communes", ""))
            messages.warn(self, "Enregistrement impossible",
                          "Corrigez les champs signalés en rouge :\n" + "\n".join(f"• {m}" for m in problems.values()))
            return False
        self.revert()
        self.status.setText("Modifications enregistrées.")
        return True
