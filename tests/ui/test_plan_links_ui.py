"""Links between the minutes and the plan, driven as a user would: the « Action(s) du plan » column, the
link picker (tree, search, tick / untick), removing a link from the context menu with confirmation,
creating a fiche-action from a decision or an action item, the refusal without a plan, links kept when
the minutes are edited, and the action editor's « Réunions » tab. Hostile names shown verbatim."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from clspd_desktop.domain.meetings import Decision
from clspd_desktop.domain.plan import Plan
from clspd_desktop.domain.plan_links import LinkSource
from clspd_desktop.ui.meetings.minutes_editor import DecisionDialog, MinutesEditor
from clspd_desktop.ui.meetings.plan_links import ActionFromMinutesDialog, menu_text
from clspd_desktop.ui.plan.action_dialog import TABS, ActionDialog
from clspd_desktop.ui.plan.action_picker import PlanActionPicker
from tests.factories import add_organisation
from tests.ui.test_partners_support import save, texts
from tests.unit.test_plan_links_repo import HOSTILE, HOSTILE_TEXT, linked_setup, new_meeting

LINKS_COLUMN = 2  # decisions: N°, Décision, Action(s) du plan
ITEM_LINKS_COLUMN = 4  # action items: Action, Responsable, Échéance, État, Action(s) du plan


@pytest.fixture
def setup(ctx):
    return linked_setup(ctx.store)


@pytest.fixture
def editor(ctx, qtbot, setup):
    widget = MinutesEditor(ctx, setup.plenary.id)
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()  # the editor follows the dispatcher while shown
    return widget


def _select_first(table) -> None:
    table.selectRow(0)
    assert table.current_record() is not None


def test_column_shows_linked_actions_verbatim(ctx, editor, setup, qtmodeltester):
    ctx.store.links.link_decision(setup.decision.id, setup.sp.action.id)
    ctx.store.links.link_decision(setup.decision.id, setup.second.id)
    ctx.store.links.link_action_item(setup.item.id, setup.second.id)
    editor.reload_lists()
    assert editor.decisions.model().headerData(LINKS_COLUMN, editor.decisions.horizontalHeader().orientation()) \
        == "Actions du plan"
    assert texts(editor.decisions, 1) == [HOSTILE_TEXT]
    assert texts(editor.decisions, LINKS_COLUMN) == [f"1.1.1 {HOSTILE} ; 2.1.1 Aide aux victimes & co"]
    assert texts(editor.actions, ITEM_LINKS_COLUMN) == ["2.1.1 Aide aux victimes & co"]
    qtmodeltester.check(editor.decisions.model())


def test_picker_links_then_unticking_removes_the_link(ctx, editor, setup, modals):
    _select_first(editor.decisions)

    def tick(picker: PlanActionPicker) -> None:
        assert picker.about.text() == f"Décision : {HOSTILE_TEXT}"
        tree = picker.actions
        assert tree.tree.topLevelItem(0).text(0) == "Axe 1 – Jeunesse"
        assert tree.items[setup.sp.action.id].text(0) == f"1.1.1 {HOSTILE}"
        tree.filter.setText("victimes")  # searches axis, objective and title, accents ignored
        assert tree.visible_values() == [setup.second.id]
        assert tree.tree.topLevelItem(0).isHidden()  # the axis with no matching action is hidden
        tree.set_checked(setup.second.id)
        tree.filter.setText("")
        tree.set_checked(setup.sp.action.id)
        assert tree.count_label.text() == "2 actions cochées"
        save(picker)

    modals.then(tick)
    editor.decision_links.link_button.click()
    assert texts(editor.decisions, LINKS_COLUMN) == [f"1.1.1 {HOSTILE} ; 2.1.1 Aide aux victimes & co"]

    def untick(picker: PlanActionPicker) -> None:
        assert set(picker.actions.checked_values()) == {setup.sp.action.id, setup.second.id}
        picker.actions.set_checked(setup.sp.action.id, False)
        save(picker)

    modals.then(untick)
    editor.decision_links.link_action.trigger()  # the Ctrl+L action of the table
    linked = ctx.store.links.linked_actions(LinkSource.DECISION, setup.decision.id)
    assert [a.action_id for a in linked] == [setup.second.id]
    assert texts(editor.decisions, LINKS_COLUMN) == ["2.1.1 Aide aux victimes & co"]


def test_cancelling_the_picker_writes_nothing(ctx, editor, setup, modals):
    _select_first(editor.decisions)

    def tick_and_cancel(picker: PlanActionPicker) -> None:
        picker.actions.set_checked(setup.sp.action.id)
        picker.reject()

    modals.then(tick_and_cancel)
    editor.decision_links.link_button.click()
    assert ctx.store.links.links_of_meeting(setup.plenary.id).decisions == {}


def test_table_actions_carry_the_shortcuts(editor):
    for control, table in ((editor.decision_links, editor.decisions), (editor.action_links, editor.actions)):
        assert control.link_action in table.actions() and control.create_action in table.actions()
        assert control.link_action.shortcut() == QKeySequence("Ctrl+L")
        assert control.create_action.shortcut() == QKeySequence("Ctrl+Shift+L")


def test_ctrl_l_on_the_focused_table_opens_the_picker(editor, qtbot, modals):
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    _select_first(editor.actions)
    editor.actions.setFocus()
    qtbot.waitUntil(editor.actions.hasFocus)
    modals.then(lambda picker: picker.reject())
    qtbot.keyClick(editor.actions, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert [type(d) for d in modals.opened] == [PlanActionPicker]
    assert modals.opened[0].source is LinkSource.ACTION_ITEM


def test_context_menu_removes_a_link_after_confirmation(ctx, editor, setup, dialogs):
    ctx.store.links.link_decision(setup.decision.id, setup.sp.action.id)
    ctx.store.links.link_decision(setup.decision.id, setup.second.id)
    editor.reload_lists()
    _select_first(editor.decisions)
    menu = editor.decision_links.menu_for(editor.decisions.current_record())
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    remove = f"Retirer le lien avec « {menu_text(f'1.1.1 {HOSTILE}')} »"
    assert labels == ["Modifier…", "Lier à des actions du plan…", "Créer une action du plan à partir de cette décision…",
                      remove, "Retirer le lien avec « 2.1.1 Aide aux victimes && co »", "Supprimer"]
    assert "R&&D" in remove  # "&" doubled: shown as typed, not eaten as a keyboard accelerator
    entry = next(a for a in menu.actions() if a.text() == remove)
    dialogs.confirms.append(False)
    entry.trigger()
    assert len(ctx.store.links.links_of_meeting(setup.plenary.id).decisions[setup.decision.id]) == 2
    dialogs.confirms.append(True)
    entry.trigger()
    assert "Ni la décision ni l'action du plan ne sont supprimées" in dialogs.confirm_texts[-1]
    assert texts(editor.decisions, LINKS_COLUMN) == ["2.1.1 Aide aux victimes & co"]
    assert ctx.store.plan.get_action(setup.sp.action.id) is not None
    assert [d.id for d in ctx.store.meetings.decisions(setup.plenary.id)] == [setup.decision.id]


def test_create_action_from_a_decision_asks_the_objective_then_links(ctx, editor, setup, modals):
    _select_first(editor.decisions)
    before = ctx.store.plan.count_actions()

    def fill(dialog: ActionFromMinutesDialog) -> None:
        assert dialog.windowTitle() == "Nouvelle fiche-action à partir de cette décision"
        assert dialog.title.text() == HOSTILE_TEXT  # short enough: the whole first line
        assert dialog.description.toPlainText() == HOSTILE_TEXT
        assert dialog.objective.value() is None and dialog.objective.currentText() == "(choisissez l'objectif)"
        save(dialog)  # refused: no objective chosen, nothing written
        assert dialog.result() != dialog.DialogCode.Accepted
        assert dialog.errors.labels["objective"].text() == "Choisissez l'objectif auquel rattacher l'action."
        assert ctx.store.plan.count_actions() == before
        dialog.objective.select(setup.sp.objectives[1].id)
        save(dialog)

    modals.then(fill)
    editor.decision_links.create_button.click()
    assert ctx.store.plan.count_actions() == before + 1
    linked = ctx.store.links.links_of_meeting(setup.plenary.id).decisions[setup.decision.id]
    assert [(a.number, a.title) for a in linked] == [("2.1.2", HOSTILE_TEXT)]
    assert ctx.store.plan.get_action(linked[0].action_id).description == HOSTILE_TEXT
    assert texts(editor.decisions, LINKS_COLUMN) == [f"2.1.2 {HOSTILE_TEXT}"]


def test_create_action_from_an_action_item_proposes_its_responsible_as_lead(ctx, editor, setup, modals):
    org = add_organisation(ctx.store, "Police municipale <PM> & CSU")
    item = ctx.store.meetings.action_items(setup.plenary.id)[0]
    item.responsible_organisation_id = org.id
    item.text = "Étudier quatre caméras supplémentaires\nDétail : gare & parking <nord>"
    ctx.store.meetings.save_action_item(item)
    editor.reload_lists()
    _select_first(editor.actions)

    def fill(dialog: ActionFromMinutesDialog) -> None:
        assert dialog.windowTitle() == "Nouvelle fiche-action à partir de cette action décidée"
        assert dialog.title.text() == "Étudier quatre caméras supplémentaires"  # the first line only
        assert dialog.lead.value() == org.id
        dialog.objective.select(setup.sp.objectives[0].id)
        save(dialog)

    modals.then(fill)
    editor.action_links.create_action.trigger()
    linked = ctx.store.links.links_of_meeting(setup.plenary.id).action_items[item.id]
    action = ctx.store.plan.get_action(linked[0].action_id)
    assert action.lead_organisation_id == org.id
    assert action.description == "Étudier quatre caméras supplémentaires\nDétail : gare & parking <nord>"


def test_refused_action_from_minutes_writes_neither_action_nor_link(ctx, editor, setup, modals, dialogs):
    _select_first(editor.decisions)

    def fill(dialog: ActionFromMinutesDialog) -> None:
        dialog.objective.select(setup.sp.objectives[0].id)
        dialog.start_date.setText("01/06/2026")
        dialog.end_date.setText("01/01/2026")  # ends before it starts
        save(dialog)
        assert dialog.result() != dialog.DialogCode.Accepted
        dialog.reject()

    before = ctx.store.plan.count_actions()
    modals.then(fill)
    editor.decision_links.create_button.click()
    assert ctx.store.plan.count_actions() == before
    assert ctx.store.links.links_of_meeting(setup.plenary.id).decisions == {}


def test_without_a_plan_the_user_is_told_in_french_and_nothing_opens(ctx, qtbot, dialogs, modals):
    meeting = new_meeting(ctx.store, date(2025, 6, 12))
    ctx.store.meetings.save_decision(Decision(meeting.id, "Créer un conseil citoyen"))
    editor = MinutesEditor(ctx, meeting.id)
    qtbot.addWidget(editor)
    editor.decision_links.create_button.click()
    assert dialogs.informed[-1][1] == "Choisissez d'abord une décision dans la liste."
    _select_first(editor.decisions)
    editor.decision_links.link_button.click()
    editor.decision_links.create_button.click()
    assert [text for _t, text in dialogs.informed[-2:]] == [
        "Aucun plan d'actions n'est encore enregistré. Créez-le dans « Plan d'actions » (Ctrl+5), avec ses axes "
        "et ses objectifs : vous pourrez ensuite y lier les décisions de cette réunion."] * 2
    ctx.store.plan.save_plan(Plan(title="Stratégie 2025-2027", start_year=2025, end_year=2027))
    editor.decision_links.create_button.click()
    assert "n'a encore aucun objectif" in dialogs.informed[-1][1]
    editor.decision_links.link_button.click()
    assert "n'a encore aucune fiche-action" in dialogs.informed[-1][1]
    assert modals.opened == []


def test_links_survive_editing_the_decision_and_the_minutes(ctx, editor, setup, modals):
    ctx.store.links.link_decision(setup.decision.id, setup.sp.action.id)
    editor.reload_lists()
    _select_first(editor.decisions)

    def rewrite(dialog: DecisionDialog) -> None:
        dialog.text.setPlainText("Décision reformulée après relecture")
        save(dialog)

    modals.then(rewrite)
    editor._edit_decision()
    editor.summary.setPlainText("Synthèse corrigée")
    editor.item_notes[setup.plenary.agenda[0].id].setPlainText("Notes relues")
    assert editor.save()
    fresh = MinutesEditor(ctx, setup.plenary.id)
    editor.deleteLater()
    assert texts(fresh.decisions, 1) == ["Décision reformulée après relecture"]
    assert texts(fresh.decisions, LINKS_COLUMN) == [f"1.1.1 {HOSTILE}"]
    fresh.deleteLater()


def test_deleting_a_linked_decision_says_so_then_removes_the_links(ctx, editor, setup, dialogs):
    ctx.store.links.link_decision(setup.decision.id, setup.sp.action.id)
    editor.reload_lists()
    _select_first(editor.decisions)
    dialogs.confirms.append(True)
    editor._delete_decision()
    assert "liée à 1 action du plan : ces liens seront retirés (les actions restent)" in dialogs.confirm_texts[-1]
    assert ctx.store.links.meetings_for_action(setup.sp.action.id) == []
    assert ctx.store.plan.get_action(setup.sp.action.id) is not None


def test_action_dialog_lists_the_meetings_where_it_was_discussed(ctx, qtbot, setup, qtmodeltester):
    ctx.store.links.link_action_item(setup.item.id, setup.sp.action.id)
    ctx.store.links.link_decision(setup.decision.id, setup.sp.action.id)
    ctx.store.links.link_decision(setup.group_decision.id, setup.sp.action.id)
    dialog = ActionDialog(ctx, setup.sp.plan, ctx.store.plan.get_action(setup.sp.action.id))
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(5) == f"{TABS[5]} (3)"
    table = dialog.meetings_table
    assert texts(table, 0) == ["mardi 8 avril 2025", "jeudi 12 juin 2025", "jeudi 12 juin 2025"]
    assert texts(table, 1) == ["Groupe de travail « Cellule <veille> & suivi » (confidentiel)",
                               "Formation plénière – Plénière <annuelle> & bilan",
                               "Formation plénière – Plénière <annuelle> & bilan"]
    assert texts(table, 2) == ["Décision : Situations confiées à un référent", f"Décision : {HOSTILE_TEXT}",
                               "Action décidée : Relancer le chef de file"]
    qtmodeltester.check(table.model())
    empty = ActionDialog(ctx, setup.sp.plan, ctx.store.plan.get_action(setup.second.id))
    qtbot.addWidget(empty)
    assert empty.tabs.tabText(5) == TABS[5] and empty.meetings_table.model().rowCount() == 0
    assert "Aucune réunion n'est encore liée" in empty.meetings_note.text()
