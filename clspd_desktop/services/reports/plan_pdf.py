"""The whole action plan: a summary per axis (actions, cost, funding), funding per funder and per year,
then every axis, objective and fiche-action in plan order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak, Spacer

from clspd_desktop.db.plan_repo import totals_by_axis, totals_by_funder, totals_by_year
from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.plan import FundingTotals, euros, totals
from clspd_desktop.domain.records import saved_id
from clspd_desktop.errors import UserError
from clspd_desktop.services.pdf import bold, build_pdf, data_table, labelled, para, styles
from clspd_desktop.services.reports.action_sheet_pdf import action_context, action_story
from clspd_desktop.services.reports.common import plural, require_council


def _money_row(label: str, t: FundingTotals) -> list:
    return [label, euros(t.requested_cents), euros(t.granted_cents), euros(t.paid_cents)]


def build_plan_pdf(store: Store, plan_id: int, path: Path, today: date | None = None,
                   data_dir: Path | None = None) -> Path:
    council = require_council(store)
    today = today or date.today()
    plan = store.plan.get_plan(plan_id)
    if plan is None:
        raise UserError("Ce plan n'existe plus.")
    st = styles()
    rows = store.plan.action_rows(plan_id, today)
    axes = store.plan.axes(plan_id)
    objectives = store.plan.objectives(plan_id)
    context = action_context(store, data_dir)

    story: list[Flowable] = []
    if plan.adopted_on:
        story.append(labelled("Adopté le", long_date(plan.adopted_on)))
    story.append(labelled("Période", f"{plan.start_year} à {plan.end_year}"))
    late = [r for r in rows if r.late]
    story.append(labelled("Actions", f"{plural(len(rows), 'action', 'actions', feminine=True)} dont {len(late)} en retard"))
    if plan.notes:
        story.append(para(plan.notes, st.body_justified))
    story.append(para(bold("Synthèse par axe"), st.heading))
    by_axis = totals_by_axis(rows)
    summary = []
    for number, axis in enumerate(axes, 1):
        axis_rows = [r for r in rows if r.axis_id == axis.id]
        cost, funding = by_axis.get(saved_id(axis.id), (0, FundingTotals()))
        progress = round(sum(r.progress for r in axis_rows) / len(axis_rows)) if axis_rows else 0
        summary.append([f"{number}. {axis.title}", str(len(axis_rows)), f"{progress} %", euros(cost),
                        euros(funding.requested_cents), euros(funding.granted_cents)])
    all_totals = totals([f for r in rows for f in r.funding])
    summary.append([para(bold("Total"), st.cell), str(len(rows)), "", euros(sum(r.total_cost_cents for r in rows)),
                    euros(all_totals.requested_cents), euros(all_totals.granted_cents)])
    story.append(data_table(["Axe", "Actions", "Avancement", "Coût", "Demandé", "Accordé"], summary,
                            ["31%", "10%", "14%", "15%", "15%", "15%"]))
    story.append(para(bold("Financements par financeur"), st.heading))
    story.append(data_table(["Financeur", "Demandé", "Accordé", "Versé"],
                            [_money_row(label, t) for label, t in totals_by_funder(rows).items()]
                            + [[para(bold("Total"), st.cell), *_money_row("", all_totals)[1:]]], ["46%", "18%", "18%", "18%"]))
    story.append(para(bold("Financements par année"), st.heading))
    story.append(data_table(["Année", "Demandé", "Accordé", "Versé"],
                            [_money_row(str(y), t) for y, t in totals_by_year(rows).items()],
                            ["46%", "18%", "18%", "18%"]))
    if late:
        story.append(para(bold(f"Actions en retard ({len(late)})"), st.heading))
        story.append(data_table(["N°", "Action", "Chef de file", "Motif"],
                                [[r.number, r.title, r.lead_name, r.late_reason] for r in late],
                                ["8%", "50%", "27%", "15%"]))

    actions_by_objective: dict[int, list] = {}
    for row in rows:
        actions_by_objective.setdefault(row.objective_id, []).append(row)
    for number, axis in enumerate(axes, 1):
        story.extend([PageBreak(), para(f"Axe {number} – {axis.title}", st.title)])
        if axis.description:
            story.append(para(axis.description, st.body_justified))
        for o_number, objective in enumerate([o for o in objectives if o.axis_id == axis.id], 1):
            story.append(para(f"Objectif {number}.{o_number} – {objective.title}", st.heading))
            if objective.description:
                story.append(para(objective.description, st.body_justified))
            members = actions_by_objective.get(saved_id(objective.id), [])
            if not members:
                story.append(para("Aucune action pour cet objectif.", st.note))
            for row in members:
                action = store.plan.get_action(row.id)
                if action is None:  # listed among the plan's actions just above
                    raise ValueError(f"action {row.id} not found")
                story.extend(action_story(action, row, context, today, in_plan=True))
        story.append(Spacer(1, 1))
    subtitle = f"{plan.title} ({plan.period})"
    return build_pdf(path, council, "Plan local d'actions", story, subtitle=subtitle, today=today,
                     subject=f"Plan d'actions {plan.period}")
