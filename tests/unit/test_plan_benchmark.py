"""The plan benchmark runs on a small large-council; the figure is printed by run.py, never asserted."""

from __future__ import annotations

from datetime import date

from benchmarks import run
from benchmarks.bench_plan import annual_bilan_timings_s
from benchmarks.large_council import build_large_database


def test_annual_bilan_benchmark_writes_the_bilan_on_a_large_council(tmp_path):
    database = build_large_database(tmp_path / "large.sqlite", scale=0.05, today=date(2025, 6, 2))
    timings = annual_bilan_timings_s(database, rounds=1, actions=30, meetings=60, today=date(2025, 6, 2))
    assert len(timings) == 1 and timings[0] > 0
    assert "benchmarks.bench_plan" in run.benchmark_modules(["plan"])
