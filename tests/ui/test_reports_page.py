"""The « Rapports » area: the bilan's year and texts (saved, refused, kept or discarded on request), each
document produced through the shared save flow, the area reachable with Ctrl+6."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from clspd_desktop.app import build_main_window
from clspd_desktop.domain.annual_report import AnnualReportTexts
from clspd_desktop.domain.directory import FormationKind, Membership, MembershipCategory
from clspd_desktop.services.reports import annual_bilan_pdf
from clspd_desktop.ui import messages
from clspd_desktop.ui.reports.page import ReportsPage
from tests.factories import add_contact, add_organisation
from tests.unit.test_plan_repo import small_plan

TODAY = date(2026, 3, 10)
HOSTILE = "<b>Évaluation</b> & \"orientations\" d'O'Brien 🌳"


@pytest.fixture
def page(qtbot, ctx) -> ReportsPage:
    ctx.store.annual_reports.save(AnnualReportTexts(year=2024, evaluation="Bilan 2024", dpo_name="Agence <DPO>",
                                                    processing_register=True))
    built = ReportsPage(ctx, today=TODAY)
    qtbot.addWidget(built)
    return built


def _members(store) -> None:
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    org = add_organisation(store, "Préfecture de l'Essonne")
    contact = add_contact(store, org, "Lacombe", "Bertrand", function="Préfet")
    store.formations.save_membership(Membership(formation_id=plenary.id, contact_id=contact.id,
                                                category=MembershipCategory.DE_DROIT))


def _years(page: ReportsPage) -> list[int]:
    return [page.bilan.year.itemData(i) for i in range(page.bilan.year.count())]


def _choose_year(page: ReportsPage, year: int) -> None:
    page.bilan.year.setCurrentIndex(page.bilan.year.findData(year))


def _evaluation(page: ReportsPage):
    return page.bilan.text_tabs["evaluation"].editor


# --- years ---------------------------------------------------------------------------------------------
def test_the_last_complete_year_is_proposed_even_without_activity(page):
    assert _years(page) == [2026, 2025, 2024]
    assert page.bilan.selected_year() == 2025  # the bilan reports on a year that has ended
    assert _evaluation(page).toPlainText() == ""
    assert page.bilan.dpo.text() == "Agence <DPO>"  # RGPD status carried over from the latest earlier year


def test_the_last_complete_year_is_chosen_when_it_had_activity(qtbot, ctx):
    small_plan(ctx.store)  # a 2025-2027 plan
    built = ReportsPage(ctx, today=TODAY)
    qtbot.addWidget(built)
    assert _years(built) == [2027, 2026, 2025]
    assert built.bilan.selected_year() == 2025


def test_switching_year_shows_that_years_texts(page):
    _choose_year(page, 2024)
    assert _evaluation(page).toPlainText() == "Bilan 2024"
    assert page.bilan.register.isChecked() and not page.bilan.dpia.isChecked()
    assert page.bilan.state.text() == ""


# --- saving --------------------------------------------------------------------------------------------
def test_texts_are_saved_with_ctrl_s(page, ctx, qtbot):
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    _evaluation(page).setPlainText(HOSTILE)
    page.bilan.text_tabs["orientations"].editor.setPlainText("Créer un groupe « mobilité »")
    page.bilan.text_tabs["membership_changes"].editor.setPlainText("Arrivée du bailleur Logirève")
    page.bilan.dpo.setText("Mme Nadia Haddad")
    page.bilan.dpia.setChecked(True)
    assert "non enregistrés" in page.bilan.state.text()
    _evaluation(page).setFocus()
    qtbot.waitUntil(_evaluation(page).hasFocus)
    qtbot.keyClick(_evaluation(page), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert ctx.store.annual_reports.texts(2025) == AnnualReportTexts(
        year=2025, evaluation=HOSTILE, orientations="Créer un groupe « mobilité »",
        membership_changes="Arrivée du bailleur Logirève", dpo_name="Mme Nadia Haddad",
        processing_register=True, dpia_done=True)
    assert page.bilan.state.text() == "Textes 2025 enregistrés."
    assert not page.bilan.has_unsaved_changes()


def test_the_save_button_saves(page, ctx, qtbot):
    qtbot.keyClicks(_evaluation(page), "Bonne annee")
    qtbot.mouseClick(page.bilan.save_button, Qt.MouseButton.LeftButton)
    assert ctx.store.annual_reports.texts(2025).evaluation == "Bonne annee"


def test_a_refused_text_stays_on_screen_with_its_message(page, ctx, dialogs):
    too_long = "é" * 20_001
    _evaluation(page).setPlainText(too_long)
    page.bilan.tabs.setCurrentIndex(3)
    assert page.bilan.save() is False
    assert dialogs.warned and "20\u202f000 caractères" in dialogs.warned[-1][1]
    assert "conservée" in dialogs.warned[-1][1]
    assert _evaluation(page).toPlainText() == too_long
    assert page.bilan.tabs.currentIndex() == 0  # brought to the text at fault
    tab = page.bilan.text_tabs["evaluation"]
    assert not tab.error.isHidden() and "raccourcissez" in tab.error.text()
    assert ctx.store.annual_reports.texts(2025).evaluation == ""
    _evaluation(page).setPlainText("Plus court")
    assert page.bilan.save() is True and tab.error.isHidden()


# --- unsaved changes -----------------------------------------------------------------------------------
def test_switching_year_with_changes_can_save_them(page, ctx, dialogs):
    _evaluation(page).setPlainText(HOSTILE)
    dialogs.save_choices.append("save")
    _choose_year(page, 2024)
    assert "Les textes du bilan 2025 ont été modifiés" in dialogs.save_questions[-1]
    assert ctx.store.annual_reports.texts(2025).evaluation == HOSTILE
    assert page.bilan.selected_year() == 2024 and _evaluation(page).toPlainText() == "Bilan 2024"


def test_switching_year_with_changes_can_discard_them(page, ctx, dialogs):
    _evaluation(page).setPlainText("À oublier")
    dialogs.save_choices.append("discard")
    _choose_year(page, 2024)
    assert _evaluation(page).toPlainText() == "Bilan 2024"
    assert ctx.store.annual_reports.texts(2025).evaluation == ""
    _choose_year(page, 2025)  # nothing to ask any more
    assert _evaluation(page).toPlainText() == "" and len(dialogs.save_questions) == 1


def test_switching_year_can_be_cancelled_keeping_the_text(page, ctx, dialogs):
    _evaluation(page).setPlainText(HOSTILE)
    dialogs.save_choices.append("cancel")
    _choose_year(page, 2024)
    assert page.bilan.selected_year() == 2025 and page.bilan.year.currentText() == "2025"
    assert _evaluation(page).toPlainText() == HOSTILE and page.bilan.has_unsaved_changes()
    assert ctx.store.annual_reports.texts(2025).evaluation == ""


def test_a_refused_save_on_year_switch_keeps_the_year_and_the_text(page, ctx, dialogs):
    _evaluation(page).setPlainText("x" * 20_001)
    dialogs.save_choices.append("save")
    _choose_year(page, 2024)
    assert page.bilan.selected_year() == 2025
    assert len(_evaluation(page).toPlainText()) == 20_001
    assert dialogs.warned and ctx.store.annual_reports.texts(2025).evaluation == ""


def test_leaving_the_area_or_closing_asks_first(qtbot, ctx, dialogs):
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    reports = window.show_area("reports")
    reports.bilan.text_tabs["orientations"].editor.setPlainText("Orientation en cours")
    dialogs.save_choices.append("cancel")
    assert window.show_area("plan") is reports and window.current_key() == "reports"
    dialogs.save_choices.append("cancel")
    assert window.close() is False  # the window stays open with the text
    dialogs.save_choices.append("save")
    assert window.show_area("plan") is not reports and window.current_key() == "plan"
    assert ctx.store.annual_reports.texts(reports.bilan.selected_year()).orientations == "Orientation en cours"
    assert len(dialogs.save_questions) == 3
    window.show_area("reports")
    reports.bilan.text_tabs["orientations"].editor.setPlainText("Brouillon")
    dialogs.save_choices.append("discard")
    assert window.close() is True


def test_the_real_dialog_offers_save_discard_cancel_in_french(qtbot, monkeypatch):
    monkeypatch.setattr(messages, "backend", messages.QtDialogBackend())
    answers = []
    for button in (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard,
                   QMessageBox.StandardButton.Cancel):
        def click(which=button) -> None:
            box = QApplication.activeModalWidget()
            answers.append(box.button(QMessageBox.StandardButton.Discard).text())
            box.button(which).click()

        QTimer.singleShot(0, click)
        answers.append(messages.ask_save_changes(None, "Textes non enregistrés", "Enregistrer ?"))
    assert answers == ["Ne pas enregistrer", messages.SaveChoice.SAVE, "Ne pas enregistrer",
                       messages.SaveChoice.DISCARD, "Ne pas enregistrer", messages.SaveChoice.CANCEL]


# --- documents -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("panel_name", "expected"), [
    ("composition", "Composition de la formation plénière"),
    ("composition_order", "Arrêté portant composition"),
    ("directory", "Annuaire des partenaires"),
    ("plan", "Synthèse par axe"),
])
def test_each_document_is_produced_where_the_user_chose(qtbot, ctx, dialogs, tmp_path, panel_name, expected):
    _members(ctx.store)
    small_plan(ctx.store)
    built = ReportsPage(ctx, today=TODAY)
    qtbot.addWidget(built)
    panel = getattr(built, panel_name)
    built.select(panel)
    assert built.current_panel() is panel and panel.produce_button.isEnabled()
    dialogs.files.append(tmp_path / "sortie")  # the suffix is added
    qtbot.mouseClick(panel.produce_button, Qt.MouseButton.LeftButton)
    assert ctx.runner.busy  # on the worker: the window keeps repainting
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    written = tmp_path / "sortie.pdf"
    assert written.exists()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(written).pages).split())
    assert expected in text
    assert dialogs.informed and str(written) in dialogs.informed[-1][1]


def test_ctrl_p_produces_the_document_shown(page, ctx, dialogs, tmp_path, qtbot):
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.select(page.directory)
    page.list.setFocus()
    qtbot.waitUntil(page.list.hasFocus)
    dialogs.files.append(tmp_path / "annuaire.pdf")
    qtbot.keyClick(page.list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert (tmp_path / "annuaire.pdf").exists()


def test_the_plan_document_waits_for_a_plan(page, ctx, dialogs):
    page.select(page.plan)
    assert not page.plan.produce_button.isEnabled()
    assert not page.plan.notice.isHidden() and "pas encore de plan d'actions" in page.plan.notice.text()
    assert page.plan.produce() is False and not dialogs.files
    small_plan(ctx.store)
    page.refresh()
    assert page.plan.produce_button.isEnabled() and page.plan.notice.isHidden()


def test_the_draft_arrete_waits_for_plenary_members(page, ctx):
    page.select(page.composition_order)
    assert not page.composition_order.produce_button.isEnabled()
    assert "aucun membre" in page.composition_order.notice.text()
    assert "numéro et sa date en blanc" in page.composition_order.facts.text()
    _members(ctx.store)
    page.refresh()
    assert page.composition_order.produce_button.isEnabled()


def test_the_composition_can_be_printed_for_another_formation(page, ctx, dialogs, tmp_path, qtbot):
    restricted = ctx.store.formations.by_kind(FormationKind.RESTRICTED)
    page.select(page.composition)
    combo = page.composition.formation
    combo.setCurrentIndex(combo.findData(restricted.id))
    dialogs.files.append(tmp_path / "restreinte.pdf")
    assert page.composition.produce()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    text = " ".join(PdfReader(tmp_path / "restreinte.pdf").pages[0].extract_text().split())
    assert "Composition de la formation restreinte" in text


def test_a_cancelled_file_choice_writes_nothing(page, ctx, dialogs, tmp_path):
    page.select(page.directory)
    dialogs.files.append(None)
    assert page.directory.produce() is False and not ctx.runner.busy
    assert list(tmp_path.glob("*.pdf")) == [] and not dialogs.informed


def test_the_bilan_is_produced_with_the_texts_on_screen(page, ctx, dialogs, tmp_path, qtbot, monkeypatch):
    threads = []
    real_build = annual_bilan_pdf.build_annual_bilan_pdf

    def spy(store, path, year, **kw):
        threads.append((threading.current_thread(), store.db.conn is ctx.store.db.conn))
        return real_build(store, path, year, **kw)

    monkeypatch.setattr(annual_bilan_pdf, "build_annual_bilan_pdf", spy)
    _choose_year(page, 2024)
    _evaluation(page).setPlainText(HOSTILE)
    dialogs.files.append(tmp_path / "bilan")
    qtbot.mouseClick(page.bilan.produce_button, Qt.MouseButton.LeftButton)
    assert ctx.store.annual_reports.texts(2024).evaluation == HOSTILE  # saved before printing
    assert ctx.runner.running_label == "Préparation du bilan 2024…"
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    written = tmp_path / "bilan.pdf"
    assert written.exists()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(written).pages).split())
    assert "2024" in text and HOSTILE in text
    assert threads == [(threads[0][0], False)] and threads[0][0] is not threading.main_thread()
    assert dialogs.informed and "Le bilan 2024 a été enregistré" in dialogs.informed[-1][1]


def test_a_refused_text_stops_the_bilan_before_any_file_is_asked(page, dialogs):
    _evaluation(page).setPlainText("x" * 20_001)
    assert page.bilan.produce() is False
    assert dialogs.warned and not dialogs.informed  # an unexpected file dialog would fail the test itself


# --- the area ------------------------------------------------------------------------------------------
def test_the_area_sits_between_plan_and_backups_and_opens_with_ctrl_6(qtbot, ctx):
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    keys = [area.key for area in window.areas]
    assert keys[keys.index("plan") + 1:keys.index("plan") + 3] == ["reports", "backups"]
    area = next(a for a in window.areas if a.key == "reports")
    assert (area.title, area.shortcut) == ("Rapports", "Ctrl+6")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(window.nav, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "reports"
    assert isinstance(window.stack.currentWidget(), ReportsPage)


def test_imprimer_sends_the_document_or_opens_the_viewer(qtbot, page, ctx, dialogs, monkeypatch):
    from clspd_desktop.services import printing

    opened = []
    real = printing.Launchers
    monkeypatch.setattr(printing, "Launchers", lambda: real(
        platform="linux", which=lambda name: None, open_viewer=opened.append))
    panel = page.directory
    panel.refresh()
    assert panel.print_button.text() == "Imprimer" and panel.print_button.isEnabled()
    panel.print_button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)  # written on the worker, then printed
    assert opened and opened[0].parent == ctx.paths.exports_dir / "impressions" and opened[0].stat().st_size > 0
    assert "ouvert dans votre lecteur de PDF" in dialogs.informed[-1][1]
    page.bilan.print_button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=20_000)
    assert opened[-1].name.startswith("bilan-annuel-2025")


def test_the_documents_list_fits_its_column_at_1366_pixels(qtbot, ctx):
    """Seen in the walk: in the window at 1366 × 768 the rows were as wide as the list before the layout
    settled, cut without « … » under a horizontal scroll bar. Each row is as wide as the viewport."""
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_area("reports")
    QApplication.processEvents()
    documents = page.list
    widths = {documents.visualRect(documents.model().index(row, 0)).width() for row in range(documents.count())}
    assert widths == {documents.viewport().width()}
    assert not documents.horizontalScrollBar().isVisible()
