"""Every known storage failure becomes a French message saying nothing was lost; anything else stays a bug.

Real failures where this machine can make them (a full 3 MiB tmpfs and a read-only tmpfs as root, a locked,
damaged or foreign SQLite file anywhere); injected errors for the rest (I/O error, access denied as root,
Windows' sharing violation).
"""

from __future__ import annotations

import errno
import sqlite3
import subprocess
import sys

import pytest

from clspd_desktop.db.connection import connect
from clspd_desktop.db.known_errors import to_user_error
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.errors import DamagedDatabaseError, ForeignFileError, StorageError, UserError
from clspd_desktop.safe_files import write_bytes_atomically
from tests.factories import add_organisation, make_council
from tests.reliability.conftest import can_mount, mount_tmpfs

NOTHING_LOST = "Rien de ce qui était déjà enregistré n'a été perdu"


def _names(db_file) -> list[str]:
    conn = sqlite3.connect(db_file)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM organisation ORDER BY name")]
    finally:
        conn.close()


def _query_error(db_file, sql: str) -> sqlite3.DatabaseError:
    """The error SQLite raises for `sql` on `db_file` (the test fails if there is none)."""
    conn = sqlite3.connect(db_file)
    try:
        with pytest.raises(sqlite3.DatabaseError) as raised:
            conn.execute(sql).fetchall()
    finally:
        conn.close()
    return raised.value


def _council_on(folder) -> Store:
    store = Store.over(open_database(folder / "clspd.sqlite", folder / "instantanes").db)
    store.council.save(make_council())
    add_organisation(store, "Mission locale")
    return store


def test_disk_full_during_an_ordinary_write_is_a_french_message(small_disk):
    store = _council_on(small_disk.root)
    try:
        if small_disk.mounted:
            small_disk.fill()
            with pytest.raises(sqlite3.OperationalError) as raised:
                for n in range(2000):
                    add_organisation(store, f"Partenaire {n}", notes="n" * 4000)
            exc = raised.value
        else:  # what SQLite raises on a full disk
            exc = sqlite3.OperationalError("database or disk is full")
            exc.sqlite_errorcode, exc.sqlite_errorname = sqlite3.SQLITE_FULL, "SQLITE_FULL"
        error = to_user_error(exc)
        assert isinstance(error, StorageError)
        assert error.message.startswith("Le disque est plein") and NOTHING_LOST in error.message
    finally:
        store.close()
    assert "Mission locale" in _names(small_disk.root / "clspd.sqlite")


def test_file_write_on_a_full_disk_names_the_file(small_disk):
    small_disk.fill()
    with pytest.raises(StorageError) as raised:
        write_bytes_atomically(small_disk.root / "export.csv", b"x" * 4_000_000)
    assert "Le disque est plein" in raised.value.message and "« export.csv »" in raised.value.message
    if small_disk.mounted:  # the real ENOSPC, mapped directly too
        with pytest.raises(OSError) as direct:
            (small_disk.root / "autre.bin").write_bytes(b"x" * 4_000_000)
        assert "Le disque est plein" in to_user_error(direct.value).message


def test_read_only_database_is_a_french_message(paths):
    store = _council_on(paths.data_dir)
    store.close()
    conn = sqlite3.connect(f"file:{paths.database.as_posix()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            conn.execute("INSERT INTO setting (key, value) VALUES ('a', 'b')")
    finally:
        conn.close()
    error = to_user_error(raised.value)
    assert isinstance(error, StorageError) and "lecture seule" in error.message and NOTHING_LOST in error.message


def test_database_locked_by_another_program_is_a_french_message(paths):
    store = _council_on(paths.data_dir)
    store.close()
    holder = sqlite3.connect(paths.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        other = connect(paths.database)
        other.execute("PRAGMA busy_timeout = 0")
        with pytest.raises(sqlite3.OperationalError) as raised:
            other.execute("INSERT INTO setting (key, value) VALUES ('a', 'b')")
        other.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert raised.value.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    error = to_user_error(raised.value)
    assert isinstance(error, StorageError) and "occupée par un autre programme" in error.message


def test_damaged_database_is_a_french_message(paths):
    store = _council_on(paths.data_dir)
    for n in range(200):
        add_organisation(store, f"Partenaire {n}", notes="n" * 300)
    store.close()
    data = bytearray(paths.database.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):  # every page after the schema: headers scrambled
        data[offset:offset + 16] = b"\xff" * 16
    paths.database.write_bytes(bytes(data))
    error = to_user_error(_query_error(paths.database, "SELECT count(*), max(notes) FROM organisation"))
    assert isinstance(error, DamagedDatabaseError) and "endommagée" in error.message


def test_not_a_database_is_a_french_message(tmp_path):
    foreign = tmp_path / "photo.sqlite"
    foreign.write_bytes(b"\x89PNG" + b"\0" * 5000)
    error = to_user_error(_query_error(foreign, "SELECT * FROM sqlite_master"))
    assert isinstance(error, ForeignFileError) and "il n'a pas été modifié" in error.message


def test_io_error_is_a_french_message():
    exc = sqlite3.OperationalError("disk I/O error")  # injected: a failing disk cannot be made on demand
    exc.sqlite_errorcode, exc.sqlite_errorname = sqlite3.SQLITE_IOERR_WRITE, "SQLITE_IOERR_WRITE"
    error = to_user_error(exc)
    assert isinstance(error, StorageError) and "entrée-sortie" in error.message and NOTHING_LOST in error.message


@pytest.mark.skipif(not can_mount(), reason="monter un disque en lecture seule demande les droits root")
def test_read_only_disk_is_a_french_message(tmp_path):
    root = tmp_path / "cle-verrouillee"
    root.mkdir()
    assert mount_tmpfs(root, "size=1m,ro")
    try:
        with pytest.raises(StorageError) as raised:
            write_bytes_atomically(root / "sauvegarde.7z", b"donnees")
        assert "lecture seule" in raised.value.message and "Aucun fichier existant" in raised.value.message
        with pytest.raises(OSError) as direct:
            (root / "x").write_bytes(b"x")
        assert direct.value.errno == errno.EROFS and "lecture seule" in to_user_error(direct.value).message
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


def test_access_denied_and_a_file_open_in_another_program_on_windows():
    denied = PermissionError(errno.EACCES, "Permission denied", "C:/Exports/annuaire.xlsx")
    assert to_user_error(denied).message.startswith("Accès refusé")
    sharing = PermissionError(errno.EACCES, "Le processus ne peut pas accéder au fichier",
                              "C:/Exports/Annuaire-2025.xlsx")
    sharing.winerror = 32  # what Windows sets when Excel holds the file
    message = to_user_error(sharing).message
    assert "Le fichier « Annuaire-2025.xlsx » est ouvert dans un autre programme" in message


def test_bugs_stay_bugs():
    assert to_user_error(ValueError("bogue")) is None
    assert to_user_error(sqlite3.ProgrammingError("Cannot operate on a closed database.")) is None
    syntax = sqlite3.OperationalError("near \"SELEC\": syntax error")
    syntax.sqlite_errorcode = sqlite3.SQLITE_ERROR
    assert to_user_error(syntax) is None
    assert to_user_error(FileNotFoundError(errno.ENOENT, "absent")) is None
    shown = UserError("Déjà en français.")
    assert to_user_error(shown) is shown


def test_a_known_error_wrapped_by_a_library_is_found():
    full = OSError(errno.ENOSPC, "No space left on device", "annuaire.xlsx")
    try:
        try:
            raise full
        except OSError as exc:
            raise RuntimeError("openpyxl") from exc
    except RuntimeError as wrapped:
        assert "Le disque est plein" in to_user_error(wrapped).message


def test_the_crash_hook_shows_a_known_error_in_french(qapp, dialogs, tmp_path):
    import logging

    from clspd_desktop.ui.crash_hook import install_excepthook

    exc = sqlite3.OperationalError("database or disk is full")
    exc.sqlite_errorcode, exc.sqlite_errorname = sqlite3.SQLITE_FULL, "SQLITE_FULL"
    previous = sys.excepthook
    install_excepthook(tmp_path / "journal.log")
    try:
        try:
            raise exc
        except sqlite3.OperationalError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
        logging.getLogger().handlers.clear()
    assert not dialogs.crashes
    assert dialogs.warned[-1][1].startswith("Le disque est plein")
