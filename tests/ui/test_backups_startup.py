"""Start-up: a damaged database offers the latest good snapshot; automatic snapshots at start and exit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from clspd_desktop.context import AppContext
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService
from clspd_desktop.ui.backups.startup import open_or_recover, snapshot_at_exit, snapshot_at_start
from tests.factories import add_organisation, make_council


@pytest.fixture
def damaged(paths):
    """A database with one good snapshot, then damaged (as by a disk fault)."""
    store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
    store.council.save(make_council())
    add_organisation(store, "Mission locale")
    SnapshotService(paths.snapshots_dir, store.db.conn).take(SnapshotReason.EXIT,
                                                             now=datetime.now() - timedelta(hours=2))
    store.close()
    data = bytearray(paths.database.read_bytes())
    data[100:4096 * 2] = b"\xa5" * (4096 * 2 - 100)
    paths.database.write_bytes(bytes(data))
    return paths.database.read_bytes()


def test_damaged_database_restores_the_latest_good_snapshot(paths, damaged, dialogs):
    dialogs.confirms.append(True)
    opened = open_or_recover(paths)
    assert opened is not None
    store = Store.over(opened.db)
    assert [o.name for o in store.directory.organisations()] == ["Mission locale"]
    store.close()
    assert "est endommagée" in dialogs.confirm_texts[0] and "à la fermeture" in dialogs.confirm_texts[0]
    (aside,) = paths.data_dir.glob("clspd-endommagee-*.sqlite")
    assert aside.read_bytes() == damaged


def test_declining_leaves_the_damaged_file_untouched(paths, damaged, dialogs):
    dialogs.confirms.append(False)
    assert open_or_recover(paths) is None
    assert paths.database.read_bytes() == damaged


def test_no_snapshot_explains_and_changes_nothing(paths, damaged, dialogs):
    for snap in paths.snapshots_dir.glob("*.sqlite"):
        snap.unlink()
    assert open_or_recover(paths) is None
    assert "endommagée" in dialogs.warned[0][1]
    assert paths.database.read_bytes() == damaged


def test_snapshot_at_start_once_a_day_and_at_exit(paths, configured_store):
    ctx = AppContext.create(paths, configured_store)
    snapshot_at_start(ctx)
    snapshot_at_start(ctx)
    assert [s.reason_code for s in ctx.snapshots.list()] == ["demarrage"]
    snapshot_at_exit(ctx)
    assert sorted(s.reason_code for s in ctx.snapshots.list()) == ["demarrage", "fermeture"]
