"""Following what meetings decided, across meetings: the coordinator's « suivi des décisions ».

An action item keeps its status in the minutes (open / done / cancelled); while open, its progress says
« à faire » or « en cours ». Closing it anywhere (the minutes or this follow-up) closes it everywhere: it is
one record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from clspd_desktop.domain.dates import short_date
from clspd_desktop.domain.directory import FormationKind
from clspd_desktop.domain.meetings import ActionItemStatus
from clspd_desktop.domain.text import sort_key

UPCOMING = timedelta(days=30)  # what a reminder lists besides overdue items


class FollowUpStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in (FollowUpStatus.TODO, FollowUpStatus.IN_PROGRESS)

    @classmethod
    def of(cls, status: ActionItemStatus, progress: str) -> FollowUpStatus:
        if status is ActionItemStatus.DONE:
            return cls.DONE
        if status is ActionItemStatus.CANCELLED:
            return cls.ABANDONED
        return cls.IN_PROGRESS if progress == "in_progress" else cls.TODO

    def stored(self) -> tuple[ActionItemStatus, str]:
        """(status, progress) as the minutes keep them."""
        if self is FollowUpStatus.DONE:
            return ActionItemStatus.DONE, "todo"
        if self is FollowUpStatus.ABANDONED:
            return ActionItemStatus.CANCELLED, "todo"
        return ActionItemStatus.OPEN, self.value


_LABELS = {FollowUpStatus.TODO: "À faire", FollowUpStatus.IN_PROGRESS: "En cours",
           FollowUpStatus.DONE: "Fait", FollowUpStatus.ABANDONED: "Abandonné"}


@dataclass(frozen=True)
class FollowUpItem:
    """An action item decided in a meeting, with where it comes from and who answers for it."""

    id: int
    text: str
    meeting_id: int
    meeting_day: date
    meeting_title: str
    formation_id: int
    formation_name: str
    confidential: bool
    organisation_id: int | None
    organisation_name: str
    responsible_name: str
    contact_id: int | None
    contact_name: str
    contact_email: str
    due_date: date | None
    status: FollowUpStatus
    comment: str
    plan_actions: tuple[str, ...] = ()
    reminded_on: date | None = None
    done_on: date | None = None

    @property
    def responsible(self) -> str:
        """The organisation, and the person when one is named."""
        person = self.contact_name or self.responsible_name
        return " — ".join(p for p in (self.organisation_name, person) if p)

    def is_overdue(self, today: date) -> bool:
        return self.status.is_open and self.due_date is not None and self.due_date < today

    def is_due_soon(self, today: date) -> bool:
        return self.status.is_open and self.due_date is not None and today <= self.due_date <= today + UPCOMING


@dataclass(frozen=True)
class MeetingToClose:
    """A meeting whose day has passed and that is still « Prévue »."""

    id: int
    day: date
    formation_kind: FormationKind
    formation_name: str
    title: str

    @property
    def label(self) -> str:
        what = f"Groupe de travail « {self.formation_name} »" if self.formation_kind is FormationKind.WORKING_GROUP \
            else self.formation_kind.label
        return f"{what} du {short_date(self.day)}" + (f" ({self.title})" if self.title else "")


@dataclass(frozen=True)
class FollowUpFilter:
    """What the view shows: all filters together (empty means « tous »)."""

    open_only: bool = True
    overdue_only: bool = False
    organisation_id: int | None = None
    formation_id: int | None = None
    start: date | None = None
    end: date | None = None
    text: str = ""

    def keeps(self, item: FollowUpItem, today: date) -> bool:
        if self.open_only and not item.status.is_open:
            return False
        if self.overdue_only and not item.is_overdue(today):
            return False
        if self.organisation_id is not None and item.organisation_id != self.organisation_id:
            return False
        if self.formation_id is not None and item.formation_id != self.formation_id:
            return False
        if self.start is not None and item.meeting_day < self.start:
            return False
        if self.end is not None and item.meeting_day > self.end:
            return False
        if self.text.strip():
            haystack = sort_key(" ".join((item.text, item.comment, item.responsible, item.formation_name,
                                          " ".join(item.plan_actions))))
            return all(word in haystack for word in sort_key(self.text).split())
        return True


@dataclass(frozen=True)
class Reminder:
    """One e-mail to one referent: their overdue items and those due within 30 days."""

    contact_id: int
    name: str
    email: str
    overdue: tuple[FollowUpItem, ...]
    upcoming: tuple[FollowUpItem, ...]


def reminders(items: list[FollowUpItem], today: date) -> tuple[list[Reminder], list[FollowUpItem]]:
    """Reminders per referent with an e-mail address, and the open items nobody can be reminded of (no
    referent or no address). Confidential groups' items are never sent by e-mail."""
    by_contact: dict[int, list[FollowUpItem]] = {}
    unreachable = []
    for item in items:
        if item.confidential or not (item.is_overdue(today) or item.is_due_soon(today)):
            continue
        if item.contact_id is None or not item.contact_email:
            unreachable.append(item)
            continue
        by_contact.setdefault(item.contact_id, []).append(item)
    result = []
    for contact_id, mine in by_contact.items():
        mine.sort(key=lambda i: (i.due_date or today, i.id))
        result.append(Reminder(contact_id, mine[0].contact_name, mine[0].contact_email,
                               tuple(i for i in mine if i.is_overdue(today)),
                               tuple(i for i in mine if not i.is_overdue(today))))
    result.sort(key=lambda r: sort_key(r.name))
    return result, unreachable


CARRIED_TITLE = "Suivi des décisions"


def carried_forward(items: list[FollowUpItem], formation_id: int, before: date) -> list[FollowUpItem]:
    """The items still open from earlier meetings of the same formation or group: what the next meeting's
    agenda proposes to follow up (the user keeps or drops each)."""
    kept = [i for i in items if i.formation_id == formation_id and i.status.is_open and i.meeting_day < before]
    return sorted(kept, key=lambda i: (i.due_date or date.max, i.meeting_day, i.id))


def carried_line(item: FollowUpItem) -> str:
    """One agenda line for a carried item: what, who, when it was due."""
    who = f" ({item.organisation_name or item.responsible_name})" if (item.organisation_name
                                                                       or item.responsible_name) else ""
    due = f", échéance {short_date(item.due_date)}" if item.due_date else ""
    return f"{CARRIED_TITLE} : {item.text}{who}{due}"
