"""Meeting rules (notice in clear days, series, holidays, times) and the legal watch shown on the dashboard."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from clspd_desktop.domain.directory import FormationKind, WorkingGroupType
from clspd_desktop.domain.meetings import (
    ActionItem,
    Meeting,
    MeetingStatus,
    SeriesFrequency,
    add_months,
    day_warning,
    is_late,
    latest_sending_date,
    series_dates,
    validate_meeting_times,
)
from clspd_desktop.errors import ValidationError
from clspd_desktop.paths import resources_dir
from clspd_desktop.services.legal_watch import bulleted, meeting_watch
from tests.factories import add_contact, add_organisation, add_working_group


def test_notice_counts_clear_days():
    # 5 clear days before Friday 20: neither the 20th nor the sending day count -> send by the 14th
    assert latest_sending_date(date(2025, 6, 20), 5) == date(2025, 6, 14)
    assert not is_late(date(2025, 6, 14), date(2025, 6, 20), 5)
    assert is_late(date(2025, 6, 15), date(2025, 6, 20), 5)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 2) == date(2026, 1, 15)


def test_series_dates_monthly_and_bimonthly():
    assert series_dates(date(2025, 1, 10), SeriesFrequency.BIMONTHLY, date(2025, 7, 10)) == [
        date(2025, 1, 10), date(2025, 3, 10), date(2025, 5, 10), date(2025, 7, 10)]
    assert len(series_dates(date(2025, 1, 10), SeriesFrequency.MONTHLY, date(2025, 12, 31))) == 12
    with pytest.raises(ValueError, match="précède"):
        series_dates(date(2025, 1, 10), SeriesFrequency.MONTHLY, date(2025, 1, 9))


def test_day_warning_weekend_and_french_holidays():
    assert "férié" in day_warning(date(2025, 7, 14)) and "Fête nationale" in day_warning(date(2025, 7, 14))
    assert "férié" in day_warning(date(2025, 6, 9))  # lundi de Pentecôte
    assert "samedi" in day_warning(date(2025, 3, 15))
    assert "dimanche" in day_warning(date(2025, 3, 16))
    assert day_warning(date(2025, 3, 18)) == ""


def test_meeting_times_must_end_after_start():
    start = datetime(2025, 3, 18, 14)
    validate_meeting_times(start, start + timedelta(minutes=1))
    for end in (start, start - timedelta(hours=1)):
        with pytest.raises(ValidationError) as err:
            validate_meeting_times(start, end)
        assert err.value.fields == {"ends_at": "La réunion doit se terminer après son début."}


# --- legal watch -----------------------------------------------------------------------------------------
def _meeting(store, day: date, formation_id: int | None = None, **kw) -> Meeting:
    start = datetime.combine(day, datetime.min.time()).replace(hour=14)
    fid = formation_id or store.formations.by_kind(FormationKind.PLENARY).id
    return store.meetings.save_meeting(Meeting(formation_id=fid, starts_at=start, ends_at=start + timedelta(hours=2),
                                               **kw))


def _rules():
    from clspd_desktop.domain.legal_rules import load_rules

    return load_rules(resources_dir() / "rules" / "obligations.json")


def test_watch_flags_a_council_without_plenary(configured_store):
    watch = meeting_watch(configured_store, date(2025, 5, 1), _rules())
    assert len(watch.alerts) == 1
    assert "Pas de formation plénière depuis plus de 12 mois" in watch.alerts[0]
    assert "aucune n'est enregistrée" in watch.alerts[0] and "D132-9" in watch.alerts[0]


def test_watch_old_plenary_and_planned_one_without_prefect(configured_store):
    store = configured_store
    _meeting(store, date(2024, 3, 12), prefect_presentation=True)
    _meeting(store, date(2025, 6, 17), title="Plénière 2025")
    watch = meeting_watch(store, date(2025, 5, 1))
    assert any("depuis plus de 12 mois" in a and "mardi 12 mars 2024" in a and "mardi 17 juin 2025" in a
               for a in watch.alerts)
    assert any("présentation par le préfet" in a for a in watch.alerts)
    assert watch.upcoming == []


def test_watch_recent_plenary_with_prefect_is_quiet_and_lists_upcoming(configured_store):
    store = configured_store
    held = _meeting(store, date(2025, 2, 4), prefect_presentation=True)
    store.meetings.set_status(held.id, MeetingStatus.HELD)  # else it is listed « à clôturer »
    group = add_working_group(store, "Tranquillité", confidential=False, wg_type=WorkingGroupType.THEMATIC)
    _meeting(store, date(2025, 5, 20), formation_id=group.id, title="Points chauds")
    watch = meeting_watch(store, date(2025, 5, 10))
    assert watch.upcoming == ["Mardi 20 mai 2025 à 14 h 00 : Groupe de travail « Tranquillité » — Points chauds"]
    # the group's convocations are not late yet (send by 14/05) and nothing else is wrong
    assert watch.alerts == []
    late = meeting_watch(store, date(2025, 5, 16))
    assert len(late.alerts) == 1 and "délai de prévenance" in late.alerts[0]


def test_watch_next_year_without_plenary_and_overdue_actions(configured_store):
    store = configured_store
    held = _meeting(store, date(2025, 11, 4), prefect_presentation=True)
    org = add_organisation(store, "Bailleur Habitat 91")
    add_contact(store, org)
    store.meetings.save_action_item(ActionItem(held.id, "Éclairage du parking", responsible_organisation_id=org.id,
                                               due_date=date(2026, 1, 15)))
    watch = meeting_watch(store, date(2026, 2, 1))
    assert any("Aucune formation plénière n'est prévue en 2026" in a for a in watch.alerts)
    assert any("« Éclairage du parking » (Bailleur Habitat 91, échéance 15/01/2026)" in a for a in watch.alerts)


def test_bulleted_names_the_first_items_and_counts_the_rest():
    assert bulleted(["a", "b"], at_most=2, where="voir Réunions") == "\n• a\n• b"
    assert bulleted(["a", "b", "c", "d"], at_most=2, where="voir Réunions") == (
        "\n• a\n• b\n• et 2 autres : voir Réunions")
    assert bulleted(["a", "b", "c"], at_most=1) == "\n• a\n• et 2 autres"
    assert bulleted(["a", "b"], at_most=1) == "\n• a\n• et 1 autre"
    assert bulleted([]) == ""


def test_watch_lists_every_upcoming_meeting_and_names_five_late_ones(configured_store):
    """The watch keeps the whole list (the dashboard shortens it); late convocations name five and count the
    rest, pointing to the Réunions area where they can be sent."""
    store = configured_store
    _meeting(store, date(2025, 2, 4), prefect_presentation=True)
    for day in range(12, 19):
        _meeting(store, date(2025, 5, day))
    watch = meeting_watch(store, date(2025, 5, 10))
    assert len(watch.upcoming) == 7
    late = next(a for a in watch.alerts if "délai de prévenance" in a)
    assert late.startswith("7 réunions") and late.count("\n• ") == 6
    assert late.endswith("\n• et 2 autres : voir Réunions (Ctrl+4)")


def test_overdue_actions_beyond_five_point_to_their_meetings_minutes(configured_store):
    store = configured_store
    held = _meeting(store, date(2025, 11, 4), prefect_presentation=True)
    org = add_organisation(store, "Bailleur Habitat 91")
    for n in range(6):
        store.meetings.save_action_item(ActionItem(held.id, f"Action {n}", responsible_organisation_id=org.id,
                                                   due_date=date(2026, 1, 10 + n)))
    overdue = next(a for a in meeting_watch(store, date(2026, 2, 1)).alerts if "dépassé leur échéance" in a)
    assert overdue.startswith("6 actions") and "« Action 4 »" in overdue and "« Action 5 »" not in overdue
    assert overdue.endswith("\n• et 1 autre : voir Réunions › Suivi des décisions (Ctrl+4)")
