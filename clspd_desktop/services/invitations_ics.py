"""Calendar invitations (.ics) that Outlook, Thunderbird and phones accept and update in place.

One stable UID per meeting (meeting.uid), SEQUENCE = meeting.sequence (raised by the caller each time a
changed invitation leaves), METHOD:REQUEST to invite or update, METHOD:CANCEL with the same UID to cancel.
Times carry TZID=Europe/Paris with a compact VTIMEZONE written the way Outlook writes it (yearly rules),
because the meeting times are the town hall's local times.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
    vText,
)

from clspd_desktop import __version__
from clspd_desktop.domain.council import Council
from clspd_desktop.domain.directory import Formation
from clspd_desktop.domain.meetings import Invitation, InvitationRole, Meeting
from clspd_desktop.errors import UserError

TZID = "Europe/Paris"
PRODID = f"-//CLSPD Desktop//Convocations {__version__}//FR"
ORGANIZER_MISSING = ("Indiquez l'adresse e-mail du coordonnateur (écran « Conseil ») : les agendas des invités "
                     "en ont besoin pour reconnaître l'invitation.")


def paris_timezone() -> Timezone:
    """Central European Time with the EU summer-time rule (last Sunday of March / October)."""
    zone = Timezone()
    zone.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("tzname", "CEST")
    winter = TimezoneStandard()
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("tzname", "CET")
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email.strip()}")
    # a double quote would end the quoted parameter early in strict readers
    address.params["CN"] = vText(name.replace('"', "'").strip() or email.strip())
    return address


def event_summary(council: Council, formation: Formation) -> str:
    return f"{council.kind.value} {council.name} — {formation.display_name}"


def _description(meeting: Meeting) -> str:
    lines = []
    if meeting.title.strip():
        lines.append(meeting.title.strip())
    items = sorted(meeting.agenda, key=lambda a: a.position)
    if items:
        lines.append("Ordre du jour :")
        lines += [f"{n}. {item.title}" + (f" ({item.presenter})" if item.presenter.strip() else "")
                  for n, item in enumerate(items, 1)]
    if meeting.video_link.strip():
        lines.append(f"Visioconférence : {meeting.video_link.strip()}")
    return "\n".join(lines)


def build_ics(council: Council, meeting: Meeting, formation: Formation, attendees: Sequence[Invitation], *,
              cancel: bool = False, now: datetime | None = None) -> bytes:
    """The .ics bytes for `attendees` (those with an e-mail address); CANCEL keeps the UID and SEQUENCE given."""
    organizer_email = council.coordinator_email.strip() or council.email.strip()
    if not organizer_email:
        raise UserError(ORGANIZER_MISSING)
    if not meeting.uid:
        raise UserError("Enregistrez la réunion avant de préparer l'invitation.")
    zone = ZoneInfo(TZID)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    calendar.add_component(paris_timezone())

    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", meeting.starts_at.replace(tzinfo=zone))
    event.add("dtend", meeting.ends_at.replace(tzinfo=zone))
    event.add("summary", ("Annulé : " if cancel else "") + event_summary(council, formation))
    location = meeting.place.strip() or meeting.video_link.strip()
    if location:
        event.add("location", location)
    if (description := _description(meeting)):
        event.add("description", description)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "CONFIDENTIAL" if formation.confidential else "PUBLIC")
    event.add("organizer", _address(organizer_email, council.coordinator_name or council.name))
    for invitation in attendees:
        if not invitation.email.strip():
            continue
        attendee = _address(invitation.email, invitation.name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT" if invitation.role is InvitationRole.INVITED
                                        else "OPT-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        attendee.params["RSVP"] = vText("FALSE" if cancel else "TRUE")
        attendee.params["CUTYPE"] = vText("INDIVIDUAL")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical()


def ics_file_name(meeting: Meeting, cancel: bool = False) -> str:
    prefix = "annulation" if cancel else "invitation"
    return f"{prefix}-{meeting.starts_at.strftime('%Y-%m-%d-%Hh%M')}.ics"
