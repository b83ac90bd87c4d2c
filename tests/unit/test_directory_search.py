"""The Référents search asks for ids only at each keystroke: they must be exactly the rows `contacts()` gives."""

from __future__ import annotations

import pytest

from clspd_desktop.domain.directory import OrganisationCategory
from tests.factories import add_contact, add_organisation, add_working_group, join


@pytest.fixture
def directory(store):
    prefecture = add_organisation(store)
    college = add_organisation(store, "Collège Pasteur", OrganisationCategory.EDUCATION)
    add_contact(store, prefecture, "Martin", "Élodie", function="Sous-préfète")
    add_contact(store, college, "Lefèvre", "Hélène", function="Principale")
    member = add_contact(store, college, "Roux", "Noé")
    add_contact(store, None, "Sans", "Organisation")
    join(store, member, formation=add_working_group(store))
    return store.directory


@pytest.mark.parametrize("query, category, in_group", [
    ("", None, False), ("elodie", None, False), ("HELENE principale", None, False), ("pasteur", None, False),
    ("", OrganisationCategory.EDUCATION, False), ("", None, True), ("roux", OrganisationCategory.EDUCATION, True),
    ("100%_", None, False),
])
def test_ids_match_the_full_rows(directory, store, query, category, in_group):
    formation_id = store.formations.formations()[-1].id if in_group else None
    expected = [item.contact.id for item in directory.contacts(query, category, formation_id)]
    assert directory.contact_ids(query, category, formation_id) == expected


def test_member_counts_are_the_current_members(store):
    from datetime import date, timedelta

    group = add_working_group(store)
    org = add_organisation(store)
    today = date.today()
    join(store, add_contact(store, org, "Présent"), formation=group)
    join(store, add_contact(store, org, "Parti"), formation=group, end_date=today - timedelta(days=1))
    join(store, add_contact(store, org, "Futur"), formation=group, start_date=today + timedelta(days=3))
    join(store, add_contact(store, org, "Plénière"))
    counts = store.formations.member_counts()
    assert counts == {f.id: len(store.formations.members(f.id)) for f in store.formations.formations()
                      if store.formations.members(f.id)}
    assert counts[group.id] == 1
