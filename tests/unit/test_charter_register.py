"""The charter register: every signature with its history, unsigned members of confidential groups first."""

from __future__ import annotations

from datetime import date

from clspd_desktop.domain.directory import CharterEndReason, CharterSignature
from clspd_desktop.services.reports.charter_register_pdf import build_charter_register_pdf
from tests.factories import add_contact, add_organisation, add_working_group, join
from tests.pdf_text import text_of as pdf_text

TODAY = date(2026, 12, 4)


def _sign(store, contact, signed_on, **kw):
    return store.formations.save_signature(CharterSignature(
        contact_id=contact.id, charter_version="Charte CIPD 2014", signed_on=signed_on, **kw))


def test_register_lists_history_and_puts_unsigned_members_first(configured_store, tmp_path):
    store = configured_store
    org = add_organisation(store, "Bailleur <Habitat> & Cie")
    signed = add_contact(store, org, "Durand", "Paul")
    left = add_contact(store, org, "Bernard", "Zoé")
    missing = add_contact(store, org, "Arnaud", "Léa")
    group = add_working_group(store, "Cellule de veille")
    join(store, missing, formation=group)
    _sign(store, signed, date(2025, 1, 10))
    _sign(store, left, date(2024, 3, 1), ended_on=date(2026, 6, 30), end_reason=CharterEndReason.WITHDRAWN)

    lines = store.charter_register.lines()
    assert {(line.contact.last_name, line.status(TODAY)) for line in lines} == {
        ("Durand", "En vigueur"), ("Bernard", "Retrait le 30/06/2026")}

    path = build_charter_register_pdf(store, tmp_path / "registre.pdf", today=TODAY)
    text = pdf_text(path)
    assert "Registre de la charte déontologique" in text
    assert "1 signataire en vigueur, 1 signature close, 1 membre sans signature" in text
    assert text.index("Léa Arnaud") < text.index("Signatures") < text.index("Zoé Bernard") < text.index("Paul Durand")
    assert "Bailleur <Habitat> & Cie" in text
    assert "Cellule de veille" in text
    assert "Retrait le 30/06/2026" in text


def test_empty_register_says_so(configured_store, tmp_path):
    text = pdf_text(build_charter_register_pdf(configured_store, tmp_path / "r.pdf", today=TODAY))
    assert "Aucune signature n'est encore enregistrée." in text
    assert "aucun signataire en vigueur, aucune signature close" in text  # agreed, never « aucun signature »
