"""Meetings made from what exists: « Dupliquer », the agenda a new meeting proposes (template, decisions still
open), the first plenary, holiday warnings per occurrence, and the minutes sent to the participants."""

from __future__ import annotations

import email
from datetime import date, datetime, time
from email import policy

import pytest

from clspd_desktop.domain.directory import CharterEndReason, CharterSignature, FormationKind
from clspd_desktop.domain.followup import carried_line
from clspd_desktop.domain.meetings import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingStatus,
    Minutes,
    Reply,
)
from clspd_desktop.errors import UserError
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import meeting_copies as copies
from tests.factories import add_contact, add_organisation, add_working_group, join


def _meeting(store, formation_id, day, **kw):
    return store.meetings.save_meeting(Meeting(formation_id=formation_id, starts_at=datetime.combine(day, time(14)),
                                               ends_at=datetime.combine(day, time(16, 30)), **kw))


def test_a_copy_keeps_place_agenda_and_invitees_but_not_replies(configured_store, paths):
    store = configured_store
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    source = _meeting(store, plenary.id, date(2026, 3, 10), title="Plénière de printemps", place="Salle du conseil",
                      agenda=[AgendaItem(title="Bilan", presenter="Le maire", notes="Dit en séance")])
    store.meetings.set_status(source.id, MeetingStatus.HELD)
    came = store.meetings.insert_invitation(Invitation(meeting_id=source.id, name="M. Paul Durand", email="p@x.fr"))
    store.meetings.set_reply(came.id, Reply.PRESENT, "", datetime(2026, 3, 1))
    store.meetings.set_attendance(came.id, Attendance.PRESENT)
    walk_in = Invitation(meeting_id=source.id, name="Mme Visiteuse", walk_in=True)
    store.meetings.insert_invitation(walk_in)

    result = copies.duplicate_meeting(OpEnv(paths, None, store=store), source.id, datetime(2026, 9, 15, 9, 30)).value
    copy = store.meetings.get_meeting(result.meeting.id)
    assert (copy.title, copy.place, copy.status) == ("Plénière de printemps", "Salle du conseil", MeetingStatus.PLANNED)
    assert (copy.starts_at, copy.ends_at) == (datetime(2026, 9, 15, 9, 30), datetime(2026, 9, 15, 12))
    assert [(i.title, i.presenter, i.notes) for i in copy.agenda] == [("Bilan", "Le maire", "")]
    assert copy.uid and copy.uid != source.uid
    invited = store.meetings.invitations(copy.id)
    assert [(i.name, i.email, i.reply, i.attendance, i.sent_at) for i in invited] == [
        ("M. Paul Durand", "p@x.fr", None, None, None)]
    assert result.invited == 1 and result.left_out == []
    assert store.meetings.get_meeting(source.id).status is MeetingStatus.HELD  # the source is untouched


def test_a_confidential_copy_invites_again_only_valid_signatories(configured_store, paths):
    store = configured_store
    group = add_working_group(store, "Cellule", confidential=True)
    org = add_organisation(store, "Mission locale")
    signed = add_contact(store, org, "Signataire", "Ana")
    store.formations.save_signature(CharterSignature(contact_id=signed.id, charter_version="2024",
                                                     signed_on=date(2024, 1, 1)))
    later = add_contact(store, org, "Retiré", "Marc")
    store.formations.save_signature(CharterSignature(contact_id=later.id, charter_version="2024",
                                                     signed_on=date(2024, 1, 1), ended_on=date(2026, 6, 1),
                                                     end_reason=CharterEndReason.WITHDRAWN))
    for contact in (signed, later):
        join(store, contact, formation=group, start_date=date(2024, 1, 1))
    source = _meeting(store, group.id, date(2026, 3, 10))
    from clspd_desktop.services.operations.meetings import invite_formation_members

    assert invite_formation_members(store, source.id) == []
    result = copies.duplicate_meeting(OpEnv(paths, None, store=store), source.id, datetime(2026, 9, 15, 14)).value
    assert result.invited == 1 and result.left_out == ["Mme Marc Retiré"]
    assert [i.contact_id for i in store.meetings.invitations(result.meeting.id)] == [signed.id]


def test_a_new_meeting_proposes_its_template_then_the_open_decisions(configured_store):
    store = configured_store
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    first = copies.agenda_template(store, FormationKind.PLENARY, date(2026, 3, 1))
    assert first is not None and first.key == "premiere_pleniere"
    held = _meeting(store, plenary.id, date(2026, 3, 10))
    yearly = copies.agenda_template(store, FormationKind.PLENARY, date(2027, 3, 1))
    assert yearly is not None and yearly.key == "pleniere_annuelle"
    open_item = store.meetings.save_action_item(ActionItem(meeting_id=held.id, text="Médiation de soirée",
                                                           responsible_name="Coordonnateur", due_date=date(2026, 6, 1)))
    store.meetings.save_action_item(ActionItem(meeting_id=held.id, text="Charte", status=ActionItemStatus.DONE))
    carried = copies.open_items_to_carry(store, plenary.id, date(2027, 3, 1))
    assert [i.text for i in carried] == ["Médiation de soirée"]
    agenda = copies.with_carried(copies.template_agenda(yearly), carried)
    titles = [i.title for i in agenda]
    at = titles.index("Suivi des décisions")
    assert titles[at + 1] == carried_line(carried[0]) and titles[-1] == carried_line(carried[0])

    # the meeting that carried it still lists it once it is closed there
    next_one = _meeting(store, plenary.id, date(2027, 3, 1), agenda=agenda)
    store.followup.update(open_item.id, ActionItemStatus.DONE, "todo", "", date(2027, 3, 1))
    assert [i.text for i in copies.carried_into(store, store.meetings.get_meeting(next_one.id))] == ["Médiation de soirée"]
    assert copies.open_items_to_carry(store, plenary.id, date(2027, 6, 1)) == []
    elsewhere = _meeting(store, plenary.id, date(2027, 6, 1))
    assert copies.carried_into(store, store.meetings.get_meeting(elsewhere.id)) == []


def test_each_occurrence_on_a_holiday_or_in_the_zone_s_school_holidays_is_named(configured_store):
    store = configured_store
    days = [date(2026, 7, 14), date(2026, 10, 27), date(2026, 11, 3)]
    assert copies.occurrence_warnings(store, days) == ["Attention : le mardi 14 juillet 2026 est un jour férié (Fête nationale)."]
    store.settings.set("school_zone", "C")
    warnings = copies.occurrence_warnings(store, days)
    assert "vacances scolaires de la zone C" in warnings[-1] and "mardi 27 octobre 2026" in warnings[-1]
    assert not any("03/11/2026" in w for w in warnings)


def test_the_first_plenary_gets_the_guide_s_agenda(configured_store, paths):
    store = configured_store
    meeting = copies.convene_first_plenary(OpEnv(paths, None, store=store), datetime(2027, 1, 19, 18),
                                           signatory="La maire").value
    saved = store.meetings.get_meeting(meeting.id)
    assert saved.formation_id == store.formations.by_kind(FormationKind.PLENARY).id
    assert saved.title == "Première réunion plénière" and saved.signatory == "La maire"
    assert saved.agenda[0].title.startswith("Vote du règlement intérieur")
    assert saved.ends_at == datetime(2027, 1, 19, 20)


def test_distributed_minutes_land_in_the_meeting_s_folder(configured_store, paths):
    store = configured_store
    plenary = store.formations.by_kind(FormationKind.PLENARY)
    meeting = _meeting(store, plenary.id, date(2026, 11, 20))
    invitation = store.meetings.insert_invitation(Invitation(meeting_id=meeting.id, name="M. Paul Durand",
                                                             email="paul@x.fr"))
    store.meetings.set_attendance(invitation.id, Attendance.EXCUSED)
    store.meetings.save_minutes(Minutes(meeting_id=meeting.id, summary="Point sur la médiation."))
    drafts = copies.distribute_minutes(OpEnv(paths, None, store=store), meeting.id, [invitation.id]).value
    assert [d.parent for d in drafts] == [paths.exports_dir / "comptes-rendus" / f"2026-11-20-{meeting.id}"]
    message = email.message_from_bytes(drafts[0].read_bytes(), policy=policy.default)
    assert message["To"] == "paul@x.fr"
    with pytest.raises(UserError, match="adresse"):
        copies.distribute_minutes(OpEnv(paths, None, store=store), meeting.id, [])
