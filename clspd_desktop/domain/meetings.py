"""Meetings of the council's formations: agenda, invitations, replies, attendance, minutes.

Times are naive local datetimes (the town hall's clock, Europe/Paris); the .ics export adds the zone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from clspd_desktop.domain.directory import (
    ContactRole,
    MembershipCategory,
    OrganisationCategory,
    precedence_key,
)


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"planned": "Prévue", "held": "Tenue", "postponed": "Reportée", "cancelled": "Annulée"}[self.value]


class DeDroitRequester(StrEnum):
    NONE = ""
    PREFET = "prefet"
    MAJORITY = "majority"

    @property
    def label(self) -> str:
        return {"": "", "prefet": "À la demande du préfet",
                "majority": "À la demande de la majorité des membres"}[self.value]


class SeriesFrequency(StrEnum):
    MONTHLY = "monthly"
    BIMONTHLY = "bimonthly"

    @property
    def label(self) -> str:
        return "Tous les mois" if self is SeriesFrequency.MONTHLY else "Tous les deux mois"

    @property
    def months(self) -> int:
        return 1 if self is SeriesFrequency.MONTHLY else 2


class InvitationRole(StrEnum):
    INVITED = "invited"  # titulars: convened
    INFORMED = "informed"  # substitutes: informed, attend if the titular cannot

    @property
    def label(self) -> str:
        return "Convoqué" if self is InvitationRole.INVITED else "Pour information"


class Reply(StrEnum):
    PRESENT = "present"
    REPRESENTED = "represented"
    EXCUSED = "excused"

    @property
    def label(self) -> str:
        return {"present": "Présent", "represented": "Représenté", "excused": "Excusé"}[self.value]


class Attendance(StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"
    REPRESENTED = "represented"

    @property
    def label(self) -> str:
        return {"present": "Présent", "excused": "Excusé", "absent": "Absent",
                "represented": "Représenté"}[self.value]


class ActionItemStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"open": "En cours", "done": "Fait", "cancelled": "Abandonné"}[self.value]


@dataclass
class AgendaItem:
    title: str
    presenter: str = ""
    notes: str = ""  # the minutes written for this item
    position: int = 0
    meeting_id: int | None = None
    id: int | None = None


@dataclass
class MeetingDocument:
    original_name: str
    stored_name: str  # relative to AppPaths.documents_dir
    sha256: str
    size: int
    meeting_id: int | None = None
    agenda_item_id: int | None = None
    id: int | None = None


@dataclass
class Meeting:
    formation_id: int
    starts_at: datetime
    ends_at: datetime
    uid: str = ""  # stable iCalendar UID, set once when first saved
    sequence: int = 0  # raised each time a changed invitation is sent
    title: str = ""
    place: str = ""
    video_link: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED
    de_droit: bool = False
    de_droit_requester: DeDroitRequester = DeDroitRequester.NONE
    de_droit_requested_on: date | None = None
    prefect_presentation: bool = False  # the préfet's yearly presentation of local delinquency
    reply_deadline: date | None = None
    signatory: str = ""  # "Le Maire, Président du CLSPD" or a delegate with the arrêté number
    notes: str = ""
    series_id: int | None = None
    agenda: list[AgendaItem] = field(default_factory=list)
    id: int | None = None

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


@dataclass
class Invitation:
    """One invitee of one meeting; name and organisation are copied so history survives deletions."""

    meeting_id: int
    name: str
    contact_id: int | None = None
    organisation_name: str = ""
    organisation_category: OrganisationCategory | None = None
    membership_category: MembershipCategory | None = None
    function: str = ""
    email: str = ""
    role: InvitationRole = InvitationRole.INVITED
    walk_in: bool = False
    sent_at: datetime | None = None
    reply: Reply | None = None
    reply_represented_by: str = ""
    reply_at: datetime | None = None
    attendance: Attendance | None = None
    represented_by: str = ""
    represented_by_contact_id: int | None = None
    arrived_at: datetime | None = None
    id: int | None = None

    @property
    def precedence(self) -> tuple:
        role = ContactRole.TITULAR if self.role is InvitationRole.INVITED else ContactRole.SUBSTITUTE
        last_name = self.name.split()[-1] if self.name.split() else ""
        return precedence_key(self.organisation_category, self.membership_category, role,
                              self.organisation_name, last_name)


@dataclass
class Decision:
    meeting_id: int
    text: str
    agenda_item_id: int | None = None
    position: int = 0
    id: int | None = None


@dataclass
class ActionItem:
    meeting_id: int
    text: str
    agenda_item_id: int | None = None
    responsible_organisation_id: int | None = None
    responsible_name: str = ""
    due_date: date | None = None
    status: ActionItemStatus = ActionItemStatus.OPEN
    done_on: date | None = None
    id: int | None = None

    def is_overdue(self, today: date) -> bool:
        return self.status is ActionItemStatus.OPEN and self.due_date is not None and self.due_date < today


@dataclass
class Minutes:
    meeting_id: int
    summary: str = ""
    written_by: str = ""
    approved_on: date | None = None


# --- rules ---------------------------------------------------------------------------------------------
DEFAULT_NOTICE_DAYS_PLENARY = 15
DEFAULT_NOTICE_DAYS_OTHER = 5
NOTICE_SETTING_PLENARY = "notice_days_plenary"
NOTICE_SETTING_OTHER = "notice_days_other"


def latest_sending_date(meeting_day: date, notice_days: int) -> date:
    """Last day a convocation can leave with `notice_days` clear days (jours francs) before the meeting:
    neither the day of sending nor the day of the meeting count."""
    return meeting_day - timedelta(days=notice_days + 1)


def is_late(sent_on: date, meeting_day: date, notice_days: int) -> bool:
    return sent_on > latest_sending_date(meeting_day, notice_days)


def add_months(day: date, months: int) -> date:
    """Same day of month `months` later, clamped to the month's end (31 janvier + 1 mois = 28/29 février)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def series_dates(first: date, frequency: SeriesFrequency, until: date) -> list[date]:
    """Occurrence dates of a recurring working group, from `first` up to `until` included."""
    if until < first:
        raise ValueError("La date de fin de la série précède la première réunion.")
    dates, step = [], 0
    while True:
        day = add_months(first, step * frequency.months)
        if day > until:
            return dates
        dates.append(day)
        step += 1


def day_warning(day: date) -> str:
    """French warning when a meeting falls on a weekend or a French public holiday, else ''."""
    import holidays

    name = holidays.France(years=day.year, language="fr").get(day)
    if name:
        return f"Attention : le {day.strftime('%d/%m/%Y')} est un jour férié ({name})."
    if day.weekday() >= 5:
        return f"Attention : le {day.strftime('%d/%m/%Y')} tombe un {'samedi' if day.weekday() == 5 else 'dimanche'}."
    return ""


def validate_meeting_times(starts_at: datetime, ends_at: datetime) -> None:
    from clspd_desktop.errors import ValidationError

    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "La réunion doit se terminer après son début."})
