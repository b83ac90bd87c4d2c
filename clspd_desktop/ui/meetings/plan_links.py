"""From the minutes to the plan: link a decision or an action item to plan actions, remove a link, or
create a plan action from it (the fiche-action editor opens pre-filled; the new action is linked).

One `PlanLinksControl` serves one table of the minutes editor: buttons, a context menu and shortcuts
(Ctrl+L to link, Ctrl+Maj+L to create) on the table. Links are ids of decisions and action items, which
keep their id when the minutes are edited, so editing the minutes never loses a link.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from clspd_desktop.context import AppContext
from clspd_desktop.domain.plan import Action, Plan
from clspd_desktop.domain.plan_links import (
    LinkedAction,
    LinkSource,
    MeetingLinks,
    action_title_from,
    plan_for_day,
)
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.ui import messages
from clspd_desktop.ui.plan.action_dialog import ActionDialog
from clspd_desktop.ui.plan.action_picker import PlanActionPicker
from clspd_desktop.ui.widgets import modal
from clspd_desktop.ui.widgets.record_table import RecordTable

MENU_LABEL_LIMIT = 70
LINK_KEYS = "Ctrl+L"
CREATE_KEYS = "Ctrl+Shift+L"
NO_PLAN = ("Aucun plan d'actions n'est encore enregistré. Créez-le dans « Plan d'actions » (Ctrl+5), avec ses "
           "axes et ses objectifs : vous pourrez ensuite y lier les décisions de cette réunion.")
_NOUN = {LinkSource.DECISION: "cette décision", LinkSource.ACTION_ITEM: "cette action décidée"}
_CHOOSE = {LinkSource.DECISION: "Choisissez d'abord une décision dans la liste.",
           LinkSource.ACTION_ITEM: "Choisissez d'abord une action décidée dans la liste."}


def menu_text(text: str) -> str:
    """A user's text as a menu entry: shortened, and '&' doubled so that "R&D" is not a keyboard accelerator."""
    text = " ".join(text.split())
    if len(text) > MENU_LABEL_LIMIT:
        text = text[:MENU_LABEL_LIMIT - 1] + "…"
    return text.replace("&", "&&")


def links_text(links: list[LinkedAction]) -> str:
    """What the « Actions du plan » column shows: '1.1.2 Titre ; 3.1.1 Titre'."""
    return " ; ".join(a.short_label for a in links)


class ActionFromMinutesDialog(ActionDialog):
    """The fiche-action editor pre-filled from a decision or an action item: its text as description, its
    first line (shortened) as title, an action item's responsible organisation as chef de file; the user
    chooses the objective. Saving creates the action and the link in one transaction."""

    def __init__(self, ctx: AppContext, plan: Plan, source: LinkSource, source_id: int, text: str,
                 lead_organisation_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, plan, Action(objective_id=None, title=action_title_from(text),
                                           description=text.strip(), lead_organisation_id=lead_organisation_id),
                         parent)
        self.setWindowTitle(f"Nouvelle fiche-action à partir de {_NOUN[source]}")
        self.source, self.source_id = source, source_id
        self.objective.setFocus()  # the one thing the minutes cannot tell

    def save(self) -> None:
        """The fiche-action first (the plan's own save), then its link to the decision or action item."""
        if self.action.id is None:
            super().save()
        self.ctx.runner.call(partial(ops.link_plan_action, source=self.source, source_id=self.source_id,
                                     action_id=self.action.id))


class PlanLinksControl(QObject):
    """The plan-link commands of one table of the minutes (decisions or action items). `reload` shows the
    links again after the plan's own dialogs (the picker, the fiche-action editor) have saved."""

    def __init__(self, ctx: AppContext, meeting_id: int, source: LinkSource, table: RecordTable,
                 text_of: Callable[[Any], str], edit: Callable[[], None], delete: Callable[[], None],
                 parent: QWidget, reload: Callable[[], None]) -> None:
        super().__init__(parent)
        self.reload = reload
        self.ctx, self.meeting_id, self.source, self.table = ctx, meeting_id, source, table
        self.text_of, self.edit, self.delete = text_of, edit, delete
        self.parent_widget = parent
        self.links = MeetingLinks()
        self.link_action = self._table_action("Lier à des actions du plan…", LINK_KEYS, self.link_selected)
        self.create_action = self._table_action(f"Créer une action du plan à partir de {_NOUN[source]}…",
                                                CREATE_KEYS, self.create_from_selected)
        self.link_button = QPushButton("Lier au plan… (Ctrl+L)")
        self.link_button.setToolTip("Lier à une ou plusieurs actions du plan d'actions existantes")
        self.create_button = QPushButton("Créer une action du plan… (Ctrl+Maj+L)")
        self.create_button.setToolTip(f"Nouvelle fiche-action pré-remplie avec le texte de {_NOUN[source]}")
        self.link_button.clicked.connect(self.link_selected)
        self.create_button.clicked.connect(self.create_from_selected)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_menu)

    def _table_action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.table)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # only while the table has the focus
        action.triggered.connect(slot)
        self.table.addAction(action)
        return action

    # --- what is shown -------------------------------------------------------------------------------
    def set_links(self, links: MeetingLinks) -> None:
        self.links = links

    def links_of(self, record: Any) -> list[LinkedAction]:
        return self.links.of(self.source, record.id)

    def column_text(self, record: Any) -> str:
        return links_text(self.links_of(record))

    def menu_for(self, record: Any | None) -> QMenu:
        """The context menu of a row: edit, link, create, one 'remove' entry per linked action, delete."""
        menu = QMenu(self.table)
        if record is None:
            menu.addAction(self.link_action).setEnabled(False)
            return menu
        menu.addAction("Modifier…", self.edit)
        menu.addSeparator()
        menu.addAction(self.link_action)
        menu.addAction(self.create_action)
        linked = self.links_of(record)
        if linked:
            menu.addSeparator()
            for action in linked:
                menu.addAction(f"Retirer le lien avec « {menu_text(action.short_label)} »",
                               lambda a=action, r=record: self.unlink(r, a))
        menu.addSeparator()
        menu.addAction("Supprimer", self.delete)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
        self.menu_for(self.table.current_record() if index.isValid() else None).exec(
            self.table.viewport().mapToGlobal(pos))

    # --- commands ------------------------------------------------------------------------------------
    def _selected(self) -> Any | None:
        record = self.table.current_record()
        if record is None:
            messages.inform(self.parent_widget, "Plan d'actions", _CHOOSE[self.source])
        return record

    def _plans(self) -> tuple[list[Plan], Plan | None]:
        plans = self.ctx.store.plan.plans()
        meeting = self.ctx.store.meetings.get_meeting(self.meeting_id)
        day = meeting.starts_at.date() if meeting else None
        plan = plan_for_day(plans, day) if day else (plans[0] if plans else None)
        return plans, plan

    def link_selected(self) -> None:
        record = self._selected()
        if record is None:
            return
        plans, plan = self._plans()
        if plan is None:
            messages.inform(self.parent_widget, "Plan d'actions", NO_PLAN)
            return
        if self.ctx.store.plan.count_actions() == 0:
            messages.inform(self.parent_widget, "Plan d'actions", (
                f"Le plan « {plan.title} » n'a encore aucune fiche-action. Choisissez « Créer une action du "
                f"plan… » pour en créer une à partir de {_NOUN[self.source]}."))
            return
        picker = PlanActionPicker(self.ctx, self.source, record.id, self.text_of(record), plans, plan,
                                  self.parent_widget)
        if modal.run(picker):
            self.reload()

    def create_from_selected(self) -> None:
        record = self._selected()
        if record is None:
            return
        _, plan = self._plans()
        if plan is None:
            messages.inform(self.parent_widget, "Plan d'actions", NO_PLAN)
            return
        if not self.ctx.store.plan.objectives(plan.id):
            messages.inform(self.parent_widget, "Plan d'actions", (
                f"Le plan « {plan.title} » n'a encore aucun objectif : créez ses axes et ses objectifs dans "
                "« Plan d'actions » (chaque fiche-action se rattache à un objectif)."))
            return
        dialog = ActionFromMinutesDialog(self.ctx, plan, self.source, record.id, self.text_of(record),
                                         getattr(record, "responsible_organisation_id", None), self.parent_widget)
        if modal.run(dialog):
            self.reload()

    def unlink(self, record: Any, action: LinkedAction) -> None:
        if not messages.confirm(self.parent_widget, "Retirer le lien", (
                f"Retirer le lien entre {_NOUN[self.source]} et l'action « {action.short_label} » ? "
                "Ni la décision ni l'action du plan ne sont supprimées."), "Retirer le lien"):
            return
        self.ctx.runner.run(partial(ops.unlink_plan_action, source=self.source, source_id=record.id,
                                    action_id=action.action_id), parent=self.parent_widget)
