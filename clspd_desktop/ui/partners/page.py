"""Partenaires: organisations, referents, formations and working groups, the charter warning, import,
export and PDF lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QTabWidget, QToolBar, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.ui.file_export import produce_file
from clspd_desktop.ui.partners.charter_banner import CharterBanner
from clspd_desktop.ui.partners.contacts_tab import ContactsTab
from clspd_desktop.ui.partners.formations_tab import FormationsTab
from clspd_desktop.ui.partners.organisations_tab import OrganisationsTab
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
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
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
        self.tabs.addTab(self.organisations, "Organisations")
        self.tabs.addTab(self.contacts, "Référents")
        self.tabs.addTab(self.formations, "Formations et groupes")
        layout.addWidget(self.tabs, 1)
        for tab in (self.organisations, self.contacts, self.formations):
            tab.changed.connect(self.refresh)

        self.new_action = self._shortcut("Nouveau", "Ctrl+N", lambda: self.current_tab().new())
        self.search_action = self._shortcut("Rechercher", "Ctrl+F", lambda: self.current_tab().focus_search())
        self.refresh()

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

    def current_tab(self) -> OrganisationsTab | ContactsTab | FormationsTab:
        return self.tabs.currentWidget()

    def refresh(self) -> None:
        """Reload every view and the charter warning (called on each visit and after every change)."""
        formations = self.ctx.store.formations.formations()
        self.organisations.set_formations(formations)
        self.contacts.set_formations(formations)
        self.organisations.reload()
        self.contacts.reload()
        self.formations.reload()
        self.banner.show_members(self.ctx.store.formations.unsigned_confidential_members())

    # --- toolbar -------------------------------------------------------------------------------------
    def import_partners(self) -> None:
        from clspd_desktop.ui.partners.import_dialog import ImportDialog

        modal.run(ImportDialog(self.ctx, self))
        self.refresh()  # even a cancelled import may have been applied before the user closed the window

    def _produce(self, title: str, stem: str, suffix: str, filters: str,
                 write: Callable[[Path], Path], done: str) -> Path | None:
        return produce_file(self, self.ctx.paths.exports_dir, title, stem, suffix, filters, write, done)

    def export_xlsx(self) -> Path | None:
        from clspd_desktop.services.directory_export import export_xlsx

        return self._produce("Exporter l'annuaire en Excel", "annuaire-partenaires", ".xlsx", XLSX_FILTER,
                             lambda p: export_xlsx(self.ctx.store, p), "L'annuaire a été exporté dans :")

    def export_csv(self) -> Path | None:
        from clspd_desktop.services.directory_export import export_csv

        return self._produce("Exporter l'annuaire en CSV", "annuaire-partenaires", ".csv", CSV_FILTER,
                             lambda p: export_csv(self.ctx.store, p), "L'annuaire a été exporté dans :")

    def directory_pdf(self) -> Path | None:
        from clspd_desktop.services.reports.directory_pdf import build_directory_pdf

        return self._produce("Annuaire des partenaires (PDF)", "annuaire-partenaires", ".pdf", PDF_FILTER,
                             lambda p: build_directory_pdf(self.ctx.store, p), "L'annuaire a été enregistré dans :")

    def composition_pdf(self) -> Path | None:
        from clspd_desktop.services.reports.composition_pdf import build_composition_pdf

        return self._produce("Composition du conseil (PDF)", "composition-conseil", ".pdf", PDF_FILTER,
                             lambda p: build_composition_pdf(self.ctx.store, p),
                             "La composition a été enregistrée dans :")
