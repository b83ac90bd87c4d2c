"""The action plan in an Excel workbook: the plan's structure, the actions, their indicators and their
funding lines, one sheet each. Amounts are numbers in euros (Excel can add them), text is never a formula.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from clspd_desktop.db.plan_repo import totals_by_axis
from clspd_desktop.db.store import Store
from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.records import saved_id
from clspd_desktop.domain.text import format_number
from clspd_desktop.errors import UserError
from clspd_desktop.services.directory_export import save_workbook, set_excel_text

EURO_FORMAT = '#,##0.00 "€"'
SHEETS = ("Plan", "Actions", "Indicateurs", "Financements")


def _euros(cents: int) -> float:
    return round(cents / 100, 2)


def export_plan_xlsx(store: Store, plan_id: int, path: Path, today: date | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    plan = store.plan.get_plan(plan_id)
    if plan is None:
        raise UserError("Ce plan n'existe plus.")
    rows = store.plan.action_rows(plan_id, today)
    partners = store.plan.partners_of_plan(plan_id)
    indicators = store.plan.indicators_of_plan(plan_id)
    workbook = Workbook()

    def sheet(title: str, header: list[str], lines: list[list[Any]], widths: list[int],
              money: tuple[int, ...] = ()) -> None:
        ws = workbook.active if title == SHEETS[0] else workbook.create_sheet(title)
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r, line in enumerate(lines, start=2):
            for c, value in enumerate(line, start=1):
                if isinstance(value, str):
                    set_excel_text(ws.cell(row=r, column=c), value)  # "=..." typed by a user stays text
                else:
                    cell = ws.cell(row=r, column=c, value=value)
                    if c - 1 in money:
                        cell.number_format = EURO_FORMAT
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(lines) + 1}"
        for c, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width

    by_axis = totals_by_axis(rows)
    axes = store.plan.axes(plan_id)
    objectives = store.plan.objectives(plan_id)
    structure: list[list[Any]] = []
    for number, axis in enumerate(axes, 1):
        cost, funding = by_axis.get(saved_id(axis.id), (0, None))
        count = sum(1 for r in rows if r.axis_id == axis.id)
        structure.append([f"Axe {number}", axis.title, count, _euros(cost),
                          _euros(funding.requested_cents) if funding else 0.0,
                          _euros(funding.granted_cents) if funding else 0.0,
                          _euros(funding.paid_cents) if funding else 0.0])
        for o_number, objective in enumerate([o for o in objectives if o.axis_id == axis.id], 1):
            structure.append([f"Objectif {number}.{o_number}", objective.title,
                              sum(1 for r in rows if r.objective_id == objective.id), None, None, None, None])
    sheet("Plan", ["Niveau", f"{plan.title} ({plan.period})", "Actions", "Coût total", "Demandé", "Accordé", "Versé"],
          structure, [14, 70, 10, 16, 16, 16, 16], money=(3, 4, 5, 6))

    sheet("Actions", ["N°", "Axe", "Objectif", "Action", "Chef de file", "Partenaires", "Public visé", "Territoire",
                      "Début", "Fin", "Statut", "Avancement (%)", "En retard", "Coût total", "Demandé", "Accordé",
                      "Versé", "Alerte FIPD", "Bilans FIPD à transmettre"],
          [[r.number, r.axis_title, r.objective_title, r.title, r.lead_name, ", ".join(partners.get(r.id, [])),
            r.target_public, r.territory, short_date(r.start_date), short_date(r.end_date), r.status.label,
            r.progress, f"Oui ({r.late_reason})" if r.late else "Non", _euros(r.total_cost_cents),
            _euros(r.totals.requested_cents), _euros(r.totals.granted_cents), _euros(r.totals.paid_cents),
            r.fipd_warning, " ; ".join(r.bilan_reminders)] for r in rows],
          [8, 30, 30, 44, 30, 40, 24, 24, 12, 12, 12, 10, 12, 14, 14, 14, 14, 40, 40], money=(13, 14, 15, 16))

    years = plan.years
    indicator_lines = []
    for r in rows:
        for indicator in indicators.get(r.id, []):
            latest = indicator.latest
            indicator_lines.append([
                r.number, r.title, indicator.name, indicator.unit, indicator.baseline, indicator.target,
                *[indicator.values.get(y) for y in years],
                round(100 * indicator.achievement) if indicator.achievement is not None else None,
                f"{format_number(latest[1])} en {latest[0]}" if latest else ""])
    sheet("Indicateurs", ["N°", "Action", "Indicateur", "Unité", "Valeur de départ", "Cible",
                          *[f"Réalisé {y}" for y in years], "Atteinte de la cible (%)", "Dernière valeur"],
          indicator_lines, [8, 44, 40, 14, 14, 10, *[12] * len(years), 14, 18])

    sheet("Financements", ["N°", "Action", "Année", "Financeur", "Montant demandé", "Montant accordé",
                           "Montant versé", "Bilan FIPD transmis le"],
          [[r.number, r.title, f.year, f.funder_label, _euros(f.requested_cents), _euros(f.granted_cents),
            _euros(f.paid_cents), short_date(f.report_sent_on) if f.report_sent_on else
            ("à transmettre" if f.bilan_due else "")] for r in rows for f in r.funding],
          [8, 44, 8, 44, 16, 16, 16, 18], money=(4, 5, 6))
    return save_workbook(workbook, path)
