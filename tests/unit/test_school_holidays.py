"""School holidays per zone, from the official calendar."""

from __future__ import annotations

from datetime import date

from clspd_desktop.domain.school_holidays import school_holiday, school_holiday_warning


def test_zones_differ_in_winter():
    # February 2026: zone A from the 7th, zone C from the 21st (official calendar).
    assert school_holiday(date(2026, 2, 10), "A") == "Vacances d'hiver"
    assert school_holiday(date(2026, 2, 10), "C") == ""


def test_all_zones_at_christmas_and_no_zone_no_warning():
    assert school_holiday(date(2026, 12, 24), "B") == "Vacances de Noël"
    assert school_holiday_warning(date(2026, 12, 24), "") == ""
    assert school_holiday_warning(date(2026, 12, 24), "B") == (
        "Attention : le jeudi 24 décembre 2026 tombe pendant les vacances de Noël (vacances scolaires de la zone B) : "
        "des partenaires risquent d'être absents.")


def test_outside_the_calendar_is_quiet():
    assert school_holiday(date(2045, 2, 10), "A") == ""
    assert school_holiday_warning(date(2026, 3, 17), "A") == ""
