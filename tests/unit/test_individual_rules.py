"""Rules of the individual follow-up: the AU-038 data file, passphrase strength, retention, opt-in scope,
inactivity, snapshot rotation and the bilan's aggregates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from clspd_desktop.domain.individual.aggregates import year_figures
from clspd_desktop.domain.individual.passphrase import check_passphrase, passphrase_problem
from clspd_desktop.domain.individual.records import FollowUpRecord
from clspd_desktop.domain.individual.retention import destruction_date, is_due, lock_due, stale_snapshots
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.domain.individual.settings import FormationChoice, ResponsibleRole, validate_opt_in
from clspd_desktop.errors import ValidationError

RULES = load_individual_rules()


def test_data_file_says_what_was_read_and_what_was_not():
    verified = {a.article.split(" —")[0]: a.verified for a in RULES.articles}
    assert verified == {"Article 1": True, "Article 2": False, "Article 3": True, "Article 4": False,
                        "Article 5": True, "Article 6": False, "Article 7": False, "Article 8": True}
    assert all(a.detail for a in RULES.articles)  # each says what was read or what is missing
    assert RULES.security_article.startswith("Article 8 — Sur la sécurité")
    requirements = " ".join(m.requirement for m in RULES.security_measures)
    assert "tiers non autorisés" in requirements and "journalisés" in requirements and "informés" in requirements
    assert "10 minutes d'inactivité" in RULES.security_measures[0].in_the_app  # the app's own setting, filled in
    assert (RULES.inactive_years, RULES.max_age_years) == (3, 25)
    assert "2014-262" in RULES.source and "22 juillet 2014" in RULES.dated_caption()


@pytest.mark.parametrize("weak", ["", "court1A!", "aaaaaaaaaaaaaaaa", "abcdefghijklmnop", "motdepassesimple",
                                  "1234567890123456"])
def test_weak_passphrases_are_refused_in_french(weak):
    assert passphrase_problem(weak, RULES)


@pytest.mark.parametrize("strong", ["Trois chats gris, 1 lune !", "Velo-Rouge-2026", "le phare de la pointe du raz"])
def test_strong_passphrases_pass(strong):
    assert passphrase_problem(strong, RULES) == ""


def test_short_passphrase_message_gives_the_lengths():
    assert "au moins 12" in passphrase_problem("Ab1!ab", RULES)
    with pytest.raises(ValidationError) as err:
        check_passphrase("Velo-Rouge-2026", "Velo-Rouge-2025", RULES)
    assert "différentes" in str(err.value)


def test_destruction_three_years_after_the_end_or_the_25th_birthday_whichever_first():
    birth = date(2008, 5, 10)
    assert destruction_date(birth, None, RULES) == date(2033, 5, 10)  # still followed: 25th birthday
    assert destruction_date(birth, date(2024, 1, 15), RULES) == date(2027, 1, 15)  # 3 years after the end
    assert destruction_date(birth, date(2031, 9, 1), RULES) == date(2033, 5, 10)  # birthday comes first
    assert destruction_date(date(2004, 2, 29), None, RULES) == date(2029, 2, 28)  # never past the limit
    assert is_due(birth, date(2024, 1, 15), date(2026, 12, 20), RULES, within_days=30)
    assert not is_due(birth, date(2024, 1, 15), date(2026, 12, 10), RULES, within_days=30)


def test_inactivity_lock_rule():
    start = datetime(2026, 12, 4, 9, 0)
    assert not lock_due(start, start + timedelta(minutes=9, seconds=59), RULES)
    assert lock_due(start, start + timedelta(minutes=10), RULES)


def test_snapshots_before_the_last_purge_or_too_old_are_stale():
    now = datetime(2026, 12, 4, 12, 0)
    taken = {"a": now - timedelta(days=31), "b": now - timedelta(days=5), "c": now - timedelta(days=1),
             "d": now}
    assert stale_snapshots(taken, now, None, RULES) == ["a"]
    assert stale_snapshots(taken, now, now - timedelta(days=2), RULES) == ["a", "b"]


def test_opt_in_refuses_plenary_and_restricted_in_french():
    chosen = [FormationChoice(1, "Plénière", "plenary"), FormationChoice(2, "Restreinte", "restricted"),
              FormationChoice(3, "Jeunesse", "working_group")]
    with pytest.raises(ValidationError) as err:
        validate_opt_in(ResponsibleRole.MAYOR, "Marie Dupré", "Paul Coord", chosen, RULES, date(2026, 12, 4))
    message = err.value.fields["groups"]
    assert "« Plénière »" in message and "« Restreinte »" in message and "exclue" in message
    with pytest.raises(ValidationError) as err:
        validate_opt_in(ResponsibleRole.MAYOR, " ", "", [], RULES, date(2026, 12, 4))
    assert set(err.value.fields) == {"responsible_name", "coordinator_name", "groups"}
    settings = validate_opt_in(ResponsibleRole.EPCI_PRESIDENT, "Marie  Dupré", "Paul Coord", chosen[2:], RULES,
                               date(2026, 12, 4))
    assert settings.enabled and settings.responsible_name == "Marie Dupré" and settings.groups[0].id == 3


def test_year_figures_count_by_group_and_age_band_without_names():
    records = [
        FollowUpRecord("A", "a", date(2012, 3, 1), 1, "Jeunesse", date(2025, 2, 1)),  # 12 at entry
        FollowUpRecord("B", "b", date(2010, 6, 1), 1, "Jeunesse", date(2024, 9, 1), end_date=date(2025, 6, 30)),
        FollowUpRecord("C", "c", date(2005, 1, 1), 2, "Nord", date(2025, 3, 1), end_date=date(2025, 11, 1)),
        FollowUpRecord("D", "d", date(2006, 1, 1), 2, "Nord", date(2026, 1, 5)),  # not in 2025
    ]
    figures = year_figures(records, 2025, RULES, purged=2)
    assert figures.total("followed") == 3 and figures.total("entries") == 2 and figures.total("exits") == 2
    assert figures.entries[("Jeunesse", "Moins de 13 ans")] == 1
    assert figures.followed[("Jeunesse", "13 à 15 ans")] == 1  # B is 14 on 1 January 2025
    assert figures.exits[("Nord", "18 à 21 ans")] == 1 and figures.purged == 2
