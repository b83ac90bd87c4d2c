"""The « Rapports » area on the operations layer: the bilan texts saved through the runner (write guard on),
panels following every operation through the dispatcher (a plan created, members added, a restore), unsaved
texts kept on screen when the data under them changes, one long document at a time."""

from __future__ import annotations

import threading
from datetime import date
from functools import partial

import pytest
from PySide6.QtCore import Qt

from clspd_desktop.domain.annual_report import AnnualReportTexts
from clspd_desktop.domain.plan import Plan
from clspd_desktop.services.operations import Change, OpChanges, done
from clspd_desktop.services.operations import plan as plan_ops
from clspd_desktop.services.operations import reports as report_ops
from clspd_desktop.ui.reports.page import ReportsPage
from tests.ui.test_reports_page import _members

TODAY = date(2026, 3, 10)  # the bilan panel opens on the last complete year: 2025


@pytest.fixture
def page(qtbot, ctx) -> ReportsPage:
    ctx.store.annual_reports.save(AnnualReportTexts(year=2024, evaluation="Bilan 2024"))
    built = ReportsPage(ctx, today=TODAY)
    qtbot.addWidget(built)
    built.show()
    ctx.runner.guard_writes()
    return built


def test_the_texts_are_saved_through_the_runner(page, ctx, qtbot):
    page.bilan.text_tabs["evaluation"].editor.setPlainText("Une année dense")
    qtbot.mouseClick(page.bilan.save_button, Qt.MouseButton.LeftButton)
    assert ctx.store.annual_reports.texts(2025).evaluation == "Une année dense"
    assert page.bilan.state.text() == "Textes 2025 enregistrés."


def test_a_plan_created_elsewhere_shows_at_once_and_in_the_other_panels_when_chosen(page, ctx):
    page.select(page.plan)
    assert not page.plan.produce_button.isEnabled()
    ctx.runner.call(partial(plan_ops.save_plan, plan=Plan(title="STSPD", start_year=2027, end_year=2029)))
    assert page.plan.produce_button.isEnabled() and page.plan.notice.isHidden()  # the panel shown: at once
    assert page.plan.plan.currentText() == "STSPD (2027-2029)"
    assert page.bilan.year.findData(2029) == -1  # the bilan's panel is not shown: read when chosen
    page.select(page.bilan)
    assert page.bilan.year.findData(2029) >= 0  # the plan's years join the bilan's year choice


def test_a_hidden_reports_area_catches_up_when_shown(page, ctx):
    page.hide()
    ctx.runner.call(partial(report_ops.save_bilan_texts, texts=AnnualReportTexts(year=2025, evaluation="Écrit ailleurs")))
    page.show()
    assert page.bilan.text_tabs["evaluation"].editor.toPlainText() == "Écrit ailleurs"


def test_after_a_restore_the_panels_show_the_restored_data(qtbot, paths, ctx):
    built = ReportsPage(ctx, today=TODAY)
    qtbot.addWidget(built)
    built.show()
    built.select(built.composition_order)
    assert not built.composition_order.produce_button.isEnabled()
    _members(ctx.store)  # what a restored file would hold
    ctx.store.annual_reports.save(AnnualReportTexts(year=2025, orientations="Restaurées"))
    ctx.runner.dispatcher.publish(OpChanges.all())
    assert built.composition_order.produce_button.isEnabled()
    built.select(built.bilan)
    assert built.bilan.text_tabs["orientations"].editor.toPlainText() == "Restaurées"


def test_texts_being_typed_stay_on_screen_when_the_data_changes(page, ctx, dialogs):
    editor = page.bilan.text_tabs["evaluation"].editor
    editor.setPlainText("Brouillon en cours")
    ctx.runner.dispatcher.publish(OpChanges.all())
    assert editor.toPlainText() == "Brouillon en cours" and page.bilan.has_unsaved_changes()
    assert "non enregistrés" in page.bilan.state.text()


def test_a_second_document_waits_for_the_first(page, ctx, dialogs, tmp_path, qtbot):
    gate = threading.Event()

    def long_work(env):
        gate.wait(5)
        return done(None, Change.BACKUPS)

    assert ctx.runner.start(long_work, parent=page, label="Sauvegarde…")
    page.select(page.directory)
    dialogs.files.append(tmp_path / "annuaire.pdf")
    assert page.directory.produce() is False  # refused before the file is even asked, not queued
    assert "« Sauvegarde… » est en cours" in dialogs.informed[-1][1] and len(dialogs.files) == 1
    gate.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=5000)
    assert not (tmp_path / "annuaire.pdf").exists()


def test_a_document_that_cannot_be_written_is_explained_on_the_gui_thread(page, ctx, dialogs, tmp_path, qtbot):
    taken = tmp_path / "annuaire.pdf"
    taken.mkdir()  # the name is a folder: the replacement fails as with a file open in another program
    page.select(page.directory)
    dialogs.files.append(taken)
    assert page.directory.produce()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert dialogs.warned and dialogs.warned[-1][0] == "Annuaire des partenaires (PDF)"
    assert not dialogs.informed and not dialogs.crashes
