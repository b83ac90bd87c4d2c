"""Meetings of the council's formations: agenda, invitations, replies, attendance, minutes.

Times are naive local datetimes (the town hall's clock, Europe/Paris); the .ics export adds the zone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from clspd_desktop.domain.civility import agreed
from clspd_desktop.domain.dates import long_date, short_date
from clspd_desktop.domain.directory import (
    CharterSignature,
    Contact,
    ContactRole,
    FormationKind,
    MembershipCategory,
    OrganisationCategory,
    precedence_key,
)
from clspd_desktop.errors import UserError, ValidationError


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
class RefusedInvitee:
    """A member who cannot be invited to a confidential group, with the French reason."""

    contact: Contact
    organisation_name: str
    reason: str


@dataclass
class Minutes:
    meeting_id: int
    summary: str = ""
    written_by: str = ""
    approved_on: date | None = None
    situations_examined: int = 0  # confidential groups: a count only, the records stay encrypted (#17)


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
    dates: list[date] = []
    step = 0
    while True:
        day = add_months(first, step * frequency.months)
        if day > until:
            return dates
        dates.append(day)
        step += 1


def day_warning(day: date) -> str:
    """French warning when a meeting falls on a weekend or a French public holiday, else ''."""
    import holidays  # heavy (every country's calendar): loaded when a meeting's day is first checked

    name = holidays.France(years=day.year, language="fr").get(day)
    if name:
        return f"Attention : le {long_date(day)} est un jour férié ({name})."
    if day.weekday() >= 5:
        return f"Attention : le {long_date(day)} tombe un week-end."
    return ""


def day_warnings(day: date, zone: str) -> list[str]:
    """Everything worth knowing about a meeting's day: weekend or public holiday, then the school holidays of
    the council's zone (`zone` '' when the council has not given it)."""
    from clspd_desktop.domain.school_holidays import school_holiday_warning

    return [w for w in (day_warning(day), school_holiday_warning(day, zone)) if w]


def validate_meeting_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "La réunion doit se terminer après son début."})


def validate_meeting(meeting: Meeting) -> None:
    """What a meeting must say before it is saved: times in order, who asked for a de droit meeting, a title
    for every agenda item."""
    validate_meeting_times(meeting.starts_at, meeting.ends_at)
    if meeting.de_droit and meeting.de_droit_requester is DeDroitRequester.NONE:
        raise ValidationError({"de_droit_requester": (
            "Indiquez qui a demandé la réunion de droit : le préfet ou la majorité des membres.")})
    for position, item in enumerate(meeting.agenda, 1):
        if not item.title.strip():
            raise ValidationError({"agenda": f"Le point n° {position} de l'ordre du jour n'a pas de titre."})


def overlap_error(formation_name: str, other_start: datetime) -> ValidationError:
    """Two meetings of one formation at the same time are a typing mistake (or a duplicate series)."""
    return ValidationError({"starts_at": (
        f"{formation_name} a déjà une réunion le {long_date(other_start.date())} à {other_start.strftime('%H:%M')} "
        "qui chevauche cet horaire.")})


def series_clash_error(formation_name: str, first: date, until: date) -> ValidationError:
    return ValidationError({"until": (
        f"{formation_name} a déjà une série de réunions du {short_date(first)} au {short_date(until)} "
        "qui chevauche ces dates : modifiez la série existante plutôt que d'en créer une seconde.")})


def check_series_allowed(kind: FormationKind) -> None:
    """Plenary and restricted formations are convened meeting by meeting."""
    if kind is not FormationKind.WORKING_GROUP:
        raise ValidationError({"until": "Les séries sont réservées aux groupes de travail : la plénière et "
                                        "la restreinte se convoquent réunion par réunion."})


def postponement_note(previous: datetime) -> str:
    return f"Reportée : initialement prévue le {long_date(previous.date())} à {previous.strftime('%H:%M')}."


def invitation_role(contact_role: ContactRole) -> InvitationRole:
    """Titulars are convened; substitutes are informed and attend if their titular cannot."""
    return InvitationRole.INVITED if contact_role is ContactRole.TITULAR else InvitationRole.INFORMED


def charter_refusal(signatures: list[CharterSignature], on: date) -> str:
    """Why a referent may not sit in a confidential group on `on` ('' when they may). `signatures` are the
    referent's charter signatures, latest first."""
    if any(s.signed_on <= on and (s.ended_on is None or s.ended_on > on) for s in signatures):
        return ""
    if not signatures:
        return "n'a pas signé la charte déontologique"
    latest = signatures[0]
    if latest.signed_on > on:
        return f"charte signée le {short_date(latest.signed_on)}, après la date de la réunion"
    if latest.ended_on and latest.end_reason:
        return f"{latest.end_reason.label.lower()} de la charte le {short_date(latest.ended_on)}"
    return f"signature de la charte terminée le {short_date(latest.ended_on)}"


def cannot_invite(name: str, reason: str) -> UserError:
    return UserError(f"{name} ne peut pas être {agreed('invite', name)} à un groupe confidentiel : {reason}.")


def cannot_sit(name: str, reason: str) -> UserError:
    return UserError(f"Groupe confidentiel : {name} ne peut pas siéger ({reason}).")


def unknown_walk_in_refused() -> UserError:
    return UserError("Groupe confidentiel : seuls les signataires de la charte déontologique peuvent siéger. "
                     "Une personne qui n'est pas encore dans l'annuaire n'a pas pu la signer.")


def free_name_representative_refused(name: str) -> UserError:
    return UserError(f"Groupe confidentiel : {name} ne peut représenter personne sans avoir signé la charte "
                     "déontologique. Choisissez un référent signataire dans l'annuaire.")


def validate_action_item(item: ActionItem) -> None:
    errors = {}
    if not item.text.strip():
        errors["text"] = "Décrivez l'action à mener."
    if item.responsible_organisation_id is None and not item.responsible_name.strip():
        errors["responsible"] = "Indiquez l'organisation ou la personne responsable."
    if errors:
        raise ValidationError(errors)


def settle_action_item(item: ActionItem, today: date) -> None:
    """A done item records the day it was done; any other status has none."""
    if item.status is ActionItemStatus.DONE and item.done_on is None:
        item.done_on = today
    if item.status is not ActionItemStatus.DONE:
        item.done_on = None


def validate_notice_days(plenary: int, other: int) -> None:
    errors = {key: "Indiquez un délai entre 0 et 90 jours."
              for key, value in (("plenary", plenary), ("other", other)) if not 0 <= value <= 90}
    if errors:
        raise ValidationError(errors)
