"""« À propos » : version, licence, where the data lives, and the licences of everything we ship.

The third-party list is read from resources/licenses/index.json (written by installer/collect_licenses.py
from the packages actually bundled), so it cannot drift from the build. The app icon lives here too: it is
the same image the dialog shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop import APP_NAME, __version__
from clspd_desktop.context import AppContext
from clspd_desktop.paths import app_licence_text, resources_dir
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.app_icon import ICON_SIZES, app_icon  # noqa: F401 (re-exported)
from clspd_desktop.ui.widgets import modal

APP_LICENSE = "EUPL-1.2"
EUPL_URL = "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12"
@dataclass(frozen=True)
class Component:
    name: str
    version: str
    license: str
    files: tuple[Path, ...]
    inline_text: str = ""  # a text read elsewhere (the app's own licence, from its package metadata)

    def label(self) -> str:
        version = f" {self.version}" if self.version else ""
        return f"{self.name}{version} — {self.license}"

    def text(self) -> str:
        if self.inline_text:
            return self.inline_text
        parts = []
        for file in self.files:
            try:
                parts.append(file.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                parts.append(f"(texte introuvable : {file.name})")
        return "\n\n".join(parts)


def own_licence() -> Component:
    """CLSPD Desktop's EUPL-1.2 text, shown first, beside the components it ships."""
    text = app_licence_text() or (f"Le texte de la licence n'a pas été trouvé dans cette installation. "
                                  f"Il est publié par la Commission européenne : {EUPL_URL}")
    return Component(APP_NAME, __version__, APP_LICENSE, (), text)


def third_party_components(root: Path | None = None) -> list[Component]:
    """The font first (it is in every PDF), then each bundled package from the build's index."""
    root = root or resources_dir()
    components = [Component("Polices DejaVu", "", "licence Bitstream Vera / Arev (libre)",
                            (root / "fonts" / "LICENSE-DejaVu.txt",))]
    index_file = root / "licenses" / "index.json"
    try:
        index = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return components
    for entry in index:
        components.append(Component(entry["name"], entry.get("version", ""), entry["license"],
                                    tuple(root / "licenses" / f for f in entry["files"])))
    return components


class AboutDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"À propos de {APP_NAME}")
        self.setWindowIcon(app_icon())
        self.resize(860, 620)
        layout = QVBoxLayout(self)
        layout.addLayout(self._header())
        layout.addWidget(self._data_folder_box())
        layout.addWidget(self._licences_box(), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(72, 72))
        row.addWidget(logo)
        text = QVBoxLayout()
        title = QLabel(APP_NAME)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        text.addWidget(title)
        self.version_label = QLabel(f"Version {__version__}")
        text.addWidget(self.version_label)
        purpose = QLabel("Coordination d'un conseil local ou intercommunal de sécurité et de prévention "
                         "de la délinquance (CLSPD / CISPD).")
        purpose.setWordWrap(True)  # wraps at 150 % or 14 pt instead of widening the dialog off the screen
        text.addWidget(purpose)
        self.licence_label = QLabel(
            f"Logiciel libre distribué sous la licence publique de l'Union européenne "
            f"(<a href=\"{EUPL_URL}\">{APP_LICENSE}</a>).")
        self.licence_label.setOpenExternalLinks(True)
        self.licence_label.setWordWrap(True)
        text.addWidget(self.licence_label)
        row.addLayout(text, 1)
        return row

    def _data_folder_box(self) -> QGroupBox:
        box = QGroupBox("Vos données")
        layout = QVBoxLayout(box)
        self.data_dir_label = QLabel(str(self.ctx.paths.data_dir))
        self.data_dir_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_dir_label.setWordWrap(True)
        where = QLabel("La base de données, les instantanés, les documents produits et le journal sont "
                       "enregistrés dans ce dossier :")
        where.setWordWrap(True)
        layout.addWidget(where)
        row = QHBoxLayout()
        row.addWidget(self.data_dir_label, 1)
        self.open_button = QPushButton("Ouvrir le dossier")
        self.open_button.clicked.connect(self.open_data_folder)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        kept = QLabel("Ce dossier est conservé lors d'une mise à jour ou d'une désinstallation de l'application.")
        kept.setWordWrap(True)
        kept.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(kept)
        return box

    def _licences_box(self) -> QGroupBox:
        box = QGroupBox("Licence de l'application et des composants tiers")
        layout = QVBoxLayout(box)
        note = QLabel("Qt et PySide6 sont utilisés sous la licence LGPL-3.0 : leurs bibliothèques sont des "
                      "fichiers séparés du dossier d'installation et peuvent être remplacées.")
        note.setWordWrap(True)
        layout.addWidget(note)
        splitter = QSplitter()
        self.components = [own_licence(), *third_party_components()]
        self.component_list = QListWidget()
        self.component_list.addItems([c.label() for c in self.components])
        self.licence_text = QPlainTextEdit()
        self.licence_text.setReadOnly(True)
        self.licence_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        splitter.addWidget(self.component_list)
        splitter.addWidget(self.licence_text)
        splitter.setSizes([300, 520])
        layout.addWidget(splitter, 1)
        self.component_list.currentRowChanged.connect(self._show_licence)
        if self.components:
            self.component_list.setCurrentRow(0)
        return box

    def _show_licence(self, row: int) -> None:
        if 0 <= row < len(self.components):
            self.licence_text.setPlainText(self.components[row].text())

    def open_data_folder(self) -> None:
        folder = self.ctx.paths.data_dir
        if not folder.is_dir() or not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            messages.warn(self, "Dossier des données",
                          f"Le dossier n'a pas pu être ouvert. Vous pouvez le retrouver à cet emplacement :\n{folder}")


def show_about(ctx: AppContext, parent: QWidget | None = None) -> None:
    modal.run(AboutDialog(ctx, parent))  # the keyboard and screen-reader rules, and scriptable in tests
