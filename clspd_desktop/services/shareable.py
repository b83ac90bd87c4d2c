"""What of the meetings may leave the PC: never anything from a confidential working group (art. L132-5
CSI), not even the fact that someone attended one, since a group's meetings reveal who sits in it.

Used by the préfecture pack; cheap enough to be asked again each time the user changes the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clspd_desktop.db.attendance_stats_repo import AttendanceCount
from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import Formation, FormationKind, WorkingGroupType
from clspd_desktop.domain.meetings import Meeting, MeetingStatus
from clspd_desktop.domain.text import sort_key
from clspd_desktop.services.attendance_stats import AttendanceStats

SHARED_SCOPE = "formations non confidentielles"
_FIELDS = ("convened", "present", "represented", "excused", "absent", "meetings")


def leaves_the_pc(formation: Formation) -> bool:
    """False for a confidential group, and for an individual-situations group even if wrongly unflagged."""
    if formation.kind is not FormationKind.WORKING_GROUP:
        return True
    return not formation.confidential and formation.wg_type is not WorkingGroupType.INDIVIDUAL_SITUATIONS


def shareable_formations(store: Store) -> list[Formation]:
    return [f for f in store.formations.formations() if leaves_the_pc(f)]


def minutes_to_share(store: Store, start: date, end: date, today: date) -> list[Meeting]:
    """Meetings of shareable formations from `start` to `end` that took place (not cancelled, not in the
    future) and have a compte rendu, by date. A meeting whose 'held' button was forgotten still counts."""
    shareable = {f.id for f in shareable_formations(store)}
    return [m for m in store.meetings.meetings_with_minutes_between(start, min(end, today))
            if m.formation_id in shareable and m.status is not MeetingStatus.CANCELLED
            and m.starts_at.date() <= today]


def french_order(counts: list[AttendanceCount]) -> list[AttendanceCount]:
    """Alphabetical as a French reader expects it: « Éducation » with the E, not after Z."""
    return sorted(counts, key=lambda c: (sort_key(c.label), sort_key(c.organisation)))


def has_shared_attendance(store: Store, start: date, end: date) -> bool:
    """Whether any attendance is recorded in a shareable formation: the cheap question the pack dialog
    asks on every year change (the full statistics take seconds on a large council)."""
    return any(store.attendance_stats.meetings_counted(start, end, f.id) for f in shareable_formations(store))


@dataclass
class SharedAttendance:
    """Attendance over the shareable formations only, in total and per formation."""

    stats: AttendanceStats
    by_formation: list[tuple[Formation, AttendanceStats]]


def shareable_attendance(store: Store, start: date, end: date) -> SharedAttendance:
    """The attendance statistics of `start`..`end` with confidential groups left out entirely.

    The totals come from the repository's `public_only` scope (one row per referent, exactly as on the
    statistics screen), the details formation by formation.
    """
    repo = store.attendance_stats
    per_formation = []
    for formation in shareable_formations(store):
        stats = AttendanceStats(start, end, formation.display_name, repo.meetings_counted(start, end, formation.id),
                                repo.by_organisation(start, end, formation.id),
                                repo.by_referent(start, end, formation.id))
        if stats.meetings:
            per_formation.append((formation, stats))
    total = AttendanceStats(
        start, end, SHARED_SCOPE, repo.meetings_counted(start, end, public_only=True),
        french_order(repo.by_organisation(start, end, public_only=True)),
        french_order(repo.by_referent(start, end, public_only=True)))
    return SharedAttendance(total, per_formation)
