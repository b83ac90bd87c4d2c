"""Figures for the annual bilan: counts only, never a name (persons followed, entries, exits)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from clspd_desktop.domain.individual.records import FollowUpRecord
from clspd_desktop.domain.individual.retention import age_on
from clspd_desktop.domain.individual.rules import IndividualRules


@dataclass
class YearFigures:
    year: int
    followed: Counter = field(default_factory=Counter)  # (group, age band) -> persons
    entries: Counter = field(default_factory=Counter)
    exits: Counter = field(default_factory=Counter)
    purged: int = 0

    def total(self, which: str) -> int:
        return sum(getattr(self, which).values())


def band_label(age: int, rules: IndividualRules) -> str:
    return next((b.label for b in rules.age_bands if b.holds(age)), "Autre âge")


def year_figures(records: list[FollowUpRecord], year: int, rules: IndividualRules, purged: int = 0) -> YearFigures:
    """A person is followed in `year` when the follow-up overlaps it; age is taken on the first day of the
    year they are counted (entry date for entries, end date for exits)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    figures = YearFigures(year, purged=purged)
    for r in records:
        if r.entry_date > end or (r.end_date is not None and r.end_date < start):
            continue
        figures.followed[(r.group_name, band_label(age_on(r.birth_date, max(start, r.entry_date)), rules))] += 1
        if r.entry_date >= start:
            figures.entries[(r.group_name, band_label(age_on(r.birth_date, r.entry_date), rules))] += 1
        if r.end_date is not None and r.end_date <= end:
            figures.exits[(r.group_name, band_label(age_on(r.birth_date, r.end_date), rules))] += 1
    return figures


def situations_examined_text(count: int) -> str:
    """« 3 situations individuelles examinées »: all a confidential meeting's minutes say of the records."""
    from clspd_desktop.domain.text import plural

    return plural(count, "situation individuelle examinée", "situations individuelles examinées", feminine=True)
