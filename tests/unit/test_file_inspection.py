"""The start-up file check run on a thread gives the same verdicts as the check run in place."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from clspd_desktop.db.file_check import FileInspection
from clspd_desktop.db.opening import open_database
from clspd_desktop.errors import DamagedDatabaseError, DatabaseTooNewError, ForeignFileError

FIXTURES = Path(__file__).parent.parent / "fixtures"


def v1_copy(tmp_path: Path) -> Path:
    path = tmp_path / "clspd.sqlite"
    shutil.copy(FIXTURES / "db_v1.sqlite", path)
    return path


def test_nothing_to_check_for_a_missing_or_empty_file(tmp_path):
    assert FileInspection.start(tmp_path / "absente.sqlite") is None
    (tmp_path / "vide.sqlite").write_bytes(b"")
    assert FileInspection.start(tmp_path / "vide.sqlite") is None


def test_a_good_file_reports_its_steps_and_opens(tmp_path):
    path = v1_copy(tmp_path)
    inspection = FileInspection.start(path)
    assert inspection is not None
    assert inspection.result() == [("clspd", "0001_council_and_directory")]
    opened = open_database(path, tmp_path / "snap", inspection)
    assert opened.applied_migrations  # upgraded as without the thread
    opened.db.conn.close()


def test_a_damaged_file_is_refused_through_the_thread(tmp_path):
    path = v1_copy(tmp_path)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size * 2, len(data) - 64, 97):
        data[offset:offset + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    inspection = FileInspection.start(path)
    with pytest.raises(DamagedDatabaseError):
        open_database(path, tmp_path / "snap", inspection)
    assert path.read_bytes() == bytes(data)


def test_a_newer_file_is_refused_through_the_thread(tmp_path):
    path = v1_copy(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('clspd', '9999_future', 'x')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNewError, match="version plus récente"):
        open_database(path, tmp_path / "snap", FileInspection.start(path))
    assert path.read_bytes() == before


def test_a_foreign_file_is_refused_through_the_thread(tmp_path):
    path = tmp_path / "autre.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(ForeignFileError):
        open_database(path, tmp_path / "snap", FileInspection.start(path))


def test_an_inspection_of_another_file_is_not_trusted(tmp_path):
    good = v1_copy(tmp_path)
    garbage = tmp_path / "autre.sqlite"
    garbage.write_bytes(b"\x00garbage" * 500)
    with pytest.raises(DamagedDatabaseError):  # checked in place, not by the good file's inspection
        open_database(garbage, tmp_path / "snap", FileInspection.start(good))


def test_a_newer_file_whose_last_writes_are_only_in_its_wal_is_refused_untouched(tmp_path):
    """The newer version crashed (or is still open): its -wal holds the step that makes the file newer.
    The check must read it there, and must not fold it into the file as a read-write connection closing
    last would."""
    import subprocess
    import sys

    path = v1_copy(tmp_path)
    writer = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA journal_mode = WAL')\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "with conn:\n"
        "    conn.execute(\"INSERT INTO _sqlite_migrations (migration_set, name, applied_at) \"\n"
        "                 \"VALUES ('clspd', '9999_future', 'x')\")\n"
        "os._exit(0)  # no close: the step stays in the -wal, as after a crash\n")
    subprocess.run([sys.executable, "-c", writer, str(path)], check=True, timeout=60)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    before = (path.read_bytes(), wal.read_bytes())
    with pytest.raises(DatabaseTooNewError):
        open_database(path, tmp_path / "snap", FileInspection.start(path), defer_check=True)
    with pytest.raises(DatabaseTooNewError):
        open_database(path, tmp_path / "snap")
    assert (path.read_bytes(), wal.read_bytes()) == before
