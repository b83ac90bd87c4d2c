"""The .ics invitation parsed back with icalendar: stable UID, SEQUENCE raised, CANCEL, attendees, zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from clspd_desktop.domain.meetings import InvitationRole
from clspd_desktop.errors import UserError
from clspd_desktop.services.invitations_ics import build_ics, ics_file_name
from tests.factories import make_council
from tests.unit.test_convocations_pdf import CELLULE, make_papers

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def parse(data: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def test_request_carries_uid_sequence_times_attendees_and_organizer():
    papers = make_papers()
    calendar, event = parse(build_ics(papers.council, papers.meeting, papers.formation, papers.invitations, now=NOW))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "reunion-1@clspd-desktop"
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 12, 8, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTEND").hour == 16
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(event["LOCATION"]) == "Salle du conseil, <mairie> & annexe"
    assert "1. État de la délinquance <2026> (M. le Préfet)" in str(event["DESCRIPTION"])
    assert str(event["ORGANIZER"]) == "mailto:j.perrot@montreval.fr"
    assert event["ORGANIZER"].params["CN"] == "Julien Perrot"
    attendees = {str(a): a.params for a in event["ATTENDEE"]}
    assert len(attendees) == 5
    zoe = attendees["mailto:fils@exemple.fr"]
    assert zoe["CN"] == "Mme Zoé <SARL> & Fils" and zoe["RSVP"] == "TRUE" and zoe["ROLE"] == "REQ-PARTICIPANT"
    substitute = next(p for p in attendees.values() if p["CN"] == "M. Luc Suppléant")
    assert substitute["ROLE"] == "OPT-PARTICIPANT"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_uid_stays_and_sequence_rises_when_the_meeting_changes():
    papers = make_papers()
    first = parse(build_ics(papers.council, papers.meeting, papers.formation, papers.invitations, now=NOW))[1]
    papers.meeting.starts_at = datetime(2026, 12, 9, 9, 0)
    papers.meeting.ends_at = datetime(2026, 12, 9, 11, 0)
    papers.meeting.sequence += 1
    second = parse(build_ics(papers.council, papers.meeting, papers.formation, papers.invitations, now=NOW))[1]
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert second.decoded("DTSTART").day == 9


def test_cancel_keeps_the_uid():
    papers = make_papers()
    papers.meeting.sequence = 3
    calendar, event = parse(build_ics(papers.council, papers.meeting, papers.formation, papers.invitations,
                                      cancel=True, now=NOW))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == "reunion-1@clspd-desktop" and int(event["SEQUENCE"]) == 3
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Annulé : ")
    assert ics_file_name(papers.meeting, cancel=True) == "annulation-2026-12-08-14h00.ics"


def test_confidential_group_event_is_private_and_invitees_without_address_are_skipped():
    papers = make_papers(CELLULE)
    papers.invitations[0].email = ""
    papers.invitations[1].role = InvitationRole.INFORMED
    event = parse(build_ics(papers.council, papers.meeting, papers.formation, papers.invitations, now=NOW))[1]
    assert str(event["CLASS"]) == "CONFIDENTIAL"
    assert len(event["ATTENDEE"]) == 4


def test_quotes_in_names_do_not_break_the_parameter():
    papers = make_papers()
    papers.invitations[0].name = 'Association "Les Tilleuls"'
    event = parse(build_ics(papers.council, papers.meeting, papers.formation, papers.invitations[:1], now=NOW))[1]
    attendee = event["ATTENDEE"]
    attendee = attendee[0] if isinstance(attendee, list) else attendee
    assert attendee.params["CN"] == "Association 'Les Tilleuls'"


def test_missing_organizer_or_uid_is_a_clear_error():
    papers = make_papers()
    council = make_council(coordinator_email="", email="")
    with pytest.raises(UserError, match="e-mail du coordonnateur"):
        build_ics(council, papers.meeting, papers.formation, papers.invitations)
    papers.meeting.uid = ""
    with pytest.raises(UserError, match="Enregistrez"):
        build_ics(papers.council, papers.meeting, papers.formation, papers.invitations)
