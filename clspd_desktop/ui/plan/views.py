"""The plan as a tree (axes → objectives → actions) and as a filterable, sortable table of actions.

User text goes through DisplayRole only (never rich text): '<SARL>' and 'R&D' display as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.plan import ActionRow, ActionStatus, Axis, Funder, Objective, euros
from clspd_desktop.domain.text import plural, search_key, sentence_start, sort_key
from clspd_desktop.ui import theme
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.record_table import Column, RecordTable, plain_tip
from clspd_desktop.ui.widgets.search_field import SearchField

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
TREE_HEADERS = ("Axe, objectif, action", "Chef de file", "Statut", "Avancement", "Fin", "Retard")


def _late_text(row: ActionRow) -> str:
    """The reason only (« Échéance dépassée »): the column says « Retard », and at 1366 px a longer text was
    cut to « En retard : no… »."""
    return sentence_start(row.late_reason) if row.late else ""


class _Node:
    """One line of the tree: an axis or an objective (its texts given), or an action (its texts made from its
    row when the view first asks for them: only the lines scrolled into view are asked). The root has kind ""."""

    __slots__ = ("kind", "item_id", "parent", "row", "children", "late", "action", "_cells")

    def __init__(self, kind: str, item_id: int, parent: _Node | None, cells: list[str] | None = None,
                 action: ActionRow | None = None, late: bool = False) -> None:
        self.kind, self.item_id, self.parent, self.late, self.action = kind, item_id, parent, late, action
        self.row = len(parent.children) if parent is not None else 0
        self.children: list[_Node] = []
        self._cells = cells
        if parent is not None:
            parent.children.append(self)

    @property
    def cells(self) -> list[str]:
        if self._cells is None:
            row = self.action
            assert row is not None
            self._cells = [f"{row.number} {row.title}", row.lead_name or "(à désigner)", row.status.label,
                           f"{row.progress} %", short_date(row.end_date), _late_text(row)]
        return self._cells


class PlanTreeModel(QAbstractItemModel):
    """Axes, objectives and actions over the rows read; the first column knows each line's kind ('axis'...)
    and id. A model rather than one item per cell: 1 800 actions × 6 columns were built on every load."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root = _Node("", 0, None, [])
        self._by_key: dict[tuple[str, int], _Node] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def load(self, axes: list[Axis], objectives: list[Objective], rows: list[ActionRow]) -> None:
        self.beginResetModel()
        self._root = _Node("", 0, None, [])
        self._by_key = {}
        by_objective: dict[int, list[ActionRow]] = {}
        by_axis: dict[int, list[ActionRow]] = {}
        for row in rows:
            by_objective.setdefault(row.objective_id, []).append(row)
            by_axis.setdefault(row.axis_id, []).append(row)
        for a_number, axis in enumerate(axes, 1):
            axis_rows = by_axis.get(axis.id, [])
            late = sum(r.late for r in axis_rows)
            progress = round(sum(r.progress for r in axis_rows) / len(axis_rows)) if axis_rows else 0
            axis_node = self._add("axis", axis.id, self._root, [
                f"Axe {a_number} – {axis.title}", plural(len(axis_rows), "action", feminine=True), "",
                f"{progress} %", "", f"{late} en retard" if late else ""], late=late > 0)
            for o_number, objective in enumerate((o for o in objectives if o.axis_id == axis.id), 1):
                objective_node = self._add("objective", objective.id, axis_node,
                                           [f"Objectif {a_number}.{o_number} – {objective.title}", *[""] * 5])
                for row in by_objective.get(objective.id, []):
                    self._add("action", row.id, objective_node, action=row, late=row.late)
        self.endResetModel()

    def _add(self, kind: str, item_id: int, parent: _Node, cells: list[str] | None = None,
             action: ActionRow | None = None, late: bool = False) -> _Node:
        node = _Node(kind, item_id, parent, cells, action, late)
        self._by_key[(kind, item_id)] = node
        return node

    def index_of(self, kind: str, item_id: int) -> QModelIndex:
        node = self._by_key.get((kind, item_id))
        return self.createIndex(node.row, 0, node) if node is not None else QModelIndex()

    # --- QAbstractItemModel --------------------------------------------------------------------------
    def _node(self, index: QModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._node(parent).children[row])

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 (Qt's overload)
        if not index.isValid():
            return QModelIndex()
        up = index.internalPointer().parent
        return QModelIndex() if up is None or up is self._root else self.createIndex(up.row, 0, up)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's name)
        return 0 if parent.column() > 0 else len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's name)
        return len(TREE_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt's name)
                   role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return TREE_HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        node, column = index.internalPointer(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.cells[column]
        if column == 0 and role == KIND_ROLE:
            return node.kind
        if column == 0 and role == ID_ROLE:
            return node.item_id
        if column == 0 and role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(node.cells[0][:600])
        if column == 0 and role == Qt.ItemDataRole.FontRole and node.kind != "action":
            return self._bold
        # late in red: an action's title and « Retard », an axis's count of late actions
        if role == Qt.ItemDataRole.ForegroundRole and node.late and (column == 5 or (column == 0 and node.action)):
            return QBrush(QColor(theme.colours().error))
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class PlanTree(QTreeView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree_model = PlanTreeModel(self)
        self.setModel(self.tree_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        for column, width in enumerate((490, 220, 90, 90, 90)):  # « Retard » keeps « Échéance dépassée » at 1366 px
            self.setColumnWidth(column, width)

    def load(self, axes: list[Axis], objectives: list[Objective], rows: list[ActionRow]) -> None:
        kept = self.current()
        self.tree_model.load(axes, objectives, rows)
        self.expandAll()
        if kept:
            self.select(*kept)

    def current(self) -> tuple[str, int] | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        first = index.siblingAtColumn(0)
        return first.data(KIND_ROLE), first.data(ID_ROLE)

    def select(self, kind: str, item_id: int) -> bool:
        index = self.tree_model.index_of(kind, item_id)
        if not index.isValid():
            return False
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True


@dataclass
class TableRow:
    row: ActionRow
    partners: str

    @cached_property
    def key(self) -> str:
        """What the search matches (accents and case ignored), made at the first search."""
        r = self.row
        return search_key(r.title, r.lead_name, self.partners, r.territory, r.target_public, r.number)


ACTION_COLUMNS = [
    Column("N°", lambda t: t.row.number, 60,
           sort_key=lambda t: (t.row.axis_number, *map(int, t.row.number.split(".")[1:]))),
    Column("Action", lambda t: t.row.title, 300),
    Column("Axe", lambda t: f"{t.row.axis_number}. {t.row.axis_title}", 180, sort_key=lambda t: t.row.axis_number),
    Column("Chef de file", lambda t: t.row.lead_name, 180),
    Column("Statut", lambda t: t.row.status.label, 90, sort_key=lambda t: list(ActionStatus).index(t.row.status)),
    Column("Avancement", lambda t: f"{t.row.progress} %", 85, sort_key=lambda t: t.row.progress, centered=True),
    Column("Fin", lambda t: short_date(t.row.end_date), 85, sort_key=lambda t: t.row.end_date or date.max),
    Column("Retard", lambda t: _late_text(t.row), 140),
    Column("Coût", lambda t: euros(t.row.total_cost_cents, separator=" "), 110,
           sort_key=lambda t: t.row.total_cost_cents),
    Column("Accordé", lambda t: euros(t.row.totals.granted_cents, separator=" "), 110,
           sort_key=lambda t: t.row.totals.granted_cents),
    Column("Financeurs", lambda t: ", ".join(f.label for f in Funder if f in t.row.funders), 200),
]


class ActionsTable(QWidget):
    """Filters (search, axis, status, lead, funder, late only) above a sortable table of actions."""

    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.search = SearchField("Rechercher (intitulé, chef de file, partenaire, territoire)…")
        self.search.fit_placeholder()
        self.axis = ChoiceBox()
        self.status = ChoiceBox([("Tous les statuts", None), *[(s.label, s) for s in ActionStatus]])
        self.lead = ChoiceBox()
        self.funder = ChoiceBox([("Tous les financeurs", None), *[(f.label, f) for f in Funder]])
        self.late_only = QCheckBox("En retard seulement")
        for widget, name in ((self.axis, "Filtrer par axe"), (self.status, "Filtrer par statut"),
                             (self.lead, "Filtrer par chef de file"), (self.funder, "Filtrer par financeur")):
            widget.setAccessibleName(name)
        for widget in (self.axis, self.status, self.lead, self.funder):
            widget.setMinimumContentsLength(12)
        bar.addWidget(self.search)
        for widget in (self.axis, self.status, self.lead, self.funder, self.late_only):
            bar.addWidget(widget)
        layout.addLayout(bar)
        self.table = RecordTable(ACTION_COLUMNS, identity=lambda t: t.row.id, name="Actions du plan")
        layout.addWidget(self.table, 1)
        self.count = QLabel()
        self.count.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(self.count)
        self._rows: list[TableRow] = []
        self.search.textChanged.connect(lambda _t: self.apply())
        for box in (self.axis, self.status, self.lead, self.funder):
            box.currentIndexChanged.connect(lambda _i: self.apply())
        self.late_only.toggled.connect(lambda _b: self.apply())
        self.table.open_requested.connect(self.open_requested)

    def load(self, axes: list[Axis], rows: list[ActionRow], partners: dict[int, list[str]]) -> None:
        self._rows = [TableRow(r, ", ".join(partners.get(r.id, []))) for r in rows]
        self.axis.set_choices([("Tous les axes", None), *[(f"Axe {n}. {a.title}", a.id) for n, a in enumerate(axes, 1)]])
        leads = sorted({(r.lead_name, r.lead_organisation_id) for r in rows if r.lead_organisation_id},
                       key=lambda p: sort_key(p[0]))
        self.lead.set_choices([("Tous les chefs de file", None), *leads])
        self.apply()

    def visible_rows(self) -> list[TableRow]:
        words = search_key(self.search.text()).split()
        axis, status, lead, funder = self.axis.value(), self.status.value(), self.lead.value(), self.funder.value()
        result = []
        for t in self._rows:
            r = t.row
            if words and not all(w in t.key for w in words):
                continue
            if (axis is not None and r.axis_id != axis) or (status is not None and r.status is not status):
                continue
            if (lead is not None and r.lead_organisation_id != lead) or (funder is not None and funder not in r.funders):
                continue
            if self.late_only.isChecked() and not r.late:
                continue
            result.append(t)
        return result

    def apply(self) -> None:
        shown = self.visible_rows()
        self.table.set_records(shown)
        late = sum(t.row.late for t in shown)
        self.count.setText(f"{plural(len(shown), 'action affichée', 'actions affichées', feminine=True)} sur {len(self._rows)}, "
                           f"dont {late} en retard")

    def current_action_id(self) -> int | None:
        record = self.table.current_record()
        return record.row.id if record else None
