"""Plan rules without a database: late flag, FIPD 50 % ceiling, bilan reminder, amounts, references."""

from __future__ import annotations

import json
from datetime import date

import pytest

from clspd_desktop.domain.plan import (
    ActionStatus,
    Funder,
    FundingLine,
    Indicator,
    euros,
    fipd_warning,
    is_late,
    late_reason,
    load_plan_references,
    parse_euros,
)
from clspd_desktop.errors import UserError
from clspd_desktop.paths import resources_dir

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(("status", "start", "end", "late"), [
    (ActionStatus.IN_PROGRESS, date(2025, 1, 1), date(2026, 11, 20), True),   # end passed
    (ActionStatus.IN_PROGRESS, date(2025, 1, 1), date(2026, 11, 21), False),  # ends today
    (ActionStatus.PLANNED, date(2026, 11, 1), date(2027, 6, 1), True),        # should have started
    (ActionStatus.PLANNED, date(2026, 12, 1), None, False),
    (ActionStatus.DONE, date(2025, 1, 1), date(2025, 6, 1), False),
    (ActionStatus.ABANDONED, date(2025, 1, 1), date(2025, 6, 1), False),
    (ActionStatus.IN_PROGRESS, None, None, False),
])
def test_late_flag(status, start, end, late):
    assert is_late(status, start, end, TODAY) is late


def test_late_reason_names_the_cause():
    assert late_reason(ActionStatus.PLANNED, date(2026, 1, 1), date(2026, 2, 1), TODAY) == "échéance dépassée"
    assert late_reason(ActionStatus.PLANNED, date(2026, 1, 1), None, TODAY) == "non démarrée"


def test_fipd_fifty_percent_warning():
    cost = 1_000_000  # 10 000 €
    half = [FundingLine(2025, Funder.FIPD, "Vidéoprotection", requested_cents=500_000)]
    over = [FundingLine(2025, Funder.FIPD, "Vidéoprotection", requested_cents=300_000, granted_cents=300_000),
            FundingLine(2026, Funder.FIPD, "Vidéoprotection", requested_cents=300_000)]
    assert fipd_warning(cost, half) == ""
    message = fipd_warning(cost, over)
    assert "60 %" in message and "50 %" in message
    assert fipd_warning(cost, [FundingLine(2025, Funder.COMMUNE, requested_cents=900_000)]) == ""
    assert "coût total" in fipd_warning(0, half)


def test_bilan_due_only_for_granted_fipd_without_report():
    line = FundingLine(2025, Funder.FIPD, granted_cents=100, requested_cents=100)
    assert line.bilan_due
    line.report_sent_on = date(2026, 2, 1)
    assert not line.bilan_due
    assert not FundingLine(2025, Funder.CAF, granted_cents=100, requested_cents=100).bilan_due


def test_euros_french_format():
    assert euros(1_234_567_89) == "1\u202f234\u202f567,89\u202f€"
    assert euros(5, separator=" ") == "0,05 €"
    assert parse_euros("12 345,50 €") == 1_234_550
    assert parse_euros("1.234,5") == 123_450
    assert parse_euros("") == 0
    with pytest.raises(ValueError, match="Montant non reconnu"):
        parse_euros("douze")


def test_indicator_achievement_uses_latest_year():
    indicator = Indicator("Jeunes", target=40, values={2025: 10, 2026: 30})
    assert indicator.latest == (2026, 30)
    assert indicator.achievement == pytest.approx(0.75)
    assert Indicator("Sans cible", values={2025: 3}).achievement is None


def test_shipped_references_are_dated_with_the_four_national_axes():
    refs = load_plan_references(resources_dir() / "rules" / "plan_references.json")
    assert refs.version_date.year == 2020
    assert "2020" in refs.dated_caption
    axes = [i for i in refs.items if i.count(".") == 1 and i.startswith("snpd-2020.")]
    assert len(axes) == 4
    assert "jeunes" in refs.label("snpd-2020.jeunes").lower()
    assert "hors référentiel" in refs.label("ancien.tag")


def test_user_copy_of_references_overrides_and_bad_file_is_explained(tmp_path):
    shipped = resources_dir() / "rules" / "plan_references.json"
    data = json.loads(shipped.read_text(encoding="utf-8"))
    data["groups"][1]["items"].append({"id": "dep91.collèges", "label": "Sécurisation des abords des collèges"})
    (tmp_path / "plan_references.json").write_text(json.dumps(data), encoding="utf-8")
    assert "dep91.collèges" in load_plan_references(shipped, tmp_path).items
    (tmp_path / "plan_references.json").write_text("{", encoding="utf-8")
    with pytest.raises(UserError, match="illisible"):
        load_plan_references(shipped, tmp_path)
