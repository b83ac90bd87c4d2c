"""Search box + category and formation filters above a partners table, with a count of what is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from clspd_desktop.domain.directory import Formation, OrganisationCategory
from clspd_desktop.ui import theme
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.search_field import SearchField


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self)  # wraps at 150 % or 14 pt instead of widening the window
        self.search = SearchField(placeholder)
        self.search.setToolTip("Recherche sans tenir compte des accents ni des majuscules (Ctrl+F)")
        self.category = ChoiceBox([("Toutes les catégories", None), *((c.label, c) for c in OrganisationCategory)])
        self.formation = ChoiceBox([("Toutes les formations", None)])
        self.category.setAccessibleName("Filtrer par catégorie")
        self.formation.setAccessibleName("Filtrer par formation")
        self.count = QLabel()
        self.count.setStyleSheet(f"color: {theme.colours().muted};")
        # a width of its own: a count changing at each keystroke must not move (and repaint) the whole bar
        self.count.setFixedWidth(self.count.fontMetrics().horizontalAdvance("99 999 sur 99 999 organisations"))
        layout.addWidget(self.search)
        layout.addWidget(self.category)
        layout.addWidget(self.formation)
        layout.addWidget(self.count)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.search.textChanged.connect(self.changed)
        self.category.currentIndexChanged.connect(self.changed)
        self.formation.currentIndexChanged.connect(self.changed)

    def set_formations(self, formations: list[Formation]) -> None:
        self.formation.blockSignals(True)
        self.formation.set_choices([("Toutes les formations", None), *((f.display_name, f.id) for f in formations)])
        self.formation.blockSignals(False)

    @property
    def query(self) -> str:
        return self.search.text()

    @property
    def category_value(self) -> OrganisationCategory | None:
        return self.category.value()

    @property
    def formation_id(self) -> int | None:
        return self.formation.value()

    def show_count(self, shown: int, total: int, noun: str, plural: str) -> None:
        word = noun if total <= 1 else plural
        self.count.setText(f"{total} {word}" if shown == total else f"{shown} sur {total} {plural}")
