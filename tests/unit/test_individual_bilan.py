"""The annual bilan's individual follow-up section: aggregated figures only when the store is unlocked,
counts from 1 to 4 shown « moins de 5 », never a name; an honest « non inclus » when locked."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clspd_desktop.domain.individual.bilan_section import BilanIndividual, IndividualState, shown
from clspd_desktop.domain.individual.paperwork import SETUP_KEY
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.services.individual.session import IndividualSession
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import individual as ops
from clspd_desktop.services.operations import reports as report_ops
from clspd_desktop.services.reports.annual_bilan_pdf import build_annual_bilan_pdf
from tests.individual_helpers import Clock, enable, new_record
from tests.pdf_text import text_of

TODAY = date(2026, 12, 4)


def test_small_counts_are_suppressed():
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "moins de 5", "moins de 5", "5", "12"]


@pytest.fixture
def figures(paths):
    session = IndividualSession(paths, load_individual_rules(), Clock(datetime(2026, 12, 4, 9, 0)))
    env = OpEnv(paths, None)
    enable(session, env)
    for n in range(6):
        ops.create_record(env, session=session, record=new_record(session, f"ZZJEUNE{n}", date(2012, 1, 1),
                                                                   date(2026, 3, 1 + n), group_id=7))
    ops.create_record(env, session=session, record=new_record(session, "ZZNORD", date(2005, 1, 1),
                                                               date(2026, 5, 1), group_id=8))
    return ops.bilan_figures(session, 2026)


def test_the_section_counts_by_group_and_age_band(figures):
    section = BilanIndividual.of(True, figures)
    assert section.state is IndividualState.INCLUDED
    assert section.totals()[0] == ("Personnes suivies dans l'année", "7")
    assert ["Groupe jeunesse", "13 à 15 ans", "6", "6", "0"] in section.rows()
    assert ["Groupe quartier Nord", "18 à 21 ans", "moins de 5", "moins de 5", "0"] in section.rows()


def test_the_pdf_shows_the_figures_and_no_name(configured_store, tmp_path, figures):
    configured_store.settings.set(SETUP_KEY, "{}")
    text = text_of(build_annual_bilan_pdf(configured_store, tmp_path / "b.pdf", 2026, today=TODAY,
                                          individual=figures))
    assert "6. Suivi des situations individuelles" in text
    assert "Groupe jeunesse" in text and "moins de 5" in text
    assert "ZZ" not in text


def test_locked_says_not_included(configured_store, tmp_path, paths):
    configured_store.settings.set(SETUP_KEY, '{"enabled_on": "2026-01-01"}')
    path = report_ops.annual_bilan_pdf(OpEnv(paths, None, store=configured_store), 2026, tmp_path / "b.pdf",
                                       TODAY).value
    assert "non inclus : module verrouillé" in text_of(path)


def test_off_keeps_the_former_text(configured_store, tmp_path):
    text = text_of(build_annual_bilan_pdf(configured_store, tmp_path / "b.pdf", 2026, today=TODAY))
    assert "ne sont pas tenus dans l'outil" in text
    assert "verrouillé" not in text
