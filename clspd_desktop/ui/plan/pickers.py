"""A filterable list of check boxes (partners, referents, reference tags): ticking beats multi-selection
for a non-specialist, and the filter keeps a 400-organisation list usable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from clspd_desktop.domain.text import search_key
from clspd_desktop.ui import theme
from clspd_desktop.ui.widgets.search_field import SearchField
from clspd_desktop.ui.widgets.unsaved import field_state

FILTER_NAME = "listFilter"  # a filter narrows what is shown; typing in it is not an edit


def edited_state(root: QWidget) -> tuple[object, ...]:
    """`field_state` of an editor without the text typed in its lists' filters."""
    return tuple(value for value in field_state(root) if value[0] != FILTER_NAME)


class CheckList(QWidget):
    def __init__(self, placeholder: str = "Filtrer…", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.filter = SearchField(placeholder)
        self.filter.setObjectName(FILTER_NAME)
        self.list = QListWidget()
        self.count_label = QLabel()
        self.count_label.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        self._values: list[Any] = []
        self.filter.textChanged.connect(self._apply_filter)
        self.list.itemChanged.connect(lambda _item: self._show_count())

    def set_items(self, items: Iterable[tuple[str, Any]], checked: Iterable[Any] = ()) -> None:
        wanted = set(checked)
        self.list.blockSignals(True)
        self.list.clear()
        self._values = []
        for label, value in items:
            item = QListWidgetItem(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in wanted else Qt.CheckState.Unchecked)
            item.setToolTip(label)
            self.list.addItem(item)
            self._values.append(value)
        self.list.blockSignals(False)
        self._show_count()

    def checked_values(self) -> list[Any]:
        return [v for i, v in enumerate(self._values) if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, value: Any, checked: bool = True) -> None:
        index = self._values.index(value)
        self.list.item(index).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _apply_filter(self, text: str) -> None:
        words = search_key(text).split()
        for row in range(self.list.count()):
            item = self.list.item(row)
            key = search_key(item.text())
            item.setHidden(not all(w in key for w in words))

    def _show_count(self) -> None:
        n = len(self.checked_values())
        self.count_label.setText("Aucun élément coché" if n == 0 else f"{n} coché{'s' if n > 1 else ''}")
