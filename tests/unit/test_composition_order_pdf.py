"""The draft arrêté de composition, read back with pypdf from real files built on a real database."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from clspd_desktop.domain.council import Commune, CouncilKind
from clspd_desktop.domain.directory import (
    Civility,
    ContactRole,
    FormationKind,
    MembershipCategory,
    OrganisationCategory,
    WorkingGroupType,
)
from clspd_desktop.errors import UserError
from clspd_desktop.services.reports.composition_order_pdf import build_composition_order_pdf
from tests.factories import add_contact, add_organisation, add_working_group, join, make_council
from tests.pdf_text import in_order, pages_of, text_of

TODAY = date(2026, 11, 21)
Cat = OrganisationCategory


@pytest.fixture
def council_store(configured_store):
    """Members added in anti-protocol order, hostile names included."""
    s = configured_store
    asso = add_organisation(s, "<SARL> R&D \"Les Amis\"", Cat.ASSOCIATION)
    police = add_organisation(s, "Commissariat de Montreval", Cat.POLICE)
    ville = add_organisation(s, "Ville de Montreval", Cat.ELECTED)
    parquet = add_organisation(s, "Parquet d'Évry", Cat.JUSTICE)
    pref = add_organisation(s, "Préfecture de l'Essonne", Cat.PREFECTURE)
    join(s, add_contact(s, None, "Girard", "Marie", function="Pédopsychiatre"),
         MembershipCategory.PERSONNALITE_QUALIFIEE)
    join(s, add_contact(s, asso, "O'Brien <b>", "Zoé & \"Léa\" 🌳", function="Présidente"), MembershipCategory.ASSOCIE)
    join(s, add_contact(s, police, "Adjoint", "Luc", civility=Civility.MR, role=ContactRole.SUBSTITUTE))
    join(s, add_contact(s, police, "Durand", "Paul", civility=Civility.MR, function="Commissaire"))
    join(s, add_contact(s, ville, "Dubreuil", "Claire", function="Maire"), MembershipCategory.DE_DROIT)
    join(s, add_contact(s, parquet, "Garnier", "Olivier", civility=Civility.MR, function="Procureur"),
         MembershipCategory.DE_DROIT)
    join(s, add_contact(s, pref, "Lacombe", "Bertrand", civility=Civility.MR, function="Préfet"),
         MembershipCategory.DE_DROIT)
    join(s, add_contact(s, asso, "Ancien", "Membre"), end_date=date(2025, 12, 31))
    return s


def test_members_follow_the_order_of_precedence_in_article_1(council_store, tmp_path):
    text = text_of(build_composition_order_pdf(council_store, tmp_path / "arrete.pdf", today=TODAY))
    assert in_order(text, "La Maire de Montreval,", "Vu le code général des collectivités territoriales",
                    "ARRÊTE", "Article 1",
                    "1° Membres de droit", "M. Bertrand Lacombe, Préfet, Préfecture de l'Essonne",
                    "M. Olivier Garnier, Procureur, Parquet d'Évry", "Mme Claire Dubreuil, Maire, Ville de Montreval",
                    "2° Membres désignés et associés", "M. Paul Durand, Commissaire, Commissariat de Montreval",
                    "M. Luc Adjoint, Commissariat de Montreval (suppléant)",
                    "Présidente, <SARL> R&D \"Les Amis\"",
                    "3° Personnalités qualifiées", "Mme Marie Girard, Pédopsychiatre",
                    "Article 2", "Article 3", "Article 4", "Article 5",
                    "Fait à Montreval, le", "La Maire de Montreval, Présidente du CLSPD", "Claire Dubreuil")
    assert "Membre Ancien" not in text  # membership ended before the arrêté's date


def test_the_draft_is_marked_projet_on_every_page_with_letterhead_and_numbers(council_store, tmp_path):
    pages = pages_of(build_composition_order_pdf(council_store, tmp_path / "arrete.pdf", today=TODAY))
    for number, page in enumerate(pages, 1):
        assert "PROJET" in page
        assert "Ville de Montreval" in page
        assert f"Page {number} sur {len(pages)}" in page
        assert "Édité le samedi 21 novembre 2026" in page
    first = " ".join(pages[0].split())
    assert "faire relire par le service juridique" in first and "CLSPD Desktop" not in first
    assert ("Arrêté portant composition du conseil local de sécurité et de prévention de la délinquance"
            in first)
    meta = PdfReader(tmp_path / "arrete.pdf").metadata
    assert meta.title.startswith("PROJET") and meta.author == "Ville de Montreval"


def test_hostile_names_print_faithfully(council_store, tmp_path):
    raw = "\n".join(pages_of(build_composition_order_pdf(council_store, tmp_path / "a.pdf", today=TODAY)))
    flat = " ".join(raw.split())
    assert "Mme Zoé & \"Léa\" 🌳 O'Brien <b>, Présidente, <SARL> R&D \"Les Amis\"" in flat


def test_references_without_doubts_shown_and_blanks_are_left_to_fill(council_store, tmp_path):
    text = text_of(build_composition_order_pdf(council_store, tmp_path / "a.pdf", today=TODAY))
    assert "Vu le code de la sécurité intérieure, notamment ses articles L. 132-4 et L. 132-5" in text
    assert "D. 132-7 et suivants ;" in text and "vérifier" not in text
    assert "loi n° 2024-247 du 21 mars 2024 renforçant la sécurité et la protection des maires et des élus " \
           "locaux, notamment son article 16" in text
    assert "Vu la loi n° 2021-646 du 25 mai 2021 pour une sécurité globale préservant les libertés" in text
    assert "Arrêté n° ____" in text  # no number recorded: left blank for the town hall
    assert "Fait à Montreval, le ____" in text
    assert "compte 28 400 habitants et comprend un quartier prioritaire de la politique de la ville " \
           "(Les Tilleuls)" in text.replace("\u202f", " ")
    assert "transmis au préfet" in text and "abroge et remplace" in text


def test_the_recorded_number_and_the_coordinator_are_printed(council_store, tmp_path):
    council_store.council.save(make_council(composition_order_number="2026-042", rules_adopted_on="2025-01-15",
                                            composition_order_date="2026-02-01"))
    text = text_of(build_composition_order_pdf(council_store, tmp_path / "a.pdf", today=TODAY))
    # the new arrêté's number is the legal service's; the current one is cited in the visas and replaced
    assert "Arrêté n° ____" in text and "Arrêté n° 2026-042" not in text
    assert "Vu l'arrêté n° 2026-042 du 1er février 2026 portant composition du conseil ;" in text
    assert "abroge et remplace l'arrêté n° 2026-042 du 1er février 2026 portant composition du conseil." in text
    assert "Vu le règlement intérieur du conseil adopté le mercredi 15 janvier 2025" in text
    assert "présidé par la Maire, Claire Dubreuil, ou par son représentant" in text
    assert "sont assurés par Julien Perrot, Coordonnateur CLSPD" in text


def test_restricted_formation_and_groups_confidential_members_left_out(council_store, tmp_path):
    s = council_store
    restricted = s.formations.by_kind(FormationKind.RESTRICTED)
    join(s, add_contact(s, None, "Restreint", "Anne"), formation=restricted)
    secret = add_working_group(s, "Cellule <nominative> & suivi")
    join(s, add_contact(s, None, "Secret", "Agnès"), formation=secret)
    open_group = add_working_group(s, "Tranquillité publique", confidential=False, wg_type=WorkingGroupType.TERRITORIAL)
    join(s, add_contact(s, None, "Ouvert", "Hugo", civility=Civility.MR), formation=open_group)
    text = text_of(build_composition_order_pdf(s, tmp_path / "a.pdf", today=TODAY))
    assert in_order(text, "Article 3", "formation restreinte, composée de", "Mme Anne Restreint",
                    "Les groupes de travail suivants sont constitués",
                    "Cellule <nominative> & suivi (situations individuelles) : groupe confidentiel",
                    "sa composition nominative ne figure pas", "Tranquillité publique (territorial) :", "M. Hugo Ouvert",
                    "Article 4")
    assert "Agnès" not in text and "Secret" not in text
    assert "Vu la charte déontologique du conseil (Charte déontologique type CIPD 2014)" in text


def test_without_restricted_members_or_groups_the_draft_says_what_to_complete(council_store, tmp_path):
    text = text_of(build_composition_order_pdf(council_store, tmp_path / "a.pdf", today=TODAY))
    assert "Composition de la formation restreinte à compléter" in text
    assert "Aucun groupe de travail n'est constitué" in text
    assert "charte déontologique du conseil" not in text  # no confidential group: no charter visa


def test_an_intercommunal_council_is_chaired_by_the_epci_president(store, tmp_path):
    store.council.save(make_council(
        kind=CouncilKind.CISPD, name="Communauté de communes du Val d'Yvette", city="Bures", chair_name="Jean Roy",
        chair_title="Président de la communauté de communes",
        communes=[Commune("Bures", 9_000), Commune("Orsay", 16_000, has_qpv=True), Commune("Gif", 21_000)]))
    join(store, add_contact(store, None, "Lacombe", "Bertrand"), MembershipCategory.DE_DROIT)
    text = text_of(build_composition_order_pdf(store, tmp_path / "a.pdf", today=TODAY))
    assert "portant composition du conseil intercommunal de sécurité et de prévention de la délinquance" in text
    assert "Le Président de l'établissement public de coopération intercommunale « Communauté de communes " \
           "du Val d'Yvette »," in text
    assert "L. 132-4, L. 132-5 et L. 132-13" in text
    assert "communes de Bures, Orsay et Gif, soit 46 000 habitants" in text.replace("\u202f", " ")
    assert "présidé par le Président de l'établissement public de coopération intercommunale, Jean Roy," in text
    assert "Le Président de la communauté de communes, Président du CISPD" in text and "Maire" not in text


def test_a_plenary_without_members_is_a_clear_french_error(configured_store, tmp_path):
    with pytest.raises(UserError, match="formation plénière n'a aucun membre"):
        build_composition_order_pdf(configured_store, tmp_path / "a.pdf", today=TODAY)
    assert not (tmp_path / "a.pdf").exists()


def test_a_missing_council_is_refused(store, tmp_path):
    with pytest.raises(UserError, match="Décrivez d'abord le conseil"):
        build_composition_order_pdf(store, tmp_path / "a.pdf")
    assert list(tmp_path.glob("*.pdf")) == []
