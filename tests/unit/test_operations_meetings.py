"""Meetings operations and repository: meetings and series, invitations with the charter rule, attendance,
minutes, watch. Rules are checked through the operations (services/operations/meetings.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from clspd_desktop.domain.directory import (
    CharterEndReason,
    CharterSignature,
    ContactRole,
    FormationKind,
    Membership,
    MembershipCategory,
    OrganisationCategory,
    WorkingGroupType,
)
from clspd_desktop.domain.meetings import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    Decision,
    DeDroitRequester,
    InvitationRole,
    Meeting,
    MeetingStatus,
    Minutes,
    Reply,
    SeriesFrequency,
)
from clspd_desktop.errors import UserError, ValidationError
from clspd_desktop.services.convocation_sending import Outcome
from clspd_desktop.services.operations import Change, OpEnv
from clspd_desktop.services.operations import meetings as ops
from clspd_desktop.services.operations.meetings import invite_contact, invite_formation_members
from tests.factories import add_contact, add_organisation, add_working_group
from tests.unit.test_convocation_sending import smtp_server  # noqa: F401 (fixture)

THEMATIC = WorkingGroupType.THEMATIC


class ops_of:  # noqa: N801 - reads like a function
    """The meetings operations over a test's store, returning their values (these read neither the data
    folder nor the legal rules)."""

    def __init__(self, store) -> None:
        self.env = OpEnv(None, None, store=store)  # type: ignore[arg-type]

    def __getattr__(self, name: str):
        operation = getattr(ops, name)
        return lambda *args, **kwargs: operation(self.env, *args, **kwargs).value


def at(day: date, hour: int = 14, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def plenary_id(store) -> int:
    return store.formations.by_kind(FormationKind.PLENARY).id


def new_meeting(store, formation_id: int | None = None, day: date = date(2025, 3, 18), hours: int = 2,
                **kw) -> Meeting:
    start = at(day)
    return ops.save_meeting_checked(store, Meeting(
        formation_id=formation_id or plenary_id(store), starts_at=start, ends_at=start + timedelta(hours=hours), **kw))


def member(store, formation_id: int, org, last: str, first: str = "Anne", role=ContactRole.TITULAR,
           category=MembershipCategory.DESIGNE, signed_on: date | None = None):
    contact = add_contact(store, org, last_name=last, first_name=first, role=role, email=f"{last.lower()}@x.fr")
    store.formations.save_membership(Membership(formation_id=formation_id, contact_id=contact.id, category=category))
    if signed_on:
        store.formations.save_signature(CharterSignature(contact.id, "2014", signed_on))
    return contact


# --- meetings --------------------------------------------------------------------------------------------
def test_save_generates_uid_once_and_keeps_agenda_order(configured_store):
    store = configured_store
    meeting = new_meeting(store, title="Plénière annuelle", agenda=[
        AgendaItem("Bilan 2024", presenter="Le coordonnateur"), AgendaItem("État de la délinquance")])
    uid = meeting.uid
    assert uid.endswith("@clspd-desktop") and len(uid) > 30
    loaded = store.meetings.get_meeting(meeting.id)
    assert [i.title for i in loaded.agenda] == ["Bilan 2024", "État de la délinquance"]
    assert [i.position for i in loaded.agenda] == [1, 2]
    first_id = loaded.agenda[0].id
    store.meetings.save_agenda_notes(first_id, "Bilan approuvé.")
    loaded = store.meetings.get_meeting(meeting.id)
    loaded.agenda.reverse()
    loaded.agenda.append(AgendaItem("Questions diverses"))
    loaded.place = "Salle du conseil"
    store.meetings.save_meeting(loaded)
    again = store.meetings.get_meeting(meeting.id)
    assert again.uid == uid
    assert [i.title for i in again.agenda] == ["État de la délinquance", "Bilan 2024", "Questions diverses"]
    assert again.agenda[1].id == first_id and again.agenda[1].notes == "Bilan approuvé."
    again.agenda = again.agenda[:1]
    store.meetings.save_meeting(again)
    assert [i.title for i in store.meetings.get_meeting(meeting.id).agenda] == ["État de la délinquance"]


def test_end_before_start_is_refused_and_nothing_written(configured_store):
    start = at(date(2025, 3, 18))
    with pytest.raises(ValidationError) as err:
        ops_of(configured_store).save_meeting(Meeting(
            formation_id=plenary_id(configured_store), starts_at=start, ends_at=start - timedelta(hours=1)))
    assert "terminer après son début" in err.value.message
    assert configured_store.meetings.meetings_between(date(2025, 1, 1), date(2025, 12, 31)) == []


def test_edit_that_ends_before_start_keeps_the_saved_meeting(configured_store):
    meeting = new_meeting(configured_store, title="Avant")
    meeting.title = "Après"
    meeting.ends_at = meeting.starts_at
    with pytest.raises(ValidationError):
        ops_of(configured_store).save_meeting(meeting)
    assert configured_store.meetings.get_meeting(meeting.id).title == "Avant"


def test_untitled_agenda_item_rolls_back_the_whole_save(configured_store):
    meeting = new_meeting(configured_store, title="Avant", agenda=[AgendaItem("Point 1")])
    meeting.title = "Après"
    meeting.agenda.append(AgendaItem("   "))
    with pytest.raises(ValidationError, match="point n° 2"):
        ops_of(configured_store).save_meeting(meeting)
    saved = configured_store.meetings.get_meeting(meeting.id)
    assert saved.title == "Avant" and [i.title for i in saved.agenda] == ["Point 1"]


def test_de_droit_needs_a_requester(configured_store):
    with pytest.raises(ValidationError, match="préfet ou la majorité"):
        new_meeting(configured_store, de_droit=True)
    meeting = new_meeting(configured_store, de_droit=True, de_droit_requester=DeDroitRequester.PREFET,
                          de_droit_requested_on=date(2025, 2, 1))
    loaded = configured_store.meetings.get_meeting(meeting.id)
    assert loaded.de_droit_requester is DeDroitRequester.PREFET and loaded.de_droit_requested_on == date(2025, 2, 1)


def test_two_meetings_of_one_formation_at_the_same_time_are_refused(configured_store):
    new_meeting(configured_store)
    with pytest.raises(ValidationError, match="chevauche"):
        new_meeting(configured_store)
    group = add_working_group(configured_store, "Tranquillité", confidential=False, wg_type=THEMATIC)
    new_meeting(configured_store, formation_id=group.id)  # another formation may meet at the same time


def test_meetings_between_filters_period_and_formation(configured_store):
    store = configured_store
    group = add_working_group(store, "Tranquillité", confidential=False, wg_type=THEMATIC)
    new_meeting(store, day=date(2025, 3, 1))
    new_meeting(store, day=date(2025, 3, 31))
    new_meeting(store, day=date(2025, 4, 1))
    new_meeting(store, formation_id=group.id, day=date(2025, 3, 10))
    march = store.meetings.meetings_between(date(2025, 3, 1), date(2025, 3, 31))
    assert [m.starts_at.day for m in march] == [1, 10, 31]
    only_group = store.meetings.meetings_between(date(2025, 3, 1), date(2025, 3, 31), formation_id=group.id)
    assert [m.formation_id for m in only_group] == [group.id]


def test_status_sequence_postpone_cancel_delete(configured_store):
    repo = configured_store.meetings
    meeting = new_meeting(configured_store)
    assert repo.bump_sequence(meeting.id) == 1
    assert repo.bump_sequence(meeting.id) == 2
    moved = ops_of(configured_store).postpone_meeting(meeting.id, at(date(2025, 3, 25)), at(date(2025, 3, 25), 16))
    loaded = repo.get_meeting(meeting.id)
    assert loaded.status is MeetingStatus.POSTPONED and loaded.uid == meeting.uid
    assert loaded.starts_at == at(date(2025, 3, 25)) and "mardi 18 mars 2025" in loaded.notes
    assert moved.sequence == 2
    repo.cancel(meeting.id)
    assert repo.get_meeting(meeting.id).status is MeetingStatus.CANCELLED
    repo.set_status(meeting.id, MeetingStatus.HELD)
    assert repo.get_meeting(meeting.id).status is MeetingStatus.HELD
    repo.delete_meeting(meeting.id)
    assert repo.get_meeting(meeting.id) is None


# --- series ----------------------------------------------------------------------------------------------
def test_series_created_then_edited_from_a_date(configured_store):
    store = configured_store
    group = add_working_group(store, "Tranquillité", confidential=False, wg_type=THEMATIC)
    first = Meeting(formation_id=group.id, starts_at=at(date(2025, 1, 31), 9, 30),
                    ends_at=at(date(2025, 1, 31), 11), title="GT tranquillité", agenda=[AgendaItem("Tour de table")])
    created = ops_of(store).create_series(first, SeriesFrequency.MONTHLY, date(2025, 6, 30))
    assert [m.starts_at.date() for m in created] == [
        date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31),
        date(2025, 6, 30)]
    assert len({m.uid for m in created}) == 6 and len({m.series_id for m in created}) == 1
    assert all([i.title for i in m.agenda] == ["Tour de table"] for m in created)
    series_id = created[0].series_id
    store.meetings.cancel(created[4].id)
    march = store.meetings.get_meeting(created[2].id)
    march.starts_at, march.ends_at = at(date(2025, 3, 31), 10), at(date(2025, 3, 31), 12)
    march.place = "Maison de quartier"
    march.agenda = [AgendaItem("Tour de table", id=march.agenda[0].id), AgendaItem("Points chauds")]
    updated = ops_of(store).save_meeting(march, with_following=True)
    assert len(updated) == 3  # March, April, June: May is cancelled
    after = store.meetings.series_meetings(series_id)
    assert after[0].place == "" and after[0].starts_at.time() == time(9, 30)
    assert after[2].starts_at == at(date(2025, 3, 31), 10) and after[2].ends_at == at(date(2025, 3, 31), 12)
    assert [i.title for i in after[2].agenda] == ["Tour de table", "Points chauds"]
    assert after[4].place == ""
    assert store.meetings.series_info(series_id) == (SeriesFrequency.MONTHLY, date(2025, 6, 30))


def test_overlapping_series_for_one_group_is_refused(configured_store):
    store = configured_store
    group = add_working_group(store, "Tranquillité", confidential=False, wg_type=THEMATIC)
    first = Meeting(formation_id=group.id, starts_at=at(date(2025, 1, 15)), ends_at=at(date(2025, 1, 15), 16))
    ops_of(store).create_series(first, SeriesFrequency.BIMONTHLY, date(2025, 12, 31))
    second = Meeting(formation_id=group.id, starts_at=at(date(2025, 6, 3)), ends_at=at(date(2025, 6, 3), 16))
    with pytest.raises(ValidationError, match="a déjà une série"):
        ops_of(store).create_series(second, SeriesFrequency.MONTHLY, date(2026, 3, 1))
    assert len(store.meetings.meetings_between(date(2025, 1, 1), date(2026, 12, 31))) == 6
    later = Meeting(formation_id=group.id, starts_at=at(date(2026, 1, 13)), ends_at=at(date(2026, 1, 13), 16))
    assert len(ops_of(store).create_series(later, SeriesFrequency.MONTHLY, date(2026, 3, 31))) == 3


def test_series_until_before_first_is_refused(configured_store):
    group = add_working_group(configured_store, "Tranquillité", confidential=False, wg_type=THEMATIC)
    first = Meeting(formation_id=group.id, starts_at=at(date(2025, 5, 1)), ends_at=at(date(2025, 5, 1), 16))
    with pytest.raises(ValidationError, match="précède"):
        ops_of(configured_store).create_series(first, SeriesFrequency.MONTHLY, date(2025, 4, 1))


# --- invitations -----------------------------------------------------------------------------------------
def test_invite_members_in_protocol_order_with_roles(configured_store):
    store = configured_store
    plenary = plenary_id(store)
    assoc = add_organisation(store, "Association Le Relais", OrganisationCategory.ASSOCIATION)
    pref = add_organisation(store, "Préfecture de l'Essonne", OrganisationCategory.PREFECTURE)
    parquet = add_organisation(store, "Parquet d'Évry", OrganisationCategory.JUSTICE)
    member(store, plenary, assoc, "Zola", "Émile")
    member(store, plenary, pref, "Bernard", category=MembershipCategory.DE_DROIT)
    member(store, plenary, pref, "Aubert", role=ContactRole.SUBSTITUTE, category=MembershipCategory.DE_DROIT)
    member(store, plenary, parquet, "Roux", category=MembershipCategory.DE_DROIT)
    meeting = new_meeting(store)
    assert invite_formation_members(store, meeting.id, date(2025, 3, 1)) == []
    invited = store.meetings.invitations(meeting.id)
    assert [i.name.split()[-1] for i in invited] == ["Bernard", "Aubert", "Roux", "Zola"]
    assert [i.role for i in invited] == [InvitationRole.INVITED, InvitationRole.INFORMED, InvitationRole.INVITED,
                                         InvitationRole.INVITED]
    assert invited[0].organisation_name == "Préfecture de l'Essonne"
    assert invited[0].membership_category is MembershipCategory.DE_DROIT and invited[0].email == "bernard@x.fr"
    invite_formation_members(store, meeting.id)  # twice: nobody duplicated
    assert len(store.meetings.invitations(meeting.id)) == 4


def test_confidential_group_refuses_unsigned_members_with_reason(configured_store):
    store = configured_store
    group = add_working_group(store)  # confidential, individual situations
    org = add_organisation(store, "Mission locale", OrganisationCategory.ASSOCIATION)
    signed = member(store, group.id, org, "Signé", signed_on=date(2024, 1, 1))
    never = member(store, group.id, org, "Jamais")
    excluded = member(store, group.id, org, "Exclu", signed_on=date(2023, 1, 1))
    store.formations.save_signature(CharterSignature(
        excluded.id, "2014", date(2023, 1, 1), ended_on=date(2024, 6, 1), end_reason=CharterEndReason.EXCLUDED,
        id=store.formations.signatures_of(excluded.id)[0].id))
    late_signer = member(store, group.id, org, "Tardif", signed_on=date(2025, 9, 1))
    meeting = new_meeting(store, formation_id=group.id)
    refused = invite_formation_members(store, meeting.id)
    reasons = {r.contact.last_name: r.reason for r in refused}
    assert reasons == {
        "Jamais": "n'a pas signé la charte déontologique",
        "Exclu": "exclusion de la charte le 01/06/2024",
        "Tardif": "charte signée le 01/09/2025, après la date de la réunion",
    }
    assert [i.contact_id for i in store.meetings.invitations(meeting.id)] == [signed.id]
    assert {r.contact.id for r in ops.refused_members(store, meeting.id)} == {never.id, excluded.id, late_signer.id}
    with pytest.raises(UserError, match="n'a pas signé"):
        invite_contact(store, meeting.id, never.id)
    assert len(store.meetings.invitations(meeting.id)) == 1


def test_add_and_remove_invitation(configured_store):
    store = configured_store
    org = add_organisation(store, "Bailleur Habitat 91", OrganisationCategory.SOCIAL_LANDLORD)
    guest = add_contact(store, org, "Durand", "Paul", function="Gardien")
    meeting = new_meeting(store)
    invitation = invite_contact(store, meeting.id, guest.id, InvitationRole.INFORMED)
    assert invitation.function == "Gardien" and invitation.role is InvitationRole.INFORMED
    with pytest.raises(UserError, match="déjà invité"):
        invite_contact(store, meeting.id, guest.id)
    store.meetings.set_role(invitation.id, InvitationRole.INVITED)
    assert store.meetings.invitations(meeting.id)[0].role is InvitationRole.INVITED
    store.meetings.remove_invitation(invitation.id)
    assert store.meetings.invitations(meeting.id) == []


def test_replies_sending_and_attendance(configured_store):
    store = configured_store
    org = add_organisation(store, "Police nationale", OrganisationCategory.POLICE)
    a = add_contact(store, org, "Aubry", "Marc")
    b = add_contact(store, org, "Bosc", "Lina")
    meeting = new_meeting(store)
    ia = invite_contact(store, meeting.id, a.id)
    ib = invite_contact(store, meeting.id, b.id)
    sent = datetime(2025, 3, 1, 10, 0)
    store.meetings.mark_sent([ia.id, ib.id], sent)
    ops_of(store).set_reply(ia.id, Reply.REPRESENTED, "Cdt Leroy", when=datetime(2025, 3, 5, 9))
    with pytest.raises(ValidationError):
        ops_of(store).set_reply(ib.id, Reply.REPRESENTED, " ")
    ops_of(store).set_attendance(ia.id, Attendance.REPRESENTED, represented_by_contact_id=b.id)
    ops_of(store).set_attendance(ib.id, Attendance.PRESENT, arrived_at=datetime(2025, 3, 18, 14, 20))
    by_id = {i.id: i for i in store.meetings.invitations(meeting.id)}
    assert by_id[ia.id].sent_at == sent and by_id[ia.id].reply is Reply.REPRESENTED
    assert by_id[ia.id].reply_represented_by == "Cdt Leroy"
    assert by_id[ia.id].represented_by == b.full_name and by_id[ia.id].represented_by_contact_id == b.id
    assert by_id[ib.id].arrived_at == datetime(2025, 3, 18, 14, 20)
    assert store.meetings.attendance_count(meeting.id) == (2, 2)
    ops_of(store).set_attendance(ib.id, Attendance.EXCUSED, arrived_at=datetime(2025, 3, 18, 14, 20))
    assert store.meetings.get_invitation(ib.id).arrived_at is None
    with pytest.raises(ValidationError):
        ops_of(store).set_attendance(ib.id, Attendance.REPRESENTED)
    assert store.meetings.get_invitation(ib.id).attendance is Attendance.EXCUSED


def test_walk_in_creates_the_referent_and_marks_present(configured_store):
    from clspd_desktop.domain.directory import Contact

    store = configured_store
    org = add_organisation(store, "Ville de Montreval", OrganisationCategory.ELECTED)
    meeting = new_meeting(store)
    invitation = ops_of(store).add_walk_in(
        meeting.id, Contact(last_name="Nouveau", first_name="Jean", organisation_id=org.id, function="Adjoint"),
        arrived_at=datetime(2025, 3, 18, 14, 35))
    assert invitation.walk_in and invitation.attendance is Attendance.PRESENT
    assert invitation.organisation_name == "Ville de Montreval"
    created = store.directory.get_contact(invitation.contact_id)
    assert created.last_name == "Nouveau" and created.function == "Adjoint"
    assert store.meetings.attendance_count(meeting.id) == (1, 0)
    with pytest.raises(ValidationError):
        ops_of(store).add_walk_in(meeting.id, Contact(last_name=" "))


def test_confidential_group_refuses_unsigned_walk_in_and_free_name_representative(configured_store):
    from clspd_desktop.domain.directory import Contact

    store = configured_store
    group = add_working_group(store)
    org = add_organisation(store, "Mission locale", OrganisationCategory.ASSOCIATION)
    signed = member(store, group.id, org, "Signé", signed_on=date(2024, 1, 1))
    meeting = new_meeting(store, formation_id=group.id)
    invite_formation_members(store, meeting.id)
    invitation = store.meetings.invitations(meeting.id)[0]
    with pytest.raises(UserError, match="charte"):
        ops_of(store).add_walk_in(meeting.id, Contact(last_name="Inconnu"))
    with pytest.raises(UserError, match="signataire"):
        ops_of(store).set_attendance(invitation.id, Attendance.REPRESENTED, represented_by="Un collègue")
    assert store.directory.count_contacts() == 1
    assert store.meetings.get_invitation(invitation.id).attendance is None
    ops_of(store).add_walk_in(meeting.id, signed)  # already invited: just marked present
    assert store.meetings.attendance_count(meeting.id) == (1, 1)


def test_deleted_referent_who_attended_keeps_the_name_in_history(configured_store):
    store = configured_store
    org = add_organisation(store, "Collège Jean-Moulin", OrganisationCategory.EDUCATION)
    person = add_contact(store, org, "Lefèvre", "Chloé", function="Principale")
    meeting = new_meeting(store)
    invitation = invite_contact(store, meeting.id, person.id)
    ops_of(store).set_attendance(invitation.id, Attendance.PRESENT)
    store.directory.delete_contact(person.id)
    kept = store.meetings.invitations(meeting.id)
    assert len(kept) == 1
    assert kept[0].contact_id is None and kept[0].name == "Mme Chloé Lefèvre"
    assert kept[0].organisation_name == "Collège Jean-Moulin" and kept[0].attendance is Attendance.PRESENT
    store.directory.delete_organisation(org.id)
    assert store.meetings.invitations(meeting.id)[0].organisation_name == "Collège Jean-Moulin"


# --- minutes ---------------------------------------------------------------------------------------------
def test_minutes_decisions_and_action_items(configured_store):
    store = configured_store
    org = add_organisation(store, "Bailleur Habitat 91", OrganisationCategory.SOCIAL_LANDLORD)
    meeting = new_meeting(store, agenda=[AgendaItem("Point 1")])
    assert store.meetings.minutes(meeting.id) is None
    store.meetings.save_minutes(Minutes(meeting.id, summary="Séance ouverte à 14 h.", written_by="J. Perrot"))
    store.meetings.save_minutes(Minutes(meeting.id, summary="Séance ouverte à 14 h 05.", written_by="J. Perrot"))
    assert store.meetings.minutes(meeting.id).summary == "Séance ouverte à 14 h 05."
    d1 = ops_of(store).save_decision(Decision(meeting.id, "Adopter le plan."))
    d2 = ops_of(store).save_decision(Decision(meeting.id, "Créer un GT.", agenda_item_id=meeting.agenda[0].id))
    assert (d1.position, d2.position) == (1, 2)
    with pytest.raises(ValidationError):
        ops_of(store).save_decision(Decision(meeting.id, "  "))
    store.meetings.delete_decision(d1.id)
    assert [d.text for d in store.meetings.decisions(meeting.id)] == ["Créer un GT."]
    with pytest.raises(ValidationError) as err:
        ops_of(store).save_action_item(ActionItem(meeting.id, "Éclairage du parking"))
    assert "responsable" in err.value.fields["responsible"]
    late = ops_of(store).save_action_item(ActionItem(meeting.id, "Éclairage du parking",
                                                      responsible_organisation_id=org.id, due_date=date(2025, 4, 1)))
    ops_of(store).save_action_item(ActionItem(meeting.id, "Réunion des gardiens", responsible_name="M. Durand",
                                               due_date=date(2025, 9, 1)))
    done = ops_of(store).save_action_item(ActionItem(meeting.id, "Fait", responsible_name="X",
                                                      status=ActionItemStatus.DONE))
    assert done.done_on == date.today()
    open_items = store.meetings.open_action_items(date(2025, 5, 1))
    assert [(o.item.text, o.overdue) for o in open_items] == [("Éclairage du parking", True),
                                                              ("Réunion des gardiens", False)]
    assert open_items[0].responsible == "Bailleur Habitat 91"
    assert open_items[0].formation_name == "Formation plénière"
    store.meetings.delete_action_item(late.id)
    assert len(store.meetings.action_items(meeting.id)) == 2


# --- legal watch -----------------------------------------------------------------------------------------
def test_plenary_watch_queries(configured_store):
    store = configured_store
    assert store.meetings.last_plenary_date(date(2025, 1, 1)) is None
    held = new_meeting(store, day=date(2024, 3, 12), prefect_presentation=True)
    cancelled = new_meeting(store, day=date(2024, 11, 5))
    store.meetings.cancel(cancelled.id)
    group = add_working_group(store, "GT", confidential=False, wg_type=THEMATIC)
    new_meeting(store, formation_id=group.id, day=date(2024, 12, 1))
    assert store.meetings.last_plenary_date(date(2025, 1, 1)) == date(2024, 3, 12)
    assert [m.id for m in store.meetings.plenaries_in_year(2024)] == [held.id]
    upcoming = store.meetings.upcoming_meetings(date(2024, 11, 20), days=30)
    assert [m.formation_id for m in upcoming] == [group.id]


def test_late_convocations_against_notice_periods(configured_store):
    store = configured_store
    org = add_organisation(store, "Police nationale", OrganisationCategory.POLICE)
    people = [add_contact(store, org, f"Agent{n}", "A") for n in range(3)]
    plenary = new_meeting(store, day=date(2025, 3, 20))  # 15 clear days: send by 04/03
    ids = [invite_contact(store, plenary.id, p.id).id for p in people]
    store.meetings.mark_sent(ids[:1], datetime(2025, 3, 4, 18))  # on time
    store.meetings.mark_sent(ids[1:2], datetime(2025, 3, 6, 9))  # late
    group = add_working_group(store, "GT", confidential=False, wg_type=THEMATIC)
    new_meeting(store, formation_id=group.id, day=date(2025, 3, 28))  # 5 clear days: send by 22/03
    late = store.meetings.late_convocations(date(2025, 3, 10), 15, 5)
    assert len(late) == 1
    assert (late[0].unsent, late[0].sent_late, late[0].latest_date) == (1, 1, date(2025, 3, 4))
    assert "1 convocation non envoyée, 1 envoyée en retard" in late[0].description
    later = store.meetings.late_convocations(date(2025, 3, 23), 15, 5)
    assert [x.meeting.formation_id for x in later] == [group.id]  # the plenary is over: no longer watched
    assert "aucun invité" in later[0].description


def test_late_convocations_at_the_edge_of_the_longest_notice(configured_store):
    """Only meetings within the longest notice period are read (start-up reads this): the first day
    whose sending deadline has passed is flagged, the next day is not."""
    store = configured_store
    today = date(2025, 3, 10)
    due = new_meeting(store, day=today + timedelta(days=15))  # 25/03, 15 clear days: send by 09/03, passed
    new_meeting(store, day=today + timedelta(days=16))  # 26/03: send by 10/03, that is today
    late = store.meetings.late_convocations(today, 15, 5)
    assert [x.meeting.id for x in late] == [due.id] and late[0].latest_date == date(2025, 3, 9)


def test_notice_settings_have_defaults_and_are_validated(configured_store):
    repo = configured_store.meetings
    assert repo.notice_days(FormationKind.PLENARY) == 15 and repo.notice_days(FormationKind.WORKING_GROUP) == 5
    ops_of(configured_store).set_notice_days(20, 7)
    assert repo.notice_days(FormationKind.PLENARY) == 20 and repo.notice_days(FormationKind.RESTRICTED) == 7
    with pytest.raises(ValidationError):
        ops_of(configured_store).set_notice_days(-1, 500)
    assert repo.notice_days(FormationKind.PLENARY) == 20


# --- attached documents ----------------------------------------------------------------------------------
def test_document_is_copied_with_its_hash_and_removed(configured_store, paths, tmp_path):
    import hashlib

    from clspd_desktop.services.meeting_documents import attach_document, document_path, remove_document

    meeting = new_meeting(configured_store, agenda=[AgendaItem("Diagnostic")])
    source = tmp_path / "Diagnostic local: version <finale>?.pdf"
    source.write_bytes(b"%PDF-1.4 diagnostic" * 100)
    doc = attach_document(configured_store, paths.documents_dir, meeting.id, source, meeting.agenda[0].id)
    copy = document_path(paths.documents_dir, doc)
    assert copy.read_bytes() == source.read_bytes()
    assert doc.sha256 == hashlib.sha256(source.read_bytes()).hexdigest() and doc.size == 1900
    assert doc.original_name == source.name and not any(c in copy.name for c in '<>:?"')
    source.unlink()  # the app keeps its own copy
    assert [d.id for d in configured_store.meetings.documents(meeting.id)] == [doc.id]
    remove_document(configured_store, paths.documents_dir, doc.id)
    assert configured_store.meetings.documents(meeting.id) == [] and not copy.exists()


def test_document_that_cannot_be_copied_records_nothing(configured_store, paths, tmp_path, monkeypatch):
    import shutil

    from clspd_desktop.errors import StorageError
    from clspd_desktop.services import meeting_documents

    meeting = new_meeting(configured_store)
    with pytest.raises(StorageError, match="introuvable"):
        meeting_documents.attach_document(configured_store, paths.documents_dir, meeting.id, tmp_path / "absent.pdf")
    source = tmp_path / "ordre-du-jour.docx"
    source.write_bytes(b"x" * 5000)

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    with pytest.raises(StorageError) as err:
        meeting_documents.attach_document(configured_store, paths.documents_dir, meeting.id, source)
    assert "disque est plein" in err.value.message and "n'a pas été ajouté" in err.value.message
    assert configured_store.meetings.documents(meeting.id) == []
    assert [p for p in paths.documents_dir.rglob("*") if p.is_file()] == []


def test_document_record_failure_removes_the_copy(configured_store, paths, tmp_path, monkeypatch):
    from clspd_desktop.services.meeting_documents import attach_document

    meeting = new_meeting(configured_store)
    source = tmp_path / "annexe.pdf"
    source.write_bytes(b"annexe")
    monkeypatch.setattr(configured_store.meetings, "add_document",
                        lambda doc: (_ for _ in ()).throw(UserError("base verrouillée")))
    with pytest.raises(UserError):
        attach_document(configured_store, paths.documents_dir, meeting.id, source)
    assert [p for p in paths.documents_dir.rglob("*") if p.is_file()] == []


def test_a_group_with_meetings_cannot_be_deleted(configured_store):
    from datetime import datetime

    from clspd_desktop.domain.meetings import Meeting
    from clspd_desktop.errors import UserError
    from clspd_desktop.services.operations.directory import check_working_group_deletable
    from tests.factories import add_working_group

    group = add_working_group(configured_store, "Veille <Tilleuls>")
    configured_store.meetings.save_meeting(Meeting(group.id, datetime(2026, 3, 2, 14), datetime(2026, 3, 2, 16)))
    with pytest.raises(UserError, match="1 réunion"):
        check_working_group_deletable(configured_store, group.id)
    assert configured_store.formations.get(group.id) is not None


# --- the operations' environment: undo, worker-side progress and cancel ----------------------------------
@pytest.fixture
def env(ctx):
    from clspd_desktop.services.operations import OpEnv

    return OpEnv(ctx.paths, ctx.rules, store=ctx.store)


def test_deleting_a_meeting_is_undone_with_everything_it_held(ctx, env):
    from clspd_desktop.services.operations.execution import execute, reverse

    store = ctx.store
    org = add_organisation(store, "Police nationale", OrganisationCategory.POLICE)
    meeting = new_meeting(store, agenda=[AgendaItem("Point 1")])
    invitation = invite_contact(store, meeting.id, add_contact(store, org, "Aubry", "Marc").id)
    ops_of(store).set_attendance(invitation.id, Attendance.PRESENT)
    ops_of(store).save_minutes(Minutes(meeting.id, summary="Séance ouverte."), {meeting.agenda[0].id: "Notes"})
    ops_of(store).save_decision(Decision(meeting.id, "Adopter le plan."))
    result, step = execute(lambda e: ops.delete_meeting(e, meeting.id), env, undo="Suppression")
    assert store.meetings.get_meeting(meeting.id) is None and step is not None
    assert Change.MEETINGS in result.changes.kinds
    execute(reverse(step), env)
    back = store.meetings.get_meeting(meeting.id)
    assert back.uid == meeting.uid and back.agenda[0].notes == "Notes"
    assert store.meetings.get_invitation(invitation.id).attendance is Attendance.PRESENT
    assert store.meetings.minutes(meeting.id).summary == "Séance ouverte."
    assert [d.text for d in store.meetings.decisions(meeting.id)] == ["Adopter le plan."]


def test_removing_an_invitee_is_undone(ctx, env):
    from clspd_desktop.services.operations.execution import execute, reverse

    store = ctx.store
    meeting = new_meeting(store)
    invitation = invite_contact(store, meeting.id, add_contact(store, None, "Aubry", "Marc").id)
    _, step = execute(lambda e: ops.remove_invitation(e, invitation.id), env, undo="Retrait")
    assert store.meetings.invitations(meeting.id) == []
    execute(reverse(step), env)
    assert [i.id for i in store.meetings.invitations(meeting.id)] == [invitation.id]


def test_a_cancelled_document_writes_no_file(ctx, env, tmp_path):
    from clspd_desktop.services.operations import Cancelled

    meeting = new_meeting(ctx.store)
    env.progress.cancel()
    with pytest.raises(Cancelled):
        ops.write_convocations(env, meeting.id, tmp_path / "convocations.pdf")
    assert not (tmp_path / "convocations.pdf").exists()


def test_smtp_sending_stops_at_annuler_and_keeps_what_left(ctx, env, tmp_path, smtp_server):  # noqa: F811
    from tests.unit.test_convocation_sending import make_meeting

    inbox, settings = smtp_server()
    meeting = make_meeting(ctx.store, ctx.paths, tmp_path)
    seen = []

    def listener(done: int, total: int, label: str) -> None:
        seen.append(label)
        if done == 1:
            env.progress.cancel()  # « Annuler » pressed while the second message is being prepared

    env.progress._listener = listener  # noqa: SLF001 - the runner's role in this test
    result = ops.send_by_smtp(env, meeting.id, settings, None)
    report = result.value
    assert report.stopped == "Envoi interrompu par l'utilisateur."
    assert report.count(Outcome.SENT) == 2 and len(inbox.messages) == 2
    assert seen[0].startswith("Envoi à ") and "(1 sur 4)" in seen[0]
    sent = [i for i in ctx.store.meetings.invitations(meeting.id) if i.sent_at]
    assert len(sent) == 2  # each accepted message was recorded at once
    assert Change.INVITATIONS in result.changes.kinds


def test_meetings_overview_reads_the_weeks_shown_and_the_list_without_agendas(configured_store):
    store = configured_store
    group = add_working_group(store, "Tranquillité publique", confidential=False, wg_type=THEMATIC)
    march = new_meeting(store, title="Plénière", agenda=[AgendaItem("Bilan")])
    april = new_meeting(store, group.id, day=date(2025, 4, 8), title="Groupe d'avril")
    overview = ops_of(store).meetings_overview(first=date(2025, 2, 24), last=date(2025, 4, 6),
                                               list_start=date(2025, 3, 1), list_end=date(2025, 12, 31),
                                               list_formation_id=group.id)
    assert [m.id for m in overview.calendar] == [march.id]
    assert [m.id for m in overview.listed] == [april.id]
    assert overview.calendar[0].agenda == []  # neither the calendar nor the list shows it
    assert [i.title for i in store.meetings.meetings_between(date(2025, 3, 1), date(2025, 3, 31))[0].agenda] == [
        "Bilan"]
