"""Convocations by e-mail: .eml drafts parsed back, SMTP against a local aiosmtpd (success, refused recipient,
refusing server, server down), sent dates recorded only for what left, SEQUENCE raised, cancellation."""

from __future__ import annotations

import email
from datetime import date, datetime, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from clspd_desktop.domain.directory import (
    Civility,
    ContactRole,
    FormationKind,
    Membership,
    MembershipCategory,
    OrganisationCategory,
)
from clspd_desktop.domain.meetings import AgendaItem, Meeting, MeetingStatus
from clspd_desktop.errors import UserError
from clspd_desktop.services.convocation_sending import (
    Outcome,
    cancel_meeting,
    prepare_drafts,
    record_drafts_sent,
    send_by_smtp,
)
from clspd_desktop.services.mail import SmtpSettings
from clspd_desktop.services.meeting_documents import attach_document
from clspd_desktop.services.operations.meetings import invite_formation_members
from tests.factories import add_contact, add_organisation, add_working_group
from tests.unit.test_mail import free_port

TODAY = date(2026, 11, 20)
SENT_AT = datetime(2026, 11, 20, 10, 15)


class Inbox:
    """Accepts everything except the addresses in `refused`, or every message when `refuse_all`."""

    def __init__(self, refused: set[str] = frozenset(), refuse_all: bool = False) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refused, self.refuse_all = refused, refuse_all

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.refuse_all:
            return "554 Envoi refusé par la politique du serveur"
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    controllers = []

    def start(**kw):
        inbox = Inbox(**kw)
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return inbox, SmtpSettings(host="127.0.0.1", port=port, security="none", sender="clspd@montreval.fr")

    yield start
    for controller in controllers:
        controller.stop()


def make_meeting(store, paths, tmp_path, confidential: bool = False):
    """A meeting with a préfet, a police chief, an association (hostile name), a substitute, one without e-mail."""
    if confidential:
        formation = add_working_group(store, "Cellule <veille>")
    else:
        formation = store.formations.by_kind(FormationKind.PLENARY)
    people = [
        ("Préfecture de l'Essonne", "prefecture", "Préfète", "Anne", ContactRole.TITULAR, "a.prefete@essonne.gouv.fr"),
        ("Police municipale", "municipal_police", "Bernard", "Paul", ContactRole.TITULAR, "p.bernard@montreval.fr"),
        ("Association R&D <Prévention>", "association", "<Zoé>", "Léa", ContactRole.TITULAR, "zoe@asso.fr"),
        ("Police municipale", "municipal_police", "Suppléant", "Luc", ContactRole.SUBSTITUTE, "l.suppleant@montreval.fr"),
        ("Bailleur Habitat", "social_landlord", "Sansmail", "Eve", ContactRole.TITULAR, ""),
    ]
    orgs = {}
    for org_name, category, last, first, role, mail_address in people:
        org = orgs.get(org_name) or add_organisation(store, org_name, OrganisationCategory(category))
        orgs[org_name] = org
        civility = Civility.MR if first in ("Paul", "Luc") else Civility.MRS
        contact = add_contact(store, org, last_name=last, first_name=first, role=role, email=mail_address,
                              civility=civility)
        store.formations.save_membership(Membership(formation_id=formation.id, contact_id=contact.id,
                                                    category=MembershipCategory.DESIGNE))
        if confidential:
            from clspd_desktop.domain.directory import CharterSignature

            store.formations.save_signature(CharterSignature(contact.id, "2014", date(2026, 1, 5)))
    start = datetime(2026, 12, 8, 14, 0)
    meeting = store.meetings.save_meeting(Meeting(
        formation_id=formation.id, starts_at=start, ends_at=start + timedelta(hours=2), place="Salle du conseil",
        reply_deadline=date(2026, 12, 1), agenda=[AgendaItem("Diagnostic"), AgendaItem("Plan d'actions")]))
    assert invite_formation_members(store, meeting.id) == []
    source = tmp_path / "Diagnostic <2026>.pdf"
    source.write_bytes(b"%PDF-1.4 diagnostic")
    attach_document(store, paths.documents_dir, meeting.id, source)
    return meeting


def parse_eml(path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def attachments_of(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def ics_of(attachments: dict[str, bytes]) -> Calendar:
    (data,) = [v for k, v in attachments.items() if k.endswith(".ics")]
    return Calendar.from_ical(data)


def sent_dates(store, meeting_id) -> dict[str, datetime | None]:
    return {i.name: i.sent_at for i in store.meetings.invitations(meeting_id)}


def test_one_draft_per_invitee_with_letter_ics_and_documents(configured_store, paths, tmp_path):
    meeting = make_meeting(configured_store, paths, tmp_path)
    batch = prepare_drafts(configured_store, paths, meeting.id, today=TODAY)
    assert len(batch.drafts) == 4 and [i.name for i in batch.without_address] == ["Mme Eve Sansmail"]
    first = parse_eml(batch.drafts[0])
    assert first["X-Unsent"] == "1" and first["To"] == "a.prefete@essonne.gouv.fr"
    assert first["Subject"].startswith("Convocation — Formation plénière du CLSPD")
    files = attachments_of(first)
    assert set(files) == {"Convocation - Mme Anne Préfète.pdf", "invitation-2026-12-08-14h00.ics",
                          "Diagnostic _2026.pdf"}
    assert files["Convocation - Mme Anne Préfète.pdf"].startswith(b"%PDF")
    assert files["Diagnostic _2026.pdf"] == b"%PDF-1.4 diagnostic"
    event = ics_of(files).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid and int(event["SEQUENCE"]) == 0
    assert str(event["ATTENDEE"]) == "mailto:a.prefete@essonne.gouv.fr"
    substitute = next(parse_eml(p) for p in batch.drafts if "Suppl" in p.name)
    assert substitute["Subject"].startswith("Information — ")
    assert "Information - M. Luc Suppléant.pdf" in attachments_of(substitute)
    assert "avant le mardi 1er décembre 2026" in first.get_body(("plain",)).get_content()
    # drafts are not sendings: nothing recorded until the user says so
    assert all(v is None for v in sent_dates(configured_store, meeting.id).values())
    record_drafts_sent(configured_store, batch, SENT_AT)
    dates = sent_dates(configured_store, meeting.id)
    assert dates["Mme Eve Sansmail"] is None and dates["Mme Anne Préfète"] == SENT_AT


def test_single_bcc_draft_hides_addresses(configured_store, paths, tmp_path):
    meeting = make_meeting(configured_store, paths, tmp_path)
    batch = prepare_drafts(configured_store, paths, meeting.id, bcc=True, today=TODAY)
    (draft,) = batch.drafts
    message = parse_eml(draft)
    assert message["To"] == "j.perrot@montreval.fr"
    assert set(message["Bcc"].split(", ")) == {"a.prefete@essonne.gouv.fr", "p.bernard@montreval.fr",
                                               "zoe@asso.fr", "l.suppleant@montreval.fr"}
    files = attachments_of(message)
    assert "Convocations.pdf" in files and "Diagnostic _2026.pdf" in files
    assert "ATTENDEE" not in ics_of(files).walk("VEVENT")[0]


def test_confidential_group_documents_never_attached(configured_store, paths, tmp_path):
    meeting = make_meeting(configured_store, paths, tmp_path, confidential=True)
    batch = prepare_drafts(configured_store, paths, meeting.id, today=TODAY)
    for draft in batch.drafts:
        message = parse_eml(draft)
        assert not any("Diagnostic" in name for name in attachments_of(message))
        assert "remis en séance" in message.get_body(("plain",)).get_content()


def test_smtp_sends_each_invitee_and_records_only_those_sent(configured_store, paths, tmp_path, smtp_server):
    meeting = make_meeting(configured_store, paths, tmp_path)
    inbox, settings = smtp_server(refused={"zoe@asso.fr"})
    seen = []
    report = send_by_smtp(configured_store, paths, meeting.id, settings, None, today=TODAY, timeout=5,
                          progress=lambda done, total, name: seen.append((done, total)) or True,
                          now=lambda: SENT_AT)
    assert report.stopped == ""
    outcomes = {r.invitation.name: r.outcome for r in report.results}
    assert outcomes == {"Mme Anne Préfète": Outcome.SENT, "M. Paul Bernard": Outcome.SENT,
                        "M. Luc Suppléant": Outcome.SENT, "Mme Léa <Zoé>": Outcome.REFUSED,
                        "Mme Eve Sansmail": Outcome.NO_ADDRESS}
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert sorted(rcpt for rcpts, _ in inbox.messages for rcpt in rcpts) == [
        "a.prefete@essonne.gouv.fr", "l.suppleant@montreval.fr", "p.bernard@montreval.fr"]
    received = email.message_from_bytes(inbox.messages[0][1], policy=policy.default)
    assert "X-Unsent" not in received and received["From"] == "clspd@montreval.fr"
    assert any(name.endswith(".ics") for name in attachments_of(received))
    dates = sent_dates(configured_store, meeting.id)
    assert dates == {"Mme Anne Préfète": SENT_AT, "M. Paul Bernard": SENT_AT, "M. Luc Suppléant": SENT_AT,
                     "Mme Léa <Zoé>": None, "Mme Eve Sansmail": None}

    # sending again after a change: same UID, SEQUENCE raised
    second_inbox, settings = smtp_server()
    send_by_smtp(configured_store, paths, meeting.id, settings, None, today=TODAY, timeout=5)
    event = ics_of(attachments_of(email.message_from_bytes(second_inbox.messages[0][1],
                                                           policy=policy.default))).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid and int(event["SEQUENCE"]) == 1
    assert configured_store.meetings.get_meeting(meeting.id).sequence == 1


def test_refusing_server_marks_nothing_sent(configured_store, paths, tmp_path, smtp_server):
    meeting = make_meeting(configured_store, paths, tmp_path)
    inbox, settings = smtp_server(refuse_all=True)
    report = send_by_smtp(configured_store, paths, meeting.id, settings, None, today=TODAY, timeout=5)
    assert "a refusé le message" in report.stopped
    assert report.count(Outcome.SENT) == 0 and report.count(Outcome.NOT_SENT) == 4
    assert inbox.messages == []
    assert all(v is None for v in sent_dates(configured_store, meeting.id).values())


def test_server_down_marks_nothing_sent(configured_store, paths, tmp_path):
    meeting = make_meeting(configured_store, paths, tmp_path)
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), security="none", sender="clspd@montreval.fr")
    report = send_by_smtp(configured_store, paths, meeting.id, settings, None, today=TODAY, timeout=5)
    assert "Impossible de joindre le serveur" in report.stopped
    assert report.count(Outcome.NOT_SENT) == 4
    assert all(v is None for v in sent_dates(configured_store, meeting.id).values())


def test_user_can_stop_the_sending(configured_store, paths, tmp_path, smtp_server):
    meeting = make_meeting(configured_store, paths, tmp_path)
    inbox, settings = smtp_server()
    report = send_by_smtp(configured_store, paths, meeting.id, settings, None, today=TODAY, timeout=5,
                          progress=lambda done, total, name: done < 2)
    assert report.count(Outcome.SENT) == 2 and len(inbox.messages) == 2
    assert report.stopped == "Envoi interrompu par l'utilisateur."
    assert sum(v is not None for v in sent_dates(configured_store, meeting.id).values()) == 2


def test_unconfigured_account_and_missing_document_are_explained(configured_store, paths, tmp_path):
    meeting = make_meeting(configured_store, paths, tmp_path)
    with pytest.raises(UserError, match="Aucun compte d'envoi"):
        send_by_smtp(configured_store, paths, meeting.id, SmtpSettings(), None)
    for doc in configured_store.meetings.documents(meeting.id):
        (paths.documents_dir / doc.stored_name).unlink()
    with pytest.raises(UserError, match="introuvable"):
        prepare_drafts(configured_store, paths, meeting.id, today=TODAY)


def test_no_convocation_leaves_with_a_password_in_clear(configured_store, paths, tmp_path, smtp_server):
    meeting = make_meeting(configured_store, paths, tmp_path)
    inbox, settings = smtp_server()
    settings.username = "coordo"  # security « aucune »: the password would cross the network in clear
    with pytest.raises(UserError, match="circulerait en clair"):
        send_by_smtp(configured_store, paths, meeting.id, settings, "secret", today=TODAY, timeout=5)
    assert inbox.messages == []
    assert all(v is None for v in sent_dates(configured_store, meeting.id).values())


def test_cancel_then_notify_with_the_same_uid(configured_store, paths, tmp_path, smtp_server):
    meeting = make_meeting(configured_store, paths, tmp_path)
    cancel_meeting(configured_store, meeting.id)
    assert configured_store.meetings.get_meeting(meeting.id).status is MeetingStatus.CANCELLED
    inbox, settings = smtp_server()
    report = send_by_smtp(configured_store, paths, meeting.id, settings, None, cancel=True, today=TODAY,
                          timeout=5)
    assert report.count(Outcome.SENT) == 4
    received = email.message_from_bytes(inbox.messages[0][1], policy=policy.default)
    assert received["Subject"].startswith("Annulation — ")
    files = attachments_of(received)
    assert list(files) == ["annulation-2026-12-08-14h00.ics"]  # no letter, no document
    calendar = ics_of(files)
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["UID"]) == meeting.uid
    assert int(event["SEQUENCE"]) == 1
    configured_store.meetings.set_status(meeting.id, MeetingStatus.HELD)
    with pytest.raises(UserError, match="déjà eu lieu"):
        cancel_meeting(configured_store, meeting.id)


def _calendar_parts(message) -> list:
    return [part for part in message.walk() if part.get_content_type() == "text/calendar"]


def test_calendar_parts_carry_charset_and_method_as_outlook_expects(configured_store, paths, tmp_path,
                                                                     smtp_server):
    meeting = make_meeting(configured_store, paths, tmp_path)
    batch = prepare_drafts(configured_store, paths, meeting.id, today=TODAY)
    draft = parse_eml(batch.drafts[0])
    alternative, attached = _calendar_parts(draft)
    # beside the text, as Outlook expects (Accept / Decline), and as the .ics attachment
    assert draft.get_body(("plain",)) is not None
    assert alternative.get_content_disposition() is None and attached.get_content_disposition() == "attachment"
    for part in (alternative, attached):
        assert part.get_content_charset() == "utf-8" and part.get_param("method") == "REQUEST"
        event = Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
        assert "Formation plénière" in str(event["SUMMARY"])  # decoded by the charset, accents intact
    raw = batch.drafts[0].read_bytes().decode("latin-1")
    assert raw.count('Content-Type: text/calendar; charset="utf-8"; method="REQUEST"') == 2
    cancel_meeting(configured_store, meeting.id)
    inbox, settings = smtp_server()
    send_by_smtp(configured_store, paths, meeting.id, settings, None, cancel=True, today=TODAY, timeout=5)
    received = email.message_from_bytes(inbox.messages[0][1], policy=policy.default)
    assert [part.get_param("method") for part in _calendar_parts(received)] == ["CANCEL", "CANCEL"]
    assert all(part.get_content_charset() == "utf-8" for part in _calendar_parts(received))
