"""Numbered agenda items (title, presenter), edited in place; ids are kept so minutes notes follow items."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.domain.meetings import AgendaItem

_ID_ROLE = 0x0100  # Qt.UserRole


class AgendaEditor(QWidget):
    def __init__(self, items: list[AgendaItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notes: dict[int, str] = {item.id: item.notes for item in items if item.id is not None}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Point de l'ordre du jour", "Présenté par"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 360)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(150)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Ajouter un point")
        self.remove_button = QPushButton("Retirer")
        self.up_button = QPushButton("Monter")
        self.down_button = QPushButton("Descendre")
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_item(""))
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        for item in items:
            self.add_item(item.title, item.presenter, item.id, edit=False)

    def set_items(self, items: list[AgendaItem]) -> None:
        """Replace the whole agenda (a template proposed for a new meeting)."""
        self.table.setRowCount(0)
        for item in items:
            self.add_item(item.title, item.presenter, item.id, edit=False)
        self._renumber()

    def add_item(self, title: str, presenter: str = "", item_id: int | None = None, edit: bool = True) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        cell = QTableWidgetItem(title)
        cell.setData(_ID_ROLE, item_id)
        self.table.setItem(row, 0, cell)
        self.table.setItem(row, 1, QTableWidgetItem(presenter))
        self._renumber()
        if edit:
            self.table.setCurrentCell(row, 0)
            self.table.editItem(cell)

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._renumber()

    def move_current(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        taken = [self.table.takeItem(row, c) for c in range(2)]
        others = [self.table.takeItem(target, c) for c in range(2)]
        for column in range(2):
            self.table.setItem(target, column, taken[column])
            self.table.setItem(row, column, others[column])
        self._renumber()
        self.table.setCurrentCell(target, 0)

    def _renumber(self) -> None:
        self.table.setVerticalHeaderLabels([str(n) for n in range(1, self.table.rowCount() + 1)])

    def items(self) -> list[AgendaItem]:
        """The items in order; completely empty rows are dropped, a presenter without title is kept
        (the meeting rules refuse it with the item's number)."""
        result = []
        for row in range(self.table.rowCount()):
            title_cell, presenter_cell = self.table.item(row, 0), self.table.item(row, 1)
            title = title_cell.text() if title_cell else ""
            presenter = presenter_cell.text() if presenter_cell else ""
            if not title.strip() and not presenter.strip():
                continue
            item_id = title_cell.data(_ID_ROLE) if title_cell else None
            result.append(AgendaItem(title=title, presenter=presenter, id=item_id,
                                     notes=self._notes.get(item_id, "")))
        return result
