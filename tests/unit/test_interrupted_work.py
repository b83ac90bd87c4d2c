"""Start-up repairs: an interrupted restore's journal finished or rolled back, leftovers of killed operations
removed (not those of a running one), records of partial files outside the data folder, private permissions."""

from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from clspd_desktop.db.snapshot import RESTORE_MARK_KEY, mark_copy, restore_into
from clspd_desktop.paths import keep_private
from clspd_desktop.services.interrupted_work import (
    PENDING_FOLDER,
    RestoreJournal,
    finish_interrupted_work,
    journal_path,
    pending_files,
    remove_leftovers,
)
from clspd_desktop.services.restore import _swap_documents, prepare_snapshot_restore
from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService
from tests.factories import add_organisation

DEAD_PID = 4_000_000  # above Linux's pid_max: no such process


def _interrupted_restore(store, paths, *, database_replaced: bool) -> RestoreJournal:
    """A restore stopped after the documents swap, before or after the database replacement (as a kill
    would leave it: no cleanup ran)."""
    add_organisation(store, "Dans l'instantané")
    snapshot = SnapshotService(paths.snapshots_dir, store.db.conn).take(SnapshotReason.MANUAL)
    add_organisation(store, "Saisi après")
    (paths.documents_dir / "actuel.pdf").write_bytes(b"actuel")
    plan = prepare_snapshot_restore(snapshot, paths)
    plan.documents = plan.workdir / "documents"
    plan.documents.mkdir()
    (plan.documents / "restaure.pdf").write_bytes(b"restaure")
    journal = RestoreJournal.create(paths, plan.source, plan.workdir, plan.documents)
    mark_copy(plan.database, {RESTORE_MARK_KEY: journal.restore_id})
    journal.write(paths)
    _swap_documents(journal)
    if database_replaced:
        restore_into(store.db.conn, plan.database)
    return journal


def _names(store) -> list[str]:
    return sorted(o.name for o in store.directory.organisations())


def test_a_restore_stopped_before_the_database_is_rolled_back(configured_store, paths):
    journal = _interrupted_restore(configured_store, paths, database_replaced=False)
    message = finish_interrupted_work(paths)
    assert "elle a été annulée" in message and "inchangées" in message
    assert _names(configured_store) == ["Dans l'instantané", "Saisi après"]
    assert [p.name for p in paths.documents_dir.iterdir()] == ["actuel.pdf"]
    assert not journal_path(paths).exists() and not os.path.exists(journal.workdir)
    assert not os.path.exists(journal.documents_aside)


def test_a_restore_stopped_after_the_database_is_finished(configured_store, paths):
    journal = _interrupted_restore(configured_store, paths, database_replaced=True)
    message = finish_interrupted_work(paths)
    assert "vient d'être terminée" in message
    assert _names(configured_store) == ["Dans l'instantané"]
    assert [p.name for p in paths.documents_dir.iterdir()] == ["restaure.pdf"]
    assert not journal_path(paths).exists() and not os.path.exists(journal.workdir)
    assert not os.path.exists(journal.documents_aside)  # the previous documents: in the safety snapshot's time
    assert finish_interrupted_work(paths) is None  # done once


def test_leftovers_of_dead_processes_go_those_of_a_running_one_stay(paths, tmp_path):
    dead_work = paths.data_dir / ".restauration-abc123"
    (dead_work / "contenu").mkdir(parents=True)
    (dead_work / "contenu" / "clspd.sqlite").write_bytes(b"base dechiffree")
    dead_tmp = paths.snapshots_dir / f".2026-03-17_091500_manuel.sqlite.{DEAD_PID}.tmp"
    dead_journal = paths.snapshots_dir / f".2026-03-17_091500_manuel.sqlite.{DEAD_PID}.tmp-journal"
    mine = paths.exports_dir / f".annuaire.xlsx.{os.getpid()}.tmp"
    for path in (dead_tmp, dead_journal, mine):
        path.write_bytes(b"x")
    usb = tmp_path / "cle-usb"
    usb.mkdir()
    partial_backup = usb / f".sauvegarde.7z.{DEAD_PID}.tmp"
    partial_backup.write_bytes(b"x")
    record = paths.data_dir / PENDING_FOLDER / f"{DEAD_PID}-abcd.json"
    record.parent.mkdir()
    record.write_text(json.dumps([str(partial_backup), str(usb / "rapport.pdf")]))
    (usb / "rapport.pdf").write_bytes(b"a user's file named in a forged record")

    removed = remove_leftovers(paths)
    assert set(removed) == {dead_work, dead_tmp, dead_journal, partial_backup, record}
    assert mine.exists() and (usb / "rapport.pdf").exists()


def test_pending_files_are_recorded_only_while_the_operation_runs(paths, tmp_path):
    target = tmp_path / f".sauvegarde.7z.{os.getpid()}.tmp"
    with pending_files(paths, [target]):
        (record,) = (paths.data_dir / PENDING_FOLDER).glob("*.json")
        assert json.loads(record.read_text()) == [str(target)]
    assert not (paths.data_dir / PENDING_FOLDER).exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_existing_install_is_made_private(paths, configured_store):
    previous = os.umask(0o022)
    try:
        os.chmod(paths.data_dir, 0o755)
        os.chmod(paths.database, 0o644)
        (paths.documents_dir / "cr.pdf").write_bytes(b"cr")
        assert keep_private(paths.data_dir)
        for path in [paths.data_dir, *paths.data_dir.rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o700 if path.is_dir() else 0o600), path
        assert not keep_private(paths.data_dir)  # already private: nothing walked again
        new = paths.exports_dir / "nouveau.csv"
        new.write_text("x")  # the umask set by keep_private
        assert stat.S_IMODE(new.stat().st_mode) == 0o600
    finally:
        os.umask(previous)



def test_a_rescue_stopped_between_its_two_renames_is_finished(configured_store, paths):
    add_organisation(configured_store, "Dans l'instantané")
    snapshot = SnapshotService(paths.snapshots_dir, configured_store.db.conn).take(SnapshotReason.MANUAL)
    configured_store.close()
    import sqlite3

    from clspd_desktop.db.snapshot import write_snapshot
    from clspd_desktop.services.interrupted_work import rescue_copy_path

    source = sqlite3.connect(snapshot.path)
    write_snapshot(source, rescue_copy_path(paths, DEAD_PID))  # the copy was written and checked…
    source.close()
    os.replace(paths.database, paths.data_dir / "clspd-endommagee-2026-03-17_091500.sqlite")  # … set aside
    message = finish_interrupted_work(paths)
    assert "vient d'être terminé" in message
    conn = sqlite3.connect(paths.database)
    assert [r[0] for r in conn.execute("SELECT name FROM organisation")] == ["Dans l'instantané"]
    conn.close()
    assert not list(paths.data_dir.glob(".*.tmp"))


# Runs app.run's event loop: kept here, after every screen test (tests/ui), since a QApplication that has
# run and quit its loop once leaves later timers and waits unreliable.
def test_the_app_repairs_before_opening_and_says_so(qapp, paths, configured_store, dialogs):
    from clspd_desktop import app as app_module

    _interrupted_restore(configured_store, paths, database_replaced=True)
    configured_store.close()  # as after a power cut: the app starts on what the kill left
    code = app_module.run(["--data-dir", str(paths.data_dir), "--exit-when-shown"])
    assert code == 0
    assert dialogs.informed[0][0] == "Travail interrompu" and "vient d'être terminée" in dialogs.informed[0][1]
    assert [p.name for p in paths.documents_dir.iterdir()] == ["restaure.pdf"]
    assert not journal_path(paths).exists()
