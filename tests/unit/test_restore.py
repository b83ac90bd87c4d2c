"""Restore: every check passes before anything changes; every failure is one French message, nothing changed."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from clspd_desktop.db.backup_repo import table_rows, user_tables
from clspd_desktop.db.snapshot import write_snapshot
from clspd_desktop.errors import DamagedDatabaseError, DatabaseTooNewError, StorageError
from clspd_desktop.services.archive import ArchiveError, write_archive
from clspd_desktop.services.backup import BACKUP_KIND, make_backup
from clspd_desktop.services.restore import apply_restore, prepare_backup_restore, prepare_snapshot_restore
from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService
from tests.factories import add_contact, add_organisation

PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"
FIXTURES = Path(__file__).parent.parent / "fixtures"


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table; the 'last backup' date is written after the backup's snapshot, and a
    snapshot's own sequence number into the snapshot only, so both are left out."""
    rows = {table: table_rows(conn, table) for table in user_tables(conn)}
    rows["setting"] = [r for r in rows["setting"] if r[0] not in ("backup.last_at", "snapshot.sequence")]
    return rows


def state(store, paths) -> tuple:
    docs = {p.relative_to(paths.documents_dir).as_posix(): p.read_bytes()
            for p in paths.documents_dir.rglob("*") if p.is_file()}
    return dump(store.db.conn), docs


@pytest.fixture
def backed_up(configured_store, paths, tmp_path):
    org = add_organisation(configured_store, "Mission locale")
    add_contact(configured_store, org, "Durand")
    (paths.documents_dir / "cr.pdf").write_bytes(b"%PDF compte rendu")
    archive = tmp_path / "sauvegarde.7z"
    make_backup(configured_store, paths, archive, PASSWORD, now=datetime(2025, 3, 17, 14, 5))
    return archive, state(configured_store, paths)


def change_everything(store, paths):
    add_organisation(store, "Bailleur social")
    (paths.documents_dir / "cr.pdf").write_bytes(b"autre")
    (paths.documents_dir / "nouveau.pdf").write_bytes(b"nouveau")


def test_restore_brings_back_data_and_documents_after_a_safety_snapshot(configured_store, paths, backed_up):
    archive, before = backed_up
    change_everything(configured_store, paths)
    changed = state(configured_store, paths)
    plan = prepare_backup_restore(archive, PASSWORD, paths)
    assert "lundi 17 mars 2025 à 14 h 05" in plan.summary()
    assert "1 partenaire," in plan.summary() and "1 référent," in plan.summary() and "1 commune," in plan.summary()
    assert "1 document joint" in plan.summary()
    snaps = SnapshotService(paths.snapshots_dir, configured_store.db.conn)
    safety = apply_restore(plan, configured_store.db.conn, snaps, paths)
    assert state(configured_store, paths) == before
    assert safety.reason_code == SnapshotReason.RESTORE.value
    safety_conn = sqlite3.connect(safety.path)
    assert dump(safety_conn) == changed[0]
    safety_conn.close()
    assert not [p for p in paths.data_dir.iterdir() if p.name.startswith(".")]


def _refused(store, paths, archive, password, error, match):
    before = state(store, paths)
    with pytest.raises(error, match=match):
        prepare_backup_restore(archive, password, paths)
    assert state(store, paths) == before
    assert not [p for p in paths.data_dir.iterdir() if p.name.startswith(".")]


def test_wrong_password_changes_nothing(configured_store, paths, backed_up):
    _refused(configured_store, paths, backed_up[0], "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", ArchiveError,
             "Mot de passe incorrect ou fichier endommagé")


def test_truncated_backup_changes_nothing(configured_store, paths, backed_up, tmp_path):
    cut = tmp_path / "coupee.7z"
    cut.write_bytes(backed_up[0].read_bytes()[: backed_up[0].stat().st_size // 2])
    _refused(configured_store, paths, cut, PASSWORD, ArchiveError, "Mot de passe incorrect ou fichier endommagé")


def test_a_non_7z_file_changes_nothing(configured_store, paths, tmp_path):
    other = tmp_path / "photo.7z"
    other.write_bytes(b"\x89PNG not an archive")
    _refused(configured_store, paths, other, PASSWORD, ArchiveError, "Mot de passe incorrect ou fichier endommagé")


def _archive_with_database(tmp_path, db_file: Path, extra_members=None) -> Path:
    archive = tmp_path / "fabriquee.7z"
    write_archive(archive, {"clspd.sqlite": db_file, **(extra_members or {})}, PASSWORD, BACKUP_KIND)
    return archive


def _copy_of_live(store, tmp_path) -> Path:
    return write_snapshot(store.db.conn, tmp_path / "copie.sqlite")


def test_newer_database_changes_nothing(configured_store, paths, tmp_path):
    copy = _copy_of_live(configured_store, tmp_path)
    conn = sqlite3.connect(copy)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('clspd', '9999_future', '2030-01-01')")
    conn.commit()
    conn.close()
    _refused(configured_store, paths, _archive_with_database(tmp_path, copy), PASSWORD, DatabaseTooNewError,
             "version plus récente")


def test_foreign_key_violation_changes_nothing(configured_store, paths, tmp_path):
    copy = _copy_of_live(configured_store, tmp_path)
    conn = sqlite3.connect(copy)
    conn.execute("INSERT INTO contact (organisation_id, last_name) VALUES (999, 'Orphelin')")
    conn.commit()
    conn.close()
    _refused(configured_store, paths, _archive_with_database(tmp_path, copy), PASSWORD, DamagedDatabaseError,
             "incohérentes")


def test_damaged_database_inside_changes_nothing(configured_store, paths, tmp_path):
    copy = _copy_of_live(configured_store, tmp_path)
    data = bytearray(copy.read_bytes())
    data[4096:8192] = b"\xee" * 4096
    copy.write_bytes(bytes(data))
    _refused(configured_store, paths, _archive_with_database(tmp_path, copy), PASSWORD, StorageError,
             "endommagé|illisible|incohérentes")


def test_foreign_sqlite_changes_nothing(configured_store, paths, tmp_path):
    other = tmp_path / "autre.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    _refused(configured_store, paths, _archive_with_database(tmp_path, other), PASSWORD, StorageError,
             "n'a pas été créée par CLSPD Desktop")


def test_older_schema_is_migrated_then_restored(configured_store, paths, tmp_path):
    v1 = tmp_path / "v1.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", v1)
    plan = prepare_backup_restore(_archive_with_database(tmp_path, v1), PASSWORD, paths)
    assert "0002_backups_and_packs" in plan.migrated
    apply_restore(plan, configured_store.db.conn, SnapshotService(paths.snapshots_dir, configured_store.db.conn),
                  paths)
    assert configured_store.council.get() is not None
    assert configured_store.packs.all() == []
    fixture = sqlite3.connect(FIXTURES / "db_v1.sqlite")
    assert table_rows(configured_store.db.conn, "organisation") == table_rows(fixture, "organisation")
    fixture.close()


def test_snapshot_restore(configured_store, paths):
    snaps = SnapshotService(paths.snapshots_dir, configured_store.db.conn)
    add_organisation(configured_store, "Mission locale")
    before = dump(configured_store.db.conn)
    snap = snaps.take(SnapshotReason.MANUAL)
    snapshot_bytes = snap.path.read_bytes()
    add_organisation(configured_store, "Bailleur social")
    plan = prepare_snapshot_restore(snap, paths)
    assert plan.documents is None
    apply_restore(plan, configured_store.db.conn, snaps, paths)
    assert dump(configured_store.db.conn) == before
    assert snap.path.read_bytes() == snapshot_bytes
