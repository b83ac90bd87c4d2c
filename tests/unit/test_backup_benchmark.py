"""The backup benchmark runs on a small large-council; figures are printed by run.py, never asserted."""

from __future__ import annotations

from datetime import date

import pytest

from benchmarks import run
from benchmarks.bench_backup import backup_timings, memory_figures
from benchmarks.large_council import build_large_database
from clspd_desktop.services.archive import find_7z_cli


def test_backup_benchmark_measures_every_figure(tmp_path):
    database = build_large_database(tmp_path / "large.sqlite", scale=0.05, today=date(2025, 6, 2))
    figures = {name: value for name, value, _unit in backup_timings(database, rounds=2)}
    expected = {"backup_s", "restore_s", "backup_archive_mb", "database_mb"}
    assert all(value > 0 for value in figures.values())
    if find_7z_cli() is None:
        assert set(figures) == expected
    else:
        assert set(figures) == expected | {"backup_7z_cli_s", "backup_ratio", "restore_7z_cli_s", "restore_ratio",
                                             "backup_7z_cli_archive_mb", "restore_fair_floor_s", "restore_fair_ratio",
                                             "backup_7z_matched_s", "backup_7z_matched_archive_mb",
                                             "backup_ratio_matched"}
        assert figures["restore_fair_ratio"] == pytest.approx(figures["restore_s"] / figures["restore_fair_floor_s"])
        assert figures["backup_ratio_matched"] == pytest.approx(figures["backup_s"] / figures["backup_7z_matched_s"])
        assert figures["backup_ratio"] == pytest.approx(figures["backup_s"] / figures["backup_7z_cli_s"])
        assert figures["restore_ratio"] == pytest.approx(figures["restore_s"] / figures["restore_7z_cli_s"])
    assert "benchmarks.bench_backup" in run.benchmark_modules(["backup"])


def test_backup_memory_figure_runs_in_a_fresh_process(tmp_path):
    database = build_large_database(tmp_path / "large.sqlite", scale=0.05, today=date(2025, 6, 2))
    figures = {name: value for name, value, _unit in memory_figures(database)}
    assert set(figures) == {"backup_peak_rss_mb", "backup_peak_rss_ratio"}
    assert figures["backup_peak_rss_mb"] > 0
