"""The encrypted follow-up store never leaves uncontrolled: refused by the préfecture pack's scan (by name
and by content, a renamed copy included), in backups only as the still-encrypted store (not its
snapshots), and swapped back safely by a restore (the previous store kept as a snapshot)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from clspd_desktop.db.individual_store import IndividualStore
from clspd_desktop.domain.individual.rules import load_individual_rules
from clspd_desktop.errors import StorageError, UserError
from clspd_desktop.services.backup import make_backup
from clspd_desktop.services.individual import files, snapshots
from clspd_desktop.services.individual.session import IndividualSession, snapshots_dir, store_path
from clspd_desktop.services.individual.snapshots import list_snapshots, snapshot_name
from clspd_desktop.services.operations import OpEnv
from clspd_desktop.services.operations import individual as ops
from clspd_desktop.services.prefecture_pack import (
    PACK_ITEMS,
    PackItem,
    PackOptions,
    build_pack,
    register_pack_item,
)
from clspd_desktop.services.restore import apply_restore, prepare_backup_restore
from clspd_desktop.services.snapshots import SnapshotService
from tests.factories import add_organisation
from tests.individual_helpers import PASSPHRASE, Clock, enable, new_record

BACKUP_PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"
NOW = datetime(2026, 12, 4, 9, 0)
SEVEN_ZIP = shutil.which("7z") or shutil.which("7zz")


@pytest.fixture
def session(paths):
    s = IndividualSession(paths, load_individual_rules(), Clock(NOW))
    env = OpEnv(paths, None)
    enable(s, env)
    ops.create_record(env, session=s, record=new_record(s, "ZZMARQUEUR", date(2012, 5, 1), date(2026, 11, 2)))
    ops.take_snapshot(env, session=s)
    return s


def _record_names(path: Path) -> list[str]:
    store = IndividualStore.open(path, PASSPHRASE)
    try:
        return sorted(r.last_name for r in store.records())
    finally:
        store.close()


# ---- the préfecture pack's scan --------------------------------------------------------------------------

LEAK_FILE, LEAK_NAME = "CLSPD_TEST_LEAK_FILE", "CLSPD_TEST_LEAK_NAME"


def copy_builder(store, folder: Path, options) -> dict[str, Path]:
    """A faulty pack item that would send a copy of the store under an innocent name. It runs in the pack's
    child process, which inherits the environment (not this module's state): told what to copy there."""
    target = folder / "annexe.bin"
    shutil.copyfile(os.environ[LEAK_FILE], target)
    return {os.environ[LEAK_NAME]: target}


@pytest.mark.parametrize(("which", "member"), [("store", "annexe.bin"), ("snapshot", "annexe.bin"),
                                               ("store", "suivi-individuel.sqlcipher"),
                                               ("unrelated", "instantanes-suivi/copie.bin")])
def test_the_pack_refuses_the_store_its_snapshots_and_copies(configured_store, paths, session, which, member,
                                                             monkeypatch):
    configured_store.council.save(configured_store.council.get())
    add_organisation(configured_store, "Mission locale")
    unrelated = paths.data_dir / "autre.bin"
    unrelated.write_bytes(b"rien a voir" * 200)
    source = {"store": store_path(paths), "unrelated": unrelated,
              "snapshot": next(iter(list_snapshots(snapshots_dir(paths))))}[which]
    monkeypatch.setenv(LEAK_FILE, str(source))
    monkeypatch.setenv(LEAK_NAME, member)
    item = PackItem("fuite", "Fuite", f"{__name__}:copy_builder")
    register_pack_item(item)
    try:
        with pytest.raises(UserError, match="ne peut pas contenir le suivi individuel") as caught:
            build_pack(configured_store, paths, ["annuaire-pdf", "fuite"], PackOptions(2026, NOW.date()), now=NOW)
    finally:
        PACK_ITEMS.remove(item)
    assert member in caught.value.message
    assert not list(paths.exports_dir.glob("*.7z"))
    assert configured_store.packs.all() == []


def test_a_normal_pack_passes_the_scan_with_the_module_on(configured_store, paths, session):
    add_organisation(configured_store, "Mission locale")
    built = build_pack(configured_store, paths, ["annuaire-pdf", "annuaire-xlsx"], PackOptions(2026, NOW.date()),
                       now=NOW)
    assert built.path.exists()


def test_names_recognised():
    for name in ("suivi-individuel.sqlcipher", "suivi-individuel.sqlcipher-journal",
                 "suivi-individuel.endommage-20261204-090000.sqlcipher", "instantanes-suivi/x.pdf",
                 "suivi-individuel-20261204-090000.sqlcipher", "copie.sqlcipher"):
        assert files.is_individual_name(name), name
    for name in ("clspd.sqlite", "Annuaire des partenaires.pdf", "suivi-individuel-registre.pdf"):
        assert not files.is_individual_name(name), name


# ---- backups and restores ----------------------------------------------------------------------------

def _members(archive: Path) -> dict[str, bytes]:
    out = archive.parent / "extrait"
    subprocess.run([SEVEN_ZIP, "x", f"-p{BACKUP_PASSWORD}", f"-o{out}", "-y", str(archive)], check=True,
                   capture_output=True)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.skipif(SEVEN_ZIP is None, reason="7z command line not installed")
def test_the_backup_holds_the_store_still_encrypted_and_no_snapshot(configured_store, paths, session, tmp_path):
    archive = tmp_path / "cle" / "sauvegarde.7z"
    make_backup(configured_store, paths, archive, BACKUP_PASSWORD, now=NOW)
    members = _members(archive)
    assert members[files.BACKUP_MEMBER] == store_path(paths).read_bytes()
    assert not [m for m in members if "instantanes-suivi" in m or m.startswith("suivi-individuel-")]
    assert not [m for m, data in members.items() if b"ZZMARQUEUR" in data]
    copy = tmp_path / "copie.sqlcipher"
    copy.write_bytes(members[files.BACKUP_MEMBER])
    assert _record_names(copy) == ["ZZMARQUEUR"]


def test_a_backup_without_the_module_has_no_store(configured_store, paths, tmp_path):
    archive = tmp_path / "sauvegarde.7z"
    result = make_backup(configured_store, paths, archive, BACKUP_PASSWORD, now=NOW)
    assert files.BACKUP_MEMBER not in result.manifest.members


def test_a_store_being_written_is_not_copied_half_way(paths, session, tmp_path):
    journal = store_path(paths).with_name(store_path(paths).name + "-journal")
    journal.write_bytes(b"x")
    with pytest.raises(StorageError, match="en cours d'écriture"):
        files.backup_copy(paths, tmp_path, attempts=2, pause_s=0)
    assert not (tmp_path / files.BACKUP_MEMBER).exists()


def test_restore_swaps_the_store_and_keeps_the_previous_one_as_a_snapshot(configured_store, paths, session,
                                                                          tmp_path):
    archive = tmp_path / "sauvegarde.7z"
    make_backup(configured_store, paths, archive, BACKUP_PASSWORD, now=NOW)
    env = OpEnv(paths, None)
    ops.create_record(env, session=session, record=new_record(session, "ZZAPRES", date(2011, 1, 1),
                                                               date(2026, 11, 20)))
    session.lock()
    before = set(list_snapshots(snapshots_dir(paths)))
    plan = prepare_backup_restore(archive, BACKUP_PASSWORD, paths)
    assert "Le suivi individuel (fichier chiffré) sera aussi remplacé" in plan.summary()
    apply_restore(plan, configured_store.db.conn, SnapshotService(paths.snapshots_dir, configured_store.db.conn),
                  paths)
    assert _record_names(store_path(paths)) == ["ZZMARQUEUR"]
    (kept,) = set(list_snapshots(snapshots_dir(paths))) - before
    assert _record_names(kept) == ["ZZAPRES", "ZZMARQUEUR"]
    assert "restauré" in plan.individual_note and kept.name in plan.individual_note
    assert not [p for p in paths.data_dir.iterdir() if p.name.startswith(".")]
    session.unlock(PASSPHRASE)  # the same passphrase opens the restored store


def test_a_truncated_store_in_a_backup_changes_nothing(configured_store, paths, session, tmp_path, monkeypatch):
    real_copy = files.backup_copy

    def truncated(paths_, work, **kw):
        copied = real_copy(paths_, work, **kw)
        path = copied[files.BACKUP_MEMBER]
        path.write_bytes(path.read_bytes()[:5000])
        return copied

    monkeypatch.setattr(files, "backup_copy", truncated)
    archive = tmp_path / "sauvegarde.7z"
    make_backup(configured_store, paths, archive, BACKUP_PASSWORD, now=NOW)
    before = store_path(paths).read_bytes()
    with pytest.raises(StorageError, match="tronqué"):
        prepare_backup_restore(archive, BACKUP_PASSWORD, paths)
    assert store_path(paths).read_bytes() == before
    assert not [p for p in paths.data_dir.iterdir() if p.name.startswith(".")]


def test_a_clear_sqlite_in_place_of_the_store_is_refused(configured_store, paths, session, tmp_path, monkeypatch):
    import sqlite3

    def clear_copy(paths_, work, **kw):
        target = work / files.BACKUP_MEMBER
        conn = sqlite3.connect(target)
        conn.execute("CREATE TABLE records (last_name TEXT)")
        conn.execute("INSERT INTO records VALUES ('ZZCLAIR')")
        conn.commit()
        conn.close()
        return {files.BACKUP_MEMBER: target}

    monkeypatch.setattr(files, "backup_copy", clear_copy)
    archive = tmp_path / "sauvegarde.7z"
    make_backup(configured_store, paths, archive, BACKUP_PASSWORD, now=NOW)
    before = store_path(paths).read_bytes()
    with pytest.raises(StorageError, match="n'est pas chiffré"):
        prepare_backup_restore(archive, BACKUP_PASSWORD, paths)
    assert store_path(paths).read_bytes() == before
    assert not [p for p in paths.data_dir.iterdir() if p.name.startswith(".")]


def _crash_during_a_write(store: Path, work: Path) -> None:
    """Leave `store` as a crash would: pages of an uncommitted transaction written into it, the rollback journal
    (holding the pages before) beside it. Done on a copy, whose two files are then put in place."""
    work.mkdir()
    copy = work / store.name
    shutil.copyfile(store, copy)
    writing = IndividualStore.open(copy, PASSPHRASE)
    conn = writing.conn
    conn.execute("PRAGMA cache_size = 2")  # the cache spills: the file is written before the commit
    conn.execute("BEGIN")
    conn.execute("UPDATE records SET last_name = 'ZZINTERROMPU'")
    conn.execute("CREATE TABLE zz_filler (x BLOB)")
    conn.executemany("INSERT INTO zz_filler VALUES (randomblob(3000))", [()] * 300)
    journal = copy.with_name(copy.name + "-journal")
    assert journal.stat().st_size > 0 and copy.stat().st_size > store.stat().st_size
    shutil.copyfile(copy, store)  # the state on disk at the crash
    shutil.copyfile(journal, store.with_name(store.name + "-journal"))
    conn.execute("ROLLBACK")
    writing.close()


def test_a_store_left_with_a_hot_journal_is_kept_with_it_as_a_snapshot_never_rolled_into_the_restored_one(
        paths, session, tmp_path):
    staged = tmp_path / "preparee.sqlcipher"
    shutil.copyfile(store_path(paths), staged)  # the backup's store: ZZMARQUEUR
    env = OpEnv(paths, None)
    ops.create_record(env, session=session, record=new_record(session, "ZZAVANT", date(2011, 1, 1),
                                                               date(2026, 11, 20)))
    session.lock()
    target = store_path(paths)
    _crash_during_a_write(target, tmp_path / "crash")
    snapshots_before = set(list_snapshots(snapshots_dir(paths)))

    kept = files.swap_in(staged, paths, NOW)

    assert files.side_files(target) == []  # no journal left to roll into the restored store
    assert _record_names(target) == ["ZZMARQUEUR"]
    assert kept not in snapshots_before  # the one taken the same second is left alone
    assert set(list_snapshots(snapshots_dir(paths))) == snapshots_before | {kept}
    assert all(files.side_files(p) == [] for p in snapshots_before)
    assert [p.name for p in files.side_files(kept)] == [kept.name + "-journal"]
    note = files.kept_note(kept)
    assert "écriture avait été interrompue" in note and kept.name in note
    restored = tmp_path / "depuis-instantane.sqlcipher"
    snapshots.restore(kept, restored, PASSPHRASE)  # SQLCipher rolls the pair back to its last whole state
    assert _record_names(restored) == ["ZZAVANT", "ZZMARQUEUR"]
    assert files.side_files(kept) == []

    # rotated like any snapshot: with its journal, and a journal whose snapshot is gone
    _crash_during_a_write(kept, tmp_path / "encore")
    orphan = snapshots_dir(paths) / "suivi-individuel-20200101-000000.sqlcipher-journal"
    orphan.write_bytes(b"pages")
    deleted = snapshots.rotate(snapshots_dir(paths), NOW, NOW + timedelta(seconds=1), session.rules)
    assert kept in deleted and files.side_files(kept) == [] and not orphan.exists()


def test_a_journal_left_without_a_store_goes_into_the_snapshots_folder_too(paths, session, tmp_path):
    staged = tmp_path / "preparee.sqlcipher"
    shutil.copyfile(store_path(paths), staged)
    session.lock()
    target = store_path(paths)
    _crash_during_a_write(target, tmp_path / "crash")
    target.unlink()
    assert files.swap_in(staged, paths, NOW) is None
    assert files.side_files(target) == [] and _record_names(target) == ["ZZMARQUEUR"]
    assert files.side_files(snapshots_dir(paths) / snapshot_name(NOW)) == []  # the fixture's, taken at NOW
    assert (snapshots_dir(paths) / (snapshot_name(NOW + timedelta(seconds=1)) + "-journal")).exists()
