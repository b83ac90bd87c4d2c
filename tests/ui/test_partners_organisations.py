"""Partenaires > Organisations, driven through the widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from clspd_desktop.domain.directory import Membership, OrganisationCategory
from tests.factories import add_contact, add_organisation, add_working_group
from tests.ui.test_partners_support import cancel, make_page, save, texts


@pytest.fixture
def page(ctx, qtbot):
    return make_page(ctx, qtbot)


def test_create_organisation_through_the_dialog(page, modals, ctx):
    def fill(dialog):
        dialog.name.setText("Commissariat de Montreval")
        dialog.category.select(OrganisationCategory.POLICE)
        dialog.city.setText("Montreval")
        dialog.phone.setText("0160123456")
        dialog.email.setText("commissariat@interieur.gouv.fr")
        save(dialog)

    modals.then(fill)
    page.organisations.new_button.click()
    [org] = ctx.store.directory.organisations()
    assert (org.name, org.category, org.phone) == ("Commissariat de Montreval", OrganisationCategory.POLICE,
                                                   "01 60 12 34 56")
    assert texts(page.organisations.table, 0) == ["Commissariat de Montreval"]
    assert page.organisations.current().id == org.id  # the new row is selected


def test_bad_email_is_explained_next_to_the_field_and_nothing_is_saved(page, modals, ctx):
    seen = {}

    def fill(dialog):
        dialog.name.setText("Mission locale")
        dialog.email.setText("contact@mission")
        save(dialog)
        seen["email"] = dialog.errors.message("email")
        seen["open"] = dialog.result()
        cancel(dialog)

    modals.then(fill)
    page.organisations.new_button.click()
    assert "Adresse e-mail invalide" in seen["email"]
    assert seen["open"] == 0
    assert ctx.store.directory.organisations() == []


def test_missing_name_is_refused(page, modals, ctx):
    seen = {}

    def fill(dialog):
        save(dialog)
        seen["name"] = dialog.errors.message("name")
        cancel(dialog)

    modals.then(fill)
    page.organisations.new_button.click()
    assert seen["name"] == "Le nom de l'organisation est obligatoire."
    assert ctx.store.directory.count_organisations() == 0


def test_edit_with_enter_key(page, modals, ctx, qtbot):
    org = add_organisation(ctx.store, "Collège Jean Moulin", OrganisationCategory.EDUCATION)
    page.reload()
    page.organisations.table.selectRow(0)

    def rename(dialog):
        assert dialog.name.text() == "Collège Jean Moulin"
        dialog.name.setText("Collège Jean-Moulin")
        save(dialog)

    modals.then(rename)
    qtbot.keyClick(page.organisations.table, Qt.Key.Key_Return)
    assert ctx.store.directory.get_organisation(org.id).name == "Collège Jean-Moulin"
    assert texts(page.organisations.table, 0) == ["Collège Jean-Moulin"]


def test_delete_tells_what_goes_with_it_and_refusal_keeps_everything(page, ctx, dialogs, qtbot):
    org = add_organisation(ctx.store)
    contact = add_contact(ctx.store, org)
    add_contact(ctx.store, org, "Durand", "Paul")
    group = add_working_group(ctx.store)
    ctx.store.formations.save_membership(Membership(formation_id=group.id, contact_id=contact.id))
    page.reload()
    page.organisations.table.selectRow(0)

    dialogs.confirms.append(False)
    qtbot.keyClick(page.organisations.table, Qt.Key.Key_Delete)
    assert "2 référents" in dialogs.confirm_texts[-1]
    assert "1 appartenance" in dialogs.confirm_texts[-1]
    assert ctx.store.directory.count_contacts() == 2
    assert ctx.store.formations.memberships_of(contact.id)

    dialogs.confirms.append(True)
    page.organisations.delete_button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)  # after a snapshot, on the worker
    assert ctx.store.directory.count_organisations() == 0
    assert ctx.store.directory.count_contacts() == 0
    assert page.organisations.table.model().rowCount() == 0
    assert not page.banner.isVisible()  # the unsigned member went with the organisation
    # a snapshot taken just before still holds both referents
    import sqlite3

    (snapshot,) = ctx.paths.snapshots_dir.glob("*avant-suppression*.sqlite")
    with sqlite3.connect(snapshot) as conn:
        assert conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0] == 2

    # Ctrl+Z brings back the organisation, its referents and their membership, and every view shows them
    assert ctx.runner.undo_label == "Suppression de « Préfecture de l'Essonne »"
    assert ctx.runner.undo(page)
    assert texts(page.organisations.table, 0) == ["Préfecture de l'Essonne"]
    page.organisations.table.selectRow(0)
    assert sorted(texts(page.organisations.referents, 0)) == ["Durand Paul", "Martin Élodie"]
    assert [m.formation_id for m in ctx.store.formations.memberships_of(contact.id)] == [group.id]
    assert page.banner.isVisible()
    page.tabs.setCurrentWidget(page.contacts)
    assert page.contacts.table.model().rowCount() == 2


def test_search_ignores_accents_and_case(page, ctx):
    add_organisation(ctx.store, "Préfecture de l'Essonne")
    add_organisation(ctx.store, "Éducation nationale — collège", OrganisationCategory.EDUCATION)
    page.reload()
    page.organisations.filters.search.setText("prefecture")
    assert texts(page.organisations.table, 0) == ["Préfecture de l'Essonne"]
    page.organisations.filters.search.setText("EDUCATION")
    assert texts(page.organisations.table, 0) == ["Éducation nationale — collège"]
    assert page.organisations.filters.count.text() == "1 sur 2 organisations"


def test_typed_search_and_ctrl_f(page, ctx, qtbot):
    add_organisation(ctx.store, "Préfecture de l'Essonne")
    add_organisation(ctx.store, "Bailleur Essonne Habitat", OrganisationCategory.SOCIAL_LANDLORD)
    page.reload()
    page.activateWindow()
    page.organisations.table.setFocus()
    page.search_action.trigger()
    assert page.search_action.shortcut().toString() == "Ctrl+F"
    assert page.organisations.filters.search.hasFocus()
    qtbot.keyClicks(page.organisations.filters.search, "pref")
    assert texts(page.organisations.table, 0) == ["Préfecture de l'Essonne"]


def test_category_and_formation_filters(page, ctx):
    prefecture = add_organisation(ctx.store, "Préfecture")
    add_organisation(ctx.store, "Lycée Condorcet", OrganisationCategory.EDUCATION)
    group = add_working_group(ctx.store, "Tranquillité publique", confidential=False, wg_type=None)
    member = add_contact(ctx.store, prefecture)
    ctx.store.formations.save_membership(Membership(formation_id=group.id, contact_id=member.id))
    page.reload()
    filters = page.organisations.filters
    filters.category.select(OrganisationCategory.EDUCATION)
    assert texts(page.organisations.table, 0) == ["Lycée Condorcet"]
    filters.category.select(None)
    assert filters.formation.select(group.id)
    assert texts(page.organisations.table, 0) == ["Préfecture"]


def test_referents_of_the_selected_organisation_are_shown(page, ctx, modals):
    org = add_organisation(ctx.store)
    add_contact(ctx.store, org, "Martin", "Élodie", function="Sous-préfète")
    add_organisation(ctx.store, "Autre", OrganisationCategory.OTHER)
    page.reload()
    page.organisations.table.select_where(lambda r: r.organisation.id == org.id)
    assert texts(page.organisations.referents, 0) == ["Martin Élodie"]
    assert "Préfecture de l'Essonne" in page.organisations.referents_box.title()

    def fill(dialog):
        assert dialog.organisation.value() == org.id  # the referent is added to this organisation
        dialog.last_name.setText("Durand")
        save(dialog)

    modals.then(fill)
    page.organisations.add_referent_button.click()
    assert sorted(texts(page.organisations.referents, 0)) == ["Durand", "Martin Élodie"]


HOSTILE = ["<SARL> & Fils", 'Le "Refuge" d\'Yvette', "Association 🎉 Jeunesse", "A" * 5000]


def test_hostile_names_display_faithfully(page, ctx, qtmodeltester):
    for name in HOSTILE:
        add_organisation(ctx.store, name, OrganisationCategory.ASSOCIATION)
    page.reload()
    assert sorted(texts(page.organisations.table, 0)) == sorted(HOSTILE)
    qtmodeltester.check(page.organisations.table.model())


def test_models_pass_the_model_tester(page, ctx, qtmodeltester):
    org = add_organisation(ctx.store)
    add_contact(ctx.store, org)
    page.reload()
    page.organisations.table.selectRow(0)
    qtmodeltester.check(page.organisations.table.model())
    qtmodeltester.check(page.organisations.referents.model())


def test_columns_sort_by_clicking_headers(page, ctx):
    add_organisation(ctx.store, "Zèbre", OrganisationCategory.PREFECTURE)
    add_organisation(ctx.store, "Éclair", OrganisationCategory.ASSOCIATION)
    add_organisation(ctx.store, "alpha", OrganisationCategory.JUSTICE)
    page.reload()
    table = page.organisations.table
    assert texts(table, 0) == ["alpha", "Éclair", "Zèbre"]  # É sorts with E, case ignored
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # category in protocol order
    assert texts(table, 0) == ["Zèbre", "alpha", "Éclair"]
