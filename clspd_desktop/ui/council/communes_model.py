"""Editable table of member communes (name, INSEE code, population, QPV)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from clspd_desktop.domain.council import Commune
from clspd_desktop.domain.text import format_number

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Commune", "Code INSEE", "Population", "QPV", "Quartiers prioritaires")


class CommunesModel(QAbstractTableModel):
    totals_changed = Signal()

    def __init__(self, communes: list[Commune] | None = None) -> None:
        super().__init__()
        self.communes: list[Commune] = [Commune(**vars(c)) for c in communes or []]

    def set_communes(self, communes: list[Commune]) -> None:
        self.beginResetModel()
        self.communes = [Commune(**vars(c)) for c in communes]
        self.endResetModel()
        self.totals_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.communes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 3:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.communes)):
            return None
        commune, column = self.communes[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 3:
            return Qt.CheckState.Checked if commune.has_qpv else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return (commune.name, commune.insee_code, format_number(commune.population), None,
                    commune.qpv_names)[column]
        if role == Qt.ItemDataRole.EditRole:
            return (commune.name, commune.insee_code, commune.population, None, commune.qpv_names)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        commune, column = self.communes[index.row()], index.column()
        if column == 3 and role == Qt.ItemDataRole.CheckStateRole:
            commune.has_qpv = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole and column == 0:
            commune.name = str(value)
        elif role == Qt.ItemDataRole.EditRole and column == 1:
            commune.insee_code = str(value).strip()
        elif role == Qt.ItemDataRole.EditRole and column == 2:
            try:
                commune.population = max(0, int("".join(str(value).split())))  # "28 400", any spaces
            except ValueError:
                return False
        elif role == Qt.ItemDataRole.EditRole and column == 4:
            commune.qpv_names = str(value)
        else:
            return False
        self.dataChanged.emit(index, index, [role])
        self.totals_changed.emit()
        return True

    def add(self, commune: Commune | None = None) -> int:
        row = len(self.communes)
        self.beginInsertRows(QModelIndex(), row, row)
        self.communes.append(commune or Commune(name="", population=0))
        self.endInsertRows()
        self.totals_changed.emit()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.communes):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.communes[row]
            self.endRemoveRows()
            self.totals_changed.emit()
