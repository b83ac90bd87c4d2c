"""The Conseil screen: the same sections as the assistant, editable at any time, and the obligations."""

from __future__ import annotations

import copy

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.validation import validate_council
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.ui import messages
from clspd_desktop.ui.council.council_form import CommunesSection, GovernanceSection, IdentitySection
from clspd_desktop.ui.council.obligations_view import ObligationsView


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
        self.heading.setStyleSheet("font-size: 18px; font-weight: bold;")
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
        layout.addWidget(self.tabs)
        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setStyleSheet("color: #5f6b76;")
        buttons.addWidget(self.status)
        buttons.addStretch()
        self.revert_button = QPushButton("Annuler les modifications")
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton("Enregistrer (Ctrl+S)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.identity.kind_group.buttonToggled.connect(lambda *_: self.communes.set_kind(self.identity.kind()))
        self.stored: Council | None = None
        self.revert()

    def form_council(self) -> Council:
        council = copy.deepcopy(self.stored)
        for section in (self.identity, self.communes, self.governance):
            section.apply_to(council)
        return council

    def has_unsaved_changes(self) -> bool:
        return self.stored is not None and vars(self.form_council()) != vars(self.stored)

    def refresh(self) -> None:
        """Called when the area is shown: reload unless the user has edits in progress."""
        if not self.has_unsaved_changes():
            self.revert()

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

    def save(self) -> bool:
        council = self.form_council()
        problems = self.governance.date_errors()
        try:
            validate_council(council)
        except ValidationError as exc:
            problems.update(exc.fields)
        if problems:
            self._clear_errors()
            self.identity.errors.show(problems)
            self.governance.errors.show(problems)
            self.communes.show_error(problems.get("communes", ""))
            messages.warn(self, "Enregistrement impossible",
                          "Corrigez les champs signalés en rouge :\n" + "\n".join(f"• {m}" for m in problems.values()))
            return False
        try:
            self.ctx.store.council.save(council)
        except UserError as exc:
            messages.show_error(self, exc, "Enregistrement impossible")
            return False
        self.revert()
        self.status.setText("Modifications enregistrées.")
        return True
