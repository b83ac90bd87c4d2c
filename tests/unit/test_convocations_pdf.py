"""Convocations: one letter per invitee in precedence order, hostile names verbatim, confidential notice only
for confidential groups, substitutes informed, merged PDF for 200 invitees."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from clspd_desktop.domain.directory import Formation, FormationKind, MembershipCategory, OrganisationCategory
from clspd_desktop.domain.meetings import AgendaItem, Invitation, InvitationRole, Meeting, MeetingDocument
from clspd_desktop.domain.text import search_key
from clspd_desktop.errors import UserError
from clspd_desktop.services.reports.convocations_pdf import (
    MeetingPapers,
    build_convocation_files,
    build_merged_convocations,
    legal_basis,
    render_letter,
)
from tests.factories import make_council

TODAY = date(2026, 11, 20)
PLENARY = Formation(kind=FormationKind.PLENARY, name="Formation plénière", id=1)
CELLULE = Formation(kind=FormationKind.WORKING_GROUP, name="Cellule <veille> & suivi", confidential=True, id=3)
OPEN_GROUP = Formation(kind=FormationKind.WORKING_GROUP, name="Tranquillité des transports", id=4)


def invitee(name: str, org: str, category: OrganisationCategory, membership=MembershipCategory.DESIGNE,
            role=InvitationRole.INVITED, **kw) -> Invitation:
    return Invitation(meeting_id=1, name=name, organisation_name=org, organisation_category=category,
                      membership_category=membership, function=kw.pop("function", "Référent"), role=role,
                      email=kw.pop("email", f"{search_key(name.split()[-1])}@exemple.fr"), **kw)


def make_invitations() -> list[Invitation]:
    """Deliberately out of order: the documents must sort them."""
    return [
        invitee("Mme Zoé <SARL> & Fils", "Association R&D <Prévention>", OrganisationCategory.ASSOCIATION, id=11),
        invitee("M. Paul Bernard", "Police municipale", OrganisationCategory.MUNICIPAL_POLICE, id=12),
        invitee("Mme Anne Préfète", "Préfecture de l'Essonne", OrganisationCategory.PREFECTURE,
                MembershipCategory.DE_DROIT, id=13, function="Sous-préfète"),
        invitee("M. Luc Suppléant", "Police municipale", OrganisationCategory.MUNICIPAL_POLICE,
                role=InvitationRole.INFORMED, id=14),
        invitee("M. Jean Procureur", "Parquet d'Évry", OrganisationCategory.JUSTICE, MembershipCategory.DE_DROIT,
                id=15),
    ]


EXPECTED_ORDER = ["Anne Préfète", "Jean Procureur", "Paul Bernard", "Luc Suppléant", "Zoé <SARL> & Fils"]


def make_papers(formation: Formation = PLENARY, invitations: list[Invitation] | None = None,
                **meeting_kw) -> MeetingPapers:
    meeting = Meeting(
        formation_id=formation.id, starts_at=datetime(2026, 12, 8, 14, 0), ends_at=datetime(2026, 12, 8, 16, 0),
        uid="reunion-1@clspd-desktop", place="Salle du conseil, <mairie> & annexe", id=1,
        reply_deadline=date(2026, 12, 1),
        agenda=[AgendaItem(title="État de la délinquance <2026>", presenter="M. le Préfet", position=1),
                AgendaItem(title="Bilan des actions R&D", presenter="", position=2)],
        **meeting_kw)
    docs = [MeetingDocument(original_name="Bilan 2026 <provisoire>.pdf", stored_name="x", sha256="0", size=1)]
    return MeetingPapers(make_council(), meeting, formation,
                         make_invitations() if invitations is None else invitations, docs)


def page_texts(path: Path) -> list[str]:
    """Each page's text with line breaks and runs of spaces made single spaces (wrapping is layout)."""
    with pdfplumber.open(path) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def first_positions(text: str, names: list[str]) -> list[int]:
    return [text.index(name) for name in names]


def test_merged_pdf_has_one_letter_per_invitee_in_precedence_order(tmp_path):
    path = build_merged_convocations(make_papers(), tmp_path / "conv.pdf", TODAY)
    text = "\n".join(page_texts(path))
    positions = first_positions(text, EXPECTED_ORDER)
    assert positions == sorted(positions)
    assert text.count("Objet : Convocation") == 4
    assert text.count("Objet : Information") == 1
    assert text.count("Coupon-réponse") == 4  # substitutes are informed, not asked to reply


def test_letter_carries_what_a_convocation_must_carry(tmp_path):
    papers = make_papers()
    path = tmp_path / "one.pdf"
    path.write_bytes(render_letter(papers, papers.invitations[2], TODAY))
    text = "\n".join(page_texts(path))
    for expected in ("Mme Anne Préfète", "Sous-préfète", "Préfecture de l'Essonne", "Formation plénière",
                     "mardi 8 décembre 2026 à 14 h 00", "Salle du conseil, <mairie> & annexe",
                     "1. État de la délinquance <2026>", "2. Bilan des actions R&D",
                     "Bilan 2026 <provisoire>.pdf", "D132-9", "mardi 1er décembre 2026", "sera présente",
                     "sera représentée par", "sera excusée", "Maire de Montreval, Président du CLSPD",
                     "Madame la Sous-Préfète,", "Madame la Sous-Préfète, l'expression de ma haute considération",
                     "Julien Perrot", "j.perrot@montreval.fr", "Ville de Montreval"):
        assert expected in text, expected
    assert "vérifier" not in text  # review remarks of the rules file stay out of letters
    assert "Confidentialité" not in text
    assert PdfReader(path).metadata.title.startswith("Convocation — Formation plénière")


def test_confidential_group_letters_carry_the_notice_and_other_groups_do_not(tmp_path):
    secret = build_merged_convocations(make_papers(CELLULE), tmp_path / "secret.pdf", TODAY)
    texts = page_texts(secret)
    joined = "\n".join(texts)
    assert joined.count("Aucun document") == 4 + 1
    assert "Groupe de travail « Cellule <veille> & suivi »" in joined
    assert "L132-5" in joined and "charte déontologique" in joined
    public = build_merged_convocations(make_papers(OPEN_GROUP), tmp_path / "public.pdf", TODAY)
    joined = "\n".join(page_texts(public))
    assert "Aucun document" not in joined and "Confidentialité" not in joined
    assert "L132-5" in joined and "charte" not in joined


def test_signatory_from_meeting_wins(tmp_path):
    papers = make_papers(signatory="Pour le Maire, l'adjointe déléguée (arrêté n° 2026-12)")
    path = tmp_path / "s.pdf"
    path.write_bytes(render_letter(papers, papers.invitations[0], TODAY))
    text = "\n".join(page_texts(path))
    assert "Pour le Maire, l'adjointe déléguée (arrêté n° 2026-12)" in text
    assert "Président du CLSPD" not in text


def test_de_droit_and_video_link_are_printed(tmp_path):
    from clspd_desktop.domain.meetings import DeDroitRequester

    papers = make_papers(de_droit=True, de_droit_requester=DeDroitRequester.PREFET,
                         de_droit_requested_on=date(2026, 11, 2), video_link="https://visio.example/abc?x=1&y=2")
    path = tmp_path / "d.pdf"
    path.write_bytes(render_letter(papers, papers.invitations[0], TODAY))
    text = "\n".join(page_texts(path))
    assert "Réunion de droit, à la demande du préfet (demande du lundi 2 novembre 2026)" in text
    assert "https://visio.example/abc?x=1&y=2" in text


def test_legal_basis_comes_from_the_rules_file():
    from clspd_desktop.domain.legal_rules import load_rules
    from clspd_desktop.paths import resources_dir

    rules = load_rules(resources_dir() / "rules" / "obligations.json")
    assert legal_basis(PLENARY, rules) == "Code de la sécurité intérieure, art. D132-9"
    assert legal_basis(CELLULE, rules).startswith("Code de la sécurité intérieure, art. L132-5 ; charte")
    assert legal_basis(OPEN_GROUP, rules) == "Code de la sécurité intérieure, art. L132-5"
    assert legal_basis(PLENARY, None) == "Code de la sécurité intérieure, art. D132-9"


def test_separate_files_per_invitee(tmp_path):
    written = build_convocation_files(make_papers(), tmp_path / "out", TODAY)
    assert [p.name for p in written][:2] == ["convocations-toutes.pdf", "001-Mme Anne Préfète.pdf"]
    assert written[-1].name == "005-Mme Zoé _SARL_ & Fils.pdf"
    assert "Zoé <SARL> & Fils" in "\n".join(page_texts(written[-1]))


def test_no_invitee_is_a_clear_error_and_writes_nothing(tmp_path):
    with pytest.raises(UserError, match="Aucun invité"):
        build_merged_convocations(make_papers(invitations=[]), tmp_path / "none.pdf", TODAY)
    assert not (tmp_path / "none.pdf").exists()


def two_hundred() -> list[Invitation]:
    categories = list(OrganisationCategory)
    return [invitee(f"M. Invité{n:03d} Nom{n:03d}", f"Organisme {n % 40:02d}", categories[n % len(categories)],
                    id=100 + n) for n in range(200)]


def test_two_hundred_letters_in_one_file(tmp_path):
    began = time.perf_counter()
    path = build_merged_convocations(make_papers(invitations=two_hundred()), tmp_path / "200.pdf", TODAY)
    print(f"convocations 200 : {time.perf_counter() - began:.2f} s")
    reader = PdfReader(path)
    assert len(reader.pages) == 200
    for number in (0, 117, 199):  # the shared body is drawn once and reused: still on every page
        text = " ".join(reader.pages[number].extract_text().split())
        assert f"Nom{number:03d}" not in text or "Objet : Convocation" in text
        assert "Objet : Convocation" in text and "Ordre du jour" in text and "Coupon-réponse" in text


def test_very_long_agenda_flows_over_pages_in_the_merged_file(tmp_path):
    agenda = [AgendaItem(title=f"Point <{n}> " + "très long " * 30, position=n) for n in range(1, 40)]
    papers = make_papers()
    papers.meeting.agenda = agenda
    path = build_merged_convocations(papers, tmp_path / "long.pdf", TODAY)
    text = " ".join(page_texts(path))
    assert text.count("Point <39>") == 5 and text.count("Coupon-réponse") == 4
    assert len(PdfReader(path).pages) > 5
