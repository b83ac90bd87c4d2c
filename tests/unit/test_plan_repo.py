"""Plan repository: structure, ordering, actions with children, totals, and an organisation that leads
actions cannot be deleted (refused input: test_operations_plan.py)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

import pytest

from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import Organisation
from clspd_desktop.domain.plan import (
    Action,
    ActionStatus,
    Axis,
    Funder,
    FundingLine,
    Indicator,
    Objective,
    Plan,
)
from clspd_desktop.errors import UserError
from tests.factories import add_contact, add_organisation

HOSTILE = "Atelier <SARL> & R&D \"parents\""


@dataclass
class SmallPlan:
    plan: Plan
    axes: list[Axis]
    objectives: list[Objective]
    lead: Organisation
    partner: Organisation
    action: Action


def small_plan(store: Store) -> SmallPlan:
    """A 2025-2027 plan, two axes, one objective each, one funded action with an indicator."""
    plan = store.plan.save_plan(Plan(title="Stratégie territoriale 2025-2027", start_year=2025, end_year=2027))
    axes = [store.plan.save_axis(Axis(plan_id=plan.id, title=t)) for t in ("Jeunesse", "Victimes")]
    objectives = [store.plan.save_objective(Objective(axis_id=a.id, title=f"Objectif {a.title}")) for a in axes]
    lead = add_organisation(store, "Association <Horizons> & Cie")
    partner = add_organisation(store, "Collège Jacques-Prévert")
    referent = add_contact(store, lead, "Haddad", "Nadia")
    action = store.plan.save_action(Action(
        objective_id=objectives[0].id, title=HOSTILE, lead_organisation_id=lead.id, partner_ids=[partner.id],
        referent_ids=[referent.id], tags=["snpd-2020.jeunes"], start_date=date(2025, 3, 1),
        end_date=date(2026, 6, 30), status=ActionStatus.IN_PROGRESS, progress=40, total_cost_cents=2_000_000,
        funding=[FundingLine(2025, Funder.FIPD, "Prévention de la délinquance des jeunes", 800_000, 800_000, 400_000),
                 FundingLine(2025, Funder.COMMUNE, "", 1_200_000, 1_200_000, 1_200_000)],
        indicators=[Indicator("Jeunes accompagnés", "jeunes", baseline=10, target=40, values={2025: 22.0})]))
    return SmallPlan(plan, axes, objectives, lead, partner, action)


def _table_counts(store: Store) -> dict[str, int]:
    tables = ("plan_action", "plan_action_partner", "plan_action_referent", "plan_action_tag", "plan_funding",
              "plan_indicator", "plan_indicator_value")
    return {t: store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


def test_action_round_trips_with_every_child(store):
    sp = small_plan(store)
    again = store.plan.get_action(sp.action.id)
    assert again.title == HOSTILE
    assert again.partner_ids == [sp.partner.id]
    assert again.tags == ["snpd-2020.jeunes"]
    assert [(f.funder, f.granted_cents) for f in again.funding] == [(Funder.FIPD, 800_000), (Funder.COMMUNE, 1_200_000)]
    assert again.indicators[0].values == {2025: 22.0}
    assert again.indicators[0].target == 40


def test_database_refuses_an_end_before_start_even_without_validation(store):
    sp = small_plan(store)
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE plan_action SET end_date = '2020-01-01' WHERE id = ?", [sp.action.id])


def test_reordering_axes_objectives_and_actions(store):
    sp = small_plan(store)
    assert store.plan.move("axis", sp.axes[1].id, -1)
    assert [a.title for a in store.plan.axes(sp.plan.id)] == ["Victimes", "Jeunesse"]
    assert not store.plan.move("axis", sp.axes[1].id, -1)  # already first
    second = store.plan.save_action(Action(objective_id=sp.objectives[0].id, title="Deuxième"))
    assert store.plan.move("action", second.id, -1)
    rows = store.plan.action_rows(sp.plan.id)
    assert [r.title for r in rows[:2]] == ["Deuxième", HOSTILE]
    assert rows[0].number == "2.1.1"  # the youth axis is now the second


def test_deleting_an_axis_removes_its_objectives_and_actions(store):
    sp = small_plan(store)
    assert store.plan.count_actions_under(axis_id=sp.axes[0].id) == 1
    store.plan.delete_axis(sp.axes[0].id)
    assert store.plan.get_action(sp.action.id) is None
    assert _table_counts(store)["plan_funding"] == 0


def test_action_rows_carry_late_flag_totals_and_reminders(store):
    sp = small_plan(store)
    rows = store.plan.action_rows(sp.plan.id, today=date(2026, 11, 21))
    row = rows[0]
    assert row.late and row.late_reason == "échéance dépassée"
    assert row.lead_name == sp.lead.name
    assert row.totals.granted_cents == 2_000_000
    assert row.funders == {Funder.FIPD, Funder.COMMUNE}
    assert row.fipd_warning == ""  # 8 000 € of 20 000 €
    assert row.bilan_reminders == ["Bilan FIPD 2025 à transmettre (nécessaire pour renouveler le financement)"]
    assert not store.plan.action_rows(sp.plan.id, today=date(2025, 6, 1))[0].late


def test_organisation_leading_actions_cannot_be_deleted(store):
    from clspd_desktop.services.operations.directory import check_organisation_deletable

    sp = small_plan(store)
    with pytest.raises(UserError) as caught:
        check_organisation_deletable(store, sp.lead.id)
    assert HOSTILE in caught.value.message and "chef de file de 1 action" in caught.value.message
    assert store.directory.get_organisation(sp.lead.id) is not None
    assert store.plan.get_action(sp.action.id).lead_organisation_id == sp.lead.id
    # a mere partner can go: it simply leaves the action's partners
    store.directory.delete_organisation(sp.partner.id)
    assert store.plan.get_action(sp.action.id).partner_ids == []


def test_restrict_foreign_key_backs_the_check(store):
    sp = small_plan(store)
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("DELETE FROM organisation WHERE id = ?", [sp.lead.id])


def test_current_plan_is_the_one_covering_the_year(store):
    old = store.plan.save_plan(Plan(title="Ancien", start_year=2019, end_year=2021))
    sp = small_plan(store)
    assert store.plan.current_plan(date(2026, 1, 1)).id == sp.plan.id
    assert store.plan.current_plan(date(2020, 1, 1)).id == old.id
