"""School holidays of the council's zone (A, B or C), from the official calendar the
`vacances-scolaires-france` package ships: partners from schools, youth services and associations are
often away then, so a meeting planned in them gets a warning."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

from clspd_desktop.domain.dates import long_date

ZONE_SETTING = "school_zone"
ZONES = ("A", "B", "C")


@lru_cache(maxsize=1)
def _calendar() -> SchoolHolidayDates:
    return SchoolHolidayDates()  # reads its 500 kB table: once, when a date is first checked


def school_holiday(day: date, zone: str) -> str:
    """The name of the school holiday `day` falls in for `zone` (« Vacances d'hiver »), or ''."""
    if zone not in ZONES:
        return ""
    calendar = _calendar()
    try:
        if not calendar.is_holiday_for_zone(day, zone):
            return ""
    except UnsupportedYearException:
        return ""
    return str(calendar.data[day]["nom_vacances"])


def school_holiday_warning(day: date, zone: str) -> str:
    name = school_holiday(day, zone)
    if not name:
        return ""
    period = name[:1].lower() + name[1:]  # « Vacances de Noël » → « vacances de Noël »
    return (f"Attention : le {long_date(day)} tombe pendant les {period} (vacances scolaires de la zone {zone}) : "
            "des partenaires risquent d'être absents.")
