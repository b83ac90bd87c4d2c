"""A clock that jumps (backwards, five years ahead, back again) never makes the rescue offer stale data, never
stops the daily snapshot and is reported once; the rescue lists the other valid snapshots to choose from."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from benchmarks.bench_reliability import clock_jumps
from clspd_desktop.context import AppContext
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService
from clspd_desktop.ui.backups.startup import open_or_recover, snapshot_at_start
from tests.factories import add_organisation, make_council


def _damage(db_file) -> None:
    data = bytearray(db_file.read_bytes())
    data[100:4096 * 2] = b"\xa5" * (4096 * 2 - 100)
    db_file.write_bytes(bytes(data))


def _names(db_file) -> list[str]:
    conn = sqlite3.connect(db_file)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM organisation"))
    finally:
        conn.close()


def test_rescue_offers_the_newest_content_then_the_list(paths, dialogs):
    store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
    store.council.save(make_council())
    snaps = SnapshotService(paths.snapshots_dir, store.db.conn)
    now = datetime.now()
    add_organisation(store, "Avant")
    snaps.take(SnapshotReason.EXIT, now=now - timedelta(days=3))
    add_organisation(store, "Horloge en avance")
    snaps.take(SnapshotReason.EXIT, now=now + timedelta(days=5 * 365))  # named five years ahead
    add_organisation(store, "Dernier")
    snaps.take(SnapshotReason.EXIT, now=now - timedelta(hours=1))
    store.close()
    _damage(paths.database)

    dialogs.confirms.append(True)
    opened = open_or_recover(paths)
    assert "à la fermeture" in dialogs.confirm_texts[0] and str(now.year + 5) not in dialogs.confirm_texts[0]
    assert "Dernier" in [o.name for o in Store.over(opened.db).directory.organisations()]
    opened.db.conn.close()

    _damage(paths.database)  # again, and this time the user picks an older one from the list
    dialogs.confirms.append(False)
    dialogs.choices.append(1)
    opened = open_or_recover(paths)
    options = dialogs.choice_options[-1]
    # newest content first; the file named five years ahead went when « Dernier » was taken after it
    assert len(options) == 2 and not any(str(now.year + 5) in o for o in options)
    assert _names(paths.database) == ["Avant"]
    opened.db.conn.close()


def test_start_up_warns_once_about_a_clock_that_went_back(qtbot, paths, configured_store, dialogs):
    snaps = SnapshotService(paths.snapshots_dir, configured_store.db.conn)
    snaps.take(SnapshotReason.EXIT, now=datetime.now() + timedelta(days=5 * 365))
    ctx = AppContext.create(paths, configured_store)
    snapshot_at_start(ctx, None)
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)  # the snapshot is taken on the worker
    assert len(dialogs.warned) == 1 and "l'horloge a reculé" in dialogs.warned[0][1]
    assert len(snaps.list()) == 2  # the day's snapshot was taken despite the file dated five years ahead
    snapshot_at_start(ctx, None)
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert len(dialogs.warned) == 1


def test_clock_jump_family_is_all_zeros(tmp_path):
    tally = clock_jumps(tmp_path)
    assert tally.tried >= 6 and tally.changed == tally.crashed == tally.leftovers == 0
