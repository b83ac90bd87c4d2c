"""The plan as a tree (axes → objectives → actions) and as a filterable, sortable table of actions.

User text goes through DisplayRole only (never rich text): '<SARL>' and 'R&D' display as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
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
from clspd_desktop.domain.text import plural, search_key, sort_key
from clspd_desktop.ui import theme
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.flow_layout import FlowLayout
from clspd_desktop.ui.widgets.record_table import Column, RecordTable
from clspd_desktop.ui.widgets.search_field import SearchField

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
TREE_HEADERS = ("Axe, objectif, action", "Chef de file", "Statut", "Avancement", "Fin", "Retard")


def _late_text(row: ActionRow) -> str:
    return f"En retard : {row.late_reason}" if row.late else ""


class PlanTreeModel(QStandardItemModel):
    """Axes, objectives and actions; each first-column item knows its kind ('axis'...) and id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(list(TREE_HEADERS))

    def load(self, axes: list[Axis], objectives: list[Objective], rows: list[ActionRow]) -> None:
        self.removeRows(0, self.rowCount())
        by_objective: dict[int, list[ActionRow]] = {}
        for row in rows:
            by_objective.setdefault(row.objective_id, []).append(row)
        for a_number, axis in enumerate(axes, 1):
            axis_rows = [r for r in rows if r.axis_id == axis.id]
            late = sum(r.late for r in axis_rows)
            axis_item = self._item(f"Axe {a_number} – {axis.title}", "axis", axis.id, bold=True)
            progress = round(sum(r.progress for r in axis_rows) / len(axis_rows)) if axis_rows else 0
            self.appendRow([axis_item, self._plain(plural(len(axis_rows), "action", feminine=True)), self._plain(""),
                            self._plain(f"{progress} %"), self._plain(""),
                            self._plain(f"{late} en retard" if late else "", late > 0)])
            for o_number, objective in enumerate((o for o in objectives if o.axis_id == axis.id), 1):
                objective_item = self._item(f"Objectif {a_number}.{o_number} – {objective.title}", "objective",
                                            objective.id, bold=True)
                axis_item.appendRow([objective_item, *[self._plain("") for _ in TREE_HEADERS[1:]]])
                for row in by_objective.get(objective.id, []):
                    objective_item.appendRow([
                        self._item(f"{row.number} {row.title}", "action", row.id, late=row.late),
                        self._plain(row.lead_name or "(à désigner)"), self._plain(row.status.label),
                        self._plain(f"{row.progress} %"), self._plain(short_date(row.end_date)),
                        self._plain(_late_text(row), row.late)])

    def _item(self, text: str, kind: str, item_id: int, bold: bool = False, late: bool = False) -> QStandardItem:
        item = self._plain(text, late)
        item.setData(kind, KIND_ROLE)
        item.setData(item_id, ID_ROLE)
        item.setToolTip(text[:600])
        if bold:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        return item

    @staticmethod
    def _plain(text: str, late: bool = False) -> QStandardItem:
        item = QStandardItem(text)
        item.setEditable(False)
        if late:
            item.setForeground(QBrush(QColor(theme.colours().error)))
        return item


class PlanTree(QTreeView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree_model = PlanTreeModel(self)
        self.setModel(self.tree_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        for column, width in enumerate((520, 220, 90, 90, 90)):
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
        matches = self.tree_model.match(self.tree_model.index(0, 0), ID_ROLE, item_id, -1,
                                        Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
        for index in matches:
            if index.data(KIND_ROLE) == kind:
                self.setCurrentIndex(index)
                self.scrollTo(index)
                return True
        return False


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
    Column("Retard", lambda t: t.row.late_reason, 140),
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
        self.search = SearchField("Rechercher une action (intitulé, chef de file, partenaire, territoire)…")
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
