"""A restore of a backup holding the encrypted follow-up store, killed between the database replacement and
the store's swap (or just after the swap): the next start finishes it from the journal, or keeps the current
store whole with a French message when the staged copy is missing or damaged. Nothing is ever in clear."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from clspd_desktop.db.individual_store import IndividualStore
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.services.backup import make_backup
from clspd_desktop.services.individual.session import IndividualSession, snapshots_dir, store_path
from clspd_desktop.services.individual.snapshots import list_snapshots
from clspd_desktop.services.interrupted_work import RestoreJournal, finish_interrupted_work, journal_path
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import individual as ops
from tests.factories import add_organisation
from tests.individual_helpers import PASSPHRASE, Clock, enable, new_record

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"
NOW = datetime(2026, 12, 4, 9, 0)
MARKERS = (b"ZZMARQUEUR", b"ZZAPRES")

CHILD = r"""
import os, sys
from pathlib import Path
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.paths import AppPaths
from clspd_desktop.services import restore
from clspd_desktop.services.individual import files
from clspd_desktop.services.snapshots import SnapshotService
point, data, archive, password = sys.argv[1:5]
paths = AppPaths(Path(data))
store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
real = files.swap_in
def killed(staged, paths_, now):
    if point == "apres-suivi":
        real(staged, paths_, now)
    os._exit(9)  # as a power cut: no cleanup, no finally
files.swap_in = killed
plan = restore.prepare_backup_restore(Path(archive), password, paths)
restore.apply_restore(plan, store.db.conn, SnapshotService(paths.snapshots_dir, store.db.conn), paths)
print("fini", flush=True)
"""


def _record_names(path: Path) -> list[str]:
    store = IndividualStore.open(path, PASSPHRASE)
    try:
        return sorted(r.last_name for r in store.records())
    finally:
        store.close()


@pytest.fixture
def killed_restore(configured_store, paths, tmp_path):
    """Backup with ZZMARQUEUR; then ZZAPRES and an organisation added; a restore killed at `point`.
    Returns (session, previous store's bytes, snapshots before, run(point) -> journal)."""
    session = IndividualSession(paths, load_individual_rules(), Clock(NOW))
    env = OpEnv(paths, None)
    enable(session, env)
    ops.create_record(env, session=session, record=new_record(session, "ZZMARQUEUR", date(2012, 5, 1),
                                                               date(2026, 11, 2)))
    archive = tmp_path / "sauvegarde.7z"
    make_backup(configured_store, paths, archive, PASSWORD, now=NOW)
    ops.create_record(env, session=session, record=new_record(session, "ZZAPRES", date(2011, 1, 1),
                                                               date(2026, 11, 20)))
    add_organisation(configured_store, "Saisi après la sauvegarde")
    session.lock()
    configured_store.close()  # as after a power cut: the next start is a new process
    before = store_path(paths).read_bytes()
    snapshots_before = set(list_snapshots(snapshots_dir(paths)))

    def run(point: str) -> RestoreJournal:
        child = subprocess.run([sys.executable, "-c", CHILD, point, str(paths.data_dir), str(archive), PASSWORD],
                               capture_output=True, text=True, timeout=180, cwd=str(REPO),
                               env={**os.environ, "PYTHONPATH": str(REPO)})
        assert child.returncode == 9, child.stderr[-2000:]
        journal = RestoreJournal.read(paths)
        assert journal is not None and journal.new_individual is not None
        return journal

    return session, before, snapshots_before, run


def _organisations(paths) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(paths.database)
    try:
        return sorted(name for (name,) in conn.execute("SELECT name FROM organisation"))
    finally:
        conn.close()


def _check_clean(paths) -> None:
    """No journal, no work folder, no staged copy; no record name in clear in any file of the data folder."""
    assert not journal_path(paths).exists()
    assert not [p for p in paths.data_dir.iterdir() if p.name.startswith(".")]
    for path in paths.data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [m for m in MARKERS if m in data], path


@pytest.mark.parametrize("point", ["avant-suivi", "apres-suivi"])
def test_the_next_start_finishes_the_store_swap(paths, killed_restore, point):
    session, _, snapshots_before, run = killed_restore
    journal = run(point)
    # staged, encrypted, in the work folder the journal keeps; renamed into place once swapped
    assert Path(journal.new_individual).is_file() == (point == "avant-suivi")
    assert _record_names(store_path(paths)) == (["ZZAPRES", "ZZMARQUEUR"] if point == "avant-suivi"
                                                else ["ZZMARQUEUR"])
    message = finish_interrupted_work(paths)
    assert "vient d'être terminée" in message
    assert ("Le suivi individuel de la sauvegarde a aussi été mis en place" in message) == (point == "avant-suivi")
    assert "Saisi après la sauvegarde" not in _organisations(paths)
    assert _record_names(store_path(paths)) == ["ZZMARQUEUR"]
    (kept,) = set(list_snapshots(snapshots_dir(paths))) - snapshots_before  # one, not one per attempt
    assert _record_names(kept) == ["ZZAPRES", "ZZMARQUEUR"]
    if point == "avant-suivi":
        assert kept.name in message
    _check_clean(paths)
    assert finish_interrupted_work(paths) is None  # done once
    session.unlock(PASSPHRASE)  # the same passphrase opens the restored store
    session.lock()


@pytest.mark.parametrize("damage", ["absente", "endommagée"])
def test_a_lost_staged_copy_keeps_the_current_store_and_says_so(paths, killed_restore, damage):
    _, before, snapshots_before, run = killed_restore
    journal = run("avant-suivi")
    staged = Path(journal.new_individual)
    if damage == "absente":
        staged.unlink()
    else:
        data = bytearray(staged.read_bytes())
        data[5000] ^= 0xFF
        staged.write_bytes(bytes(data))
    message = finish_interrupted_work(paths)
    assert "vient d'être terminée" in message  # the database and documents are restored all the same
    assert "n'a pas pu être remis en place" in message and "resté en place, intact" in message
    assert "restaurez de nouveau la sauvegarde" in message
    assert store_path(paths).read_bytes() == before
    assert _record_names(store_path(paths)) == ["ZZAPRES", "ZZMARQUEUR"]
    assert set(list_snapshots(snapshots_dir(paths))) == snapshots_before
    assert "Saisi après la sauvegarde" not in _organisations(paths)
    _check_clean(paths)
