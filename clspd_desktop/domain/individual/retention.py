"""When a record must be destroyed (AU-038, art. 5) and when the open store must lock itself.

Art. 5: active while the follow-up runs; after its end, inactive for three years, consulted only
occasionally and with a reason; nothing kept past the person's 25th birthday; then destroyed securely.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from clspd_desktop.domain.individual.rules import IndividualRules


def add_years(day: date, years: int) -> date:
    """Same day `years` later; 29 February becomes 28 February, so the limit is never overshot."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def destruction_date(birth_date: date, end_date: date | None, rules: IndividualRules) -> date:
    """The day the record must be gone: the 25th birthday, or three years after the end if earlier."""
    limit = add_years(birth_date, rules.max_age_years)
    if end_date is None:
        return limit
    return min(limit, add_years(end_date, rules.inactive_years))


def is_due(birth_date: date, end_date: date | None, today: date, rules: IndividualRules,
           within_days: int = 0) -> bool:
    return destruction_date(birth_date, end_date, rules) <= today + timedelta(days=within_days)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def lock_due(last_activity: datetime, now: datetime, rules: IndividualRules) -> bool:
    """The UI calls this on a timer: past the delay without activity, it locks the store."""
    return now - last_activity >= timedelta(minutes=rules.inactivity_lock_minutes)


def stale_snapshots(taken: dict[str, datetime], now: datetime, last_purge: datetime | None,
                    rules: IndividualRules) -> list[str]:
    """Snapshots to delete: older than `snapshot_max_age_days`, or taken before the latest purge.

    A snapshot taken before a purge still holds the records it destroyed; deleting it at the purge (and a
    fresh one taken just after) means no snapshot keeps a destroyed record past its destruction date, and
    none is kept more than `snapshot_max_age_days` anyway."""
    oldest = now - timedelta(days=rules.snapshot_max_age_days)
    return sorted(name for name, at in taken.items()
                  if at < oldest or (last_purge is not None and at <= last_purge))
