"""Plan exports read back: the XLSX figures equal SQL aggregates computed here independently; the PDFs
print hostile names verbatim, the FIPD warning, the late flag and the totals; the demo plan is complete."""

from __future__ import annotations

from datetime import date

import pdfplumber
import pytest
from openpyxl import load_workbook

from clspd_desktop.domain.plan import euros
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.services.plan_export import SHEETS, export_plan_xlsx
from clspd_desktop.services.reports.action_sheet_pdf import build_action_sheet_pdf
from clspd_desktop.services.reports.plan_pdf import build_plan_pdf
from tests.unit.test_plan_repo import HOSTILE, small_plan

TODAY = date(2026, 11, 21)


@pytest.fixture
def demo_store(store):
    populate_demo(store, TODAY)
    return store


def _text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_demo_plan_is_a_realistic_three_year_plan(demo_store):
    plan = demo_store.plan.current_plan(TODAY)
    assert (plan.start_year, plan.end_year) == (2025, 2027)
    rows = demo_store.plan.action_rows(plan.id, TODAY)
    assert len(demo_store.plan.axes(plan.id)) == 4
    assert 22 <= len(rows) <= 30
    assert all(r.lead_organisation_id for r in rows)
    assert any(r.late for r in rows) and any(r.fipd_warning for r in rows) and any(r.bilan_reminders for r in rows)
    assert demo_store.db.execute("SELECT COUNT(*) FROM plan_funding WHERE funder = 'fipd'").fetchone()[0] > 10
    assert demo_store.db.execute("SELECT COUNT(*) FROM plan_indicator_value").fetchone()[0] > 20


def test_xlsx_figures_equal_sql_aggregates(demo_store, tmp_path):
    plan = demo_store.plan.current_plan(TODAY)
    path = export_plan_xlsx(demo_store, plan.id, tmp_path / "plan.xlsx", TODAY)
    workbook = load_workbook(path)
    assert workbook.sheetnames == list(SHEETS)
    sql = demo_store.db.execute(
        "SELECT COUNT(*), SUM(requested_cents), SUM(granted_cents), SUM(paid_cents) FROM plan_funding").fetchone()
    funding = list(workbook["Financements"].iter_rows(min_row=2, values_only=True))
    assert len(funding) == sql[0]
    for column, total in zip((4, 5, 6), sql[1:], strict=True):
        assert round(sum(r[column] for r in funding) * 100) == total
    fipd = demo_store.db.execute("SELECT SUM(granted_cents) FROM plan_funding WHERE funder = 'fipd'").fetchone()[0]
    assert round(sum(r[5] for r in funding if r[3].startswith("FIPD")) * 100) == fipd
    actions = list(workbook["Actions"].iter_rows(min_row=2, values_only=True))
    cost = demo_store.db.execute("SELECT SUM(total_cost_cents), COUNT(*) FROM plan_action").fetchone()
    assert len(actions) == cost[1]
    assert round(sum(r[13] for r in actions) * 100) == cost[0]
    axes = [r for r in workbook["Plan"].iter_rows(min_row=2, values_only=True) if r[0].startswith("Axe")]
    assert sum(r[2] for r in axes) == cost[1]
    per_axis = dict(demo_store.db.execute(
        "SELECT x.title, SUM(a.total_cost_cents) FROM plan_action a JOIN plan_objective o ON o.id = a.objective_id "
        "JOIN plan_axis x ON x.id = o.axis_id GROUP BY x.id").fetchall())
    assert {r[1]: round(r[3] * 100) for r in axes} == per_axis
    indicators = list(workbook["Indicateurs"].iter_rows(min_row=2, values_only=True))
    assert len(indicators) == demo_store.db.execute("SELECT COUNT(*) FROM plan_indicator").fetchone()[0]


def test_xlsx_keeps_hostile_text_as_text(store, tmp_path):
    sp = small_plan(store)
    action = store.plan.get_action(sp.action.id)
    action.territory = "=HYPERLINK(\"http://x\")"
    store.plan.save_action(action)
    sheet = load_workbook(export_plan_xlsx(store, sp.plan.id, tmp_path / "p.xlsx", TODAY))["Actions"]
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row[3] == HOSTILE and row[7] == "=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=2, column=8).data_type == "s"


def test_action_sheet_pdf_prints_every_part_verbatim(configured_store, tmp_path):
    sp = small_plan(configured_store)
    text = _text(build_action_sheet_pdf(configured_store, sp.action.id, tmp_path / "fiche.pdf", TODAY))
    assert HOSTILE in text
    assert sp.lead.name in text and "Collège Jacques-Prévert" in text
    assert "EN RETARD (échéance dépassée)" in text
    assert "20\u202f000,00\u202f€" in text or "20 000,00 €" in text
    assert "Bilan FIPD 2025 à transmettre" in text
    assert "Jeunes accompagnés" in text and "Page 1 sur 1" in text and "Édité le samedi 21 novembre 2026" in text


def test_action_sheet_pdf_shows_the_fipd_warning(configured_store, tmp_path):
    sp = small_plan(configured_store)
    action = configured_store.plan.get_action(sp.action.id)
    action.funding[0].requested_cents = action.funding[0].granted_cents = 1_200_000
    action.funding[1].requested_cents = action.funding[1].granted_cents = action.funding[1].paid_cents = 800_000
    configured_store.plan.save_action(action)
    text = _text(build_action_sheet_pdf(configured_store, sp.action.id, tmp_path / "fiche.pdf", TODAY))
    assert "Le FIPD représenterait 60 %" in text


def test_plan_pdf_totals_equal_the_database(demo_store, tmp_path):
    plan = demo_store.plan.current_plan(TODAY)
    text = _text(build_plan_pdf(demo_store, plan.id, tmp_path / "plan.pdf", TODAY))
    requested, granted, paid = demo_store.db.execute(
        "SELECT SUM(requested_cents), SUM(granted_cents), SUM(paid_cents) FROM plan_funding").fetchone()
    cost = demo_store.db.execute("SELECT SUM(total_cost_cents) FROM plan_action").fetchone()[0]
    for cents in (requested, granted, paid, cost):
        assert euros(cents).replace("\u202f", " ") in text.replace("\u202f", " ")  # extraction gives spaces
    for (title,) in demo_store.db.execute("SELECT title FROM plan_action").fetchall():
        assert title in text.replace("\n", " ") or title[:30] in text
    late = sum(r.late for r in demo_store.plan.action_rows(plan.id, TODAY))
    assert f"Actions en retard ({late})" in text
