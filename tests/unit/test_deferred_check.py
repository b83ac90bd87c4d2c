"""Start-up opens the file while the whole-file check still runs: nothing is written until its verdict."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from clspd_desktop.db.file_check import FileInspection
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.errors import DamagedDatabaseError
from tests.factories import add_organisation, make_council

FIXTURES = Path(__file__).parent.parent / "fixtures"


def current_database(folder: Path, organisations: int = 0) -> Path:
    """An up-to-date council database in WAL mode, as the app leaves it."""
    path = folder / "clspd.sqlite"
    store = Store.over(open_database(path, folder / "instantanes").db)
    store.council.save(make_council())
    with store.transaction():
        for number in range(organisations):
            add_organisation(store, f"Association n° {number} « quartiers »")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def damage_table_pages(path: Path, table: str) -> bytes:
    """Overwrite the leaf pages of one table (not the schema nor the migrations table): the cheap checks
    at opening pass, only the whole-file check finds the damage. Returns the damaged bytes."""
    conn = sqlite3.connect(path)
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", [table])]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(pages) >= 2, "the table must span several pages for the test to mean something"
    data = bytearray(path.read_bytes())
    for page in pages:
        start = (page - 1) * page_size
        data[start + 8:start + page_size] = b"\xa5" * (page_size - 8)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_sound_file_is_read_only_until_the_check_passes(tmp_path):
    path = current_database(tmp_path, organisations=3)
    inspection = FileInspection.start(path)
    opened = open_database(path, tmp_path / "instantanes", inspection, defer_check=True)
    try:
        assert opened.unchecked is inspection
        store = Store.over(opened.db)
        assert len(store.directory.organisations()) == 3  # the window can be built from the data
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            add_organisation(store, "Écrite trop tôt")
        opened.finish_check()
        assert opened.unchecked is None
        add_organisation(store, "Écrite après la vérification")
        assert len(store.directory.organisations()) == 4
        opened.finish_check()  # idempotent
    finally:
        opened.db.conn.close()


def test_damage_found_after_opening_is_reported_and_nothing_is_written(tmp_path):
    path = current_database(tmp_path, organisations=400)
    damaged = damage_table_pages(path, "organisation")
    inspection = FileInspection.start(path)
    opened = open_database(path, tmp_path / "instantanes", inspection, defer_check=True)
    try:
        with pytest.raises(DamagedDatabaseError, match="endommagée"):
            opened.finish_check()
        assert opened.unchecked is inspection  # still unchecked: writes stay refused
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            opened.db.execute("UPDATE council SET name = 'x'")
        with pytest.raises(DamagedDatabaseError):
            opened.finish_check()
    finally:
        opened.db.conn.close()
    assert path.read_bytes() == damaged


def test_without_deferral_the_same_damage_is_refused_at_opening(tmp_path):
    path = current_database(tmp_path, organisations=400)
    damaged = damage_table_pages(path, "organisation")
    with pytest.raises(DamagedDatabaseError):
        open_database(path, tmp_path / "instantanes", FileInspection.start(path))
    assert path.read_bytes() == damaged


def test_a_pending_migration_waits_for_the_check(tmp_path):
    path = tmp_path / "clspd.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", path)  # first schema: every later step is pending
    opened = open_database(path, tmp_path / "instantanes", FileInspection.start(path), defer_check=True)
    try:
        assert opened.unchecked is None and opened.applied_migrations and opened.snapshot is not None
    finally:
        opened.db.conn.close()


def test_a_pending_migration_on_a_damaged_file_changes_nothing(tmp_path):
    path = tmp_path / "clspd.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")  # deferral is only considered for WAL files
    conn.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("INSERT INTO organisation (name, category) VALUES (?, 'association')",
                         [(f"Association {n}",) for n in range(400)])
    conn.close()
    damaged = damage_table_pages(path, "organisation")
    with pytest.raises(DamagedDatabaseError):
        open_database(path, tmp_path / "instantanes", FileInspection.start(path), defer_check=True)
    assert path.read_bytes() == damaged
    assert not list((tmp_path / "instantanes").glob("*.sqlite"))  # no snapshot of a damaged file


def test_a_file_not_in_wal_mode_is_checked_before_opening(tmp_path):
    path = current_database(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # opening would switch it to WAL: a write
    conn.close()
    opened = open_database(path, tmp_path / "instantanes", FileInspection.start(path), defer_check=True)
    try:
        assert opened.unchecked is None
    finally:
        opened.db.conn.close()
