"""Plan d'actions: choose or create a plan, edit its axes, objectives and fiches-actions in a tree or a
table, follow it on a dashboard, print a fiche-action or the whole plan, export it to Excel.

Every change goes through the plan's operations (`services/operations/plan.py`) run by `ctx.runner`; the
page refreshes when the dispatcher says the plan, its links to meetings or the directory changed (an action
linked from a meeting's minutes, a restore, Ctrl+Z). Documents are written on the runner's worker."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QToolBar, QVBoxLayout, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.plan import Action, Axis, Objective, Plan
from clspd_desktop.domain.text import plural
from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.services.operations import plan as plan_ops
from clspd_desktop.services.operations import reports as report_ops
from clspd_desktop.ui import messages, theme
from clspd_desktop.ui.accessibility import area_shortcut, reveal_and_focus
from clspd_desktop.ui.file_export import PrintSwitch, print_on_worker, produce_file_on_worker
from clspd_desktop.ui.plan.action_dialog import ActionDialog
from clspd_desktop.ui.plan.dashboard import PlanDashboard
from clspd_desktop.ui.plan.small_dialogs import PlanDialog, TitleDialog
from clspd_desktop.ui.plan.views import ActionsTable, PlanTree
from clspd_desktop.ui.runner import Operation
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.choices import ChoiceBox
from clspd_desktop.ui.widgets.flow_layout import FlowLayout

PDF_FILTER = "Document PDF (*.pdf)"
XLSX_FILTER = "Classeur Excel (*.xlsx)"
SHOWN_CHANGES = {Change.PLAN, Change.LINKS, Change.DIRECTORY}  # actions, meetings they were discussed in, leads
KIND_NAMES = {"axis": "l'axe", "objective": "l'objectif", "action": "la fiche-action"}
NO_PLAN = ("Aucun plan d'actions n'est encore enregistré. Cliquez sur « Nouveau plan… » pour saisir la stratégie "
           "territoriale (par exemple 2025-2027), puis ses axes, objectifs et fiches-actions.")
LOADING = "Chargement du plan d'actions…"


class PlanPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: Plan | None = None
        self.loading = False  # True from the first show until its data has been read
        self._shown = 0  # how many times data was shown: a read started before a later showing is outdated
        self._refreshing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        head = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        title = QLabel("Plan d'actions")
        theme.set_relative_size(title, 1.6, bold=True)
        head.addWidget(title)
        head.addWidget(QLabel("Plan :"))
        self.plan_choice = ChoiceBox()
        self.plan_choice.setMinimumContentsLength(28)
        head.addWidget(self.plan_choice)
        self.new_plan_button = QPushButton("Nouveau plan…")
        self.edit_plan_button = QPushButton("Modifier le plan…")
        self.delete_plan_button = QPushButton("Supprimer le plan…")
        head.addWidget(self.new_plan_button)
        head.addWidget(self.edit_plan_button)
        head.addWidget(self.delete_plan_button)
        layout.addLayout(head)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action_action = self._tool("Nouvelle action…", self.new_action, "Ajouter une fiche-action")
        self.toolbar.addSeparator()
        self.sheet_pdf_action = self._tool("Fiche-action (PDF)…", self.action_sheet_pdf,
                                           "Imprimer la fiche de l'action sélectionnée")
        self.plan_pdf_action = self._tool("Plan complet (PDF)…", self.plan_pdf, "Imprimer tout le plan d'actions")
        self.printing = PrintSwitch()
        self.print_sheet_action = self._tool("Imprimer la fiche", lambda: self.printing.run(self.action_sheet_pdf),
                                             "Envoyer la fiche de l'action sélectionnée à l'imprimante")
        self.print_plan_action = self._tool("Imprimer le plan", lambda: self.printing.run(self.plan_pdf),
                                            "Envoyer tout le plan d'actions à l'imprimante")
        self.export_action = self._tool("Exporter en Excel…", self.export_xlsx,
                                        "Enregistrer le plan, les indicateurs et les financements dans un classeur")
        layout.addWidget(self.toolbar)
        self.empty = QLabel(NO_PLAN)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.empty, 1)  # in place of the tabs: its text under the toolbar, not mid-page

        self.tabs = QTabWidget()
        tree_page = QWidget()
        tree_layout = QVBoxLayout(tree_page)
        buttons = FlowLayout()  # wraps at 150 % or 14 pt instead of widening the window
        self.new_axis_button = QPushButton("Nouvel axe…")
        self.new_objective_button = QPushButton("Nouvel objectif…")
        self.new_action_button = QPushButton("Nouvelle action…")
        self.edit_button = QPushButton("Modifier…")
        self.up_button = QPushButton("Monter")
        self.down_button = QPushButton("Descendre")
        self.delete_button = QPushButton("Supprimer")
        for button in (self.new_axis_button, self.new_objective_button, self.new_action_button, self.edit_button,
                       self.up_button, self.down_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        tree_layout.addLayout(buttons)
        self.tree = PlanTree()
        self.tree.setAccessibleName("Axes, objectifs et actions du plan")
        tree_layout.addWidget(self.tree, 1)
        self.table = ActionsTable()
        self.dashboard = PlanDashboard()
        self.tabs.addTab(tree_page, "Arborescence")
        self.tabs.addTab(self.table, "Tableau des actions")
        self.tabs.addTab(self.dashboard, "Tableau de bord")
        layout.addWidget(self.tabs, 1)
        area_shortcut(self, "Ctrl+N", "Nouvelle action", self.new_action)
        area_shortcut(self, "Ctrl+F", "Rechercher une action", lambda: reveal_and_focus(self.table.search))
        for widget in (self.new_action_button, self.new_action_action):
            widget.setToolTip("Ajouter une fiche-action (Ctrl+N)")

        self.plan_choice.currentIndexChanged.connect(self._plan_picked)
        self.new_plan_button.clicked.connect(self.new_plan)
        self.edit_plan_button.clicked.connect(self.edit_plan)
        self.delete_plan_button.clicked.connect(self.delete_plan)
        self.new_axis_button.clicked.connect(self.new_axis)
        self.new_objective_button.clicked.connect(self.new_objective)
        self.new_action_button.clicked.connect(self.new_action)
        self.edit_button.clicked.connect(self.edit_selected)
        self.tree.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.open_requested.connect(self.edit_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.delete_button.clicked.connect(self.delete_selected)
        ctx.runner.dispatcher.subscribe(self, SHOWN_CHANGES, self._on_changes)
        self._read_in_background()

    def _tool(self, text: str, slot: Callable[[], object], tip: str) -> QAction:
        action = self.toolbar.addAction(text)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    # --- loading -------------------------------------------------------------------------------------
    def _read_in_background(self) -> None:
        """The first show: the plan is read on a worker while the page paints « Chargement… »."""
        self.loading = True
        self._show_plan_present(False, LOADING)
        shown = self._shown

        def loaded(overview: plan_ops.PlanOverview) -> None:
            if self._shown == shown:  # else a refresh has shown newer data meanwhile (a change)
                self._show(overview)

        self.ctx.runner.read(partial(plan_ops.plan_overview, plan_id=None), on_result=loaded, parent=self)

    def _on_changes(self, _changes: OpChanges) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read the plans and the current plan again (after a change): at once, so that the item just created
        or moved can be selected."""
        self._show(plan_ops.read_plan_overview(self.ctx.store, self.plan.id if self.plan else None))

    def _plan_picked(self, _index: int) -> None:
        if not self._refreshing:
            self._show(plan_ops.read_plan_overview(self.ctx.store, self.plan_choice.value()))

    def _show(self, overview: plan_ops.PlanOverview) -> None:
        self._shown += 1
        self.loading = False
        self.plan = overview.plan
        has_plan = self.plan is not None
        self._refreshing = True  # the choices change below: the plan is shown once, at the end
        try:
            self.plan_choice.set_choices([(f"{p.period} – {p.title}", p.id) for p in overview.plans])
            if self.plan is not None:
                self.plan_choice.select(self.plan.id)
        finally:
            self._refreshing = False
        self._show_plan_present(has_plan, NO_PLAN)
        if not has_plan:
            return
        self.tree.load(overview.axes, overview.objectives, overview.rows)
        self.table.load(overview.axes, overview.rows, overview.partners)
        if overview.figures is not None:
            self.dashboard.load(overview.figures)

    def _show_plan_present(self, has_plan: bool, otherwise: str) -> None:
        """The tabs and the plan's actions, or the text `otherwise` says (no plan yet, or still reading)."""
        self.empty.setText(otherwise)
        self.empty.setVisible(not has_plan)
        self.tabs.setVisible(has_plan)
        for widget in (self.edit_plan_button, self.delete_plan_button, self.plan_choice):
            widget.setEnabled(has_plan)
        for action in (self.new_action_action, self.sheet_pdf_action, self.plan_pdf_action, self.export_action,
                       self.print_sheet_action, self.print_plan_action):
            action.setEnabled(has_plan)

    def selected(self) -> tuple[str, int] | None:
        """What the user points at: in the table an action, in the tree an axis, objective or action."""
        if self.tabs.currentWidget() is self.table:
            action_id = self.table.current_action_id()
            return ("action", action_id) if action_id is not None else None
        return self.tree.current()

    # --- plan ----------------------------------------------------------------------------------------
    def new_plan(self) -> None:
        dialog = PlanDialog(self.ctx, parent=self)
        if modal.run(dialog):
            self.plan_choice.select(dialog.plan.id)

    def edit_plan(self) -> None:
        if self.plan is not None:
            modal.run(PlanDialog(self.ctx, self.plan, self))

    def delete_plan(self) -> None:
        plan = self.plan
        if plan is None:
            return
        count = len(self.ctx.store.plan.action_rows(plan.id))
        if not messages.confirm(self, "Supprimer le plan", (
                f"Supprimer le plan « {plan.title} » ({plan.period}), ses axes, ses objectifs et ses "
                f"{plural(count, 'fiche-action', 'fiches-actions', feminine=True)} ?\n\nLes liens avec les réunions seront retirés (les comptes rendus sont "
                "conservés). Édition › Annuler (Ctrl+Z) le rétablit."), "Supprimer le plan"):
            return
        self.ctx.runner.run(partial(plan_ops.delete_plan, plan_id=plan.id), parent=self,
                            undo=f"Suppression du plan « {plan.title} »")

    # --- axes, objectives, actions -------------------------------------------------------------------
    def _objective_of_selection(self) -> int | None:
        selected = self.selected()
        if selected is None:
            return None
        kind, item_id = selected
        if kind == "objective":
            return item_id
        if kind == "action":
            action = self.ctx.store.plan.get_action(item_id)
            return action.objective_id if action else None
        objectives = [o for o in self.ctx.store.plan.objectives(self.plan.id) if o.axis_id == item_id]
        return objectives[0].id if objectives else None

    def _axis_of_selection(self) -> int | None:
        selected = self.selected()
        if selected is None:
            axes = self.ctx.store.plan.axes(self.plan.id)
            return axes[-1].id if axes else None
        kind, item_id = selected
        if kind == "axis":
            return item_id
        objective_id = item_id if kind == "objective" else self._objective_of_selection()
        return next((o.axis_id for o in self.ctx.store.plan.objectives(self.plan.id) if o.id == objective_id), None)

    def new_axis(self) -> None:
        if self.plan is None:
            return
        dialog = TitleDialog(self.ctx, Axis(plan_id=self.plan.id, title=""), self)
        if modal.run(dialog):
            self.tree.select("axis", dialog.item.id)

    def new_objective(self) -> None:
        axis_id = self._axis_of_selection() if self.plan else None
        if axis_id is None:
            messages.inform(self, "Nouvel objectif", "Créez d'abord un axe : chaque objectif appartient à un axe.")
            return
        dialog = TitleDialog(self.ctx, Objective(axis_id=axis_id, title=""), self)
        if modal.run(dialog):
            self.tree.select("objective", dialog.item.id)

    def new_action(self) -> None:
        if self.plan is None:
            return
        objective_id = self._objective_of_selection()
        if objective_id is None:
            objectives = self.ctx.store.plan.objectives(self.plan.id)
            if not objectives:
                messages.inform(self, "Nouvelle action", "Créez d'abord un axe puis un objectif : chaque "
                                "fiche-action se rattache à un objectif.")
                return
            objective_id = objectives[0].id
        dialog = ActionDialog(self.ctx, self.plan, Action(objective_id=objective_id, title=""), self)
        if modal.run(dialog):
            self.tree.select("action", dialog.action.id)

    def edit_selected(self) -> None:
        selected = self.selected()
        if selected is None or self.plan is None:
            return
        kind, item_id = selected
        store = self.ctx.store.plan
        if kind == "action":
            action = store.get_action(item_id)
            if action is not None:
                modal.run(ActionDialog(self.ctx, self.plan, action, self))
        elif kind == "axis":
            modal.run(TitleDialog(self.ctx, next(a for a in store.axes(self.plan.id) if a.id == item_id), self))
        else:
            objective = next(o for o in store.objectives(self.plan.id) if o.id == item_id)
            modal.run(TitleDialog(self.ctx, objective, self))

    def move_selected(self, delta: int) -> None:
        selected = self.tree.current()
        if selected is None:
            return
        kind, item_id = selected
        if self.ctx.runner.run(partial(plan_ops.move_item, kind=kind, item_id=item_id, delta=delta),
                               parent=self) is not None:
            self.tree.select(kind, item_id)  # the refreshed tree keeps the moved item under the cursor

    def _deletion_question(self, kind: str, item_id: int) -> tuple[str, str]:
        """What deleting would take with it, and the item's title (for the question and the undo entry)."""
        store = self.ctx.store.plan
        if kind == "action":
            title = store.get_action(item_id).title
            text = f"Supprimer la fiche-action « {title} », ses financements et ses indicateurs ?"
            meetings = {m.meeting_id for m in self.ctx.store.links.meetings_for_action(item_id)}
            if meetings:
                text += (f"\n\nElle est liée à {plural(len(meetings), 'réunion', feminine=True)} : ces liens "
                         "seront retirés (les décisions et comptes rendus des réunions sont conservés).")
        elif kind == "axis":
            title = next(a for a in store.axes(self.plan.id) if a.id == item_id).title
            count = store.count_actions_under(axis_id=item_id)
            text = (f"Supprimer l'axe « {title} », ses objectifs et ses "
                    f"{plural(count, 'fiche-action', 'fiches-actions', feminine=True)} ?")
        else:
            title = next(o for o in store.objectives(self.plan.id) if o.id == item_id).title
            count = store.count_actions_under(objective_id=item_id)
            text = (f"Supprimer l'objectif « {title} » et ses "
                    f"{plural(count, 'fiche-action', 'fiches-actions', feminine=True)} ?")
        return text, title

    def delete_selected(self) -> None:
        selected = self.selected()
        if selected is None or self.plan is None:
            return
        kind, item_id = selected
        text, title = self._deletion_question(kind, item_id)
        if not messages.confirm(self, "Supprimer", f"{text}\n\nÉdition › Annuler (Ctrl+Z) le rétablit.",
                                "Supprimer"):
            return
        self.ctx.runner.run(partial(plan_ops.delete_item, kind=kind, item_id=item_id), parent=self,
                            undo=f"Suppression de {KIND_NAMES[kind]} « {title} »")

    # --- documents -----------------------------------------------------------------------------------
    def _produce(self, title: str, stem: str, suffix: str, filters: str,
                 write: Callable[[Path], Operation[Path]], done: str, label: str) -> bool:
        if self.printing.on:
            return print_on_worker(self, self.ctx, title.replace("(PDF)", "(impression)"), stem, write, label=label)
        return produce_file_on_worker(self, self.ctx, title, stem, suffix, filters, write, done, label=label)

    def action_sheet_pdf(self) -> bool:
        selected = self.selected()
        if selected is None or selected[0] != "action":
            messages.inform(self, "Fiche-action (PDF)", "Sélectionnez d'abord une action dans l'arborescence "
                            "ou dans le tableau.")
            return False
        return self._produce("Fiche-action (PDF)", f"fiche-action-{selected[1]}", ".pdf", PDF_FILTER,
                             lambda path: partial(report_ops.action_sheet_pdf, action_id=selected[1], path=path),
                             "La fiche-action a été enregistrée dans :", "Préparation de la fiche-action…")

    def plan_pdf(self) -> bool:
        if self.plan is None:
            return False
        plan_id = self.plan.id
        return self._produce("Plan complet (PDF)", f"plan-actions-{self.plan.period}", ".pdf", PDF_FILTER,
                             lambda path: partial(report_ops.plan_pdf, plan_id=plan_id, path=path),
                             "Le plan d'actions a été enregistré dans :", "Préparation du plan d'actions…")

    def export_xlsx(self) -> bool:
        if self.plan is None:
            return False
        plan_id = self.plan.id
        return self._produce("Exporter le plan en Excel", f"plan-actions-{self.plan.period}", ".xlsx", XLSX_FILTER,
                             lambda path: partial(report_ops.plan_xlsx, plan_id=plan_id, path=path),
                             "Le plan d'actions a été exporté dans :", "Export du plan d'actions…")
