"""Export of the directory, read back with openpyxl and csv, and re-imported without loss."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from clspd_desktop.domain.directory import Civility, ContactRole, OrganisationCategory
from clspd_desktop.errors import StorageError
from clspd_desktop.services.directory_export import directory_rows, export_csv, export_xlsx
from clspd_desktop.services.directory_import import (
    FIELD_LABELS,
    LineStatus,
    apply_import,
    build_preview,
    guess_mapping,
    read_table,
)
from tests.factories import add_contact, add_organisation
from tests.unit.test_directory_import import dump

HEADERS = list(FIELD_LABELS.values())


@pytest.fixture
def filled(store):
    prefecture = add_organisation(store, name="Préfecture de l'Essonne", address="Boulevard de France",
                                  postal_code="91010", city="Évry-Courcouronnes", phone="01 69 91 91 91",
                                  email="pref@essonne.gouv.fr")
    add_contact(store, prefecture, last_name="Martin", first_name="Élodie", function="Sous-préfète",
                email="e.martin@essonne.gouv.fr", phone="01 60 00 00 00")
    add_contact(store, prefecture, last_name="Lœuvre", first_name="Benoît", civility=Civility.MR,
                role=ContactRole.SUBSTITUTE)
    hostile = add_organisation(store, name='R&D <Prévention> "Sécurité" 🙂',
                               category=OrganisationCategory.ASSOCIATION)
    add_contact(store, hostile, last_name="=HYPERLINK(\"http://evil\")", first_name="@SUM(A1)",
                function="-2+3", phone="+3221234567")
    add_organisation(store, name="Collège Jean Moulin", category=OrganisationCategory.EDUCATION)
    return store


def test_rows_one_per_referent_then_organisations_without_referent(filled):
    rows = directory_rows(filled)
    orgs = [r[0] for r in rows]
    assert orgs == ["Collège Jean Moulin", "Préfecture de l'Essonne", "Préfecture de l'Essonne",
                    'R&D <Prévention> "Sécurité" 🙂']
    assert rows[0][9] == ""  # the college has no referent: organisation columns only
    assert [rows[1][9], rows[1][13]] == ["Martin", "Titulaire"]  # titular before substitute
    assert [rows[2][9], rows[2][13]] == ["Lœuvre", "Suppléant"]


def test_xlsx_read_back(filled, tmp_path):
    path = export_xlsx(filled, tmp_path / "annuaire.xlsx")
    workbook = load_workbook(path)
    sheet = workbook.active
    values = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADERS
    assert values[1:] == directory_rows(filled)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N5"
    assert sheet.column_dimensions["A"].width >= 30
    formula_cell = sheet.cell(row=5, column=10)
    assert formula_cell.value == '=HYPERLINK("http://evil")' and formula_cell.data_type == "s"


def test_csv_is_excel_friendly_and_neutralises_formulas(filled, tmp_path):
    path = export_csv(filled, tmp_path / "annuaire.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 5 and b"\n" not in data.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == HEADERS
    assert rows[1][0] == "Collège Jean Moulin"
    hostile = rows[4]
    assert hostile[0] == 'R&D <Prévention> "Sécurité" 🙂'
    assert hostile[8:13] == ["'@SUM(A1)", "'=HYPERLINK(\"http://evil\")", "'-2+3", "", "'+3221234567"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("exporter", [export_csv, export_xlsx])
def test_export_reimports_identically_into_an_empty_database(filled, tmp_path, paths, exporter):
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store

    path = exporter(filled, tmp_path / f"annuaire{'.csv' if exporter is export_csv else '.xlsx'}")
    other = Store.over(open_database(tmp_path / "autre.sqlite", tmp_path / "instantanes").db)
    try:
        table = read_table(path)
        mapping = guess_mapping(table.headers)
        assert None not in mapping  # every exported column is recognised
        preview = build_preview(other, table, mapping)
        assert not preview.errors and not any(line.warnings for line in preview.lines)
        apply_import(other, preview)

        def comparable(store):
            orgs, contacts = dump(store)
            return sorted(o[1:] for o in orgs), sorted(c[1:] for c in contacts)

        assert comparable(other) == comparable(filled)
        assert directory_rows(other) == directory_rows(filled)
        # and into the same database: every line is recognised as already there
        again = build_preview(filled, table, mapping)
        assert {line.status for line in again.lines} <= {LineStatus.DUPLICATE, LineStatus.ORG_ONLY}
        assert not again.has_work()
    finally:
        other.close()


@pytest.mark.parametrize("exporter", [export_csv, export_xlsx])
def test_failed_export_keeps_the_previous_file(filled, tmp_path, monkeypatch, exporter):
    target = tmp_path / "annuaire.out"
    target.write_bytes(b"ancienne version")

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("clspd_desktop.safe_files.os.replace", no_space)
    with pytest.raises(StorageError, match="Le disque est plein"):
        exporter(filled, target)
    assert target.read_bytes() == b"ancienne version"
    assert [p.name for p in tmp_path.iterdir() if p.name != "donnees"] == ["annuaire.out"]


def test_empty_directory_exports_headers_only(store, tmp_path):
    assert Path(export_csv(store, tmp_path / "vide.csv")).read_text(encoding="utf-8-sig").splitlines() == [
        ";".join(HEADERS)]
    sheet = load_workbook(export_xlsx(store, tmp_path / "vide.xlsx")).active
    assert sheet.max_row == 1
