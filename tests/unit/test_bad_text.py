"""Text pasted from Word or Excel: control characters never reach a stored name nor a mail header, and every
formula trigger OWASP lists is neutralised in CSV and XLSX exports."""

from __future__ import annotations

import csv
import email
from email import policy

import pytest
from openpyxl import load_workbook

from clspd_desktop.domain.directory import (
    Contact,
    Formation,
    FormationKind,
    Organisation,
    OrganisationCategory,
)
from clspd_desktop.domain.text import single_line
from clspd_desktop.domain.validation import validate_contact, validate_formation, validate_organisation
from clspd_desktop.services.directory_export import export_csv, export_xlsx
from clspd_desktop.services.directory_import import read_table
from clspd_desktop.services.mail import build_message
from tests.factories import add_contact, add_organisation

TRIGGERS = ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "\ncmd", "  =HYPERLINK(\"x\")", " @x"]


@pytest.mark.parametrize(("typed", "stored"), [
    ("Groupe\r\nJeunes", "Groupe Jeunes"),
    ("  Mission\tlocale  ", "Mission locale"),
    ("Ligne\u2028suivante\x00", "Ligne suivante"),
    ("R&D <Prévention> 🙂", "R&D <Prévention> 🙂"),
    ("Deux  espaces voulus", "Deux  espaces voulus"),
])
def test_single_line(typed, stored):
    assert single_line(typed) == stored


def test_names_are_cleaned_where_they_enter():
    org = validate_organisation(Organisation(name="Mairie\r\nde Montreval", category=OrganisationCategory.PREFECTURE))
    assert org.name == "Mairie de Montreval"
    contact = validate_contact(Contact(last_name="Martin\n", first_name="Élodie\t", function="Cheffe\r\nde service"))
    assert (contact.last_name, contact.first_name, contact.function) == ("Martin", "Élodie", "Cheffe de service")
    formation = validate_formation(Formation(name="Groupe\r\nprévention", kind=FormationKind.RESTRICTED))
    assert formation.name == "Groupe prévention"


def test_a_line_break_never_reaches_a_mail_header():
    message = build_message(to="p@x.fr\r\nBcc: espion@x.fr", subject="Réunion du groupe\r\nBcc: espion@x.fr",
                            body="Bonjour", sender="clspd@montreval.fr\n")
    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == "Réunion du groupe Bcc: espion@x.fr"
    assert parsed["Bcc"] is None and "\n" not in parsed["To"]


@pytest.fixture
def hostile(configured_store):
    org = add_organisation(configured_store, "Association", category=OrganisationCategory.ASSOCIATION)
    for n, value in enumerate(TRIGGERS):  # written as an older version may have stored them (not cleaned)
        contact = add_contact(configured_store, org, last_name=f"Nom {n}")
        configured_store.db.execute("UPDATE contact SET function = ? WHERE id = ?", [value, contact.id])
    return configured_store


def test_csv_neutralises_every_trigger_and_reimports_them(hostile, tmp_path):
    path = export_csv(hostile, tmp_path / "annuaire.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    functions = [row[10] for row in rows[1:]]
    assert sorted(functions) == sorted("'" + value for value in TRIGGERS)
    assert sorted(record[10] for record in read_table(path).rows) == sorted(TRIGGERS)


def test_xlsx_keeps_the_text_and_marks_it_never_a_formula(hostile, tmp_path):
    path = export_xlsx(hostile, tmp_path / "annuaire.xlsx")
    sheet = load_workbook(path).active
    cells = [row[10] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(v.replace("\r", "\n") for v in TRIGGERS)  # XML reads CR as LF
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
