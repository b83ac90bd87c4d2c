"""About 600 actions on the large council: a 2025-2027 plan with 4 axes, 5 objectives each, funding and
indicators, written through the app's repository so it has exactly the shape the app writes."""

from __future__ import annotations

import random
from datetime import date, timedelta

from clspd_desktop.db.store import Store
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
from clspd_desktop.services.demo_plan import FIPD_PUBLIC, FIPD_VULNERABLE, FIPD_YOUTH, PLAN

ACTIONS = 600
_PROGRAMMES = (FIPD_YOUTH, FIPD_VULNERABLE, FIPD_PUBLIC)


def add_large_plan(store: Store, rng: random.Random, actions: int = ACTIONS) -> Plan:
    """A plan whose actions borrow the demo's titles, led by random organisations of the council."""
    organisations = [r[0] for r in store.db.execute("SELECT id FROM organisation").fetchall()]
    contacts = [r[0] for r in store.db.execute("SELECT id FROM contact").fetchall()]
    titles = [spec.title for _, objectives in PLAN for _, specs in objectives for spec in specs]
    plan = store.plan.save_plan(Plan(title="Stratégie intercommunale 2025-2027", start_year=2025, end_year=2027))
    objectives = []
    for a, (axis_title, axis_objectives) in enumerate(PLAN):
        axis = store.plan.save_axis(Axis(plan_id=plan.id, title=axis_title))
        for o in range(5):
            title = axis_objectives[o % len(axis_objectives)][0]
            objectives.append(store.plan.save_objective(Objective(axis_id=axis.id, title=f"{title} ({a + 1}.{o + 1})")))
    for n in range(actions):
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 900))
        cost = rng.randrange(20, 2000) * 10_000
        fipd = cost * rng.choice((0, 2, 3, 4, 5)) // 10
        year = start.year
        funding = [FundingLine(year, Funder.COMMUNE, "", cost - fipd, cost - fipd, (cost - fipd) // 2)]
        if fipd:
            funding.append(FundingLine(year, Funder.FIPD, rng.choice(_PROGRAMMES), fipd, fipd, 0))
        store.plan.save_action(Action(
            objective_id=rng.choice(objectives).id, title=f"{rng.choice(titles)} – n° {n + 1}",
            lead_organisation_id=rng.choice(organisations), partner_ids=rng.sample(organisations, 3),
            referent_ids=rng.sample(contacts, 2), start_date=start, end_date=start + timedelta(days=rng.randrange(60, 700)),
            status=rng.choice(list(ActionStatus)), progress=rng.randrange(0, 101), total_cost_cents=cost,
            funding=funding, tags=["snpd-2020.jeunes"],
            indicators=[Indicator("Personnes touchées", "personnes", 0, 100, {2025: float(rng.randrange(0, 120))})]))
    return plan
