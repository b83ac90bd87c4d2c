"""Partenaires toolbar: import, exports and PDFs are wired to their services, errors explained."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from clspd_desktop.errors import StorageError
from tests.factories import add_contact, add_organisation
from tests.ui.test_partners_support import install, make_page


@pytest.fixture
def page(ctx, qtbot):
    add_contact(ctx.store, add_organisation(ctx.store, "<SARL> & Fils"), "Lefèvre", "Hélène")
    return make_page(ctx, qtbot)


def test_export_xlsx_writes_the_directory(page, dialogs, tmp_path):
    target = tmp_path / "annuaire"  # the user forgot the extension
    dialogs.files.append(target)
    page.export_xlsx_action.trigger()
    written = tmp_path / "annuaire.xlsx"
    values = [cell for row in openpyxl.load_workbook(written).active.iter_rows(values_only=True) for cell in row]
    assert "<SARL> & Fils" in values and "Lefèvre" in values
    assert dialogs.informed[-1][1].endswith(str(written))


def test_export_csv_writes_the_directory(page, dialogs, tmp_path):
    target = tmp_path / "annuaire.csv"
    dialogs.files.append(target)
    page.export_csv_action.trigger()
    text = target.read_text(encoding="utf-8-sig")
    assert "<SARL> & Fils" in text and "Lefèvre" in text
    assert len(list(csv.reader(text.splitlines(), delimiter=";"))) >= 2


def test_cancelled_save_dialog_writes_nothing(page, dialogs, tmp_path):
    dialogs.files.append(None)
    page.export_csv_action.trigger()
    assert dialogs.informed == [] and list(tmp_path.glob("*.csv")) == []


@pytest.mark.parametrize("action, name", [("directory_pdf_action", "annuaire.pdf"),
                                          ("composition_pdf_action", "composition.pdf")])
def test_pdf_buttons_write_a_pdf(page, dialogs, tmp_path, action, name):
    target = tmp_path / name
    dialogs.files.append(target)
    getattr(page, action).trigger()
    assert target.read_bytes().startswith(b"%PDF")
    assert dialogs.informed and dialogs.warned == []


def test_a_user_error_is_shown_and_nothing_is_written(page, dialogs, tmp_path, monkeypatch):
    from clspd_desktop.services import directory_export

    def refuse(store, path):
        raise StorageError("Le disque est plein : le fichier « annuaire.xlsx » n'a pas pu être écrit.")

    monkeypatch.setattr(directory_export, "export_xlsx", refuse)
    dialogs.files.append(tmp_path / "annuaire.xlsx")
    page.export_xlsx_action.trigger()
    assert dialogs.warned == [("Action impossible",
                               "Le disque est plein : le fichier « annuaire.xlsx » n'a pas pu être écrit.")]
    assert dialogs.informed == []
    assert not (tmp_path / "annuaire.xlsx").exists()


def test_import_opens_the_import_dialog_then_refreshes(page, ctx, monkeypatch):
    pytest.importorskip("clspd_desktop.ui.partners.import_dialog")
    modals = install(monkeypatch)

    def import_elsewhere(dialog):
        add_organisation(ctx.store, "Importée")  # stands for what the import wrote
        dialog.reject()

    modals.then(import_elsewhere)
    page.import_action.trigger()
    assert type(modals.opened[0]).__name__ == "ImportDialog"
    assert "Importée" in [page.organisations.table.model().index(r, 0).data()
                          for r in range(page.organisations.table.model().rowCount())]


def test_toolbar_labels(page):
    assert [a.text() for a in page.toolbar.actions() if not a.isSeparator()] == [
        "Importer…", "Exporter en Excel (.xlsx)…", "Exporter en CSV…", "Annuaire (PDF)…", "Composition (PDF)…"]
