"""Partenaires > Référents: dialogs, search, filters, memberships and charter signatures of a referent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from clspd_desktop.domain.directory import (
    CharterEndReason,
    CharterSignature,
    Civility,
    ContactRole,
    Membership,
    MembershipCategory,
    OrganisationCategory,
)
from tests.factories import add_contact, add_organisation, add_working_group
from tests.ui.test_partners_support import cancel, make_page, save, texts


@pytest.fixture
def page(ctx, qtbot):
    p = make_page(ctx, qtbot)
    p.tabs.setCurrentWidget(p.contacts)
    return p


def test_create_referent_with_normalised_phone(page, modals, ctx):
    org = add_organisation(ctx.store)
    page.reload()

    def fill(dialog):
        dialog.civility.select(Civility.MRS)
        dialog.first_name.setText("Élodie")
        dialog.last_name.setText("Martin")
        dialog.function.setText("Sous-préfète à la ville")
        dialog.email.setText("elodie.martin@essonne.gouv.fr")
        dialog.phone.setText("+33 1 69 00 00 00")
        dialog.organisation.select(org.id)
        dialog.role.select(ContactRole.SUBSTITUTE)
        save(dialog)

    modals.then(fill)
    page.new_action.trigger()  # Ctrl+N on the current tab
    [item] = ctx.store.directory.contacts()
    assert item.contact.phone == "01 69 00 00 00"
    assert (item.contact.role, item.contact.civility, item.organisation_name) == (
        ContactRole.SUBSTITUTE, Civility.MRS, "Préfecture de l'Essonne")
    assert texts(page.contacts.table, 1) == ["Préfecture de l'Essonne"]
    assert texts(page.contacts.table, 3) == ["Suppléant"]
    assert page.new_action.shortcut().toString() == "Ctrl+N"


def test_bad_phone_and_email_are_shown_next_to_their_fields(page, modals, ctx):
    seen = {}

    def fill(dialog):
        dialog.last_name.setText("Durand")
        dialog.email.setText("durand@")
        dialog.phone.setText("12 34")
        save(dialog)
        seen.update(email=dialog.errors.message("email"), phone=dialog.errors.message("phone"))
        cancel(dialog)

    modals.then(fill)
    page.contacts.new_button.click()
    assert seen["email"].startswith("Adresse e-mail invalide")
    assert seen["phone"].startswith("Numéro de téléphone non reconnu")
    assert ctx.store.directory.count_contacts() == 0


def test_edit_by_double_click_and_delete_with_confirmation(page, modals, ctx, dialogs, qtbot):
    contact = add_contact(ctx.store, add_organisation(ctx.store), function="Chef de service")
    group = add_working_group(ctx.store)
    ctx.store.formations.save_membership(Membership(formation_id=group.id, contact_id=contact.id))
    page.reload()
    table = page.contacts.table
    table.selectRow(0)

    def edit(dialog):
        dialog.function.setText("Directrice de cabinet")
        save(dialog)

    modals.then(edit)
    rect = table.visualRect(table.model().index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # Qt needs the press first
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ctx.store.directory.get_contact(contact.id).function == "Directrice de cabinet"

    dialogs.confirms.append(False)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert "1 appartenance" in dialogs.confirm_texts[-1]
    assert ctx.store.directory.get_contact(contact.id) is not None
    dialogs.confirms.append(True)
    page.contacts.delete_button.click()
    assert ctx.store.directory.get_contact(contact.id) is None
    assert table.model().rowCount() == 0


def test_search_with_accents_and_filters(page, ctx):
    prefecture = add_organisation(ctx.store)
    college = add_organisation(ctx.store, "Collège Pasteur", OrganisationCategory.EDUCATION)
    add_contact(ctx.store, prefecture, "Martin", "Élodie")
    add_contact(ctx.store, college, "Lefèvre", "Hélène", function="Principale")
    group = add_working_group(ctx.store)
    signed = add_contact(ctx.store, college, "Roux", "Noé")
    ctx.store.formations.save_membership(Membership(formation_id=group.id, contact_id=signed.id))
    page.reload()
    filters = page.contacts.filters
    filters.search.setText("elodie")
    assert texts(page.contacts.table, 0) == ["Martin Élodie"]
    filters.search.setText("HELENE principale")
    assert texts(page.contacts.table, 0) == ["Lefèvre Hélène"]
    filters.search.clear()
    filters.category.select(OrganisationCategory.EDUCATION)
    assert sorted(texts(page.contacts.table, 0)) == ["Lefèvre Hélène", "Roux Noé"]
    filters.formation.select(group.id)
    assert texts(page.contacts.table, 0) == ["Roux Noé"]
    assert filters.count.text() == "1 sur 3 référents"


def test_memberships_added_and_removed_from_the_referent(page, modals, ctx, dialogs):
    contact = add_contact(ctx.store, add_organisation(ctx.store))
    plenary = ctx.store.formations.formations()[0]
    page.reload()
    page.contacts.table.selectRow(0)

    def add(dialog):
        dialog.formation.select(plenary.id)
        dialog.category.select(MembershipCategory.DE_DROIT)
        dialog.start.setText("01/09/2024")
        save(dialog)

    def record(dialog):
        dialog.show()  # shown as modal.run would: it follows the dispatcher
        dialog.add_membership_button.click()
        assert texts(dialog.memberships, 0) == ["Formation plénière"]
        assert texts(dialog.memberships, 2) == ["01/09/2024"]
        dialogs.confirms.append(True)
        dialog.memberships.selectRow(0)
        dialog.delete_membership_button.click()
        assert dialog.memberships.model().rowCount() == 0
        dialog.add_membership_button.click()
        dialog.reject()

    modals.then(record).then(add).then(add)
    page.contacts.record_button.click()
    [membership] = ctx.store.formations.memberships_of(contact.id)
    assert (membership.category, membership.start_date) == (MembershipCategory.DE_DROIT, date(2024, 9, 1))
    assert [m.contact.id for m in ctx.store.formations.members(plenary.id)] == [contact.id]


def test_membership_dates_are_checked(page, modals, ctx):
    add_contact(ctx.store, add_organisation(ctx.store))
    page.reload()
    page.contacts.table.selectRow(0)
    seen = {}

    def bad_dates(dialog):
        dialog.start.setText("31/12/2024")
        dialog.end.setText("01/01/2024")
        save(dialog)
        seen["end"] = dialog.errors.message("end_date")
        dialog.start.setText("32/13/2024")
        save(dialog)
        seen["start"] = dialog.errors.message("start_date")
        cancel(dialog)

    def record(dialog):
        dialog.show()  # shown as modal.run would: it follows the dispatcher
        dialog.add_membership_button.click()
        dialog.reject()

    modals.then(record).then(bad_dates)
    page.contacts.record_button.click()
    assert seen["end"] == "La date de fin précède la date de début."
    assert seen["start"].startswith("Date non reconnue")


def test_charter_signature_then_withdrawal(page, modals, ctx):
    contact = add_contact(ctx.store, add_organisation(ctx.store))
    page.reload()
    page.contacts.table.selectRow(0)
    today = date.today()

    def sign(dialog):
        assert dialog.version.text() == ctx.store.council.get().charter_version  # default version
        dialog.signed_on.set_value(today - timedelta(days=30))
        save(dialog)

    def withdraw(dialog):
        dialog.end_reason.select(CharterEndReason.WITHDRAWN)
        save(dialog)  # the date of withdrawal is required
        assert dialog.errors.message("ended_on") == "Indiquez la date du retrait."
        dialog.ended_on.set_value(today)
        save(dialog)

    def record(dialog):
        dialog.show()  # shown as modal.run would: it follows the dispatcher
        dialog.add_signature_button.click()
        assert texts(dialog.signatures, 3) == ["Oui"]
        dialog.signatures.selectRow(0)
        dialog.edit_signature_button.click()
        assert texts(dialog.signatures, 2) == [f"Retrait le {today:%d/%m/%Y}"]
        assert texts(dialog.signatures, 3) == ["Non"]
        dialog.reject()

    modals.then(record).then(sign).then(withdraw)
    page.contacts.record_button.click()
    [signature] = ctx.store.formations.signatures_of(contact.id)
    assert signature.end_reason is CharterEndReason.WITHDRAWN
    assert texts(page.contacts.table, 6) == ["Non"]


def test_signed_column_and_model_tester(page, ctx, qtmodeltester):
    contact = add_contact(ctx.store, add_organisation(ctx.store), "O'Brien <chef> & Cie", "🎉")
    ctx.store.formations.save_signature(CharterSignature(contact_id=contact.id, charter_version="2014",
                                                         signed_on=date(2024, 1, 1)))
    add_contact(ctx.store, None, "Sans organisation")
    page.reload()
    assert sorted(texts(page.contacts.table, 0)) == ["O'Brien <chef> & Cie 🎉", "Sans organisation Élodie"]
    assert sorted(texts(page.contacts.table, 6)) == ["Non", "Oui"]
    qtmodeltester.check(page.contacts.table.model())


def test_function_offers_the_parquets_liaison_agreed_with_civility_and_takes_any_text(page, modals, ctx):
    org = add_organisation(ctx.store, "Parquet de Montreval")
    page.reload()
    offered: list[list[str]] = []

    def fill(dialog):
        dialog.civility.select(Civility.MR)
        offered.append([dialog.function.itemText(i) for i in range(dialog.function.count())])
        dialog.function.setCurrentIndex(dialog.function.findText("Chargé de mission aux élus locaux"))
        dialog.civility.select(Civility.MRS)  # the chosen function follows the civility
        offered.append([dialog.function.itemText(i) for i in range(dialog.function.count())])
        dialog.last_name.setText("Fabre")
        dialog.organisation.select(org.id)
        save(dialog)

    modals.then(fill)
    page.new_action.trigger()
    assert "Chargé de mission aux élus locaux" in offered[0]
    assert "Chargée de mission aux élus locaux" in offered[1]
    [item] = ctx.store.directory.contacts()
    assert item.contact.function == "Chargée de mission aux élus locaux"

    def edit(dialog):
        assert dialog.function.text() == "Chargée de mission aux élus locaux"
        dialog.function.setText("Vice-procureure chargée des mineurs")  # not in the list: kept as typed
        save(dialog)

    modals.then(edit)
    page.contacts.table.selectRow(0)
    page.contacts.edit()
    [item] = ctx.store.directory.contacts()
    assert item.contact.function == "Vice-procureure chargée des mineurs"
