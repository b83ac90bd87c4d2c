"""Every document of the demo council, read back: letters addressed as a protocol office expects (préfet,
procureur, maire, a woman substitute), and no « (s) » or « (e) » anywhere a reader sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clspd_desktop.domain.legal_rules import load_rules
from clspd_desktop.domain.meetings import InvitationRole
from clspd_desktop.paths import resources_dir
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.services.reports.annual_bilan_pdf import build_annual_bilan_pdf
from clspd_desktop.services.reports.composition_order_pdf import build_composition_order_pdf
from clspd_desktop.services.reports.composition_pdf import build_composition_pdf
from clspd_desktop.services.reports.convocations_pdf import (
    build_merged_convocations,
    load_papers,
    render_letter,
)
from clspd_desktop.services.reports.directory_pdf import build_directory_pdf
from clspd_desktop.services.reports.minutes_pdf import build_minutes_pdf, load_minutes
from clspd_desktop.services.reports.signin_sheet_pdf import build_signin_sheet
from tests.pdf_text import text_of

TODAY = date(2026, 12, 4)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.paths import AppPaths

    paths = AppPaths(tmp_path_factory.mktemp("demo") / "donnees").ensure()
    store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
    populate_demo(store, TODAY)
    yield store
    store.close()


def _next_plenary(store):
    upcoming = store.meetings.meetings_between(TODAY + timedelta(days=1), TODAY + timedelta(days=120))
    return next(m for m in upcoming if store.formations.get(m.formation_id).kind.value == "plenary")


def _letter(store, tmp_path, wanted) -> str:
    papers = load_papers(store, _next_plenary(store).id)
    invitation = next(i for i in papers.in_precedence() if wanted(i))
    path = tmp_path / "lettre.pdf"
    path.write_bytes(render_letter(papers, invitation, TODAY, load_rules(resources_dir() / "rules" /
                                                                          "obligations.json")))
    return text_of(path)


def test_letter_to_the_prefet(demo, tmp_path):
    text = _letter(demo, tmp_path, lambda i: i.function.startswith("Préfet"))
    assert "Monsieur le Préfet," in text and "Madame, Monsieur" not in text
    assert "je vous prie d'agréer, Monsieur le Préfet, l'expression de ma haute considération." in text
    assert "sera présent " in text and "sera représenté par" in text and "sera excusé" in text


def test_letter_to_the_procureur(demo, tmp_path):
    text = _letter(demo, tmp_path, lambda i: i.function.startswith("Procureur"))
    assert "Monsieur le Procureur de la République," in text
    assert "Monsieur le Procureur de la République, l'expression de ma haute considération." in text


def test_letter_to_the_maire_and_the_signature(demo, tmp_path):
    text = _letter(demo, tmp_path, lambda i: i.function.startswith("Maire"))
    assert "Madame la Maire," in text and "Madame la Maire, l'expression de ma considération distinguée." in text
    assert "sera présente" in text and "sera représentée par" in text and "sera excusée" in text
    assert "La Maire de Montreval, Présidente du CLSPD Claire Dubreuil" in text
    assert "Claire Dubreuil, Maire" not in text
    assert text.count("Claire Dubreuil") == 4  # address, agenda's presenter, signature, reply slip: once each


def test_letter_to_a_woman_substitute(demo, tmp_path):
    text = _letter(demo, tmp_path, lambda i: i.role is InvitationRole.INFORMED and "Le Bihan" in i.name)
    assert "En qualité de suppléante, vous êtes informée de la réunion" in text
    assert "Madame la Directrice de cabinet," in text  # the appellation stored in the demo, not the proposal
    assert "Coupon-réponse" not in text


def test_no_document_writes_s_or_e_in_brackets(demo, tmp_path):
    rules = load_rules(resources_dir() / "rules" / "obligations.json")
    plenary = _next_plenary(demo)
    papers = load_papers(demo, plenary.id)
    written = [build_merged_convocations(papers, tmp_path / "convocations.pdf", TODAY, rules),
               build_signin_sheet(papers, tmp_path / "emargement.pdf", TODAY),
               build_annual_bilan_pdf(demo, tmp_path / "bilan.pdf", TODAY.year - 1, today=TODAY),
               build_composition_order_pdf(demo, tmp_path / "arrete.pdf", today=TODAY),
               build_composition_pdf(demo, tmp_path / "composition.pdf", today=TODAY),
               build_directory_pdf(demo, tmp_path / "annuaire.pdf", today=TODAY)]
    past = demo.meetings.meetings_between(TODAY - timedelta(days=400), TODAY)
    for meeting in past:
        minutes_papers, content = load_minutes(demo, meeting.id)
        if content.minutes is not None:
            written.append(build_minutes_pdf(minutes_papers, content, tmp_path / f"cr-{meeting.id}.pdf", TODAY))
    assert len(written) > 8
    for path in written:
        text = text_of(path)
        for mark in ("(s)", "(e)", "(es)", "à vérifier"):
            assert mark not in text, (path.name, mark)
