"""The coordinator's bilan texts: saved per year, RGPD status carried forward (refusals: test_operations_reports)."""

from clspd_desktop.domain.annual_report import AnnualReportTexts
from clspd_desktop.domain.plan import Plan


def test_texts_round_trip_with_hostile_characters(store):
    text = "Évaluation <b>&amp; « guillemets » 😀\n" + "x" * 4000
    store.annual_reports.save(AnnualReportTexts(2025, evaluation=text, orientations="Axe 1 & 2",
                                                dpo_name="Mme O'Brien", processing_register=True))
    saved = store.annual_reports.texts(2025)
    assert saved.evaluation == text
    assert saved.orientations == "Axe 1 & 2"
    assert saved.processing_register is True and saved.dpia_done is False


def test_a_new_year_starts_empty_but_keeps_the_rgpd_status(store):
    store.annual_reports.save(AnnualReportTexts(2024, evaluation="ancien", dpo_name="M. Délégué",
                                                processing_register=True, dpia_done=True))
    fresh = store.annual_reports.texts(2026)
    assert fresh.evaluation == ""
    assert (fresh.dpo_name, fresh.processing_register, fresh.dpia_done) == ("M. Délégué", True, True)
    assert store.annual_reports.texts(2023).dpo_name == ""


def test_years_with_activity_cover_plan_period_and_meetings(configured_store):
    configured_store.plan.save_plan(Plan(title="STSPD", start_year=2025, end_year=2027))
    configured_store.annual_reports.save(AnnualReportTexts(2022))
    assert configured_store.annual_reports.years_with_activity()[:3] == [2027, 2026, 2025]
    assert 2022 in configured_store.annual_reports.years_with_activity()
