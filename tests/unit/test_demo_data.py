"""The demo council has the shape the README and the screenshots promise, and is reproducible."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import (
    CharterEndReason,
    ContactRole,
    FormationKind,
    MembershipCategory,
    OrganisationCategory,
    WorkingGroupType,
)
from clspd_desktop.domain.validation import is_valid_email, normalize_phone
from clspd_desktop.services.demo_data import mail_local_part, populate_demo

TODAY = date(2025, 6, 2)


@pytest.fixture
def demo(store) -> Store:
    populate_demo(store, TODAY)
    return store


def test_council_is_a_clspd_of_about_28000_inhabitants_with_a_qpv(demo):
    council = demo.council.get()
    assert council.kind.value == "CLSPD"
    assert 27_000 <= council.total_population <= 29_000
    assert council.has_qpv and council.communes[0].qpv_names == "Les Tilleuls"
    assert council.chair_name and council.chair_title.startswith("Maire")
    assert council.has_coordinator and is_valid_email(council.coordinator_email)
    assert council.composition_order_number and date.fromisoformat(council.composition_order_date) < TODAY
    assert date.fromisoformat(council.composition_order_date) < date.fromisoformat(council.rules_adopted_on)
    assert council.charter_version == "Charte déontologique type CIPD 2014"
    assert is_valid_email(council.prefecture_email)
    assert council.logo is not None and council.logo.startswith(b"\x89PNG")


def test_directory_counts_and_every_category(demo):
    organisations = demo.directory.organisations()
    assert 38 <= len(organisations) <= 45
    assert 85 <= demo.directory.count_contacts() <= 95
    assert {o.category for o in organisations} == set(OrganisationCategory)
    roles = Counter(item.contact.role for item in demo.directory.contacts(on=TODAY))
    assert roles[ContactRole.TITULAR] > 40 and roles[ContactRole.SUBSTITUTE] > 30


def test_emails_and_phones_are_valid_and_already_normalised(demo):
    organisations = demo.directory.organisations()
    contacts = [item.contact for item in demo.directory.contacts(on=TODAY)]
    for entry in [*organisations, *contacts]:
        assert is_valid_email(entry.email), entry.email
        assert entry.email.isascii()
        assert normalize_phone(entry.phone) == entry.phone, entry.phone
    assert len({c.email for c in contacts}) == len(contacts)


def test_names_carry_french_accents_and_search_ignores_them(demo):
    first_names = {item.contact.first_name for item in demo.directory.contacts(on=TODAY)}
    assert {"Élodie", "Loïc", "Gaëlle", "Benoît"} <= first_names
    assert "Élodie" in {i.contact.first_name for i in demo.directory.contacts("elodie", on=TODAY)}
    assert any(o.category is OrganisationCategory.PREFECTURE for o in demo.directory.organisations("prefecture"))


def test_plenary_has_members_of_every_category(demo):
    plenary = demo.formations.by_kind(FormationKind.PLENARY)
    members = demo.formations.members(plenary.id, on=TODAY)
    by_category = Counter(m.membership.category for m in members)
    assert set(by_category) == set(MembershipCategory)
    assert by_category[MembershipCategory.PERSONNALITE_QUALIFIEE] == 2
    de_droit = {m.contact.function for m in members if m.membership.category is MembershipCategory.DE_DROIT}
    assert any(f.startswith("Préfet") for f in de_droit)
    assert any(f.startswith("Procureur") for f in de_droit)
    assert members[0].organisation_category is OrganisationCategory.PREFECTURE  # protocol order


def test_three_working_groups_exactly_one_confidential(demo):
    restricted = demo.formations.by_kind(FormationKind.RESTRICTED)
    assert len(demo.formations.members(restricted.id, on=TODAY)) >= 8
    groups = [f for f in demo.formations.formations() if f.kind is FormationKind.WORKING_GROUP]
    assert {g.wg_type for g in groups} == set(WorkingGroupType)
    assert [g.confidential for g in groups].count(True) == 1
    assert all(len(demo.formations.members(g.id, on=TODAY)) >= 10 for g in groups)


def test_exactly_two_confidential_members_have_not_signed_and_one_withdrew(demo):
    unsigned = demo.formations.unsigned_confidential_members(on=TODAY)
    assert len(unsigned) == 2
    confidential = next(f for f in demo.formations.formations() if f.confidential)
    members = demo.formations.members(confidential.id, on=TODAY)
    assert sum(m.has_valid_signature for m in members) == len(members) - 2
    withdrawals = [s for item in demo.directory.contacts(on=TODAY)
                   for s in demo.formations.signatures_of(item.contact.id) if s.end_reason]
    assert [s.end_reason for s in withdrawals] == [CharterEndReason.WITHDRAWN]
    assert all(s.signed_on <= TODAY for item in demo.directory.contacts(on=TODAY)
               for s in demo.formations.signatures_of(item.contact.id))


def _content(store: Store) -> dict[str, list[tuple]]:
    """Every table's rows minus the wall-clock timestamps."""
    tables = ["council", "commune", "organisation", "contact", "formation", "membership", "charter_signature"]
    result = {}
    for table in tables:
        columns = [r[1] for r in store.db.execute(f"PRAGMA table_info({table})").fetchall()
                   if r[1] not in ("created_at", "updated_at")]
        result[table] = store.db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id").fetchall()
    return result


def test_populate_demo_is_deterministic(demo, tmp_path):
    other = Store.over(open_database(tmp_path / "autre.sqlite", tmp_path / "instantanes").db)
    try:
        populate_demo(other, TODAY)
        assert _content(other) == _content(demo)
    finally:
        other.close()


def test_populate_demo_is_all_or_nothing(store, monkeypatch):
    from clspd_desktop.services import demo_data

    def broken_logo() -> bytes:
        raise OSError("logo illisible")

    monkeypatch.setattr(demo_data, "load_demo_logo", broken_logo)
    with pytest.raises(OSError):
        populate_demo(store, TODAY)
    assert not store.council.is_configured()
    assert store.directory.count_contacts() == 0


def test_mail_local_part_is_plain_ascii():
    assert mail_local_part("Gaëlle", "Le Bihan") == "gaelle.le-bihan"
    assert mail_local_part("Sophie", "N'Diaye") == "sophie.n-diaye"
