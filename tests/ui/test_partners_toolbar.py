"""Partenaires toolbar: import, exports and PDFs are wired to their services, errors explained."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from clspd_desktop.errors import StorageError
from tests.factories import add_contact, add_organisation
from tests.ui.test_partners_support import install, make_page, texts


@pytest.fixture
def page(ctx, qtbot):
    add_contact(ctx.store, add_organisation(ctx.store, "<SARL> & Fils"), "Lefèvre", "Hélène")
    return make_page(ctx, qtbot)


def finished(qtbot, ctx) -> None:
    """Exports run on the worker: wait for the result to come back to the GUI thread."""
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)


def test_export_xlsx_writes_the_directory(page, dialogs, tmp_path, qtbot, ctx):
    target = tmp_path / "annuaire"  # the user forgot the extension
    dialogs.files.append(target)
    page.export_xlsx_action.trigger()
    assert ctx.runner.busy  # on the worker, the window stays free
    finished(qtbot, ctx)
    written = tmp_path / "annuaire.xlsx"
    values = [cell for row in openpyxl.load_workbook(written).active.iter_rows(values_only=True) for cell in row]
    assert "<SARL> & Fils" in values and "Lefèvre" in values
    assert dialogs.informed[-1][1].endswith(str(written))


def test_export_csv_writes_the_directory(page, dialogs, tmp_path, qtbot, ctx):
    target = tmp_path / "annuaire.csv"
    dialogs.files.append(target)
    page.export_csv_action.trigger()
    finished(qtbot, ctx)
    text = target.read_text(encoding="utf-8-sig")
    assert "<SARL> & Fils" in text and "Lefèvre" in text
    assert len(list(csv.reader(text.splitlines(), delimiter=";"))) >= 2


def test_cancelled_save_dialog_writes_nothing(page, dialogs, tmp_path):
    dialogs.files.append(None)
    page.export_csv_action.trigger()
    assert dialogs.informed == [] and list(tmp_path.glob("*.csv")) == []


@pytest.mark.parametrize("action, name", [("directory_pdf_action", "annuaire.pdf"),
                                          ("composition_pdf_action", "composition.pdf")])
def test_pdf_buttons_write_a_pdf(page, dialogs, tmp_path, action, name, qtbot, ctx):
    target = tmp_path / name
    dialogs.files.append(target)
    getattr(page, action).trigger()
    finished(qtbot, ctx)
    assert target.read_bytes().startswith(b"%PDF")
    assert dialogs.informed and dialogs.warned == []


def test_a_user_error_is_shown_and_nothing_is_written(page, dialogs, tmp_path, monkeypatch, qtbot, ctx):
    from clspd_desktop.services import directory_export

    def refuse(store, path):
        raise StorageError("Le disque est plein : le fichier « annuaire.xlsx » n'a pas pu être écrit.")

    monkeypatch.setattr(directory_export, "export_xlsx", refuse)
    dialogs.files.append(tmp_path / "annuaire.xlsx")
    page.export_xlsx_action.trigger()
    finished(qtbot, ctx)
    assert dialogs.warned == [("Action impossible",
                               "Le disque est plein : le fichier « annuaire.xlsx » n'a pas pu être écrit.")]
    assert dialogs.informed == []
    assert not (tmp_path / "annuaire.xlsx").exists()


def test_import_from_the_toolbar_shows_in_every_tab_and_is_undone_with_ctrl_z(page, ctx, dialogs, qtbot,
                                                                               monkeypatch, tmp_path):
    from tests.unit.test_directory_import import ROWS, write_csv

    modals = install(monkeypatch)
    path = write_csv(tmp_path / "partenaires.csv", ROWS)

    def import_file(dialog):
        dialog.show()
        dialogs.files.append(path)
        dialog.choose_button.click()
        finished(qtbot, ctx)  # read and checked on the worker
        dialog.import_button.click()
        finished(qtbot, ctx)

    modals.then(import_file)
    page.import_action.trigger()
    assert type(modals.opened[0]).__name__ == "ImportDialog"
    assert "Préfecture de l'Essonne" in texts(page.organisations.table, 0)  # the dispatcher told the tab
    assert page.organisations.filters.count.text() == "3 organisations"
    page.tabs.setCurrentWidget(page.contacts)  # hidden until now: refreshed when shown
    assert page.contacts.table.model().rowCount() == 4

    assert ctx.runner.undo_label == "Import de « partenaires.csv »"
    assert ctx.runner.undo(page)
    assert texts(page.contacts.table, 0) == ["Lefèvre Hélène"]
    page.tabs.setCurrentWidget(page.organisations)
    assert texts(page.organisations.table, 0) == ["<SARL> & Fils"]


def test_toolbar_labels(page):
    assert [a.text() for a in page.toolbar.actions() if not a.isSeparator()] == [
        "Importer…", "Exporter en Excel (.xlsx)…", "Exporter en CSV…", "Annuaire (PDF)…", "Composition (PDF)…"]
