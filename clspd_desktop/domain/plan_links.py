"""Links between what a meeting decided (decisions, action items) and the actions of the plan.

A plan action then knows the meetings where it was discussed. Such a meeting may belong to a confidential
working group: the link is kept (the coordinator needs it on this PC), but every mention carries the
`confidential` flag so that anything leaving the PC (fiche-action PDF, bilan, pack) can leave it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from clspd_desktop.domain.dates import long_date
from clspd_desktop.domain.plan import Plan

TITLE_LIMIT = 120  # a plan action's title is read in trees and tables: a whole paragraph would not fit
PATH_SEPARATOR = " › "


class LinkSource(StrEnum):
    """What, in the minutes, points to the plan action."""

    DECISION = "decision"
    ACTION_ITEM = "action_item"

    @property
    def label(self) -> str:
        return {"decision": "Décision", "action_item": "Action décidée"}[self.value]


@dataclass(frozen=True)
class LinkedAction:
    """A plan action as shown next to a decision or an action item of the minutes."""

    action_id: int
    number: str  # "2.1.3", the same numbering as the plan screen
    title: str
    axis_title: str
    objective_title: str
    plan_id: int
    plan_period: str  # "2025-2027": links may point to the actions of an earlier plan

    @property
    def short_label(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def path(self) -> str:
        """'Axe › Objectif › Action', how the coordinator finds an action in the plan."""
        return PATH_SEPARATOR.join((self.axis_title, self.objective_title, self.title))


@dataclass
class MeetingLinks:
    """The plan actions linked to each decision and each action item of one meeting (ids as keys)."""

    decisions: dict[int, list[LinkedAction]] = field(default_factory=dict)
    action_items: dict[int, list[LinkedAction]] = field(default_factory=dict)

    def of(self, source: LinkSource, source_id: int | None) -> list[LinkedAction]:
        by_id = self.decisions if source is LinkSource.DECISION else self.action_items
        return by_id.get(source_id, []) if source_id is not None else []


@dataclass(frozen=True)
class MeetingMention:
    """One decision or action item of a meeting linked to a plan action ("where it was discussed")."""

    meeting_id: int
    starts_at: datetime
    meeting_title: str
    formation_name: str
    confidential: bool  # a confidential working group: never in a document that leaves the PC
    source: LinkSource
    source_id: int
    text: str

    @property
    def day_label(self) -> str:
        return long_date(self.starts_at.date())

    @property
    def meeting_label(self) -> str:
        """'Formation plénière – Plénière annuelle': the formation, then the meeting's title if it has one."""
        return f"{self.formation_name} – {self.meeting_title}" if self.meeting_title else self.formation_name

    @property
    def what(self) -> str:
        return f"{self.source.label} : {self.text}"


def shareable(mentions: Iterable[MeetingMention]) -> list[MeetingMention]:
    """The mentions a document leaving the PC may print: confidential working groups left out."""
    return [m for m in mentions if not m.confidential]


def action_title_from(text: str, limit: int = TITLE_LIMIT) -> str:
    """A plan action title drawn from a decision's text: its first line, cut at a word with "…" when too
    long (the full text goes into the description, so nothing is lost)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = " ".join(first.split())
    if len(first) <= limit:
        return first.rstrip(" .;:")
    cut = first[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–") + "…"


def plan_for_day(plans: Iterable[Plan], day: date) -> Plan | None:
    """The plan a meeting of `day` most likely speaks about: the one covering its year, else the latest
    one started before it, else the earliest (a meeting held while the first plan was being drafted)."""
    plans = sorted(plans, key=lambda p: (p.start_year, p.id or 0))
    covering = [p for p in plans if p.start_year <= day.year <= p.end_year]
    if covering:
        return covering[-1]
    before = [p for p in plans if p.start_year <= day.year]
    return before[-1] if before else (plans[0] if plans else None)
