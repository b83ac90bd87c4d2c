"""Choose the plan actions a decision or an action item of the minutes relates to.

The plan's actions are shown as a tree Axe › Objectif › Action (titles in full, which a flat list of
long paths would cut off) with a search box matching any of the three (a plan has dozens of actions);
ticking links, unticking removes the link. With several plans (one per 3-year strategy) a
choice of plan is offered; ticks made in each plan are kept until "Enregistrer" writes them all at once
(the `set_links` operation). Closing with changed ticks asks before losing them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.plan import ActionRow, Plan
from clspd_desktop.domain.plan_links import PATH_SEPARATOR, LinkSource
from clspd_desktop.domain.text import search_key
from clspd_desktop.services.operations import plan as plan_ops
from clspd_desktop.ui import theme
from clspd_desktop.ui.plan.pickers import FILTER_NAME
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.form_dialog import FormDialog
from clspd_desktop.ui.widgets.search_field import SearchField

PREVIEW_LIMIT = 400  # the decision is recalled above the list, not printed in full


class PlanActionTree(QWidget):
    """The plan's actions under their axis and objective, each action with a check box; the search hides
    the actions whose path does not contain every typed word (accents and case ignored)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.filter = SearchField("Rechercher une action (axe, objectif, intitulé)…")
        self.filter.setObjectName(FILTER_NAME)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(f"color: {theme.colours().muted};")
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.count_label)
        self.items: dict[int, QTreeWidgetItem] = {}  # action id → its check box row, in plan order
        self._keys: dict[int, str] = {}
        self.filter.textChanged.connect(self._apply_filter)
        self.tree.itemChanged.connect(lambda _item, _column: self._show_count())

    def set_rows(self, rows: Iterable[ActionRow], checked: Iterable[int] = ()) -> None:
        wanted = set(checked)
        self.tree.blockSignals(True)
        self.tree.clear()
        self.items, self._keys = {}, {}
        axes: dict[int, QTreeWidgetItem] = {}
        objectives: dict[int, QTreeWidgetItem] = {}
        for row in rows:
            if row.axis_id not in axes:
                axes[row.axis_id] = QTreeWidgetItem(self.tree, [f"Axe {row.axis_number} – {row.axis_title}"])
            if row.objective_id not in objectives:
                objectives[row.objective_id] = QTreeWidgetItem(
                    axes[row.axis_id], [f"Objectif {row.objective_number} – {row.objective_title}"])
            item = QTreeWidgetItem(objectives[row.objective_id], [f"{row.number} {row.title}"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if row.id in wanted else Qt.CheckState.Unchecked)
            path = PATH_SEPARATOR.join((row.axis_title, row.objective_title, f"{row.number} {row.title}"))
            item.setToolTip(0, path)
            self.items[row.id] = item
            self._keys[row.id] = search_key(path)
        for group in (*axes.values(), *objectives.values()):
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self._apply_filter(self.filter.text())
        self._show_count()

    def checked_values(self) -> list[int]:
        return [i for i, item in self.items.items() if item.checkState(0) == Qt.CheckState.Checked]

    def set_checked(self, action_id: int, checked: bool = True) -> None:
        self.items[action_id].setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def visible_values(self) -> list[int]:
        return [i for i, item in self.items.items() if not item.isHidden()]

    def _apply_filter(self, text: str) -> None:
        words = search_key(text).split()
        for action_id, item in self.items.items():
            item.setHidden(not all(w in self._keys[action_id] for w in words))
        for index in range(self.tree.topLevelItemCount()):
            axis = self.tree.topLevelItem(index)
            for o in range(axis.childCount()):
                objective = axis.child(o)
                objective.setHidden(all(objective.child(a).isHidden() for a in range(objective.childCount())))
            axis.setHidden(all(axis.child(o).isHidden() for o in range(axis.childCount())))

    def _show_count(self) -> None:
        if not self.items:
            self.count_label.setText("Ce plan n'a encore aucune fiche-action.")
            return
        n = len(self.checked_values())
        self.count_label.setText("Aucune action cochée" if n == 0 else
                                 f"{n} action{'s' if n > 1 else ''} cochée{'s' if n > 1 else ''}")


class PlanActionPicker(FormDialog):
    def __init__(self, ctx: AppContext, source: LinkSource, source_id: int, text: str, plans: list[Plan],
                 plan: Plan, parent: QWidget | None = None) -> None:
        super().__init__("Lier à des actions du plan", parent)
        self.setMinimumSize(760, 560)
        self.ctx, self.source, self.source_id = ctx, source, source_id
        shown = text if len(text) <= PREVIEW_LIMIT else text[:PREVIEW_LIMIT] + "…"
        self.about = QLabel(f"{source.label} : {shown}")
        self.about.setTextFormat(Qt.TextFormat.PlainText)  # "<SARL>" and "R&D" shown as typed
        self.about.setWordWrap(True)
        self.form.addRow(self.about)
        self.plan_choice = ChoiceBox((f"{p.title} ({p.period})", p.id) for p in plans)
        self.plan_choice.select(plan.id)
        if len(plans) > 1:
            self.add_field("Plan", self.plan_choice, "plan")
        else:
            self.plan_choice.hide()
        self.actions = PlanActionTree()
        self.actions.setMinimumHeight(400)
        self.add_field("Actions du plan", self.actions, "actions")
        hint = QLabel("Cochez les actions concernées ; décochez pour retirer un lien. La décision et les "
                      "actions ne sont jamais modifiées.")
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {theme.colours().muted};")
        self.form.addRow(hint)
        linked = ctx.store.links.linked_actions(source, source_id)
        self.checked: dict[int, list[int]] = {}
        for p in plans:
            self.checked[p.id] = [a.action_id for a in linked if a.plan_id == p.id]
        self.saved_ticks = {plan_id: sorted(ids) for plan_id, ids in self.checked.items()}
        self.shown_plan: int | None = None
        self._show_plan()
        self.plan_choice.currentIndexChanged.connect(lambda _i: self._show_plan())
        self.actions.filter.setFocus()

    def _show_plan(self) -> None:
        if self.shown_plan is not None:
            self.checked[self.shown_plan] = self.actions.checked_values()
        plan_id = self.plan_choice.value()
        self.shown_plan = plan_id
        rows = self.ctx.store.plan.action_rows(plan_id) if plan_id is not None else []
        self.actions.set_rows(rows, self.checked.get(plan_id, []))

    def ticks(self) -> dict[int, list[int]]:
        """The actions ticked in every plan, the plan shown included."""
        if self.shown_plan is not None:
            self.checked[self.shown_plan] = self.actions.checked_values()
        return {plan_id: sorted(ids) for plan_id, ids in self.checked.items()}

    def has_unsaved_changes(self) -> bool:
        """The ticks, not the tree's rows (its filter and plan choice change what is shown, not the links)."""
        return self._saved_state is not None and self.ticks() != self.saved_ticks

    def save(self) -> None:
        """Every plan's ticks in one transaction: all the links or none."""
        self.ctx.runner.call(partial(plan_ops.set_links, source=self.source, source_id=self.source_id,
                                     action_ids_by_plan=self.ticks()))
        self.saved_ticks = self.ticks()
