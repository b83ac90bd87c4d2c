"""The meetings benchmark runs on a small large-council; figures are printed by run.py, never asserted."""

from __future__ import annotations

from datetime import date

from benchmarks import run
from benchmarks.bench_meetings import meeting_timings
from benchmarks.large_council import build_large_database

TODAY = date(2025, 6, 2)


def test_meetings_benchmark_measures_every_figure(tmp_path):
    database = build_large_database(tmp_path / "large.sqlite", scale=0.05, today=TODAY)
    figures, added = meeting_timings(database, rounds=1, meetings=120, today=TODAY)
    assert set(figures) == {"convocations_200_ms", "signin_sheet_200_ms"}
    assert all(value > 0 for value in figures.values())
    assert added.meetings == 121 and added.attendance_rows > 0
    assert added.invitations > added.attendance_rows  # upcoming meetings have no attendance yet
    assert "benchmarks.bench_meetings" in run.benchmark_modules(["meetings"])
