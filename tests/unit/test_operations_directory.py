"""Partenaires operations without Qt: rules and French refusals, what each says it changed, undo, import."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clspd_desktop.domain.directory import (
    CharterEndReason,
    CharterSignature,
    Contact,
    Formation,
    FormationKind,
    Membership,
    MembershipCategory,
    Organisation,
    WorkingGroupType,
)
from clspd_desktop.domain.meetings import Meeting
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.directory_import import ImportField
from clspd_desktop.services.operations import Cancelled, Change, OpEnv, Progress
from clspd_desktop.services.operations import directory as ops
from clspd_desktop.services.operations.execution import execute, reverse
from tests.factories import add_contact, add_organisation, add_working_group, join
from tests.unit.test_directory_import import ROWS, dump, preview_of, write_csv


@pytest.fixture
def env(ctx):
    return OpEnv(ctx.paths, ctx.rules, store=ctx.store)


def test_saving_an_organisation_validates_and_says_directory_changed(env):
    with pytest.raises(ValidationError) as refused:
        ops.save_organisation(env, Organisation(name="  ", email="contact@mission"))
    assert set(refused.value.fields) == {"name", "email"}
    assert env.store.directory.count_organisations() == 0

    result = ops.save_organisation(env, Organisation(name=" Mission locale ", phone="0160123456"))
    assert (result.value.name, result.value.phone) == ("Mission locale", "01 60 12 34 56")
    assert result.changes.touches({Change.DIRECTORY})


def test_renaming_an_organisation_lets_its_referents_be_found_by_the_new_name(env):
    org = add_organisation(env.store, "Mairie")
    add_contact(env.store, org, "Durand", "Paul")
    ops.save_organisation(env, Organisation(id=org.id, name="Hôtel de ville"))
    assert [i.contact.last_name for i in env.store.directory.contacts("hotel")] == ["Durand"]


def test_contact_is_validated(env):
    with pytest.raises(ValidationError) as refused:
        ops.save_contact(env, Contact(last_name="", email="x@"))
    assert {"last_name", "email"} <= set(refused.value.fields)
    saved = ops.save_contact(env, Contact(last_name="Martin", phone="+33 1 69 00 00 00")).value
    assert env.store.directory.get_contact(saved.id).phone == "01 69 00 00 00"


def test_organisation_leading_plan_actions_is_refused_before_anything_is_written(env):
    from tests.unit.test_plan_repo import HOSTILE, small_plan

    sp = small_plan(env.store)
    with pytest.raises(UserError, match="chef de file de 1 action") as refused:
        ops.delete_organisation(env, sp.lead.id)
    assert HOSTILE in refused.value.message
    assert env.store.directory.get_organisation(sp.lead.id) is not None
    assert list(env.paths.snapshots_dir.glob("*avant-suppression*")) == []  # refused before the snapshot


def test_deleting_an_organisation_takes_a_snapshot_and_undo_brings_everything_back(env):
    org = add_organisation(env.store, "Bailleur <Habitat> & Cie")
    contact = add_contact(env.store, org, "Durand", "Paul")
    join(env.store, contact, formation=add_working_group(env.store))
    env.store.formations.save_signature(CharterSignature(contact.id, "2014", date(2024, 1, 1)))
    before = (env.store.directory.get_organisation(org.id), env.store.directory.contacts_of(org.id),
              env.store.formations.memberships_of(contact.id), env.store.formations.signatures_of(contact.id))

    result, step = execute(lambda e: ops.delete_organisation(e, org.id), env, undo="Suppression")
    assert result.changes.touches({Change.DIRECTORY}) and result.changes.touches({Change.FORMATIONS})
    assert env.store.directory.count_contacts() == 0
    assert len(list(env.paths.snapshots_dir.glob("*avant-suppression*.sqlite"))) == 1

    reverse(step)(env)
    after = (env.store.directory.get_organisation(org.id), env.store.directory.contacts_of(org.id),
             env.store.formations.memberships_of(contact.id), env.store.formations.signatures_of(contact.id))
    assert after == before


def test_plenary_restricted_and_groups_with_meetings_are_not_deleted(env):
    plenary = env.store.formations.by_kind(FormationKind.PLENARY)
    with pytest.raises(UserError, match="ne se suppriment pas"):
        ops.delete_working_group(env, plenary.id)
    group = add_working_group(env.store, "Veille <Tilleuls>")
    env.store.meetings.save_meeting(Meeting(group.id, datetime(2026, 3, 2, 14), datetime(2026, 3, 2, 16)))
    with pytest.raises(UserError, match="1 réunion"):
        ops.delete_working_group(env, group.id)
    assert env.store.formations.get(group.id) is not None


def test_deleting_a_group_keeps_its_referents_and_undo_restores_memberships(env):
    group = add_working_group(env.store, "Tranquillité")
    member = add_contact(env.store, add_organisation(env.store))
    join(env.store, member, formation=group)
    result, step = execute(lambda e: ops.delete_working_group(e, group.id), env, undo="Suppression")
    assert result.changes.kinds == {Change.FORMATIONS}
    assert env.store.formations.get(group.id) is None and env.store.directory.get_contact(member.id)
    reverse(step)(env)
    assert [m.contact.id for m in env.store.formations.members(group.id)] == [member.id]


def test_working_group_for_individual_situations_must_be_confidential(env):
    with pytest.raises(ValidationError) as refused:
        ops.save_working_group(env, Formation(kind=FormationKind.WORKING_GROUP, name="Cellule",
                                              wg_type=WorkingGroupType.INDIVIDUAL_SITUATIONS, confidential=False))
    assert "confidential" in refused.value.fields
    saved = ops.save_working_group(env, Formation(kind=FormationKind.PLENARY, name=" Prévention ",
                                                  wg_type=WorkingGroupType.THEMATIC)).value
    assert (saved.kind, saved.name) == (FormationKind.WORKING_GROUP, "Prévention")  # never another plenary


def test_membership_rules(env):
    contact = add_contact(env.store, add_organisation(env.store))
    plenary = env.store.formations.by_kind(FormationKind.PLENARY)
    with pytest.raises(ValidationError) as refused:
        ops.save_membership(env, Membership(plenary.id, contact.id, start_date=date(2025, 1, 2),
                                            end_date=date(2025, 1, 1)))
    assert refused.value.fields == {"end_date": "La date de fin précède la date de début."}
    with pytest.raises(ValidationError, match="Choisissez une formation"):
        ops.save_membership(env, Membership(0, contact.id))
    first = ops.save_membership(env, Membership(plenary.id, contact.id, start_date=date(2025, 1, 1))).value
    with pytest.raises(ValidationError, match="déjà membre"):
        ops.save_membership(env, Membership(plenary.id, contact.id, start_date=date(2025, 6, 1)))
    first.end_date = date(2025, 12, 31)  # editing the same membership is not "held twice"
    assert ops.save_membership(env, first).changes.kinds == {Change.FORMATIONS}


def test_add_members_is_all_or_nothing(env):
    group = add_working_group(env.store, "Prévention", confidential=False, wg_type=WorkingGroupType.THEMATIC)
    org = add_organisation(env.store)
    already = add_contact(env.store, org, "Déjà")
    newcomer = add_contact(env.store, org, "Nouveau")
    join(env.store, already, formation=group)
    with pytest.raises(ValidationError, match="Cochez au moins un référent"):
        ops.add_members(env, group.id, [], MembershipCategory.DESIGNE, None)
    with pytest.raises(ValidationError, match="déjà membre"):
        ops.add_members(env, group.id, [newcomer.id, already.id], MembershipCategory.DESIGNE, None)
    assert [m.contact.id for m in env.store.formations.members(group.id)] == [already.id]
    assert ops.add_members(env, group.id, [newcomer.id], MembershipCategory.DE_DROIT, date(2025, 1, 1)).value == 1


def test_signature_rules(env):
    contact = add_contact(env.store, add_organisation(env.store))
    with pytest.raises(ValidationError) as refused:
        ops.save_signature(env, CharterSignature(contact.id, "  ", date(2025, 1, 1),
                                                 end_reason=CharterEndReason.EXCLUDED))
    assert refused.value.fields == {"charter_version": "Indiquez la version de la charte signée.",
                                    "ended_on": "Indiquez la date de l'exclusion."}
    with pytest.raises(ValidationError, match="précède la date de signature"):
        ops.save_signature(env, CharterSignature(contact.id, "2014", date(2025, 1, 2), ended_on=date(2025, 1, 1),
                                                 end_reason=CharterEndReason.WITHDRAWN))
    saved = ops.save_signature(env, CharterSignature(contact.id, " 2014 ", date(2025, 1, 1),
                                                     ended_on=date(2025, 6, 1))).value
    assert (saved.charter_version, saved.ended_on) == ("2014", None)  # no end date without a reason


def test_deleting_a_referent_membership_or_signature_is_undone(env):
    contact = add_contact(env.store, add_organisation(env.store))
    membership = join(env.store, contact)
    signature = env.store.formations.save_signature(CharterSignature(contact.id, "2014", date(2024, 1, 1)))
    for op in (lambda e: ops.delete_signature(e, signature.id), lambda e: ops.delete_membership(e, membership.id),
               lambda e: ops.delete_contact(e, contact.id)):
        before = (env.store.directory.get_contact(contact.id), env.store.formations.memberships_of(contact.id),
                  env.store.formations.signatures_of(contact.id))
        _, step = execute(op, env, undo="Suppression")
        assert step is not None
        reverse(step)(env)
        assert (env.store.directory.get_contact(contact.id), env.store.formations.memberships_of(contact.id),
                env.store.formations.signatures_of(contact.id)) == before


def test_import_takes_a_snapshot_and_is_undone_as_a_whole(env, tmp_path):
    before = dump(env.store)
    preview = preview_of(env.store, write_csv(tmp_path / "partenaires.csv", ROWS))
    result, step = execute(lambda e: ops.import_partners(e, preview), env, undo="Import")
    assert result.value.contacts_created == 3
    assert result.changes.touches({Change.DIRECTORY})
    assert len(list(env.paths.snapshots_dir.glob("*avant-import*.sqlite"))) == 1
    reverse(step)(env)
    assert dump(env.store) == before


def test_cancelled_import_writes_nothing(ctx, tmp_path):
    progress = Progress()
    env = OpEnv(ctx.paths, ctx.rules, store=ctx.store, progress=progress)
    preview = preview_of(ctx.store, write_csv(tmp_path / "partenaires.csv", ROWS))
    progress.cancel()
    with pytest.raises(Cancelled):
        ops.import_partners(env, preview)
    assert ctx.store.directory.count_contacts() == 0


def test_exports_change_nothing(env, tmp_path):
    add_contact(env.store, add_organisation(env.store, "<SARL> & Fils"), "Lefèvre", "Hélène")
    result = ops.export_directory(env, "csv", tmp_path / "annuaire.csv")
    assert not result.changes
    assert "<SARL> & Fils" in (tmp_path / "annuaire.csv").read_text(encoding="utf-8-sig")


def test_review_reads_checks_and_writes_nothing(env, tmp_path):
    path = write_csv(tmp_path / "entetes.csv", [["Mairie", "Perrot"]], header=["Entite", "Nom"])
    review = ops.review_import(env, path).value
    assert review.preview is None and review.problem.startswith("Colonne obligatoire introuvable")
    remapped = ops.review_import(env, path, table=review.table, mapping=[ImportField.ORG_NAME,
                                                                         ImportField.LAST_NAME]).value
    assert (remapped.problem, [line.number for line in remapped.preview.lines]) == ("", [2])
    assert env.store.directory.count_organisations() == 0


def test_review_refuses_a_file_that_is_not_a_table(env, tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\x00\x00\x01binaire" * 40)
    with pytest.raises(UserError, match="n'est pas un tableau lisible"):
        ops.review_import(env, path)
