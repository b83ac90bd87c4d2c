"""A read-only table of records described by columns, and the view that goes with it.

User text goes through Qt's model (DisplayRole), never through rich text: "<SARL>", "R&D" and emoji
display exactly as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6 import QtGui
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QWidget

from clspd_desktop.domain.text import sort_key

TOOLTIP_LIMIT = 600  # a 5 000-character name must not fill the screen with a tooltip


def plain_tip(text: str) -> str:
    """User text for a tooltip, shown as typed: Qt renders a tooltip that looks like HTML as rich text, and
    « Club A & <B> Sport » lost its « <B> »."""
    if QtGui.Qt.mightBeRichText(text):
        return QtGui.Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
    return text


_INDEX = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    width: int = 140
    sort_key: Callable[[Any], Any] | None = None  # default: French alphabetical order of the text
    centered: bool = False
    emphasis: Callable[[Any], bool] | None = None  # rows to read first (bold), e.g. unsigned members
    stretch: bool = False  # takes the width the others leave (instead of the last column), never beyond the view

    def key(self, record: Any) -> Any:
        return self.sort_key(record) if self.sort_key else sort_key(self.text(record))


class RecordTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._records: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- content -------------------------------------------------------------------------------------
    def set_records(self, records: Iterable[Any]) -> None:
        self.beginResetModel()
        self._records = list(records)
        if self._sort is not None:
            self._sort_records(*self._sort)
        self.endResetModel()

    def records(self) -> list[Any]:
        return list(self._records)

    def record(self, row: int) -> Any:
        return self._records[row]

    # --- Qt model API --------------------------------------------------------------------------------
    def rowCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _INDEX = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _INDEX, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._records)):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(self._records[index.row()])
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.text(self._records[index.row()])
            if len(text) > 30:
                return plain_tip(text if len(text) <= TOOLTIP_LIMIT else text[:TOOLTIP_LIMIT] + "…")
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.centered:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and column.emphasis and column.emphasis(self._records[index.row()]):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.columns):
            return self.columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self._records[i.row()], i.column()) for i in persistent]
        self._sort_records(column, order)
        rows = {id(r): n for n, r in enumerate(self._records)}
        self.changePersistentIndexList(persistent, [self.index(rows[id(r)], c) for r, c in held])
        self.layoutChanged.emit()

    def _sort_records(self, column: int, order: Qt.SortOrder) -> None:
        self._records.sort(key=self.columns[column].key, reverse=order == Qt.SortOrder.DescendingOrder)


class RecordTable(QTableView):
    """Whole-row selection, Entrée / double-click to open, Suppr to delete; selection kept across reloads."""

    open_requested = Signal()
    delete_requested = Signal()

    def __init__(self, columns: Sequence[Column], identity: Callable[[Any], Any],
                 sortable: bool = True, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.identity = identity
        if name:  # a screen reader announces the table by this name (no visible caption names a table)
            self.setAccessibleName(name)
        self.table_model = RecordTableModel(columns, self)
        self.setModel(self.table_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for number, column in enumerate(columns):
            header.resizeSection(number, column.width)
            if column.stretch:
                header.setStretchLastSection(False)
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
        if sortable:
            self.setSortingEnabled(True)
            self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.fit_headers()
        self.doubleClicked.connect(lambda _index: self.open_requested.emit())

    def fit_headers(self) -> None:
        """No column narrower than its header's text and the sort arrow (at 1366×768 « Avancement » and
        « Charte » were cut): widened only, a wider column keeps its width."""
        header = self.horizontalHeader()
        metrics = header.fontMetrics()
        margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        arrow = metrics.height() if self.isSortingEnabled() else 0
        for number, column in enumerate(self.table_model.columns):
            wanted = metrics.horizontalAdvance(column.header) + margin + arrow + 8
            if header.sectionSize(number) < wanted:
                header.resizeSection(number, wanted)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_headers()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        self.fit_headers()  # fonts set by the accessibility rules after construction
        super().showEvent(event)

    def set_records(self, records: Iterable[Any]) -> None:
        """Replace the rows, keeping the selected record selected when it is still there."""
        current = self.current_record()
        wanted = self.identity(current) if current is not None else None
        self.table_model.set_records(records)
        if wanted is not None:
            self.select_where(lambda r: self.identity(r) == wanted)

    def current_record(self) -> Any:
        rows = self.selectionModel().selectedRows()
        return self.table_model.record(rows[0].row()) if rows else None

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        for row, record in enumerate(self.table_model.records()):
            if predicate(record):
                self.selectRow(row)
                self.scrollTo(self.table_model.index(row, 0))
                return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_record() is not None:
            self.open_requested.emit()
            return
        if event.key() == Qt.Key.Key_Delete and self.current_record() is not None:
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)
