"""Automatic snapshots: verified files, named by moment and reason, pruned to ~7/4/12."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from clspd_desktop.db.backup_repo import table_rows
from clspd_desktop.db.snapshot import check_copy, file_copy, write_snapshot
from clspd_desktop.errors import StorageError
from clspd_desktop.services.snapshots import (
    SnapshotReason,
    SnapshotService,
    kept_by_retention,
    latest_good_snapshot,
    list_snapshots,
)
from tests.factories import add_organisation

NOW = datetime(2025, 3, 17, 9, 30)


def service(store, paths) -> SnapshotService:
    return SnapshotService(paths.snapshots_dir, store.db.conn)


def test_snapshot_is_a_verified_copy_named_after_its_reason(configured_store, paths):
    add_organisation(configured_store, "Mission locale")
    snap = service(configured_store, paths).take(SnapshotReason.IMPORT, now=NOW)
    assert snap.path.name == "2025-03-17_093000_avant-import.sqlite"
    assert snap.reason_label == "Avant un import"
    assert snap.size == snap.path.stat().st_size > 0
    copy = sqlite3.connect(snap.path)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert table_rows(copy, "organisation") == table_rows(configured_store.db.conn, "organisation")
    finally:
        copy.close()
    assert not list(paths.snapshots_dir.glob(".*.tmp"))


def test_two_snapshots_in_the_same_second_both_exist(store, paths):
    snaps = service(store, paths)
    first = snaps.take(SnapshotReason.MANUAL, now=NOW)
    second = snaps.take(SnapshotReason.MANUAL, now=NOW)
    assert first.path != second.path
    assert len(snaps.list()) == 2


def test_is_due_after_24_hours(store, paths):
    snaps = service(store, paths)
    assert snaps.is_due(NOW)
    snaps.take(SnapshotReason.START, now=NOW)
    assert not snaps.is_due(NOW + timedelta(hours=23))
    assert snaps.is_due(NOW + timedelta(hours=24))


def _fake_snapshots(folder, moments):
    folder.mkdir(parents=True, exist_ok=True)
    for moment in moments:
        (folder / f"{moment.strftime('%Y-%m-%d_%H%M%S')}_demarrage.sqlite").write_bytes(b"x")
    return list_snapshots(folder)


def test_retention_keeps_7_daily_4_weekly_12_monthly(tmp_path):
    moments = [NOW - timedelta(days=d, hours=1) for d in range(0, 800)]
    snapshots = _fake_snapshots(tmp_path, moments)
    kept = kept_by_retention(snapshots, NOW)
    kept_moments = sorted(s.taken_at for s in snapshots if s.path in kept)
    # the last 7 days, one per day
    assert [m.date() for m in kept_moments[-7:]] == [(NOW - timedelta(days=d)).date() for d in range(6, -1, -1)]
    # nothing older than about a year, and about 7 + 4 + 12 files in all (buckets overlap)
    assert kept_moments[0] > NOW - timedelta(days=366)
    assert 12 <= len(kept) <= 7 + 4 + 12


def test_retention_keeps_everything_from_the_last_24_hours(tmp_path):
    moments = [NOW - timedelta(hours=h) for h in range(1, 6)]
    snapshots = _fake_snapshots(tmp_path, moments)
    assert len(kept_by_retention(snapshots, NOW)) == 5


def test_prune_removes_old_snapshots_but_not_foreign_files(store, paths):
    folder = paths.snapshots_dir
    _fake_snapshots(folder, [NOW - timedelta(days=d) for d in range(1, 60)])
    (folder / "note.txt").write_text("à garder", encoding="utf-8")
    service(store, paths).take(SnapshotReason.EXIT, now=NOW)
    remaining = list_snapshots(folder)
    assert len(remaining) < 25
    assert remaining[0].reason_code == "fermeture"
    assert (folder / "note.txt").exists()


def test_latest_good_skips_a_damaged_snapshot(store, paths):
    snaps = service(store, paths)
    good = snaps.take(SnapshotReason.START, now=NOW)
    bad = snaps.take(SnapshotReason.MANUAL, now=NOW + timedelta(minutes=5))
    bad.path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    assert latest_good_snapshot(paths.snapshots_dir).path == good.path


def test_file_copy_is_the_snapshot_in_rollback_mode(configured_store, tmp_path):
    """What a backup archives: the same pages as `write_snapshot`'s file, header in rollback-journal mode
    (the live file says WAL), only SQLite's change counters differ."""
    add_organisation(configured_store, "Mission locale")
    live = configured_store.db.conn
    assert live.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    copy = file_copy(live, tmp_path / "copie.sqlite")
    try:
        check_copy(copy)
    finally:
        copy.close()
    image = (tmp_path / "copie.sqlite").read_bytes()
    snapshot = write_snapshot(live, tmp_path / "instantane.sqlite").read_bytes()
    assert image[18:20] == b"\x01\x01" == snapshot[18:20]
    assert len(image) == len(snapshot)
    differing = {i for i in range(len(image)) if image[i] != snapshot[i]}
    assert differing <= set(range(24, 28)) | set(range(92, 96))  # file change counter, version-valid-for
    restored = tmp_path / "image.sqlite"
    restored.write_bytes(image)
    conn = sqlite3.connect(restored)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert table_rows(conn, "organisation") == table_rows(live, "organisation")
    finally:
        conn.close()
    assert not (tmp_path / "image.sqlite-wal").exists()


def damaged_copy(store, tmp_path) -> sqlite3.Connection:
    """An in-memory database whose second page is garbage, as a copy of a damaged file would be."""
    for n in range(30):
        add_organisation(store, f"Partenaire {n}", notes="n" * 300)
    image = bytearray(write_snapshot(store.db.conn, tmp_path / "bon.sqlite").read_bytes())
    image[4096:8192] = b"\xee" * 4096
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.deserialize(bytes(image))
    return conn


def test_check_copy_refuses_a_damaged_copy(configured_store, tmp_path):
    copy = damaged_copy(configured_store, tmp_path)
    try:
        with pytest.raises(StorageError, match="incohérente"):
            check_copy(copy)
    finally:
        copy.close()
