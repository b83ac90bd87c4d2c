"""Bounded runs of the reliability figures' families (benchmarks/bench_reliability.py prints the full ones):
every count that must be zero is zero."""

from __future__ import annotations

import sys

import pytest

from benchmarks.bench_reliability import Tally, disk_full, hostile_archives, kills


def _all_zeros(tally: Tally) -> None:
    assert (tally.changed, tally.crashed, tally.leftovers) == (0, 0, 0), tally.problems
    assert tally.clean == tally.tried > 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_restore_killed_anywhere_is_finished_or_rolled_back_at_the_next_start(tmp_path):
    """Two kills at chosen moments (documents swapped, database not yet / already replaced) and random ones."""
    tally = kills("restore", tmp_path, trials=3, points=("avant-base", "apres-base"))
    _all_zeros(tally)
    assert tally.extra.get("rolled_back", 0) >= 1 and tally.extra.get("completed", 0) >= 1


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("operation", ["backup", "snapshot"])
def test_backup_and_snapshot_killed_leave_nothing_after_the_next_start(tmp_path, operation):
    _all_zeros(kills(operation, tmp_path, trials=2))


def test_every_hostile_archive_is_refused_in_french_and_changes_nothing(tmp_path):
    tally = hostile_archives(tmp_path)
    assert tally.tried >= 40
    _all_zeros(tally)
    assert "accepted" not in tally.extra


def test_every_writing_operation_on_a_full_disk(tmp_path):
    tally = disk_full(tmp_path)
    assert tally.tried >= 10
    _all_zeros(tally)
    assert "warnings_printed" not in tally.extra
