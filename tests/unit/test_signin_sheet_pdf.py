"""Sign-in sheet: precedence order, hostile names verbatim, header on every page of a 120-row sheet,
blank lines for walk-ins, confidential mention only for confidential groups, 200 invitees."""

from __future__ import annotations

import time

import pdfplumber
import pytest
from pypdf import PdfReader

from clspd_desktop.errors import UserError
from clspd_desktop.services.reports.signin_sheet_pdf import build_signin_sheet
from tests.unit.test_convocations_pdf import (
    CELLULE,
    EXPECTED_ORDER,
    TODAY,
    invitee,
    make_papers,
    page_texts,
    two_hundred,
)

HEADER_WORDS = ("N°", "Nom", "Organisation", "Fonction", "Qualité", "Représenté par", "Signature")


def test_invitees_in_precedence_order_with_hostile_names_verbatim(tmp_path):
    path = build_signin_sheet(make_papers(), tmp_path / "sheet.pdf", TODAY, blank_lines=3)
    text = " ".join(page_texts(path))
    positions = [text.index(name) for name in EXPECTED_ORDER]
    assert positions == sorted(positions)
    assert "Association R&D <Prévention>" in text
    assert "Feuille d'émargement — Formation plénière" in text
    assert "mardi 8 décembre 2026 à 14 h 00" in text
    assert "Suppléant" in text and "Titulaire" in text
    assert "Groupe confidentiel" not in text
    with pdfplumber.open(path) as pdf:
        table = pdf.pages[0].extract_table()
    numbers = [row[0] for row in table[1:]]
    assert numbers == [str(n) for n in range(1, 9)]  # 5 invitees + 3 blank lines
    assert all(not cell for cell in table[-1][1:])
    assert pdf.pages[0].width > pdf.pages[0].height  # landscape


def test_header_repeated_on_every_page_of_a_120_row_sheet(tmp_path):
    categories = two_hundred()[:120]
    path = build_signin_sheet(make_papers(invitations=categories), tmp_path / "120.pdf", TODAY, blank_lines=0)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 5
        for page in pdf.pages:
            header = page.extract_table()[0]
            assert [" ".join((c or "").split()) for c in header] == list(HEADER_WORDS)
    text = " ".join(page_texts(path))
    assert all(f"Nom{n:03d}" in text for n in range(120))


def test_confidential_group_sheet_says_so(tmp_path):
    path = build_signin_sheet(make_papers(CELLULE), tmp_path / "c.pdf", TODAY)
    text = " ".join(page_texts(path))
    assert "Groupe confidentiel" in text and "Groupe de travail « Cellule <veille> & suivi »" in text


def test_walk_ins_recorded_before_printing_are_listed_after_invitees(tmp_path):
    from clspd_desktop.domain.directory import OrganisationCategory

    walk_in = invitee("Mme Ada Surprise", "Préfecture", OrganisationCategory.PREFECTURE, walk_in=True, id=99)
    papers = make_papers()
    papers.invitations.append(walk_in)
    text = " ".join(page_texts(build_signin_sheet(papers, tmp_path / "w.pdf", TODAY)))
    assert "Non convoqué" in text and text.index("Ada Surprise") > text.index("Zoé <SARL>")


def test_empty_sheet_and_bad_blank_count_are_refused(tmp_path):
    with pytest.raises(UserError, match="vide"):
        build_signin_sheet(make_papers(invitations=[]), tmp_path / "e.pdf", TODAY, blank_lines=0)
    with pytest.raises(UserError, match="lignes vierges"):
        build_signin_sheet(make_papers(), tmp_path / "e.pdf", TODAY, blank_lines=-1)
    assert not (tmp_path / "e.pdf").exists()


def test_two_hundred_invitees(tmp_path):
    began = time.perf_counter()
    path = build_signin_sheet(make_papers(invitations=two_hundred()), tmp_path / "200.pdf", TODAY)
    print(f"feuille d'émargement 200 : {time.perf_counter() - began:.2f} s")
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert all(f"Nom{n:03d}" in text for n in range(200))


@pytest.mark.parametrize("count", [1, 3, 5])
def test_short_sheet_stays_on_one_page_with_blank_lines_for_walk_ins(tmp_path, count):
    from clspd_desktop.services.reports.signin_sheet_pdf import MIN_FITTED_BLANK_LINES
    from tests.unit.test_convocations_pdf import make_invitations

    path = build_signin_sheet(make_papers(invitations=make_invitations()[:count]), tmp_path / "s.pdf", TODAY)
    assert len(PdfReader(path).pages) == 1  # 3 invitees and 8 blank lines used to spill onto a 2nd page
    with pdfplumber.open(path) as pdf:
        table = pdf.pages[0].extract_table()
    blank = [row for row in table[1:] if not any(row[1:6])]
    assert MIN_FITTED_BLANK_LINES <= len(blank) <= 8
    assert f"{count} invité" in page_texts(path)[0]


def test_a_long_sheet_keeps_the_default_blank_lines(tmp_path):
    path = build_signin_sheet(make_papers(invitations=two_hundred()[:30]), tmp_path / "l.pdf", TODAY)
    with pdfplumber.open(path) as pdf:
        last_numbers = [row[0] for page in pdf.pages for row in page.extract_table()[1:]]
    assert last_numbers[-1] == "38"  # 30 invitees + the 8 default blank lines
