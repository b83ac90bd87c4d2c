"""Plan d'actions screen: tree and table models, filters, the action editor (save, refused input), axis
creation / reorder / deletion with confirmation, dashboard, PDF and Excel buttons, organisation deletion."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt

from clspd_desktop.domain.plan import ActionStatus, Funder, Plan
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.ui.plan.action_dialog import ActionDialog
from clspd_desktop.ui.plan.page import PlanPage
from clspd_desktop.ui.plan.small_dialogs import FundingDialog, TitleDialog
from clspd_desktop.ui.plan.views import KIND_ROLE
from clspd_desktop.ui.widgets import modal
from tests.unit.test_plan_repo import HOSTILE, small_plan


@pytest.fixture
def page(qtbot, ctx):
    small_plan(ctx.store)
    widget = PlanPage(ctx)
    qtbot.addWidget(widget)
    widget.show()  # a hidden screen refreshes only when shown again
    qtbot.waitUntil(lambda: not widget.loading)  # read on a worker for its first show
    return widget


@pytest.fixture
def demo_page(qtbot, paths, store):
    from clspd_desktop.context import AppContext

    populate_demo(store)
    widget = PlanPage(AppContext.create(paths, store))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading)
    return widget


def _scripted(monkeypatch, fill):
    """modal.run fills the dialog with `fill(dialog)` then presses Enregistrer."""
    seen = []

    def run(dialog):
        seen.append(dialog)
        fill(dialog)
        dialog.accept()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(modal, "run", run)
    return seen


def test_models_pass_the_model_tester(qtmodeltester, demo_page):
    qtmodeltester.check(demo_page.tree.tree_model)
    qtmodeltester.check(demo_page.table.table.table_model)


def test_tree_shows_axes_objectives_actions_with_late_marker(page):
    model = page.tree.tree_model
    assert model.rowCount() == 2
    axis = model.index(0, 0)
    assert axis.data() == "Axe 1 – Jeunesse" and axis.data(KIND_ROLE) == "axis"
    objective = model.index(0, 0, axis)
    action = model.index(0, 0, objective)
    assert action.data() == f"1.1.1 {HOSTILE}"  # verbatim, no markup
    late = model.index(0, 5, objective).data()
    assert late == "Échéance dépassée"  # ended 30/06/2026, still in progress
    assert model.index(0, 0, objective).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_table_filters_by_status_funder_late_and_search(demo_page, qtbot):
    table = demo_page.table
    total = table.table.table_model.rowCount()
    assert total == demo_page.ctx.store.plan.count_actions()
    table.late_only.setChecked(True)
    assert all(r.row.late for r in table.table.table_model.records())
    assert 0 < table.table.table_model.rowCount() < total
    table.late_only.setChecked(False)
    table.status.select(ActionStatus.DONE)
    assert {r.row.status for r in table.table.table_model.records()} == {ActionStatus.DONE}
    table.status.select(None)
    table.funder.select(Funder.FIPD)
    assert all(Funder.FIPD in r.row.funders for r in table.table.table_model.records())
    table.funder.select(None)
    qtbot.keyClicks(table.search, "videoprotection")
    assert [r.row.title for r in table.table.table_model.records()] == ["Extension de la vidéoprotection au pôle gare"]


def test_new_axis_then_reorder_then_delete_with_confirmation(page, monkeypatch, dialogs):
    _scripted(monkeypatch, lambda d: d.title.setText("Gouvernance & pilotage"))
    page.new_axis()
    store = page.ctx.store.plan
    assert [a.title for a in store.axes(page.plan.id)][-1] == "Gouvernance & pilotage"
    page.tabs.setCurrentIndex(0)
    page.move_selected(-1)
    assert [a.title for a in store.axes(page.plan.id)] == ["Jeunesse", "Gouvernance & pilotage", "Victimes"]
    dialogs.confirms.append(False)
    page.delete_selected()
    assert len(store.axes(page.plan.id)) == 3
    dialogs.confirms.append(True)
    page.delete_selected()
    assert [a.title for a in store.axes(page.plan.id)] == ["Jeunesse", "Victimes"]
    assert "aucune fiche-action" in dialogs.confirm_texts[-1]


def test_editor_saves_a_new_action_with_funding(page, monkeypatch, ctx):
    page.tree.select("objective", ctx.store.plan.objectives(page.plan.id)[1].id)

    def fill(dialog):
        if isinstance(dialog, FundingDialog):
            dialog.funder.select(Funder.FIPD)
            dialog.programme.setCurrentText("Protection des personnes vulnérables")
            dialog.requested.setText("3 000,00")
            dialog.granted.setText("2500")
            return
        dialog.title.setText("Permanence <victimes> & aide")
        dialog.start_date.setText("01/02/2026")
        dialog.end_date.setText("31/12/2026")
        dialog.total_cost.setText("10 000")
        dialog.partners.set_checked(page.ctx.store.directory.organisations()[0].id)
        dialog.add_funding()
        assert "2 500,00 €" in dialog.funding_summary.text()

    _scripted(monkeypatch, fill)
    page.new_action()
    rows = ctx.store.plan.action_rows(page.plan.id)
    new = next(r for r in rows if r.title == "Permanence <victimes> & aide")
    assert new.number == "2.1.1"
    assert new.totals.granted_cents == 250_000 and new.total_cost_cents == 1_000_000
    assert page.tree.current() == ("action", new.id)


def test_editor_refuses_end_before_start_and_writes_nothing(page, qtbot, ctx, dialogs):
    action = ctx.store.plan.get_action(ctx.store.plan.action_rows(page.plan.id)[0].id)
    before = ctx.store.plan.get_action(action.id)
    dialog = ActionDialog(ctx, page.plan, action, page)
    qtbot.addWidget(dialog)
    dialog.end_date.setText("01/01/2024")
    dialog.tabs.setCurrentIndex(2)
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.errors.message("end_date") == "La date de fin précède la date de début."
    assert dialog.tabs.currentIndex() == 0
    assert ctx.store.plan.get_action(action.id) == before


def test_editor_refuses_funding_above_cost(page, qtbot, ctx):
    action = ctx.store.plan.get_action(ctx.store.plan.action_rows(page.plan.id)[0].id)
    dialog = ActionDialog(ctx, page.plan, action, page)
    qtbot.addWidget(dialog)
    dialog.total_cost.setText("5 000")
    assert "FIPD représenterait" in dialog.funding_warning.text()
    dialog.accept()
    assert "dépasse le coût total" in dialog.errors.message("total_cost")
    assert ctx.store.plan.get_action(action.id).total_cost_cents == 2_000_000


def test_funding_dialog_refuses_absurd_amounts(qtbot):
    dialog = FundingDialog(Plan("P", 2025, 2027))
    qtbot.addWidget(dialog)
    dialog.requested.setText("20 000 000")
    dialog.accept()
    assert "10 millions" in dialog.errors.message("requested")
    dialog.requested.setText("-3")
    dialog.accept()
    assert "négatif" in dialog.errors.message("requested")
    dialog.requested.setText("douze")
    dialog.accept()
    assert "Montant non reconnu" in dialog.errors.message("requested")


def test_title_dialog_requires_a_title(qtbot, ctx, page):
    from clspd_desktop.domain.plan import Axis

    dialog = TitleDialog(ctx, Axis(plan_id=page.plan.id, title=""))
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.errors.message("title") == "L'intitulé est obligatoire."


def test_documents_are_written_on_the_worker(page, ctx, dialogs, tmp_path, qtbot, monkeypatch):
    from clspd_desktop.services.reports import plan_pdf

    threads = []
    real_build = plan_pdf.build_plan_pdf

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_build(*args, **kwargs)

    monkeypatch.setattr(plan_pdf, "build_plan_pdf", spy)
    dialogs.informed.clear()
    dialogs.files.append(tmp_path / "plan")
    assert page.plan_pdf() and ctx.runner.busy
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert (tmp_path / "plan.pdf").exists() and threads and threads[0] is not threading.main_thread()
    assert dialogs.informed[-1] == ("Plan complet (PDF)",
                                    f"Le plan d'actions a été enregistré dans :\n{tmp_path / 'plan.pdf'}")
    dialogs.files.append(tmp_path / "plan.xlsx")
    assert page.export_xlsx()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert (tmp_path / "plan.xlsx").exists()
    page.tabs.setCurrentIndex(1)
    assert not page.action_sheet_pdf()  # nothing selected: explained, no file dialog
    assert "Sélectionnez d'abord une action" in dialogs.informed[-1][1]
    page.table.table.selectRow(0)
    dialogs.files.append(tmp_path / "fiche.pdf")
    assert page.action_sheet_pdf()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert (tmp_path / "fiche.pdf").exists()
    dialogs.files.append(None)  # the file choice cancelled: nothing started
    assert not page.plan_pdf() and not ctx.runner.busy


def test_dashboard_lists_late_actions_and_fipd_alerts(demo_page):
    dash = demo_page.dashboard
    texts = [dash.late_list.item(i).text() for i in range(dash.late_list.count())]
    assert any("Extension de la vidéoprotection" in t for t in texts)
    alerts = [dash.alerts_list.item(i).text() for i in range(dash.alerts_list.count())]
    assert any("60 %" in t for t in alerts) and any("Bilan FIPD" in t for t in alerts)
    assert len(dash.progress_chart.groups) == 4
    assert dash.funder_chart.groups[0][0] == "FIPD"
    demo_page.tabs.setCurrentIndex(2)
    assert not dash.progress_chart.grab().isNull()


def test_empty_state_offers_a_new_plan(qtbot, ctx, monkeypatch):
    widget = PlanPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading)
    assert widget.plan is None and not widget.plan_pdf_action.isEnabled()

    def fill(dialog):
        dialog.title.setText("Plan 2026")
        dialog.start_year.setValue(2026)
        dialog.end_year.setValue(2028)

    _scripted(monkeypatch, fill)
    widget.new_plan()
    assert widget.plan.period == "2026-2028" and widget.plan_pdf_action.isEnabled()


def test_deleting_a_lead_organisation_is_refused_on_the_partners_screen(qtbot, ctx, dialogs):
    from clspd_desktop.ui.partners.page import PartnersPage

    sp = small_plan(ctx.store)
    partners = PartnersPage(ctx)
    qtbot.addWidget(partners)
    tab = partners.organisations
    assert tab.table.select_where(lambda r: r.organisation.id == sp.lead.id)
    tab.delete()  # no confirmation asked: refused first, with the list of actions
    assert dialogs.warned and HOSTILE in dialogs.warned[-1][1]
    assert ctx.store.directory.get_organisation(sp.lead.id) is not None


def test_page_is_registered_as_an_area(ctx):
    from clspd_desktop.ui.areas import build_areas

    area = next(a for a in build_areas(ctx) if a.key == "plan")
    assert (area.title, area.shortcut) == ("Plan d'actions", "Ctrl+5")


def test_late_flag_in_table_follows_today(page):
    rows = page.table.table.table_model.records()
    assert rows[0].row.late == (date.today() > date(2026, 6, 30))


def test_deleting_an_action_discussed_in_meetings_says_so(page, ctx, dialogs):
    from datetime import datetime

    from clspd_desktop.domain.directory import FormationKind
    from clspd_desktop.domain.meetings import Decision, Meeting, MeetingStatus

    action_id = ctx.store.plan.action_rows(page.plan.id)[0].id
    plenary = ctx.store.formations.by_kind(FormationKind.PLENARY)
    meeting = ctx.store.meetings.save_meeting(Meeting(formation_id=plenary.id, starts_at=datetime(2026, 3, 3, 9),
                                                      ends_at=datetime(2026, 3, 3, 11), status=MeetingStatus.HELD))
    decision = ctx.store.meetings.save_decision(Decision(meeting.id, "Lancer l'action"))
    ctx.store.links.link_decision(decision.id, action_id)
    page.refresh()
    page.tree.select("action", action_id)
    dialogs.confirms.append(False)
    page.delete_selected()
    assert "liée à 1 réunion" in dialogs.confirm_texts[-1]
    assert ctx.store.plan.get_action(action_id) is not None
    dialogs.confirms.append(True)
    page.delete_selected()
    assert ctx.store.plan.get_action(action_id) is None
    assert [d.text for d in ctx.store.meetings.decisions(meeting.id)] == ["Lancer l'action"]
