"""Partenaires follows the change dispatcher: what an operation changed anywhere shows at once in the tab on
screen, in hidden tabs when they are shown, in the charter warning and in an open record window; a restore
(`OpChanges.all()`) shows everywhere; Ctrl+Z brings deleted rows back on screen."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from PySide6.QtCore import Qt

from clspd_desktop.domain.directory import (
    CharterSignature,
    Contact,
    Formation,
    FormationKind,
    Membership,
    Organisation,
    WorkingGroupType,
)
from clspd_desktop.services.operations import OpChanges
from clspd_desktop.services.operations import directory as ops
from tests.factories import add_contact, add_organisation, add_working_group, join
from tests.ui.test_partners_support import make_page, texts


@pytest.fixture
def page(ctx, qtbot):
    return make_page(ctx, qtbot)


def test_organisations_tab_shows_an_organisation_saved_elsewhere(page, ctx):
    ctx.runner.guard_writes()  # nothing on the screen writes behind the runner's back
    ctx.runner.call(partial(ops.save_organisation, organisation=Organisation(name="Mission locale")))
    assert texts(page.organisations.table, 0) == ["Mission locale"]
    assert page.organisations.filters.count.text() == "1 organisation"


def test_hidden_referents_tab_is_refreshed_when_shown(page, ctx):
    page.tabs.setCurrentWidget(page.contacts)  # read once, then hidden again
    assert page.contacts.table.model().rowCount() == 0
    page.tabs.setCurrentWidget(page.organisations)
    org = ctx.runner.call(partial(ops.save_organisation, organisation=Organisation(name="Parquet")))
    ctx.runner.call(partial(ops.save_contact, contact=Contact(last_name="Procureur", organisation_id=org.id)))
    assert not page.contacts.isVisible()
    page.tabs.setCurrentWidget(page.contacts)
    assert texts(page.contacts.table, 0) == ["Procureur"]
    assert page.contacts.filters.count.text() == "1 référent"


def test_membership_added_from_the_formations_tab_shows_in_the_referents_filter(page, ctx, modals):
    contact = add_contact(ctx.store, add_organisation(ctx.store))
    group = add_working_group(ctx.store, "Prévention")
    page.reload()
    page.tabs.setCurrentWidget(page.contacts)
    assert page.contacts.filters.formation.select(group.id)
    assert page.contacts.table.model().rowCount() == 0

    page.tabs.setCurrentWidget(page.formations)
    assert page.formations.formations.select_where(lambda r: r.formation.id == group.id)

    def pick(dialog):
        dialog.set_checked(contact.id)
        dialog.save_button.click()

    modals.then(pick)
    page.formations.add_members_button.click()
    assert page.banner.isVisible()  # an unsigned member of a confidential group
    page.tabs.setCurrentWidget(page.contacts)
    assert texts(page.contacts.table, 0) == ["Martin Élodie"]  # the filter still on the group


def test_a_new_group_is_offered_by_the_filters_at_once(page, ctx):
    group = ctx.runner.call(partial(ops.save_working_group, formation=Formation(
        kind=FormationKind.WORKING_GROUP, name="Tranquillité", wg_type=WorkingGroupType.THEMATIC)))
    assert page.organisations.filters.formation.select(group.id)
    page.tabs.setCurrentWidget(page.formations)
    assert "Tranquillité" in texts(page.formations.formations, 0)


def test_charter_warning_goes_when_a_signature_is_recorded_elsewhere(page, ctx):
    contact = add_contact(ctx.store, add_organisation(ctx.store))
    join(ctx.store, contact, formation=add_working_group(ctx.store))
    page.reload()
    assert page.banner.isVisible()
    ctx.runner.call(partial(ops.save_signature, signature=CharterSignature(contact.id, "2014", date.today())))
    assert not page.banner.isVisible()


def test_record_window_shows_a_membership_added_from_another_tab(page, ctx, modals):
    contact = add_contact(ctx.store, add_organisation(ctx.store))
    plenary = ctx.store.formations.formations()[0]
    page.reload()
    page.tabs.setCurrentWidget(page.contacts)
    page.contacts.table.selectRow(0)
    seen = {}

    def record(dialog):
        dialog.show()
        assert dialog.memberships.model().rowCount() == 0
        ctx.runner.call(partial(ops.save_membership, membership=Membership(plenary.id, contact.id)))
        seen["rows"] = texts(dialog.memberships, 0)
        dialog.reject()

    modals.then(record)
    page.contacts.record_button.click()
    assert seen["rows"] == ["Formation plénière"]


def test_after_a_restore_every_tab_shows_the_restored_data(page, ctx):
    # stands for a restore: the database changed under the screens, and the operation says "everything"
    org = add_organisation(ctx.store, "Restaurée")
    contact = add_contact(ctx.store, org, "Durand", "Paul")
    join(ctx.store, contact, formation=add_working_group(ctx.store, "Groupe restauré"))
    ctx.runner.dispatcher.publish(OpChanges.all())
    assert texts(page.organisations.table, 0) == ["Restaurée"]
    assert page.banner.isVisible()
    page.tabs.setCurrentWidget(page.contacts)
    assert texts(page.contacts.table, 0) == ["Durand Paul"]
    page.tabs.setCurrentWidget(page.formations)
    assert "Groupe restauré" in texts(page.formations.formations, 0)


def test_deleted_referent_comes_back_with_ctrl_z(page, ctx, dialogs):
    contact = add_contact(ctx.store, add_organisation(ctx.store), function="Cheffe de service")
    join(ctx.store, contact)
    page.reload()
    page.tabs.setCurrentWidget(page.contacts)
    page.contacts.table.selectRow(0)
    dialogs.confirms.append(True)
    page.contacts.delete_button.click()
    assert page.contacts.table.model().rowCount() == 0
    assert ctx.runner.undo_label == "Suppression de « Mme Élodie Martin »"
    assert ctx.runner.undo(page)
    assert texts(page.contacts.table, 2) == ["Cheffe de service"]
    assert [m.contact_id for m in ctx.store.formations.memberships_of(contact.id)] == [contact.id]


def test_deleted_group_and_removed_member_come_back_with_ctrl_z(page, ctx, dialogs):
    group = add_working_group(ctx.store, "Tranquillité")
    member = add_contact(ctx.store, add_organisation(ctx.store))
    join(ctx.store, member, formation=group)
    page.reload()
    page.tabs.setCurrentWidget(page.formations)
    assert page.formations.formations.select_where(lambda r: r.formation.id == group.id)

    page.formations.members.selectRow(0)
    dialogs.confirms.append(True)
    page.formations.remove_member_button.click()
    assert page.formations.members.model().rowCount() == 0
    assert ctx.runner.undo(page)
    assert texts(page.formations.members, 1) == ["Martin Élodie"]

    dialogs.confirms.append(True)
    page.formations.delete_button.click()
    assert "Tranquillité" not in texts(page.formations.formations, 0)
    assert ctx.runner.undo_label == "Suppression du groupe « Tranquillité »"
    assert ctx.runner.undo(page)
    assert "Tranquillité" in texts(page.formations.formations, 0)
    assert [m.contact.id for m in ctx.store.formations.members(group.id)] == [member.id]


def test_deleted_signature_comes_back_with_ctrl_z_in_the_record_window(page, ctx, dialogs, modals):
    contact = add_contact(ctx.store, add_organisation(ctx.store))
    ctx.store.formations.save_signature(CharterSignature(contact.id, "2014", date(2024, 1, 1)))
    page.reload()
    page.tabs.setCurrentWidget(page.contacts)
    page.contacts.table.selectRow(0)
    seen = {}

    def record(dialog):
        dialog.show()
        dialog.signatures.selectRow(0)
        dialogs.confirms.append(True)
        dialog.delete_signature_button.click()
        seen["after_delete"] = dialog.signatures.model().rowCount()
        ctx.runner.undo(dialog)
        seen["after_undo"] = texts(dialog.signatures, 0)
        dialog.reject()

    modals.then(record)
    page.contacts.record_button.click()
    assert seen == {"after_delete": 0, "after_undo": ["2014"]}
    assert texts(page.contacts.table, 6) == ["Oui"]


def test_a_refused_group_deletion_asks_nothing(page, ctx, dialogs):
    from datetime import datetime

    from clspd_desktop.domain.meetings import Meeting

    group = add_working_group(ctx.store, "Veille")
    ctx.store.meetings.save_meeting(Meeting(group.id, datetime(2026, 3, 2, 14), datetime(2026, 3, 2, 16)))
    page.reload()
    page.tabs.setCurrentWidget(page.formations)
    assert page.formations.formations.select_where(lambda r: r.formation.id == group.id)
    page.formations.delete_button.click()
    assert dialogs.confirm_texts == []
    assert dialogs.warned[-1][0] == "Suppression impossible" and "1 réunion" in dialogs.warned[-1][1]


def test_every_write_of_the_area_goes_through_the_runner(page, ctx, modals, dialogs, qtbot, tmp_path):
    """With the GUI's connection refusing writes outside operations, a whole session still works."""
    from tests.unit.test_directory_import import ROWS, write_csv

    ctx.runner.guard_writes()

    def organisation(dialog):
        dialog.name.setText("Mission locale")
        dialog.save_button.click()

    def referent(dialog):
        dialog.last_name.setText("Durand")
        dialog.save_button.click()

    def group(dialog):
        dialog.name.setText("Prévention")
        dialog.save_button.click()

    def members(dialog):
        dialog.set_checked(dialog.list.item(0).data(Qt.ItemDataRole.UserRole))
        dialog.save_button.click()

    def membership(dialog):
        dialog.end.setText("31/12/2099")
        dialog.save_button.click()

    def signature(dialog):
        dialog.save_button.click()

    def record(dialog):
        dialog.show()
        dialog.add_signature_button.click()
        dialog.signatures.selectRow(0)
        dialogs.confirms.append(True)
        dialog.delete_signature_button.click()
        dialog.reject()

    def import_file(dialog):
        dialog.show()
        dialogs.files.append(write_csv(tmp_path / "partenaires.csv", ROWS))
        dialog.choose_button.click()
        qtbot.waitUntil(lambda: dialog.isEnabled(), timeout=10_000)
        dialog.import_button.click()
        qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)

    modals.then(organisation).then(referent).then(group).then(members).then(membership).then(record) \
        .then(signature).then(import_file)
    page.organisations.new_button.click()
    page.organisations.add_referent_button.click()
    page.tabs.setCurrentWidget(page.formations)
    page.formations.new_button.click()
    page.formations.add_members_button.click()
    page.formations.members.selectRow(0)
    page.formations.edit_member_button.click()
    page.tabs.setCurrentWidget(page.contacts)
    assert page.contacts.table.select_where(lambda i: i.contact.last_name == "Durand")
    page.contacts.record_button.click()
    page.import_action.trigger()
    assert ctx.store.directory.count_contacts() == 4
    assert ctx.runner.undo(page) and ctx.store.directory.count_contacts() == 1  # the import
    assert ctx.runner.undo(page)  # the signature's deletion
    durand = next(i.contact for i in ctx.store.directory.contacts() if i.contact.last_name == "Durand")
    assert len(ctx.store.formations.signatures_of(durand.id)) == 1
    dialogs.confirms.append(True)
    page.contacts.table.select_where(lambda i: i.contact.last_name == "Durand")
    page.contacts.delete_button.click()
    page.tabs.setCurrentWidget(page.organisations)
    page.organisations.table.selectRow(0)
    dialogs.confirms.append(True)
    page.organisations.delete_button.click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert ctx.store.directory.count_organisations() == 0
    assert dialogs.warned == []
