"""Snapshots do not trust the clock: ordered by the sequence stored inside each file, future-dated files
pruned once the clock is right again (never while it is behind), clock jumps reported once."""

from __future__ import annotations

from datetime import datetime, timedelta

from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService, latest_good_snapshot
from tests.factories import add_organisation

T0 = datetime(2026, 3, 16, 9, 0)
FIVE_YEARS = timedelta(days=5 * 365)


def _take(snaps: SnapshotService, store, name: str, when: datetime):
    add_organisation(store, name)
    return snaps.take(SnapshotReason.MANUAL, now=when)


def _organisations(snapshot) -> set[str]:
    import sqlite3

    conn = sqlite3.connect(snapshot.path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM organisation")}
    finally:
        conn.close()


def test_a_clock_five_years_ahead_then_put_back(configured_store, paths):
    snaps = SnapshotService(paths.snapshots_dir, configured_store.db.conn)
    _take(snaps, configured_store, "Lundi", T0)
    assert snaps.clock_warning(now=T0 + timedelta(days=1) + FIVE_YEARS) is not None  # a jump of five years
    future = _take(snaps, configured_store, "Mardi (horloge en 2031)", T0 + timedelta(days=1) + FIVE_YEARS)
    # the clock is right again on Wednesday: the 2031 file does not hide the day's snapshot
    wednesday = T0 + timedelta(days=2)
    warning = snaps.clock_warning(now=wednesday)
    assert warning and "l'horloge a reculé" in warning and "aucun n'est perdu" in warning
    assert snaps.clock_warning(now=wednesday) is None  # once
    assert snaps.is_due(now=wednesday)
    latest = _take(snaps, configured_store, "Mercredi", wednesday)
    assert not snaps.is_due(now=wednesday + timedelta(hours=2))
    listed = snaps.list()
    assert listed[0] == latest and [s.sequence for s in listed] == [3, 1]  # the 2031 file is pruned
    assert not future.path.exists()
    good = latest_good_snapshot(paths.snapshots_dir)
    assert good == latest and "Mercredi" in _organisations(good)


def test_a_clock_behind_now_deletes_nothing_dated_later(configured_store, paths):
    """A dead CMOS battery puts the PC back years: every snapshot looks future-dated; none is deleted."""
    snaps = SnapshotService(paths.snapshots_dir, configured_store.db.conn)
    for day in range(10):
        _take(snaps, configured_store, f"Jour {day}", T0 + timedelta(days=day * 7))
    before = {s.path for s in snaps.list()}
    reset = datetime(2020, 1, 1, 8, 0)
    assert "l'horloge a reculé" in snaps.clock_warning(now=reset)
    latest = _take(snaps, configured_store, "Après la panne", reset)
    assert before <= {s.path for s in snaps.list()}
    assert snaps.list()[0] == latest and latest_good_snapshot(paths.snapshots_dir) == latest
    assert "Après la panne" in _organisations(latest)


def test_the_rescue_picks_the_newest_content_not_the_latest_name(configured_store, paths):
    snaps = SnapshotService(paths.snapshots_dir, configured_store.db.conn)
    _take(snaps, configured_store, "Premier", T0 + FIVE_YEARS)  # named in 2031
    second = _take(snaps, configured_store, "Second", T0)  # taken after, named in 2026
    assert latest_good_snapshot(paths.snapshots_dir) == second
    assert "Second" in _organisations(second)


def test_a_long_absence_is_reported_once(configured_store, paths):
    snaps = SnapshotService(paths.snapshots_dir, configured_store.db.conn)
    _take(snaps, configured_store, "Avant", T0)
    later = T0 + timedelta(days=800)
    warning = snaps.clock_warning(now=later)
    assert warning and "plus d'un an après le dernier instantané" in warning
    assert snaps.clock_warning(now=later) is None
    assert snaps.clock_warning(now=T0 + timedelta(days=3)) is None  # nothing odd: nothing said


def test_snapshots_from_before_sequences_still_order_by_date(configured_store, paths):
    snaps = SnapshotService(paths.snapshots_dir, configured_store.db.conn)
    old = _take(snaps, configured_store, "Ancien", T0)
    older = _take(snaps, configured_store, "Plus ancien", T0 - timedelta(days=1))
    import sqlite3

    for snap in (old, older):  # as an earlier version wrote them: no sequence inside
        conn = sqlite3.connect(snap.path)
        with conn:
            conn.execute("DELETE FROM setting WHERE key = 'snapshot.sequence'")
        conn.close()
    assert [s.path for s in snaps.list()] == [old.path, older.path]
    assert _take(snaps, configured_store, "Nouveau", T0 + timedelta(hours=1)).sequence == 1
    assert snaps.list()[0].sequence == 1
