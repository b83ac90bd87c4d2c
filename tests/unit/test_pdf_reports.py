"""The partners directory and composition PDFs, read back from real files built on a real database."""

from __future__ import annotations

import errno
from datetime import date

import pdfplumber
import pytest
from pypdf import PdfReader

from clspd_desktop.domain.directory import (
    Civility,
    ContactRole,
    MembershipCategory,
    OrganisationCategory,
)
from clspd_desktop.errors import StorageError, UserError
from clspd_desktop.services.reports import build_composition_pdf, build_directory_pdf
from tests.factories import add_contact, add_organisation, add_working_group, join, make_council
from tests.pdf_text import flat, in_order

TODAY = date(2026, 11, 21)
Cat = OrganisationCategory


def pages_of(path) -> list[str]:
    """pdfplumber here: it keeps table cells on their row better than pypdf."""
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def text_of(path) -> str:
    return flat(" ".join(pages_of(path)))


def raw_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def directory(configured_store):
    """Organisations created out of protocol order, with hostile names."""
    s = configured_store
    assoc = add_organisation(s, "<SARL> R&D \"Les Amis\"", Cat.ASSOCIATION, address="3 rue <Haute>",
                             postal_code="91999", city="Montreval", phone="01 60 11 22 33", email="amis@asso.fr")
    add_contact(s, assoc, "Suppléante", "Zoé", role=ContactRole.SUBSTITUTE, function="Trésorière")
    add_contact(s, assoc, "Martin", "Élodie", function="Œuvre d'Élodie 🌳", email="e.martin@asso.fr",
                phone="06 12 34 56 78")
    police = add_organisation(s, "Commissariat de Montreval", Cat.POLICE)
    add_contact(s, police, "Durand", "Paul", civility=Civility.MR, function="Commissaire")
    prefecture = add_organisation(s, "Préfecture de l'Essonne", Cat.PREFECTURE)
    add_contact(s, prefecture, "Lacombe", "Bertrand", function="Préfet")
    add_organisation(s, "Bailleur sans référent", Cat.SOCIAL_LANDLORD)
    add_contact(s, None, "Isolé", "Jean", function="Bénévole")
    return s


def test_directory_groups_organisations_in_protocol_order_with_their_referents(directory, tmp_path):
    pdf = build_directory_pdf(directory, tmp_path / "annuaire.pdf", today=TODAY)
    text = text_of(pdf)
    assert in_order(text, "Préfecture (représentant de l'État)", "Préfecture de l'Essonne", "Bertrand Lacombe",
                    "Police et gendarmerie nationales", "Commissariat de Montreval", "Paul Durand",
                    "Bailleurs sociaux", "Bailleur sans référent", "Aucun référent enregistré",
                    "Associations", "<SARL> R&D \"Les Amis\"", "Élodie Martin", "Zoé Suppléante",
                    "Référents sans organisation", "Jean Isolé")
    assert "3 rue <Haute>, 91999 Montreval · Tél. 01 60 11 22 33 · amis@asso.fr" in text
    assert "e.martin@asso.fr" in text and "Trésorière" in text and "Suppléant" in text
    assert "4 organisations, 5 référents" in text
    assert "Œuvre d'Élodie 🌳" in raw_text(pdf)
    assert "06\u00a012\u00a034\u00a056\u00a078" in raw_text(pdf) or "06 12 34 56 78" in text


def test_directory_pages_carry_letterhead_numbers_and_date(directory, tmp_path):
    pages = pages_of(build_directory_pdf(directory, tmp_path / "annuaire.pdf", today=TODAY))
    for number, page in enumerate(pages, 1):
        assert "Ville de Montreval" in page
        assert f"Page {number} sur {len(pages)}" in page
        assert "Édité le samedi 21 novembre 2026" in page
    meta = PdfReader(tmp_path / "annuaire.pdf").metadata
    assert meta.title == "Annuaire des partenaires" and meta.author == "Ville de Montreval"


def test_empty_directory_says_so(configured_store, tmp_path):
    text = text_of(build_directory_pdf(configured_store, tmp_path / "vide.pdf", today=TODAY))
    assert "L'annuaire est vide" in text and "aucune organisation, aucun référent" in text


def test_reports_need_a_described_council(store, tmp_path):
    with pytest.raises(UserError, match="Décrivez d'abord le conseil"):
        build_directory_pdf(store, tmp_path / "a.pdf")
    with pytest.raises(UserError, match="Décrivez d'abord le conseil"):
        build_composition_pdf(store, tmp_path / "c.pdf")
    assert list(tmp_path.glob("*.pdf")) == []


@pytest.fixture
def plenary(configured_store):
    """Members added in anti-protocol order."""
    s = configured_store
    orgs = {
        "pq": None,
        "asso": add_organisation(s, "Association Horizons", Cat.ASSOCIATION),
        "police": add_organisation(s, "Commissariat de Montreval", Cat.POLICE),
        "ville": add_organisation(s, "Ville de Montreval", Cat.ELECTED),
        "parquet": add_organisation(s, "Parquet d'Évry", Cat.JUSTICE),
        "pref": add_organisation(s, "Préfecture de l'Essonne", Cat.PREFECTURE),
    }
    join(s, add_contact(s, orgs["pq"], "Girard", "Marie", function="Pédopsychiatre"),
         MembershipCategory.PERSONNALITE_QUALIFIEE)
    join(s, add_contact(s, orgs["asso"], "Fontaine", "Léa"), MembershipCategory.ASSOCIE)
    join(s, add_contact(s, orgs["police"], "Adjoint", "Luc", role=ContactRole.SUBSTITUTE))
    join(s, add_contact(s, orgs["police"], "Durand", "Paul", function="Commissaire"))
    join(s, add_contact(s, orgs["ville"], "Dubreuil", "Claire", function="Maire"), MembershipCategory.DE_DROIT)
    join(s, add_contact(s, orgs["parquet"], "Garnier", "Olivier", function="Procureur"), MembershipCategory.DE_DROIT)
    join(s, add_contact(s, orgs["pref"], "Lacombe", "Bertrand", function="Préfet"), MembershipCategory.DE_DROIT)
    join(s, add_contact(s, orgs["asso"], "Ancien", "Membre"), end_date=date(2025, 12, 31))
    return s


def test_composition_follows_the_order_of_precedence(plenary, tmp_path):
    pdf = build_composition_pdf(plenary, tmp_path / "composition.pdf", today=TODAY)
    text = text_of(pdf)
    assert in_order(text, "Composition de la formation plénière", "Situation au samedi 21 novembre 2026",
                    "Membres de droit", "Bertrand Lacombe", "Olivier Garnier", "Claire Dubreuil",
                    "Membres désignés et associés", "Paul Durand", "Luc Adjoint", "Léa Fontaine",
                    "Personnalités qualifiées", "Marie Girard", "Fait à Montreval, le samedi 21 novembre 2026",
                    "Maire de Montreval", "Claire Dubreuil")
    assert "Membre Ancien" not in text  # membership ended before today
    assert "7 membres, dont 6 titulaires" in text
    assert "Aucun arrêté de composition" in text
    for rank in range(1, 8):
        assert f" {rank} " in text


def test_composition_prints_the_arrete(configured_store, tmp_path):
    configured_store.council.save(make_council(composition_order_number="2024-117",
                                               composition_order_date="2024-06-03"))
    text = text_of(build_composition_pdf(configured_store, tmp_path / "c.pdf", today=TODAY))
    assert "Arrêté de composition n° 2024-117 du lundi 3 juin 2024" in text
    assert "Aucun membre n'est enregistré" in text


def test_composition_of_a_confidential_working_group(plenary, tmp_path):
    group = add_working_group(plenary, "Cellule <nominative> & suivi")
    member = add_contact(plenary, None, "Roux", "Agnès")
    join(plenary, member, formation=group)
    text = text_of(build_composition_pdf(plenary, tmp_path / "g.pdf", formation_id=group.id, today=TODAY))
    assert "Composition du groupe de travail « Cellule <nominative> & suivi »" in text
    assert "Groupe confidentiel" in text and "Agnès Roux" in text
    assert "Bertrand Lacombe" not in text and "Arrêté de composition" not in text


def test_composition_of_a_deleted_formation_is_a_clear_error(configured_store, tmp_path):
    with pytest.raises(UserError, match="n'existe plus"):
        build_composition_pdf(configured_store, tmp_path / "c.pdf", formation_id=9999)


def test_a_120_member_list_repeats_its_header_on_every_page(configured_store, tmp_path):
    org = add_organisation(configured_store, "Association R&D", Cat.ASSOCIATION)
    with configured_store.transaction():
        for i in range(120):
            join(configured_store, add_contact(configured_store, org, f"Membre{i:03d}", "Élodie"))
    pages = pages_of(build_composition_pdf(configured_store, tmp_path / "c.pdf", today=TODAY))
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert "N° Membre Organisation Catégorie Qualité" in page
        assert f"Page {number} sur {len(pages)}" in page
    assert all(f"Membre{i:03d}" in " ".join(pages) for i in range(120))


def test_disk_full_keeps_the_previous_directory_pdf(directory, tmp_path, monkeypatch):
    target = build_directory_pdf(directory, tmp_path / "sortie" / "annuaire.pdf", today=TODAY)
    before = target.read_bytes()
    add_organisation(directory, "Nouvelle organisation", Cat.OTHER)

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("clspd_desktop.safe_files.os.fsync", no_space)
    with pytest.raises(StorageError, match="disque est plein"):
        build_directory_pdf(directory, target, today=TODAY)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["annuaire.pdf"]
