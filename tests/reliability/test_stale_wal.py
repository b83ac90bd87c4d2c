"""After a crash that left a stale -wal file, a restore gives the restored data, not the old WAL's."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from clspd_desktop.db.opening import open_database
from clspd_desktop.db.snapshot import write_snapshot
from clspd_desktop.db.store import Store
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.backup import make_backup
from clspd_desktop.services.restore import apply_restore, prepare_backup_restore
from clspd_desktop.services.snapshots import SnapshotService
from tests.factories import add_organisation, make_council

PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"

# Writes one organisation that stays in the -wal file (no checkpoint), then waits to be killed.
CHILD = """
import sys, time
from clspd_desktop.db.connection import connect
from clspd_desktop.db.store import Store
from clspd_desktop.domain.directory import Organisation, OrganisationCategory
db = connect(sys.argv[1])
db.execute("PRAGMA wal_autocheckpoint = 0")
Store.over(db).directory.save_organisation(Organisation(name="Écrit après la sauvegarde",
                                                        category=OrganisationCategory.OTHER))
print("ecrit", flush=True)
time.sleep(60)
"""


def names(store: Store) -> list[str]:
    return sorted(o.name for o in store.directory.organisations())


def crash_with_stale_wal(db_file) -> None:
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db_file)], stdout=subprocess.PIPE, text=True,
                             env=env)
    assert child.stdout.readline().strip() == "ecrit"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    wal = db_file.with_name(db_file.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0


def open_store(paths: AppPaths) -> Store:
    return Store.over(open_database(paths.database, paths.snapshots_dir).db)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_restore_after_crash_with_stale_wal(tmp_path):
    paths = AppPaths(tmp_path / "donnees").ensure()
    store = open_store(paths)
    store.council.save(make_council())
    add_organisation(store, "Présent dans la sauvegarde")
    archive = tmp_path / "sauvegarde.7z"
    make_backup(store, paths, archive, PASSWORD)
    store.close()

    crash_with_stale_wal(paths.database)
    store = open_store(paths)  # the app restarts after the crash
    assert "Écrit après la sauvegarde" in names(store)
    plan = prepare_backup_restore(archive, PASSWORD, paths)
    apply_restore(plan, store.db.conn, SnapshotService(paths.snapshots_dir, store.db.conn), paths)
    assert names(store) == ["Présent dans la sauvegarde"]
    store.close()

    store = open_store(paths)
    assert names(store) == ["Présent dans la sauvegarde"]
    store.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_the_trap_is_real_copying_the_file_is_undone_by_the_wal(tmp_path):
    """Why the restore goes through the backup API: a file copied over the database loses to the stale WAL."""
    paths = AppPaths(tmp_path / "donnees").ensure()
    store = open_store(paths)
    add_organisation(store, "Présent dans la sauvegarde")
    good = tmp_path / "copie.sqlite"
    write_snapshot(store.db.conn, good)
    store.close()
    crash_with_stale_wal(paths.database)
    shutil.copyfile(good, paths.database)  # the naive "restore"
    store = open_store(paths)
    assert "Écrit après la sauvegarde" in names(store)
    store.close()
