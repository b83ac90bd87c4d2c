"""Start-up safety: frozen-fixture upgrade, refusal of newer/foreign/damaged files, snapshot before migrating."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from clspd_desktop.db import migrations
from clspd_desktop.db.connection import APPLICATION_ID
from clspd_desktop.db.opening import health_check, open_database
from clspd_desktop.db.store import Store
from clspd_desktop.errors import DamagedDatabaseError, DatabaseTooNewError, ForeignFileError

FIXTURES = Path(__file__).parent.parent / "fixtures"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_has_safe_settings(tmp_path):
    opened = open_database(tmp_path / "new.sqlite", tmp_path / "snap")
    db = opened.db
    assert opened.created
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(migrations.known_names())
    assert opened.snapshot is None  # nothing to protect in a brand-new file
    db.conn.close()


def test_frozen_v1_fixture_upgrades_and_keeps_its_data(tmp_path):
    copy = tmp_path / "clspd.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", copy)
    opened = open_database(copy, tmp_path / "snap")
    store = Store.over(opened.db)
    assert migrations.schema_version(opened.db) == len(migrations.known_names())
    pending_at_start = len(migrations.known_names()) - 1
    assert len(opened.applied_migrations) == pending_at_start
    if pending_at_start:
        assert opened.snapshot is not None and opened.snapshot.exists()
        # the snapshot is the v1 file as it was, complete and readable
        snap = sqlite3.connect(opened.snapshot)
        assert snap.execute("SELECT COUNT(*) FROM contact").fetchone()[0] == 2
        snap.close()
    council = store.council.get()
    assert council.name == "Ville de Montreval"
    names = sorted(item.contact.last_name for item in store.directory.contacts())
    assert names == ["Le Gall", "Martin"]
    assert store.directory.find_organisation_by_name("habitat <essonne> & cie") is not None
    unsigned = store.formations.unsigned_confidential_members()
    assert [u.contact.first_name for u in unsigned] == ["Loïc"]
    store.close()


def test_database_newer_than_the_app_is_refused_untouched(tmp_path):
    path = tmp_path / "clspd.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('clspd', '9999_future', 'x')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseTooNewError) as err:
        open_database(path, tmp_path / "snap")
    assert "version plus récente" in err.value.message
    assert digest(path) == before
    assert not (tmp_path / "snap").exists() or not any((tmp_path / "snap").iterdir())


def test_garbage_file_is_reported_as_damaged_and_left_alone(tmp_path):
    path = tmp_path / "clspd.sqlite"
    path.write_bytes(b"\x00garbage" * 500)
    before = digest(path)
    with pytest.raises(DamagedDatabaseError) as err:
        open_database(path, tmp_path / "snap")
    assert "n'a pas été modifié" in err.value.message
    assert digest(path) == before


def test_corrupted_pages_are_detected(tmp_path):
    path = tmp_path / "clspd.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", path)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size * 2, len(data) - 64, 97):  # scribble over every page after the schema
        data[offset:offset + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabaseError):
        health_check(path)


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "autre.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(ForeignFileError):
        open_database(path, tmp_path / "snap")
    assert digest(path) == before


def test_failed_migration_rolls_back_and_keeps_the_file_usable(tmp_path, monkeypatch):
    path = tmp_path / "clspd.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", path)

    def broken(db):
        db.execute("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("panne au milieu de la migration")

    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, ("9000_broken", broken)])
    with pytest.raises(RuntimeError):
        open_database(path, tmp_path / "snap")
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    conn.close()
    assert "half_done" not in tables
    assert "9000_broken" not in applied
    assert any(p.name.endswith("_avant-migration.sqlite") for p in (tmp_path / "snap").iterdir())



def sqlite_utils_view(db) -> tuple[list[str], list[str]]:
    """Applied and pending steps as sqlite-utils' Migrations reads them (what the cheap reading replaces)."""
    import sqlite_utils

    steps = migrations.build_migrations()
    wrapped = sqlite_utils.Database(db.conn, execute_plugins=False)
    return [m.name for m in steps.applied(wrapped)], [m.name for m in steps.pending(wrapped)]


def test_applied_and_pending_steps_are_read_as_sqlite_utils_reads_them(tmp_path):
    from clspd_desktop.db.connection import connect

    copy = tmp_path / "clspd.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", copy)
    db = connect(copy)
    db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('autre', 'x', 'y')")
    for _ in ("v1", "upgraded"):
        applied, pending = sqlite_utils_view(db)
        assert migrations.applied_names(db) == applied
        assert migrations.pending_names(db) == pending
        assert migrations.schema_version(db) == len(applied)
        migrations.apply_pending(db)
    assert migrations.pending_names(db) == []
    db.conn.close()
    empty = connect(tmp_path / "vide.sqlite")  # no migrations table yet
    assert (migrations.applied_names(empty), migrations.pending_names(empty)) == sqlite_utils_view(empty)
    assert migrations.pending_names(empty) == migrations.known_names()
    empty.conn.close()
