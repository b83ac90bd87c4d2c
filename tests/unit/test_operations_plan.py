"""The plan's operations without Qt: rules applied before anything is written, what each says it changed,
deletions reversible through the undo recording, links made with a new action in one transaction."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import Decision, Meeting, MeetingStatus
from clspd_desktop.domain.plan import (
    Action,
    Axis,
    Objective,
    Plan,
    totals_by_axis,
    totals_by_funder,
    totals_by_year,
)
from clspd_desktop.domain.plan_links import LinkSource
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.operations import Change, OpEnv
from clspd_desktop.services.operations import plan as ops
from clspd_desktop.services.operations.execution import execute, reverse
from tests.unit.test_plan_repo import HOSTILE, _table_counts, small_plan


@pytest.fixture
def env(paths, ctx) -> OpEnv:
    return OpEnv(paths, ctx.rules, store=ctx.store)


def _decision(store) -> Decision:
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    meeting = store.meetings.save_meeting(Meeting(formation_id=plenary.id, starts_at=datetime(2026, 3, 3, 9),
                                                  ends_at=datetime(2026, 3, 3, 11), status=MeetingStatus.HELD))
    return store.meetings.save_decision(Decision(meeting.id, "Lancer l'action"))


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda a: setattr(a, "end_date", date(2024, 1, 1)), "end_date", "précède"),
    (lambda a: setattr(a.funding[0], "requested_cents", -5), "funding", "négatif"),
    (lambda a: setattr(a.funding[0], "granted_cents", 900_000), "funding", "dépasse le montant demandé"),
    (lambda a: setattr(a.funding[1], "paid_cents", 1_300_000), "funding", "versé dépasse"),
    (lambda a: setattr(a, "total_cost_cents", 2_000_000_000), "total_cost", "10 millions"),
    (lambda a: setattr(a, "total_cost_cents", 1_500_000), "total_cost", "dépasse le coût total"),
    (lambda a: setattr(a.funding[0], "year", 2031), "funding", "hors de la période"),
    (lambda a: setattr(a, "title", "   "), "title", "obligatoire"),
])
def test_bad_input_is_refused_in_french_and_nothing_is_written(env, change, field, words):
    sp = small_plan(env.store)
    before = _table_counts(env.store)
    stored_before = env.store.plan.get_action(sp.action.id)
    action = env.store.plan.get_action(sp.action.id)
    change(action)
    with pytest.raises(ValidationError) as caught:
        ops.save_action(env, action)
    assert words in caught.value.fields[field]
    assert _table_counts(env.store) == before
    assert env.store.plan.get_action(sp.action.id) == stored_before


def test_lead_is_never_also_listed_as_partner(env):
    sp = small_plan(env.store)
    action = env.store.plan.get_action(sp.action.id)
    action.partner_ids += [sp.lead.id, sp.partner.id]
    ops.save_action(env, action)
    assert env.store.plan.get_action(action.id).partner_ids == [sp.partner.id]


def test_saving_an_action_says_the_plan_changed(env):
    sp = small_plan(env.store)
    result = ops.save_action(env, Action(objective_id=sp.objectives[1].id, title="  Permanence  "))
    assert result.value.title == "Permanence" and result.value.id is not None
    assert result.changes.kinds == {Change.PLAN}


def test_an_action_whose_objective_is_gone_is_refused(env):
    sp = small_plan(env.store)
    ops.delete_item(env, "objective", sp.objectives[1].id)
    with pytest.raises(UserError, match="n'existe plus"):
        ops.save_action(env, Action(objective_id=sp.objectives[1].id, title="Orpheline"))


def test_an_action_drawn_from_the_minutes_is_linked_in_the_same_transaction(env):
    sp = small_plan(env.store)
    decision = _decision(env.store)
    result = ops.save_action(env, Action(objective_id=sp.objectives[1].id, title="Depuis le compte rendu"),
                             link=(LinkSource.DECISION, decision.id))
    assert result.changes.kinds == {Change.PLAN, Change.LINKS}
    assert [a.action_id for a in env.store.links.linked_actions(LinkSource.DECISION, decision.id)] == [result.value.id]
    count = env.store.plan.count_actions()
    with pytest.raises(UserError, match="décision n'existe plus"):
        ops.save_action(env, Action(objective_id=sp.objectives[1].id, title="Lien impossible"),
                        link=(LinkSource.DECISION, 999_999))
    assert env.store.plan.count_actions() == count  # the action was not written either


def test_plan_period_cannot_shrink_below_its_funding(env):
    sp = small_plan(env.store)
    sp.plan.start_year, sp.plan.end_year = 2027, 2029
    with pytest.raises(UserError, match="hors de la nouvelle période 2027-2029"):
        ops.save_plan(env, sp.plan)
    assert env.store.plan.get_plan(sp.plan.id).start_year == 2025
    sp.plan.start_year, sp.plan.end_year = 2026, 2028  # 2025 funding is one year before: allowed
    assert ops.save_plan(env, sp.plan).changes.kinds == {Change.PLAN}


def test_plan_and_headings_are_validated(env):
    with pytest.raises(ValidationError) as caught:
        ops.save_plan(env, Plan(title=" ", start_year=2027, end_year=2025))
    assert set(caught.value.fields) == {"title", "years"}
    plan = ops.save_plan(env, Plan(title="STSPD", start_year=2025, end_year=2027)).value
    with pytest.raises(ValidationError, match="intitulé est obligatoire"):
        ops.save_heading(env, Axis(plan_id=plan.id, title="  "))
    axis = ops.save_heading(env, Axis(plan_id=plan.id, title=" Jeunesse ")).value
    objective = ops.save_heading(env, Objective(axis_id=axis.id, title="Prévenir")).value
    assert (axis.title, objective.position) == ("Jeunesse", 0)
    assert env.store.plan.axes(plan.id)[0].title == "Jeunesse"


def test_moving_reports_a_change_only_when_something_moved(env):
    sp = small_plan(env.store)
    assert ops.move_item(env, "axis", sp.axes[1].id, -1).changes.kinds == {Change.PLAN, Change.LINKS}
    stuck = ops.move_item(env, "axis", sp.axes[1].id, -1)
    assert stuck.value is False and not stuck.changes


@pytest.mark.parametrize("kind", ["axis", "objective", "action", "plan"])
def test_every_deletion_is_undone_with_its_children_and_links(env, kind):
    sp = small_plan(env.store)
    decision = _decision(env.store)
    env.store.links.link_decision(decision.id, sp.action.id)
    before = (_table_counts(env.store), env.store.plan.get_action(sp.action.id),
              env.store.plan.action_rows(sp.plan.id), env.store.links.meetings_for_action(sp.action.id))
    item_id = {"axis": sp.axes[0].id, "objective": sp.objectives[0].id, "action": sp.action.id,
               "plan": sp.plan.id}[kind]

    def delete(e: OpEnv):
        return ops.delete_plan(e, item_id) if kind == "plan" else ops.delete_item(e, kind, item_id)

    result, step = execute(delete, env, undo=f"Suppression de « {HOSTILE} »")
    assert result.changes.kinds == {Change.PLAN, Change.LINKS}
    assert env.store.plan.get_action(sp.action.id) is None
    assert env.store.links.meetings_for_action(sp.action.id) == []

    undone = reverse(step)(env)
    assert undone.changes.kinds == {Change.PLAN, Change.LINKS}
    after = (_table_counts(env.store), env.store.plan.get_action(sp.action.id),
             env.store.plan.action_rows(sp.plan.id), env.store.links.meetings_for_action(sp.action.id))
    assert after == before


def test_links_are_set_plan_by_plan_all_or_none(env):
    sp = small_plan(env.store)
    decision = _decision(env.store)
    assert ops.set_links(env, LinkSource.DECISION, decision.id, {sp.plan.id: [sp.action.id]}).changes.kinds == {
        Change.LINKS}
    with pytest.raises(UserError):
        ops.set_links(env, LinkSource.DECISION, decision.id, {sp.plan.id: [999_999]})
    assert [a.action_id for a in env.store.links.linked_actions(LinkSource.DECISION, decision.id)] == [sp.action.id]


def test_totals_are_domain_rules(env):
    sp = small_plan(env.store)
    rows = env.store.plan.action_rows(sp.plan.id)
    assert totals_by_axis(rows)[sp.axes[0].id][0] == 2_000_000
    assert totals_by_year(rows)[2025].granted_cents == 2_000_000
    assert list(totals_by_funder(rows))[0] == "Commune"  # the largest request first
