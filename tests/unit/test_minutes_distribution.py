"""Minutes distribution: drafts to the ticked participants with the PDF; never for a confidential group."""

from __future__ import annotations

import email
from datetime import datetime
from email import policy

import pytest

from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import Attendance, Invitation, Meeting, Minutes
from clspd_desktop.errors import UserError
from clspd_desktop.services.minutes_distribution import recipients, write_minutes_drafts
from tests.factories import add_working_group


def _meeting(store, formation):
    meeting = store.meetings.save_meeting(Meeting(formation_id=formation.id, starts_at=datetime(2026, 11, 20, 14),
                                                  ends_at=datetime(2026, 11, 20, 16)))
    for name, mail_address, attendance in (("M. Paul Durand", "paul@x.fr", Attendance.PRESENT),
                                           ("Mme Léa Roux", "", Attendance.EXCUSED),
                                           ("M. Jean Petit", "jean@x.fr", Attendance.ABSENT),
                                           ("Mme Anne Morel", "anne@x.fr", Attendance.REPRESENTED)):
        invitation = store.meetings.insert_invitation(Invitation(meeting_id=meeting.id, name=name,
                                                                 email=mail_address))
        store.meetings.set_attendance(invitation.id, attendance)
    store.meetings.save_minutes(Minutes(meeting_id=meeting.id, summary="Point sur la médiation."))
    return meeting


def test_absent_people_are_not_offered_and_drafts_carry_the_pdf(configured_store, tmp_path):
    store = configured_store
    meeting = _meeting(store, store.formations.by_kind(FormationKind.PLENARY))
    offered = recipients(store, meeting.id)
    assert sorted(r.name for r in offered) == ["M. Paul Durand", "Mme Anne Morel", "Mme Léa Roux"]
    drafts = write_minutes_drafts(store, meeting.id, [r.invitation_id for r in offered], tmp_path)
    assert len(drafts) == 2  # Léa Roux has no address
    message = email.message_from_bytes(drafts[0].read_bytes(), policy=policy.default)
    attachments = [part.get_filename() for part in message.iter_attachments()]
    assert attachments == ["compte-rendu-2026-11-20.pdf"]
    assert "Compte rendu" in message["Subject"] and message["X-Unsent"] == "1"


def test_confidential_conclusions_are_never_prepared_for_e_mail(configured_store, tmp_path):
    store = configured_store
    meeting = _meeting(store, add_working_group(store, "Cellule", confidential=True))
    with pytest.raises(UserError, match="ne s'envoie pas par courriel"):
        recipients(store, meeting.id)
    with pytest.raises(UserError, match="imprimez-le"):
        write_minutes_drafts(store, meeting.id, [1, 2], tmp_path)
    assert list(tmp_path.glob("*.eml")) == [] and list(tmp_path.glob("*.pdf")) == []
