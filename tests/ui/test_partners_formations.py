"""Partenaires > Formations et groupes, and the charter warning banner."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from clspd_desktop.domain.directory import (
    CharterSignature,
    FormationKind,
    Membership,
    MembershipCategory,
    OrganisationCategory,
    WorkingGroupType,
)
from tests.factories import add_contact, add_organisation, add_working_group
from tests.ui.test_partners_support import cancel, make_page, save, texts


@pytest.fixture
def page(ctx, qtbot):
    p = make_page(ctx, qtbot)
    p.tabs.setCurrentWidget(p.formations)
    return p


def select_formation(page, formation_id):
    assert page.formations.formations.select_where(lambda r: r.formation.id == formation_id)


def test_plenary_and_restricted_are_listed_first(page):
    assert texts(page.formations.formations, 0)[:2] == ["Formation plénière", "Formation restreinte"]
    assert page.formations.current().kind is FormationKind.PLENARY
    assert not page.formations.delete_button.isEnabled()


def test_individual_situations_forces_confidential(page, modals, ctx):
    seen = {}

    def fill(dialog):
        dialog.name.setText("Cellule <veille> & suivi")
        dialog.wg_type.select(WorkingGroupType.THEMATIC)
        dialog.confidential.setChecked(False)
        dialog.wg_type.select(WorkingGroupType.INDIVIDUAL_SITUATIONS)
        seen.update(checked=dialog.confidential.isChecked(), enabled=dialog.confidential.isEnabled(),
                    note=dialog.forced_note.isVisibleTo(dialog))
        save(dialog)

    modals.then(fill)
    page.new_action.trigger()
    assert seen == {"checked": True, "enabled": False, "note": True}
    group = page.formations.current()
    assert (group.name, group.wg_type, group.confidential) == (
        "Cellule <veille> & suivi", WorkingGroupType.INDIVIDUAL_SITUATIONS, True)
    assert "Cellule <veille> & suivi" in texts(page.formations.formations, 0)


def test_group_name_is_required(page, modals, ctx):
    seen = {}

    def fill(dialog):
        save(dialog)
        seen["name"] = dialog.errors.message("name")
        cancel(dialog)

    modals.then(fill)
    page.formations.new_button.click()
    assert seen["name"] == "Le nom du groupe est obligatoire."
    assert len(ctx.store.formations.formations()) == 2


def test_add_members_with_search_then_edit_dates_and_remove(page, modals, ctx, dialogs, qtbot):
    prefecture = add_organisation(ctx.store)
    parquet = add_organisation(ctx.store, "Parquet d'Évry", OrganisationCategory.JUSTICE)
    prefet = add_contact(ctx.store, prefecture, "Préfet", "Bernard")
    procureur = add_contact(ctx.store, parquet, "Procureur", "Hélène")
    add_contact(ctx.store, parquet, "Substitut", "Marc", function="Substitut")
    group = add_working_group(ctx.store, "Prévention", confidential=False, wg_type=WorkingGroupType.THEMATIC)
    page.reload()
    select_formation(page, group.id)

    def pick(dialog):
        qtbot.keyClicks(dialog.search, "procureur")
        assert dialog.list.count() == 1
        dialog.set_checked(procureur.id)
        dialog.search.setText("préfet")
        dialog.set_checked(prefet.id)
        dialog.search.clear()  # ticks survive the search
        assert dialog.summary.text() == "2 référents cochés."
        dialog.category.select(MembershipCategory.DE_DROIT)
        dialog.start.setText("15/01/2025")
        save(dialog)

    modals.then(pick)
    page.formations.add_members_button.click()
    # protocol order: the préfecture before justice
    assert texts(page.formations.members, 1) == ["Préfet Bernard", "Procureur Hélène"]
    assert texts(page.formations.members, 5) == ["15/01/2025", "15/01/2025"]

    page.formations.members.selectRow(1)

    def end(dialog):
        assert not dialog.formation.isEnabled()
        dialog.end.setText("31/12/2099")
        save(dialog)

    modals.then(end)
    qtbot.keyClick(page.formations.members, Qt.Key.Key_Return)
    assert ctx.store.formations.memberships_of(procureur.id)[0].end_date == date(2099, 12, 31)

    page.formations.members.select_where(lambda r: r.item.contact.id == prefet.id)
    dialogs.confirms.append(False)
    qtbot.keyClick(page.formations.members, Qt.Key.Key_Delete)
    assert ctx.store.formations.is_member(group.id, prefet.id, date(2025, 2, 1))
    dialogs.confirms.append(True)
    page.formations.remove_member_button.click()
    assert dialogs.confirm_texts[-1].startswith(
        "Retirer Mme Bernard Préfet du groupe de travail « Prévention » ?")
    assert not ctx.store.formations.is_member(group.id, prefet.id, date(2025, 2, 1))
    assert texts(page.formations.members, 1) == ["Procureur Hélène"]


def test_add_members_requires_a_choice(page, modals, ctx):
    seen = {}

    def fill(dialog):
        save(dialog)
        seen["contacts"] = dialog.errors.message("contacts")
        cancel(dialog)

    modals.then(fill)
    page.formations.add_members_button.click()
    assert seen["contacts"] == "Cochez au moins un référent."


def test_banner_appears_for_unsigned_member_and_goes_once_signed(page, modals, ctx):
    assert not page.banner.isVisible()
    contact = add_contact(ctx.store, add_organisation(ctx.store), "Martin", "Élodie")
    group = add_working_group(ctx.store, "Cellule de veille")
    page.reload()
    select_formation(page, group.id)

    def pick(dialog):
        dialog.set_checked(contact.id)
        save(dialog)

    modals.then(pick)
    page.formations.add_members_button.click()
    assert page.banner.isVisible()
    assert page.banner.details.text() == (
        "• Mme Élodie Martin (Préfecture de l'Essonne) — Groupe de travail « Cellule de veille »")
    assert texts(page.formations.members, 7) == ["Non"]

    page.tabs.setCurrentWidget(page.contacts)
    page.contacts.table.selectRow(0)

    def sign(dialog):
        dialog.signed_on.set_value(date.today())
        save(dialog)

    def record(dialog):
        dialog.show()  # shown as modal.run would: it follows the dispatcher
        dialog.add_signature_button.click()
        dialog.reject()

    modals.then(record).then(sign)
    page.contacts.record_button.click()
    assert not page.banner.isVisible()
    assert page.banner.members == []


def test_banner_counts_and_excluded_signatories(page, ctx):
    group = add_working_group(ctx.store, "Situations")
    org = add_organisation(ctx.store)
    for n in range(8):
        member = add_contact(ctx.store, org, f"Nom{n}")
        ctx.store.formations.save_membership(Membership(formation_id=group.id, contact_id=member.id))
        if n == 0:  # signed then excluded: no longer valid
            ctx.store.formations.save_signature(CharterSignature(
                contact_id=member.id, charter_version="2014", signed_on=date(2023, 1, 1),
                ended_on=date(2024, 1, 1), end_reason=None))
    page.reload()
    assert "8 membres" in page.banner.title.text()
    assert page.banner.details.text().endswith("… et 2 autres (voir l'onglet « Charte déontologique », où ils "
                                               "figurent en tête).")


def test_delete_group_refused_then_accepted(page, ctx, dialogs, qtbot):
    group = add_working_group(ctx.store, "Tranquillité")
    member = add_contact(ctx.store, add_organisation(ctx.store))
    ctx.store.formations.save_membership(Membership(formation_id=group.id, contact_id=member.id))
    page.reload()
    select_formation(page, group.id)
    dialogs.confirms.append(False)
    qtbot.keyClick(page.formations.formations, Qt.Key.Key_Delete)
    assert "1 appartenance" in dialogs.confirm_texts[-1]
    assert ctx.store.formations.get(group.id) is not None
    dialogs.confirms.append(True)
    page.formations.delete_button.click()
    assert ctx.store.formations.get(group.id) is None
    assert ctx.store.directory.get_contact(member.id) is not None  # the referent stays
    assert not page.banner.isVisible()


def test_plenary_is_not_edited_as_a_group(page, dialogs):
    page.formations.formations.selectRow(0)
    page.formations.edit()
    assert "fixées par la loi" in dialogs.informed[-1][1]


def test_models_pass_the_model_tester(page, ctx, qtmodeltester):
    group = add_working_group(ctx.store)
    member = add_contact(ctx.store, add_organisation(ctx.store))
    ctx.store.formations.save_membership(Membership(formation_id=group.id, contact_id=member.id,
                                                    start_date=date(2024, 1, 1)))
    page.reload()
    select_formation(page, group.id)
    qtmodeltester.check(page.formations.formations.model())
    qtmodeltester.check(page.formations.members.model())
