"""The plan d'actions' operations: plans, axes, objectives, fiches-actions, their order, and the picker's
links from a decision or an action item of the minutes to plan actions (one link made or removed from the
minutes is a meetings operation).

Each validates with the rules of `domain/plan.py`, writes in one transaction and says what changed: PLAN for
the plan's records, LINKS when links to meetings appear or go (deleting an action drops its links too).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from clspd_desktop.domain.plan import (
    Action,
    ActionRow,
    Axis,
    Objective,
    Plan,
    PlanFigures,
    check_period_change,
    current_plan,
    plan_figures,
    validate_action,
    validate_heading,
    validate_plan,
)
from clspd_desktop.domain.plan_links import LinkSource
from clspd_desktop.errors import UserError
from clspd_desktop.services.operations.base import Change, Done, OpEnv, done

if TYPE_CHECKING:
    from clspd_desktop.db.store import Store

Link = tuple[LinkSource, int]  # a decision or an action item of the minutes, by id


@dataclass
class PlanOverview:
    """What the Plan d'actions screen shows: every plan (for the choice), and the chosen one's axes,
    objectives, actions, their partners and the dashboard's figures. `plan` is None when no plan is recorded
    yet."""

    plans: list[Plan]
    plan: Plan | None = None
    axes: list[Axis] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    rows: list[ActionRow] = field(default_factory=list)
    partners: dict[int, list[str]] = field(default_factory=dict)
    figures: PlanFigures | None = None


def read_plan_overview(store: Store, plan_id: int | None) -> PlanOverview:
    """The plan `plan_id`, or the current one when it is None or gone (the plan covering this year, else the
    most recent), with everything the screen shows of it."""
    plans = store.plan.plans()
    plan = next((p for p in plans if p.id == plan_id), None) or current_plan(plans, date.today())
    if plan is None or plan.id is None:
        return PlanOverview(plans)
    axes, rows = store.plan.axes(plan.id), store.plan.action_rows(plan.id)
    return PlanOverview(plans, plan, axes, store.plan.objectives(plan.id), rows, store.plan.partners_of_plan(plan.id),
                        plan_figures(axes, rows))


def plan_overview(env: OpEnv, plan_id: int | None) -> Done[PlanOverview]:
    """`read_plan_overview` as a read the runner runs on a worker: the screen's first show (the 1 800 actions
    of 3 × the large council take tens of milliseconds to read)."""
    return Done(read_plan_overview(env.store, plan_id))


def save_plan(env: OpEnv, plan: Plan) -> Done[Plan]:
    """Create or edit a plan; a shorter period is refused while funding lines would fall outside it."""
    validate_plan(plan)
    with env.store.transaction():
        if plan.id is not None:
            first, last = plan.funding_years
            check_period_change(plan, env.store.plan.count_funding_outside(plan.id, first, last))
        saved = env.store.plan.save_plan(plan)
    return done(saved, Change.PLAN)


def delete_plan(env: OpEnv, plan_id: int) -> Done[None]:
    """The plan with its axes, objectives and actions; their links to meetings go, the minutes stay."""
    with env.store.transaction():
        env.store.plan.delete_plan(plan_id)
    return done(None, Change.PLAN, Change.LINKS)


def save_heading(env: OpEnv, item: Axis | Objective) -> Done[Axis | Objective]:
    """Create or rename an axis or an objective (a new one goes last)."""
    validate_heading(item)
    with env.store.transaction():
        if isinstance(item, Axis):
            saved: Axis | Objective = env.store.plan.save_axis(item)
        else:
            saved = env.store.plan.save_objective(item)
    return done(saved, Change.PLAN)


def delete_item(env: OpEnv, kind: str, item_id: int) -> Done[None]:
    """Delete an axis, an objective or an action (`kind`) with everything under it, links to meetings
    included (the decisions themselves stay in the minutes)."""
    delete = {"axis": env.store.plan.delete_axis, "objective": env.store.plan.delete_objective,
              "action": env.store.plan.delete_action}[kind]
    with env.store.transaction():
        delete(item_id)
    return done(None, Change.PLAN, Change.LINKS)


def move_item(env: OpEnv, kind: str, item_id: int, delta: int) -> Done[bool]:
    """Swap an axis, objective or action with its neighbour; False (nothing changed) at either end."""
    with env.store.transaction():
        moved = env.store.plan.move(kind, item_id, delta)
    return done(moved, Change.PLAN, Change.LINKS) if moved else Done(False)


def save_action(env: OpEnv, action: Action, link: Link | None = None) -> Done[Action]:
    """Validate and write a fiche-action with its partners, referents, tags, funding and indicators; with
    `link`, the decision or action item it was drawn from is linked to it in the same transaction."""
    with env.store.transaction():
        plan = env.store.plan.plan_of_objective(action.objective_id)
        if plan is None:
            raise UserError("L'objectif de cette action n'existe plus : rechargez le plan.")
        validate_action(action, plan)
        saved = env.store.plan.save_action(deepcopy(action))  # ids set on a copy: a rollback leaves `action` as given
        if link is not None:
            assert saved.id is not None  # just written
            env.store.links.link(link[0], link[1], saved.id)
    return done(saved, Change.PLAN, Change.LINKS) if link else done(saved, Change.PLAN)


def set_links(env: OpEnv, source: LinkSource, source_id: int, action_ids_by_plan: dict[int, list[int]]) -> Done[None]:
    """Make these the plan actions linked to a decision or an action item, plan by plan, all or none."""
    with env.store.transaction():
        for plan_id, action_ids in action_ids_by_plan.items():
            env.store.links.replace_links(source, source_id, action_ids, plan_id)
    return done(None, Change.LINKS)
