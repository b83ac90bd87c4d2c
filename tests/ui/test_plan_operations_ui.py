"""The plan screen on the operations layer: every write through the runner (the write guard is on), Ctrl+Z
after a deletion, the dispatcher refreshing the screen (an action drawn from the minutes, a hidden screen,
a restore), and each editor asking before losing unsaved edits, with each answer."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import pytest
from PySide6.QtWidgets import QDialog

from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import Decision, Meeting, MeetingStatus
from clspd_desktop.domain.plan import Action, Axis, Objective, Plan
from clspd_desktop.domain.plan_links import LinkSource
from clspd_desktop.services.operations import OpChanges
from clspd_desktop.services.operations import plan as plan_ops
from clspd_desktop.ui.plan.action_dialog import ActionDialog
from clspd_desktop.ui.plan.action_picker import PlanActionPicker
from clspd_desktop.ui.plan.page import PlanPage
from clspd_desktop.ui.plan.small_dialogs import FundingDialog, IndicatorDialog, PlanDialog, TitleDialog
from clspd_desktop.ui.widgets import modal
from tests.unit.test_plan_repo import HOSTILE, small_plan


@pytest.fixture
def setup(ctx):
    return small_plan(ctx.store)


@pytest.fixture
def decision(ctx, setup) -> Decision:
    """A decision of a held plenary, written before the write guard is on."""
    plenary = ctx.store.formations.by_kind(FormationKind.PLENARY)
    meeting = ctx.store.meetings.save_meeting(Meeting(formation_id=plenary.id, starts_at=datetime(2026, 3, 3, 9),
                                                      ends_at=datetime(2026, 3, 3, 11), status=MeetingStatus.HELD))
    return ctx.store.meetings.save_decision(Decision(meeting.id, "Créer une permanence"))


@pytest.fixture
def page(qtbot, ctx, setup, decision):
    widget = PlanPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading)  # read on a worker for its first show
    ctx.runner.guard_writes()  # from here on, a write outside an operation fails
    return widget


def _fill_and_save(monkeypatch, fill):
    def run(dialog):
        fill(dialog)
        dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run", run)


# --- every write through the runner ------------------------------------------------------------------------
def test_every_command_of_the_screen_writes_through_operations(page, ctx, setup, monkeypatch, dialogs):
    _fill_and_save(monkeypatch, lambda d: d.title.setText("Gouvernance"))
    page.new_axis()
    assert page.tree.current()[0] == "axis"
    page.new_objective()
    assert page.tree.current()[0] == "objective"
    page.new_action()  # the action dialog: its title field is filled the same way
    new_action = page.tree.current()
    assert new_action[0] == "action" and ctx.store.plan.get_action(new_action[1]).title == "Gouvernance"
    page.edit_selected()
    page.tree.select("axis", setup.axes[1].id)
    page.move_selected(-1)
    assert [a.title for a in ctx.store.plan.axes(setup.plan.id)] == ["Victimes", "Jeunesse", "Gouvernance"]
    assert page.tree.current() == ("axis", setup.axes[1].id)
    _fill_and_save(monkeypatch, lambda d: d.title.setText("Plan 2028"))
    page.edit_plan()
    assert page.plan_choice.currentText() == "2025-2027 – Plan 2028"
    dialogs.confirms.append(True)
    page.tree.select("action", new_action[1])
    page.delete_selected()
    assert ctx.store.plan.get_action(new_action[1]) is None


# --- undo ---------------------------------------------------------------------------------------------------
def test_ctrl_z_brings_back_a_deleted_axis_with_its_actions_on_screen(page, ctx, setup, dialogs):
    page.tree.select("axis", setup.axes[0].id)
    dialogs.confirms.append(True)
    page.delete_selected()
    assert "Ctrl+Z" in dialogs.confirm_texts[-1]
    assert not page.tree.select("action", setup.action.id)
    assert ctx.runner.undo_label == "Suppression de l'axe « Jeunesse »"
    assert ctx.runner.undo(page)
    assert page.tree.select("action", setup.action.id)  # the screen shows it again at once
    assert ctx.store.plan.get_action(setup.action.id) == setup.action
    assert page.table.table.table_model.rowCount() == 1


def test_ctrl_z_brings_back_a_deleted_action_and_its_links_to_meetings(page, ctx, setup, decision, dialogs):
    ctx.runner.call(partial(plan_ops.set_links, source=LinkSource.DECISION, source_id=decision.id,
                            action_ids_by_plan={setup.plan.id: [setup.action.id]}))
    page.tree.select("action", setup.action.id)
    dialogs.confirms.append(True)
    page.delete_selected()
    assert ctx.runner.undo_label == f"Suppression de la fiche-action « {HOSTILE} »"
    assert ctx.runner.undo(page)
    assert [m.source_id for m in ctx.store.links.meetings_for_action(setup.action.id)] == [decision.id]
    assert page.tree.select("action", setup.action.id)


def test_deleting_the_plan_asks_and_can_be_undone(page, ctx, setup, dialogs):
    dialogs.confirms.append(False)
    page.delete_plan()
    assert ctx.store.plan.get_plan(setup.plan.id) is not None
    dialogs.confirms.append(True)
    page.delete_plan()
    assert "ses 1 fiche-action ?" in dialogs.confirm_texts[-1]
    assert page.plan is None and not page.empty.isHidden() and page.tabs.isHidden()
    assert ctx.runner.undo(page)
    assert page.plan == setup.plan and page.tree.select("action", setup.action.id)


# --- the dispatcher -----------------------------------------------------------------------------------------
def test_an_action_created_from_the_minutes_shows_at_once(page, ctx, setup, decision):
    created = ctx.runner.call(partial(
        plan_ops.save_action, action=Action(objective_id=setup.objectives[1].id, title="Permanence d'accueil"),
        link=(LinkSource.DECISION, decision.id)))
    assert page.tree.select("action", created.id)
    assert page.table.count.text().startswith("2 actions affichées sur 2")


def test_a_hidden_plan_screen_catches_up_when_shown(page, ctx, setup):
    page.hide()
    ctx.runner.call(partial(plan_ops.save_heading, item=Axis(plan_id=setup.plan.id, title="Sécurité routière")))
    assert page.tree.tree_model.rowCount() == 2  # hidden: not rebuilt for nothing
    page.show()
    assert page.tree.tree_model.rowCount() == 3


def test_after_a_restore_the_screen_shows_the_restored_plan(page, ctx, setup):
    restored = ctx.store.plan  # a restore replaces the data under the screen, then tells every screen
    ctx.runner.call(partial(plan_ops.save_plan, plan=Plan(title="Plan restauré", start_year=2028, end_year=2030)))
    ctx.runner.dispatcher.publish(OpChanges.all())
    assert page.plan_choice.count() == len(restored.plans()) == 2


# --- no lost edits ------------------------------------------------------------------------------------------
def _shown(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.parametrize("answer", ["save", "discard", "cancel"])
def test_the_action_editor_asks_before_losing_edits(qtbot, page, ctx, setup, dialogs, answer):
    dialog = _shown(qtbot, ActionDialog(ctx, setup.plan, ctx.store.plan.get_action(setup.action.id), page))
    dialog.title.setText("Nouveau titre")
    dialogs.save_choices.append(answer)
    dialog.reject()
    assert "« Modifier la fiche-action » contient des modifications" in dialogs.save_questions[-1]
    assert ctx.store.plan.get_action(setup.action.id).title == ("Nouveau titre" if answer == "save" else HOSTILE)
    assert dialog.isVisible() == (answer == "cancel")
    if answer == "save":
        assert page.tree.select("action", setup.action.id)
        assert page.tree.currentIndex().data().endswith("Nouveau titre")
    dialog.done(QDialog.DialogCode.Rejected)  # still open after « Annuler »: closed without a question


def test_filtering_a_list_of_the_action_editor_is_not_an_edit(qtbot, page, ctx, setup, dialogs):
    dialog = _shown(qtbot, ActionDialog(ctx, setup.plan, ctx.store.plan.get_action(setup.action.id), page))
    dialog.partners.filter.setText("college")
    dialog.reject()
    assert dialogs.save_questions == [] and not dialog.isVisible()
    dialog = _shown(qtbot, ActionDialog(ctx, setup.plan, ctx.store.plan.get_action(setup.action.id), page))
    dialog.partners.set_checked(setup.lead.id)  # ticking is an edit
    dialogs.save_choices.append("discard")
    dialog.reject()
    assert len(dialogs.save_questions) == 1 and not dialog.isVisible()


def test_an_edit_refused_on_save_keeps_the_editor_open(qtbot, page, ctx, setup, dialogs):
    dialog = _shown(qtbot, ActionDialog(ctx, setup.plan, ctx.store.plan.get_action(setup.action.id), page))
    dialog.title.setText("   ")
    dialogs.save_choices.append("save")
    dialog.reject()
    assert dialog.isVisible() and dialog.errors.message("title") == "L'intitulé de l'action est obligatoire."
    assert ctx.store.plan.get_action(setup.action.id).title == HOSTILE
    dialog.done(QDialog.DialogCode.Rejected)


SMALL_DIALOGS = {
    "plan": (lambda ctx, sp: PlanDialog(ctx, ctx.store.plan.get_plan(sp.plan.id)),
             lambda d: d.title.setText("Plan modifié"), "« Modifier le plan »",
             lambda ctx, sp: ctx.store.plan.get_plan(sp.plan.id).title == "Plan modifié"),
    "axis": (lambda ctx, sp: TitleDialog(ctx, ctx.store.plan.axes(sp.plan.id)[0]),
             lambda d: d.description.setPlainText("Priorité du conseil"), "« Modifier l'axe »",
             lambda ctx, sp: ctx.store.plan.axes(sp.plan.id)[0].description == "Priorité du conseil"),
    "objective": (lambda ctx, sp: TitleDialog(ctx, Objective(axis_id=sp.axes[0].id, title="")),
                  lambda d: d.title.setText("Nouvel objectif saisi"), "« Nouvel objectif »",
                  lambda ctx, sp: len(ctx.store.plan.objectives(sp.plan.id)) == 3),
    "funding": (lambda ctx, sp: FundingDialog(sp.plan), lambda d: d.requested.setText("1 000"),
                "« Nouveau financement »", lambda ctx, sp: True),
    "indicator": (lambda ctx, sp: IndicatorDialog(sp.plan), lambda d: d.name.setText("Jeunes reçus"),
                  "« Nouvel indicateur »", lambda ctx, sp: True),
}


@pytest.mark.parametrize("answer", ["save", "discard", "cancel"])
@pytest.mark.parametrize("which", list(SMALL_DIALOGS))
def test_each_small_editor_asks_before_losing_edits(qtbot, page, ctx, setup, dialogs, which, answer):
    build, edit, title, saved = SMALL_DIALOGS[which]
    dialog = _shown(qtbot, build(ctx, setup))
    edit(dialog)
    dialogs.save_choices.append(answer)
    dialog.close()
    assert dialogs.save_questions[-1].startswith(f"{title} contient des modifications non enregistrées")
    assert dialog.isVisible() == (answer == "cancel")
    accepted = dialog.result() == QDialog.DialogCode.Accepted
    assert accepted == (answer == "save")
    if answer == "save":
        assert saved(ctx, setup)
    dialog.done(QDialog.DialogCode.Rejected)


def test_an_untouched_editor_closes_without_a_question(qtbot, page, ctx, setup, dialogs):
    for dialog in (ActionDialog(ctx, setup.plan, ctx.store.plan.get_action(setup.action.id)),
                   PlanDialog(ctx, setup.plan), TitleDialog(ctx, setup.axes[0])):
        _shown(qtbot, dialog).close()
        assert not dialog.isVisible()
    assert dialogs.save_questions == []


@pytest.mark.parametrize("answer", ["save", "discard", "cancel"])
def test_the_action_picker_asks_before_losing_ticks(qtbot, page, ctx, setup, decision, dialogs, answer):
    plans = ctx.store.plan.plans()
    picker = _shown(qtbot, PlanActionPicker(ctx, LinkSource.DECISION, decision.id, decision.text, plans, plans[0]))
    picker.actions.filter.setText("atelier")  # narrowing the list is not an edit
    picker.actions.set_checked(setup.action.id)
    dialogs.save_choices.append(answer)
    picker.reject()
    assert "« Lier à des actions du plan »" in dialogs.save_questions[-1]
    linked = [a.action_id for a in ctx.store.links.linked_actions(LinkSource.DECISION, decision.id)]
    assert linked == ([setup.action.id] if answer == "save" else [])
    assert picker.isVisible() == (answer == "cancel")
    picker.done(QDialog.DialogCode.Rejected)
