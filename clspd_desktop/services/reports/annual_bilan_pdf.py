"""The annual bilan for a chosen year, as the plenary and the préfecture read it (domain.md, « What the
annual bilan carries »): a summary answering the préfecture's monitoring questions, then governance,
meetings, the préfet's presentation, the plan, funding, individual follow-up, evaluation, and the plenary's
decisions in annex. All figures come from `services.annual_bilan.compute_bilan`; confidential working groups
appear only as names and counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from clspd_desktop.db.attendance_stats_repo import AttendanceCount
from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import long_date, parse_date, short_date
from clspd_desktop.domain.directory import FormationKind, MembershipCategory
from clspd_desktop.domain.individual.aggregates import YearFigures
from clspd_desktop.domain.individual.bilan_section import IndividualState
from clspd_desktop.domain.plan import ActionStatus, Funder, euros
from clspd_desktop.domain.text import format_number
from clspd_desktop.services.annual_bilan import (
    AnnualBilan,
    compute_bilan,
    institutions_in_order,
    membership_summary,
)
from clspd_desktop.services.attendance_stats import rate_text
from clspd_desktop.services.pdf import RULE, PageLayout, bold, build_pdf, data_table, labelled, para, styles
from clspd_desktop.services.pdf.charts import horizontal_bars, top_and_others
from clspd_desktop.services.pdf.contents import Contents
from clspd_desktop.services.reports.common import plural

T = TypeVar("T")
CHART_MAX_BARS = 20
# Longest detailed lists, so a bilan stays a document one reads (and is produced in seconds) at any council
# size: beyond, the rest is summed up in one line and the full detail is in its own document.
TABLE_ROWS = 60
AXIS_ROWS = 40
DATES_LISTED = 12
CATEGORY_PLURALS = {
    MembershipCategory.DE_DROIT: "membres de droit", MembershipCategory.DESIGNE: "membres désignés",
    MembershipCategory.ASSOCIE: "membres associés",
    MembershipCategory.PERSONNALITE_QUALIFIEE: "personnalités qualifiées",
}
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def bilan_title(year: int) -> str:
    return f"Bilan annuel {year}"


def _day_month(value: date) -> str:
    return f"{'1er' if value.day == 1 else value.day} {MONTHS_SHORT[value.month - 1]}"


def _yes_no(value: bool) -> str:
    return "Oui" if value else "Non"


def _width() -> float:
    return PageLayout.a4().content_width


def _most(items: list[T], weight: Callable[[T], Any], limit: int = TABLE_ROWS) -> tuple[list[T], list[T]]:
    """The `limit - 1` heaviest items in their own order, and the rest (to sum up in one line); all of them
    when the list is short enough."""
    if len(items) <= limit:
        return list(items), []
    kept = {id(item) for item in sorted(items, key=weight, reverse=True)[:limit - 1]}
    return [i for i in items if id(i) in kept], [i for i in items if id(i) not in kept]


def _summed(counts: list[AttendanceCount], label: str) -> AttendanceCount:
    return AttendanceCount(label, "", *(sum(getattr(c, name) for c in counts) for name in (
        "convened", "present", "represented", "excused", "absent", "meetings")))


def _percent(value: float) -> str:
    return f"{round(value)}\u202f%"


def _plan_adopted(b: AnnualBilan) -> str:
    if b.plan is None:
        return "Non"
    if b.plan_adopted and b.plan.adopted_on is not None:  # plan_adopted says it has a date
        return f"Oui : {b.plan.title} ({b.plan.period}), adopté le {long_date(b.plan.adopted_on)}"
    return f"Saisi mais non adopté : {b.plan.title} ({b.plan.period})"


# --- summary ----------------------------------------------------------------------------------------------
def _summary(b: AnnualBilan, toc: Contents) -> list[Flowable]:
    st = styles()
    met = b.working_groups_met
    plenaries = next((f.held for f in b.formations if f.formation.kind is FormationKind.PLENARY), [])
    rows = [
        ["Conseil actif ou en sommeil",
         f"Actif : {plural(b.meetings_held, 'réunion tenue', 'réunions tenues', feminine=True)} en {b.year}" if b.active
         else f"En sommeil : aucune réunion tenue en {b.year}"],
        ["Formation plénière réunie dans l'année (au moins une fois par an)",
         f"Oui, {plural(len(plenaries), 'fois', 'fois', feminine=True)} ({', '.join(long_date(m.starts_at.date()) for m in plenaries)})"
         if plenaries else ("Non : l'obligation annuelle n'est pas remplie" if b.year_complete
                            else f"Pas encore au {long_date(b.as_of)}")],
        ["Nombre de groupes de travail",
         f"{len(b.working_groups)}, dont {len(met)} réuni{'s' if len(met) > 1 else ''} en {b.year}"],
        ["Charte déontologique adoptée",
         f"Oui : {b.council.charter_version}, {plural(b.signatories, 'signataire', 'signataires')} "
         f"au {long_date(b.as_of)}" if b.charter_adopted else "Non (aucune signature en cours de validité)"],
        ["Engagement CNIL (traitement inscrit au registre)",
         _yes_no(b.cnil_commitment) + (f" ; délégué à la protection des données : {b.texts.dpo_name}"
                                       if b.texts.dpo_name else "")],
        ["Plan local d'action adopté", _plan_adopted(b)],
        ["Coordonnateur désigné",
         f"Oui : {b.council.coordinator_name}" + (f", {b.council.coordinator_function}"
                                                  if b.council.coordinator_function else "")
         if b.council.has_coordinator else "Non"],
    ]
    return [toc.heading("Synthèse pour le suivi national"),
            data_table(["Question", "Réponse"], rows, ["42%", "58%"]),
            para(f"Situation au {long_date(b.as_of)}, établie à partir des données saisies dans l'application.",
                 st.note)]


# --- 1. governance ----------------------------------------------------------------------------------------
def _governance(b: AnnualBilan, toc: Contents) -> list[Flowable]:
    st = styles()
    c = b.council
    story: list[Flowable] = [toc.heading("1. Gouvernance"), toc.heading("Identité et pilotage", 1)]
    story.append(labelled("Conseil", f"{c.kind.long_name} ({c.kind.value}) — {c.name}"))
    if c.communes:
        qpv = [x.name for x in c.communes if x.has_qpv]
        story.append(labelled(
            "Territoire",
            f"{plural(len(c.communes), 'commune', 'communes', feminine=True)}, {format_number(c.total_population)} habitants"
            + (f" ; {'quartier prioritaire' if len(qpv) == 1 else 'quartiers prioritaires'} de la politique de la ville à {', '.join(qpv)}" if qpv else "")))
    story.append(labelled("Présidence", " — ".join(p for p in (c.chair_title, c.chair_name) if p) or "non renseignée"))
    story.append(labelled("Coordination", " — ".join(
        p for p in (c.coordinator_name, c.coordinator_function) if p) or "aucun coordonnateur désigné"))
    order_date = parse_date(c.composition_order_date)
    story.append(labelled("Arrêté de composition", " ".join(p for p in (
        f"n° {c.composition_order_number}" if c.composition_order_number else "",
        f"du {long_date(order_date)}" if order_date else "") if p) or "non renseigné"))
    rules = parse_date(c.rules_adopted_on)
    story.append(labelled("Règlement intérieur", f"adopté le {long_date(rules)}" if rules else "non renseigné"))

    story.append(toc.heading("Charte déontologique", 1))
    e = b.charter_events
    story.append(labelled("Version de référence", c.charter_version or "non renseignée"))
    story.append(labelled("Signataires", f"{b.signatories} au {long_date(b.as_of)} ; en {b.year} : "
                          f"{plural(e.signed, 'signature', 'signatures', feminine=True)}, {plural(e.withdrawn, 'retrait', 'retraits')}, "
                          f"{plural(e.excluded, 'exclusion', 'exclusions')}"))

    story.append(toc.heading("Composition de la formation plénière", 1))
    counts = membership_summary(b.plenary_members)
    detail = ", ".join(f"{n} {CATEGORY_PLURALS[category] if n > 1 else category.label.lower()}"
                       for category, n in counts.items())
    story.append(labelled(f"Membres au {long_date(b.as_of)}",
                          f"{len(b.plenary_members)}" + (f" ({detail})" if detail else "")))
    ch = b.plenary_changes
    story.append(labelled(f"Évolutions en {b.year}", f"{plural(ch.arrivals, 'arrivée', 'arrivées')}, "
                          f"{plural(ch.departures, 'départ', 'départs')}"))
    if b.texts.membership_changes.strip():
        story.append(para(b.texts.membership_changes, st.body_justified))
    institutions = institutions_in_order(b.plenary_members)
    if institutions:
        story.append(para(bold("Institutions représentées, dans l'ordre protocolaire :"), st.body))
        numbered = [f"{n}. {name}" for n, name in enumerate(institutions[:TABLE_ROWS], 1)]
        pairs = [[numbered[i], numbered[i + 1] if i + 1 < len(numbered) else ""] for i in range(0, len(numbered), 2)]
        story.append(_two_columns(pairs))
        if len(institutions) > TABLE_ROWS:
            rest = len(institutions) - TABLE_ROWS
            story.append(para(f"… et {plural(rest, 'autre institution', 'autres institutions', feminine=True)} : la "
                              "liste complète figure dans le document « Composition du conseil » (rubrique "
                              "« Rapports »).", st.note))

    story.append(toc.heading("Protection des données (RGPD)", 1))
    t = b.texts
    story.append(labelled("Délégué à la protection des données", t.dpo_name or "non renseigné"))
    story.append(labelled("Traitement inscrit au registre", _yes_no(t.processing_register)))
    story.append(labelled("Analyse d'impact (AIPD) réalisée", _yes_no(t.dpia_done)))
    return story


def _two_columns(pairs: list[list[str]]) -> Table:
    st = styles()
    return Table([[para(left, st.cell), para(right, st.cell)] for left, right in pairs], colWidths=["50%", "50%"],
                 hAlign="LEFT", style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                  ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                                                  ("TOPPADDING", (0, 0), (-1, -1), 2),
                                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))


# --- 2. meetings ------------------------------------------------------------------------------------------
def _meetings(b: AnnualBilan, toc: Contents) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [CondPageBreak(12 * cm), toc.heading("2. Réunions"),
                             toc.heading("Réunions tenues par formation", 1)]
    rows = []
    shown, rest = _most(b.formations, lambda f: (f.formation.kind is not FormationKind.WORKING_GROUP, len(f.held)))
    for f in shown:
        name = f.formation.display_name + (" (confidentiel)" if f.confidential else "")
        rate = rate_text(f.attendance) if f.attendance else "—"
        if f.confidential:  # its name, how many meetings and the attendance rate: never when it met
            rows.append([name, str(len(f.held)), "non communiquées", "—", rate])
            continue
        days = [m.starts_at.date() for m in f.held]
        # a weekly group's 52 dates would fill half a page each: its first and last say enough
        dates = (", ".join(_day_month(d) for d in days) if len(days) <= DATES_LISTED
                 else f"du {_day_month(min(days))} au {_day_month(max(days))}") if days else "—"
        rows.append([name, str(len(f.held)), dates, str(f.cancelled), rate])
    if rest:
        counts = [f.attendance for f in rest if f.attendance]
        rows.append([para(bold(f"{len(rest)} autres groupes de travail (ensemble)"), st.cell),
                     str(sum(len(f.held) for f in rest)), "", str(sum(f.cancelled for f in rest if not f.confidential)),
                     rate_text(_summed(counts, "")) if counts else "—"])
    rows.append([para(bold("Total"), st.cell), str(b.meetings_held), "",
                 str(sum(f.cancelled for f in b.formations if not f.confidential)), ""])
    story.append(data_table(["Formation", "Tenues", f"Dates ({b.year})", "Annulées", "Présence"], rows,
                            ["34%", "10%", "32%", "11%", "13%"]))
    planned = sum(f.still_planned for f in b.formations)
    if planned:
        story.append(para(f"{plural(planned, 'réunion prévue', 'réunions prévues')} en {b.year} "
                          f"{'n’est pas marquée' if planned == 1 else 'ne sont pas marquées'} comme tenue"
                          f"{'' if planned == 1 else 's'} et n'entre{'' if planned == 1 else 'nt'} pas dans ces chiffres.",
                          st.note))
    story.append(para("Présence : part des convocations suivies d'une présence ou d'une représentation, sur les "
                      "réunions dont l'émargement a été saisi.", st.note))
    if b.meetings_held:
        story.append(Spacer(1, 0.3 * cm))
        # the others as their mean: their total would dwarf every other bar
        bars = top_and_others([(f.formation.display_name, len(f.held)) for f in b.formations], CHART_MAX_BARS,
                              lambda n: f"{n} autres formations et groupes (moyenne)",
                              lambda values: sum(values) / len(values))
        story.extend(horizontal_bars(bars, _width(), value_text=lambda v: format_number(round(v, 1)),
                                     title="Réunions tenues par formation" + (
                                         f" ({CHART_MAX_BARS - 1} plus actives, puis les autres)"
                                         if len(b.formations) > CHART_MAX_BARS else "")))

    story.append(toc.heading("Réunions de droit", 1))
    if b.de_droit:
        story.append(data_table(
            ["Date", "Formation", "Demande", "Demandée le"],
            [[long_date(m.starts_at.date()), b.formation_name(m.formation_id), m.de_droit_requester.label or "—",
              long_date(m.de_droit_requested_on) if m.de_droit_requested_on else "—"] for m in b.de_droit],
            ["27%", "25%", "28%", "20%"]))
    else:
        story.append(para(f"Aucune réunion de droit (à la demande du préfet ou de la majorité des membres) en {b.year}.",
                          st.body))

    story.append(CondPageBreak(6 * cm))
    story.append(toc.heading("Présence par institution", 1))
    counts = b.attendance_by_institution
    if counts:
        story.append(para("Formations plénière et restreinte et groupes de travail non confidentiels ; les groupes "
                          "confidentiels ne figurent pas ici.", st.note))
        # the most convened, still in alphabetical order
        top_counts, other_counts = _most(counts, lambda c: c.convened)
        rows = [[c.label, str(c.convened), str(c.present), str(c.represented), str(c.excused), str(c.absent),
                 rate_text(c)] for c in top_counts]
        if other_counts:
            others = _summed(other_counts, f"{len(other_counts)} autres institutions (ensemble)")
            rows.append([para(bold(others.label), st.cell), str(others.convened), str(others.present),
                         str(others.represented), str(others.excused), str(others.absent), rate_text(others)])
        story.append(data_table(["Institution", "Conv.", "Prés.", "Repr.", "Exc.", "Abs.", "Taux"], rows,
                                ["46%", "9%", "9%", "9%", "9%", "9%", "9%"]))
        if other_counts:
            story.append(para(f"Les {TABLE_ROWS - 1} institutions les plus convoquées ; le détail de toutes les "
                              "institutions figure dans les statistiques de présence (écran « Réunions »).",
                              st.note))
        story.append(para("Conv. : convocations ; Prés. : présents ; Repr. : représentés ; Exc. : excusés ; "
                          "Abs. : absents.", st.note))
        best = sorted(counts, key=lambda c: (-c.rate, -c.convened, c.label))[:CHART_MAX_BARS]
        title = "Taux de présence par institution" + (
            f" ({CHART_MAX_BARS} premières)" if len(counts) > CHART_MAX_BARS else "")
        story.append(Spacer(1, 0.3 * cm))
        story.extend(horizontal_bars([(c.label, c.rate * 100) for c in best], _width(), maximum=100,
                                     value_text=_percent, title=title))
    else:
        story.append(para(f"Aucun émargement saisi pour {b.year} hors groupes confidentiels.", st.body))
    return story


# --- 3. préfet ------------------------------------------------------------------------------------------
def _prefect(b: AnnualBilan, toc: Contents) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [toc.heading("3. Présentation de l'état de la délinquance par le préfet")]
    if b.prefect_presentations:
        for m in b.prefect_presentations:
            story.append(para(f"Présentation faite le {long_date(m.starts_at.date())} en "
                              f"{b.formation_name(m.formation_id).lower()}.", st.body))
        story.append(para("Les éléments présentés ne comportent aucune donnée nominative.", st.note))
    else:
        story.append(para(f"Aucune présentation du préfet n'est enregistrée pour {b.year} (elle est attendue "
                          "une fois par an).", st.body))
    return story


# --- 4. plan ----------------------------------------------------------------------------------------------
def _plan(b: AnnualBilan, toc: Contents) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [CondPageBreak(12 * cm), toc.heading("4. Avancement du plan d'actions")]
    if b.plan is None:
        story.append(para(f"Aucun plan d'actions ne couvre l'année {b.year}.", st.body))
        return story
    p = b.plan
    story.append(labelled("Plan", f"{p.title} ({p.period})"
                          + (f", adopté le {long_date(p.adopted_on)}" if p.adopted_on else ", non adopté")))
    done = sum(1 for a in b.actions if a.status is ActionStatus.DONE)
    story.append(labelled("Actions", f"{len(b.actions)}, dont {done} réalisée{'s' if done > 1 else ''} et "
                          f"{len(b.late_actions)} en retard au {long_date(b.as_of)}"))
    rows = [[f"{x.number}. {x.title}", str(len(x.actions)), str(x.count(ActionStatus.DONE)),
             str(x.count(ActionStatus.IN_PROGRESS)), str(x.count(ActionStatus.PLANNED)),
             str(x.count(ActionStatus.ABANDONED)), _percent(x.progress), euros(x.cost_cents)] for x in b.axes]
    story.append(data_table(["Axe", "Actions", "Réalisées", "En cours", "Prévues", "Abandonnées", "Avancement",
                             "Coût"], rows, ["26%", "9%", "10%", "9%", "9%", "12%", "11%", "14%"]))
    if b.axes:
        story.append(Spacer(1, 0.3 * cm))
        story.extend(horizontal_bars([(f"{x.number}. {x.title}", x.progress) for x in b.axes], _width(),
                                     maximum=100, value_text=_percent,
                                     title="Avancement moyen par axe (actions abandonnées exclues)"))
    for axis in b.axes:
        story.append(toc.heading(f"Axe {axis.number} – {axis.title}", 1))
        if not axis.actions:
            story.append(para("Aucune action pour cet axe.", st.note))
            continue
        shown, rest = axis.actions[:AXIS_ROWS], axis.actions[AXIS_ROWS:]
        rows = [[a.number, a.title, a.lead_name or "—", a.status.label + (" (en retard)" if a.late else ""),
                 _percent(a.progress), euros(a.total_cost_cents)] for a in shown]
        if rest:
            statuses = ", ".join(f"{sum(1 for a in rest if a.status is status)} {status.label.lower()}"
                                 for status in ActionStatus if any(a.status is status for a in rest))
            rows.append(["", para(bold(f"… et {plural(len(rest), 'autre action', 'autres actions', feminine=True)}"
                                       f" ({statuses})"), st.cell), "", "", "",
                         euros(sum(a.total_cost_cents for a in rest))])
        story.append(data_table(["N°", "Action", "Chef de file", "Statut", "Avanc.", "Coût"], rows,
                                ["7%", "37%", "22%", "14%", "8%", "12%"]))
        if rest:
            story.append(para("Le détail de chaque action figure dans le document « Plan d'actions » "
                              "(rubrique « Rapports »).", st.note))
    story.append(toc.heading("Indicateurs : prévu et réalisé", 1))
    if b.indicators:
        top_lines, other_lines = b.indicators[:TABLE_ROWS], b.indicators[TABLE_ROWS:]
        rows = [[f"{i.action.number} {i.action.title}", i.indicator.name, i.indicator.unit,
                 format_number(i.indicator.baseline) or "—", format_number(i.indicator.target) or "—",
                 format_number(i.achieved) or "non saisi"] for i in top_lines]
        if other_lines:
            entered = sum(1 for i in other_lines if i.achieved is not None)
            more = plural(len(other_lines), 'autre indicateur', 'autres indicateurs')
            rows.append([para(bold(f"… et {more}"), st.cell),
                         f"dont {entered} avec une valeur {b.year}", "", "", "", ""])
        story.append(data_table(["Action", "Indicateur", "Unité", "Réf.", "Cible", f"Réalisé {b.year}"], rows,
                                ["30%", "25%", "14%", "9%", "9%", "13%"]))
        if other_lines:
            story.append(para("Chaque indicateur figure sur la fiche de son action (document « Plan d'actions »).",
                              st.note))
    else:
        story.append(para("Aucun indicateur n'est défini pour les actions du plan.", st.body))
    return story


# --- 5. funding -----------------------------------------------------------------------------------------
def _funding(b: AnnualBilan, toc: Contents) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [CondPageBreak(8 * cm), toc.heading(f"5. Financements {b.year}")]
    by_funder = b.funding_by_funder
    if not by_funder:
        story.append(para(f"Aucun financement n'est saisi pour {b.year}.", st.body))
    else:
        total = b.funding_total
        rows = [[funder.label, euros(t.requested_cents), euros(t.granted_cents), euros(t.paid_cents)]
                for funder, t in by_funder.items()]
        rows.append([para(bold("Total"), st.cell), euros(total.requested_cents), euros(total.granted_cents),
                     euros(total.paid_cents)])
        story.append(data_table(["Financeur", "Demandé", "Accordé", "Versé"], rows, ["40%", "20%", "20%", "20%"]))
        story.append(Spacer(1, 0.3 * cm))
        story.extend(horizontal_bars([(f.label, t.granted_cents / 100) for f, t in by_funder.items()], _width(),
                                     value_text=lambda v: euros(round(v * 100)),
                                     title=f"Montants accordés en {b.year} par financeur"))
        fipd = [(a, f) for a, f in b.funding_lines if f.funder is Funder.FIPD]
        if fipd:
            story.append(toc.heading("Fonds interministériel de prévention de la délinquance (FIPD)", 1))
            shown, rest = fipd[:TABLE_ROWS], fipd[TABLE_ROWS:]
            rows = [[f"{a.number} {a.title}", f.programme or "—", euros(f.requested_cents), euros(f.granted_cents),
                     euros(f.paid_cents), short_date(f.report_sent_on) or "non"] for a, f in shown]
            if rest:
                sent_rest = sum(1 for _, f in rest if f.report_sent_on)
                rows.append([para(bold(f"… et {plural(len(rest), 'autre financement', 'autres financements')}"),
                                  st.cell), "", *(euros(sum(getattr(f, name) for _, f in rest))
                                                  for name in ("requested_cents", "granted_cents", "paid_cents")),
                             f"{sent_rest} sur {len(rest)}"])
            story.append(data_table(["Action", "Programme", "Demandé", "Accordé", "Versé", "Bilan transmis"], rows,
                                    ["30%", "20%", "13%", "13%", "12%", "12%"]))
    sent, due = b.fipd_reports_sent, b.fipd_reports_due
    if b.plan is not None:
        story.append(para(
            f"Bilans FIPD transmis en {b.year} : {len(sent)}. "
            + (f"Bilans attendus non encore transmis : {len(due)} ({', '.join(a.number for a, _ in due)})."
               if due else "Aucun bilan FIPD en attente."), st.body))
    return story


# --- 6, 7 and annex ---------------------------------------------------------------------------------------
def _individual_follow_up(b: AnnualBilan, toc: Contents) -> list[Flowable]:
    st = styles()
    heading = toc.heading("6. Suivi des situations individuelles")
    section = b.individual
    if section.state is IndividualState.LOCKED:
        return [heading, para(
            "Chiffres du suivi individuel non inclus : module verrouillé. Le fichier chiffré des fiches n'était "
            "pas ouvert quand ce bilan a été produit ; le coordonnateur l'ouvre (phrase de passe) puis produit "
            "le bilan de nouveau pour y joindre les chiffres agrégés.", st.body_justified)]
    if section.state is IndividualState.INCLUDED:
        return [heading, para(
            f"Chiffres agrégés du suivi individuel tenu par le coordonnateur en {b.year} (délibération CNIL "
            "n° 2014-262) : aucun nom, aucune fiche ; un nombre de 1 à 4 est indiqué « moins de 5 ».",
            st.body_justified),
            data_table(["", "Nombre"], [list(t) for t in section.totals()], ["70%", "30%"]),
            Spacer(1, 0.3 * cm),
            data_table(["Groupe", "Âge", "Suivies", "Entrées", "Sorties"], section.rows(),
                       ["34%", "24%", "14%", "14%", "14%"]) if section.rows() else
            para("Aucune personne suivie dans l'année.", st.body)]
    return [heading,
            para("Les dossiers de suivi individuel ne sont pas tenus dans l'outil de coordination du conseil : les "
                 "situations individuelles sont examinées uniquement en groupe de travail confidentiel, et aucune "
                 "donnée les concernant ne figure dans ce bilan. Les éventuels chiffres agrégés (situations ouvertes, closes, origine des "
                 "signalements, purges effectuées) sont à joindre par le service qui tient ces dossiers.",
                 st.body_justified)]


def _evaluation(b: AnnualBilan, toc: Contents) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [CondPageBreak(6 * cm), toc.heading("7. Évaluation et orientations")]
    for heading, text in (("Évaluation de l'année", b.texts.evaluation),
                          ("Orientations proposées à la formation plénière", b.texts.orientations)):
        story.append(toc.heading(heading, 1))
        story.append(para(text, st.body_justified) if text.strip() else
                     para("Non rédigé (à saisir dans Rapports › Bilan annuel).", st.note))
    return story


def _annex(b: AnnualBilan, toc: Contents) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [PageBreak(), toc.heading("Annexe : décisions de la formation plénière")]
    if not b.plenary_decisions:
        story.append(para(f"Aucune décision de la formation plénière n'est enregistrée pour {b.year}.", st.body))
    current = None
    for decision in b.plenary_decisions:
        if decision.meeting is not current:
            current = decision.meeting
            story.append(para(bold(f"Séance du {long_date(current.starts_at.date())}"), st.subheading))
        story.append(para(f"• {decision.text}", st.body))
    story.append(Spacer(1, 0.4 * cm))
    story.append(para("Les feuilles d'émargement et les comptes rendus complets sont conservés par le "
                      "coordonnateur et peuvent être communiqués sur demande.", st.note))
    return story


def bilan_story(bilan: AnnualBilan) -> list[Flowable]:
    st = styles()
    toc = Contents()
    sections = [*_governance(bilan, toc), *_meetings(bilan, toc), *_prefect(bilan, toc), *_plan(bilan, toc),
                *_funding(bilan, toc), *_individual_follow_up(bilan, toc), *_evaluation(bilan, toc), *_annex(bilan, toc)]
    summary = _summary(bilan, toc)
    toc.entries.insert(0, toc.entries.pop())  # the summary comes first in the contents as on paper
    return [para("Sommaire", st.heading), toc, Spacer(1, 0.5 * cm), KeepTogether(summary), *sections]


def build_annual_bilan_pdf(store: Store, path: Path, year: int, *, today: date | None = None,
                           individual: YearFigures | None = None) -> Path:
    """The bilan of `year` written atomically to `path` (an existing file stays intact on failure)."""
    today = today or date.today()
    bilan = compute_bilan(store, year, today, individual)
    return build_pdf(path, bilan.council, bilan_title(year), bilan_story(bilan),
                     subtitle=f"{bilan.council.kind.long_name} — {bilan.council.name}", today=today,
                     subject=f"Bilan annuel {year} du {bilan.council.kind.value}")
