"""Start-up: a damaged database offers the latest good snapshot; automatic snapshots at start and exit."""

from __future__ import annotations

import threading
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


def test_snapshot_at_start_once_a_day_and_at_exit_on_the_worker(qtbot, paths, configured_store, monkeypatch):
    ctx = AppContext.create(paths, configured_store)
    threads = []
    take = SnapshotService.take
    monkeypatch.setattr(SnapshotService, "take",
                        lambda self, *a, **k: (threads.append(threading.current_thread()), take(self, *a, **k))[1])
    for _ in range(2):
        snapshot_at_start(ctx, None)
        qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert [s.reason_code for s in ctx.snapshots.list()] == ["demarrage"]
    quit_calls = []
    snapshot_at_exit(ctx, then=lambda: quit_calls.append(True))
    assert quit_calls == []  # not before the snapshot is taken
    qtbot.waitUntil(lambda: quit_calls == [True], timeout=10_000)
    assert sorted(s.reason_code for s in ctx.snapshots.list()) == ["demarrage", "fermeture"]
    assert threads and all(t is not threading.main_thread() for t in threads)


def test_a_failed_start_snapshot_is_told_and_the_app_goes_on(qtbot, paths, configured_store, dialogs,
                                                             monkeypatch):
    import sqlite3

    from clspd_desktop.services import snapshots

    def disk_full(*_args, **_kwargs):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL  # as SQLite sets it
        raise error

    monkeypatch.setattr(snapshots, "write_snapshot", disk_full)
    ctx = AppContext.create(paths, configured_store)
    snapshot_at_start(ctx, None)
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    assert dialogs.warned[-1][0] == "Instantané automatique impossible" and "disque" in dialogs.warned[-1][1]
    assert ctx.snapshots.list() == []


def run_app_then(qapp, paths, act) -> int:
    """Run the real app on `paths`; once its window is shown, its start snapshot taken and the runner idle,
    call `act(window)` (which ends the session). The app's exit code."""
    from PySide6.QtCore import QTimer

    from clspd_desktop import app as app_module
    from clspd_desktop.ui.main_window import MainWindow

    def when_settled() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and list(paths.snapshots_dir.glob("*_demarrage.sqlite")) and not windows[0].runner.busy:
            timer.stop()
            act(windows[0])

    timer = QTimer()
    timer.timeout.connect(when_settled)
    timer.start(50)
    try:
        return app_module.run(["--data-dir", str(paths.data_dir)])
    finally:
        timer.stop()


def test_closing_the_window_takes_the_exit_snapshot_then_quits(qapp, paths, configured_store, monkeypatch):
    """The real start: the daily snapshot once the window is shown, then the user closes the window; the exit
    snapshot is taken on the worker before the app quits."""
    from clspd_desktop.services.operations import backups as ops

    configured_store.close()
    exit_threads = []
    original = ops.snapshot_at_exit
    monkeypatch.setattr(ops, "snapshot_at_exit",
                        lambda env: (exit_threads.append(threading.current_thread()), original(env))[1])

    assert run_app_then(qapp, paths, lambda window: window.close()) == 0
    reasons = sorted(s.reason_code for s in SnapshotService(paths.snapshots_dir, None).list())
    assert reasons == ["demarrage", "fermeture"]
    assert len(exit_threads) == 1 and exit_threads[0] is not threading.main_thread()


def test_closing_during_long_work_waits_for_it_then_takes_the_exit_snapshot(qapp, paths, configured_store,
                                                                             dialogs):
    from clspd_desktop.services.operations import done

    configured_store.close()
    gate, order = threading.Event(), []

    def long_work(env):
        gate.wait(10)
        order.append("travail fini")
        return done(None)

    def close_during_long_work(window) -> None:
        window.runner.start(long_work, parent=window, label="Sauvegarde chiffrée en cours…")
        dialogs.confirms.append(True)  # « Fermer à la fin »
        window.close()
        order.append("fenêtre encore ouverte" if window.isVisible() else "fenêtre fermée")
        gate.set()

    assert run_app_then(qapp, paths, close_during_long_work) == 0
    assert order == ["fenêtre encore ouverte", "travail fini"]
    assert "ne peut pas être interrompue" in dialogs.confirm_texts[-1]
    assert len(list(paths.snapshots_dir.glob("*_fermeture.sqlite"))) == 1


def test_exit_snapshot_without_a_window_only_logs_a_full_disk(qapp, paths, configured_store, monkeypatch, caplog):
    import sqlite3

    from clspd_desktop.services import snapshots
    from clspd_desktop.ui.backups.startup import snapshot_at_exit_now

    def disk_full(*_args, **_kwargs):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL  # as SQLite sets it
        raise error

    monkeypatch.setattr(snapshots, "write_snapshot", disk_full)
    snapshot_at_exit_now(AppContext.create(paths, configured_store))  # no exception: the next start tries again
    assert "Instantané de fermeture impossible" in caplog.text
