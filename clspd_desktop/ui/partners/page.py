"""Partenaires: organisations, referents, formations and working groups, the charter warning, import,
export and PDF lists.

Each tab and the charter warning subscribe to the change dispatcher for what they show: a change made here,
in another area or by a restore appears at once (or when the tab is next shown), and no tab refreshes
another.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QTabWidget, QToolBar, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.partners.charter_banner import CharterBanner
from clspd_desktop.ui.partners.charter_tab import CharterTab
from clspd_desktop.ui.partners.contacts_tab import ContactsTab
from clspd_desktop.ui.partners.formations_tab import FormationsTab
from clspd_desktop.ui.partners.import_dialog import ImportDialog
from clspd_desktop.ui.partners.organisations_tab import OrganisationsTab
from clspd_desktop.ui.partners.tab import PartnersTab
from clspd_desktop.ui.widgets import modal

XLSX_FILTER = "Classeur Excel (*.xlsx)"
CSV_FILTER = "Fichier CSV (*.csv)"
PDF_FILTER = "Document PDF (*.pdf)"


class PartnersPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel("Partenaires")
        theme.set_relative_size(title, 1.6, bold=True)
        layout.addWidget(title)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.import_action = self._tool("Importer…", self.import_partners,
                                        "Importer des partenaires depuis un fichier CSV ou Excel")
        self.toolbar.addSeparator()
        self.export_xlsx_action = self._tool("Exporter en Excel (.xlsx)…", self.export_xlsx,
                                             "Enregistrer l'annuaire dans un classeur Excel")
        self.export_csv_action = self._tool("Exporter en CSV…", self.export_csv,
                                            "Enregistrer l'annuaire dans un fichier CSV lisible par Excel")
        self.toolbar.addSeparator()
        self.directory_pdf_action = self._tool("Annuaire (PDF)…", self.directory_pdf,
                                               "Imprimer l'annuaire des partenaires")
        self.composition_pdf_action = self._tool("Composition (PDF)…", self.composition_pdf,
                                                 "Imprimer la composition du conseil dans l'ordre protocolaire")
        layout.addWidget(self.toolbar)

        self.banner = CharterBanner()
        layout.addWidget(self.banner)

        self.tabs = QTabWidget()
        self.organisations = OrganisationsTab(ctx)
        self.contacts = ContactsTab(ctx)
        self.formations = FormationsTab(ctx)
        self.charter = CharterTab(ctx)
        self.tabs.addTab(self.organisations, "Organisations")
        self.tabs.addTab(self.contacts, "Référents")
        self.tabs.addTab(self.formations, "Formations et groupes")
        self.tabs.addTab(self.charter, "Charte déontologique")
        layout.addWidget(self.tabs, 1)

        self.new_action = self._shortcut("Nouveau", "Ctrl+N", lambda: self.current_tab().new())
        self.search_action = self._shortcut("Rechercher", "Ctrl+F", lambda: self.current_tab().focus_search())
        # the warning lists referents by name and organisation, and members of confidential groups
        ctx.runner.dispatcher.subscribe(self, {Change.DIRECTORY, Change.FORMATIONS}, self._on_changes)
        self.show_charter_warning()

    def _tool(self, text: str, slot: Callable[[], None], tip: str) -> QAction:
        action = self.toolbar.addAction(text)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _shortcut(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def current_tab(self) -> PartnersTab:
        return self.tabs.currentWidget()

    def _on_changes(self, changes: OpChanges) -> None:
        self.show_charter_warning()

    def show_charter_warning(self) -> None:
        self.banner.show_members(self.ctx.store.formations.unsigned_confidential_members())

    def reload(self) -> None:
        """Read everything again (tests that wrote through the repositories directly)."""
        self.organisations.reload()
        self.contacts.reload()
        self.formations.reload()
        self.charter.reload()
        self.show_charter_warning()

    # --- toolbar -------------------------------------------------------------------------------------
    def import_partners(self) -> None:
        """The import dialog writes through its operation: the tabs hear of it from the dispatcher."""
        modal.run(ImportDialog(self.ctx, self))

    def _export(self, kind: str, title: str, stem: str, suffix: str, filters: str, done: str) -> bool:
        """Ask where, then write on the worker (1 500 referents in Excel or PDF take a while)."""
        suggested = self.ctx.paths.exports_dir / f"{stem}-{date.today().isoformat()}{suffix}"
        target = messages.save_file(self, title, suggested, filters)
        if target is None:
            return False
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        return self.ctx.runner.start(
            partial(ops.export_directory, kind=kind, path=target), parent=self, label=f"{title}…",
            on_success=lambda written: messages.inform(self, title, f"{done}\n{written}"))

    def export_xlsx(self) -> bool:
        return self._export("xlsx", "Exporter l'annuaire en Excel", "annuaire-partenaires", ".xlsx", XLSX_FILTER,
                            "L'annuaire a été exporté dans :")

    def export_csv(self) -> bool:
        return self._export("csv", "Exporter l'annuaire en CSV", "annuaire-partenaires", ".csv", CSV_FILTER,
                            "L'annuaire a été exporté dans :")

    def directory_pdf(self) -> bool:
        return self._export("directory_pdf", "Annuaire des partenaires (PDF)", "annuaire-partenaires", ".pdf",
                            PDF_FILTER, "L'annuaire a été enregistré dans :")

    def composition_pdf(self) -> bool:
        return self._export("composition_pdf", "Composition du conseil (PDF)", "composition-conseil", ".pdf",
                            PDF_FILTER, "La composition a été enregistrée dans :")

