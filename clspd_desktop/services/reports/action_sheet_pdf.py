"""The fiche-action: one action of the plan with its lead, partners, referents, calendar, status, budget
and funding table, indicators planned vs achieved, the meetings where it was discussed and its evaluation.
`action_story` is reused by the whole-plan PDF so both documents print an action the same way.

The sheet may leave the PC: meetings of confidential working groups are never printed in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from clspd_desktop.db.plan_repo import ActionRow
from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import long_date, short_date
from clspd_desktop.domain.plan import (
    Action,
    Plan,
    PlanReferences,
    euros,
    fipd_warning,
    late_reason,
    load_plan_references,
    totals,
)
from clspd_desktop.domain.plan_links import MeetingMention, shareable
from clspd_desktop.domain.records import saved_id
from clspd_desktop.domain.text import format_number
from clspd_desktop.errors import UserError
from clspd_desktop.paths import resources_dir
from clspd_desktop.services.pdf import bold, build_pdf, data_table, labelled, para, styles
from clspd_desktop.services.reports.common import require_council

FUNDING_HEADER = ["Année", "Financeur", "Demandé", "Accordé", "Versé", "Bilan FIPD"]
FUNDING_WIDTHS = ["8%", "32%", "15%", "15%", "15%", "15%"]
MEETINGS_HEADING = "Réunions où l'action a été évoquée"
MEETINGS_HEADER = ["Date", "Réunion", "Décision ou action décidée"]
MEETINGS_WIDTHS = ["26%", "28%", "46%"]


def references(store: Store, data_dir: Path | None = None) -> PlanReferences:
    return load_plan_references(resources_dir() / "rules" / "plan_references.json", data_dir)


@dataclass
class ActionContext:
    """Names the story needs, read once per document (a whole plan prints hundreds of actions)."""

    organisations: dict[int, str]
    contacts: dict[int, str]
    references: PlanReferences


def action_context(store: Store, data_dir: Path | None = None) -> ActionContext:
    organisations = {saved_id(o.id): o.name for o in store.directory.organisations()}
    contacts: dict[int, str] = {}
    for item in store.directory.contacts():
        c = item.contact
        contacts[saved_id(c.id)] = f"{c.full_name} ({item.organisation_name})" if item.organisation_name else c.full_name
    return ActionContext(organisations, contacts, references(store, data_dir))


def _money_cell(cents: int) -> str:
    return euros(cents)


def meetings_story(mentions: Sequence[MeetingMention]) -> list[Flowable]:
    """The short table of meetings where the action was discussed, confidential working groups left out
    (this document may leave the PC); nothing at all when no other meeting is linked."""
    printable = shareable(mentions)
    if not printable:
        return []
    st = styles()
    lines = [[long_date(m.starts_at.date()), m.meeting_label, m.what] for m in printable]
    return [CondPageBreak(2.5 * cm), para(bold(MEETINGS_HEADING), st.subheading),
            data_table(MEETINGS_HEADER, lines, MEETINGS_WIDTHS)]


def action_story(action: Action, row: ActionRow, context: ActionContext, today: date,
                 in_plan: bool = False, meetings: Sequence[MeetingMention] = ()) -> list[Flowable]:
    """The flowables of one fiche-action (heading included; smaller inside the whole plan). `meetings`:
    where the action was discussed; confidential working groups are dropped here, whatever the caller."""
    st = styles()
    lead = context.organisations.get(action.lead_organisation_id, "") if action.lead_organisation_id else ""
    partners = sorted(context.organisations.get(i, "") for i in action.partner_ids)
    referents = sorted(context.contacts.get(i, "") for i in action.referent_ids)
    late = late_reason(action.status, action.start_date, action.end_date, today)
    status = f"{action.status.label} – avancement {action.progress} %"
    if late:
        status += f" – EN RETARD ({late})"
    period = " au ".join(p for p in (short_date(action.start_date), short_date(action.end_date)) if p) or "non fixé"
    story: list[Flowable] = [
        CondPageBreak(5 * cm),
        para([bold(f"Action {row.number}\u00a0: "), bold(action.title)], st.subheading if in_plan else st.heading),
        para(f"Axe {row.axis_number} – {row.axis_title} › Objectif {row.objective_number} – {row.objective_title}",
             st.small),
        Spacer(1, 0.15 * cm),
        labelled("Chef de file", lead or "à désigner"),
        labelled("Partenaires associés", ", ".join(partners) or "aucun"),
        labelled("Référents", ", ".join(referents) or "aucun"),
        labelled("Public visé", action.target_public or "non précisé"),
        labelled("Territoire", action.territory or "non précisé"),
        labelled("Calendrier", period),
        labelled("Statut", status),
    ]
    if action.tags:
        story.append(labelled("Orientations", " ; ".join(context.references.label(t) for t in action.tags)))
    if action.description:
        story.append(KeepTogether([para(bold("Description"), st.subheading), para(action.description, st.body_justified)]))

    story.append(CondPageBreak(3 * cm))  # the budget heading never ends a page alone
    story.append(para(bold("Budget et financements"), st.subheading))
    story.append(labelled("Coût total de l'action", euros(action.total_cost_cents)))
    if action.funding:
        sum_ = totals(action.funding)
        lines = [[str(f.year), f.funder_label, _money_cell(f.requested_cents), _money_cell(f.granted_cents),
                  _money_cell(f.paid_cents),
                  short_date(f.report_sent_on) if f.report_sent_on else ("à transmettre" if f.bilan_due else "")]
                 for f in action.funding]
        lines.append([para(bold("Total"), st.cell), "", *[para(bold(euros(v)), st.cell) for v in
                      (sum_.requested_cents, sum_.granted_cents, sum_.paid_cents)], ""])
        story.append(data_table(FUNDING_HEADER, lines, FUNDING_WIDTHS))
    else:
        story.append(para("Aucun financement enregistré.", st.note))
    warning = fipd_warning(action.total_cost_cents, action.funding)
    if warning:
        story.append(para([bold("Attention : "), warning], st.body))
    for reminder in row.bilan_reminders:
        story.append(para(reminder, st.note))

    story.append(CondPageBreak(2.5 * cm))
    story.append(para(bold("Indicateurs : prévu et réalisé"), st.subheading))
    if action.indicators:
        years = sorted({y for i in action.indicators for y in i.values})
        header = ["Indicateur", "Départ", "Cible", *[f"Réalisé {y}" for y in years], "Atteinte"]
        share = f"{max(6, 44 // max(1, len(years)))}%"
        widths = ["34%", "11%", "11%", *[share] * len(years), "11%"]
        lines = []
        for indicator in action.indicators:
            unit = f" ({indicator.unit})" if indicator.unit else ""
            achieved = indicator.achievement
            lines.append([f"{indicator.name}{unit}", format_number(indicator.baseline), format_number(indicator.target),
                          *[format_number(indicator.values.get(y)) for y in years],
                          f"{round(100 * achieved)} %" if achieved is not None else ""])
        story.append(data_table(header, lines, widths))
    else:
        story.append(para("Aucun indicateur défini.", st.note))
    story.extend(meetings_story(meetings))
    if action.evaluation:
        story.append(KeepTogether([para(bold("Évaluation"), st.subheading), para(action.evaluation, st.body_justified)]))
    story.append(Spacer(1, 0.4 * cm))
    return story


def build_action_sheet_pdf(store: Store, action_id: int, path: Path, today: date | None = None,
                           data_dir: Path | None = None) -> Path:
    council = require_council(store)
    today = today or date.today()
    action = store.plan.get_action(action_id)
    plan: Plan | None = store.plan.plan_of_objective(action.objective_id) if action else None
    if action is None or plan is None:
        raise UserError("Cette action n'existe plus : rechargez le plan.")
    row = next(r for r in store.plan.action_rows(saved_id(plan.id), today) if r.id == action_id)
    story = action_story(action, row, action_context(store, data_dir), today,
                         meetings=store.links.meetings_for_action(action_id))
    return build_pdf(path, council, f"Fiche-action {row.number}", story,
                     subtitle=f"{plan.title} ({plan.period})", today=today, subject=action.title)
