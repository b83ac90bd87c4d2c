"""Consistent copies of the live database through SQLite's backup API (never a copy of a WAL file)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from clspd_desktop.db.known_errors import sqlite_error_for
from clspd_desktop.errors import StorageError
from clspd_desktop.safe_files import storage_error_for, write_atomically

COPY_DAMAGED = "La copie de la base de données est incohérente ; elle a été abandonnée."
COPY_FAILED = "La base de données n'a pas pu être copiée ; rien n'a été écrit."


SEQUENCE_KEY = "snapshot.sequence"  # written into each snapshot copy: its place in the order of snapshots
RESTORE_MARK_KEY = "restore.id"  # written into a restore's checked copy: tells whether it reached the live file


def _set_in_copy(copy: sqlite3.Connection, values: dict[str, str]) -> None:
    """Settings written into a copy (never the live database); a file without the table is left as is."""
    if not copy.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'setting'").fetchone():
        return
    with copy:
        copy.executemany("INSERT INTO setting (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", list(values.items()))


def read_setting(db_file: Path, key: str, *, live: bool = False) -> str | None:
    """One setting read from a database file; None when absent or unreadable. A snapshot is opened read-only;
    the `live` database (WAL) normally, so that a -wal file left by a killed process is taken into account."""
    if not Path(db_file).is_file():
        return None
    try:
        conn = (sqlite3.connect(str(db_file)) if live
                else sqlite3.connect(f"file:{Path(db_file).as_posix()}?mode=ro", uri=True))
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return row[0] if row else None


def mark_copy(db_file: Path, values: dict[str, str]) -> None:
    """Write settings into a private copy (a restore plan's database) before it replaces the live one."""
    conn = sqlite3.connect(str(db_file))
    try:
        _set_in_copy(conn, values)
    finally:
        conn.close()


def clear_setting(conn: sqlite3.Connection, key: str) -> None:
    """Remove a mark a copy carried into the live database once it has served."""
    with conn:
        conn.execute("DELETE FROM setting WHERE key = ?", [key])


def write_snapshot(source: sqlite3.Connection, target: Path, stamp: dict[str, str] | None = None) -> Path:
    """Copy the live database to `target` (single file, rollback journal), verified before the rename.

    `stamp`: settings written into the copy only (the snapshot's sequence number), before its check.
    """

    def produce(tmp: Path) -> None:
        copy = sqlite3.connect(str(tmp))
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            if stamp:
                _set_in_copy(copy, stamp)
            rows = copy.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:
                raise StorageError(COPY_DAMAGED)
        except sqlite3.OperationalError as exc:
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_FULL:
                raise OSError(errno.ENOSPC, str(exc)) from exc  # the snapshot's disk: named as such
            raise
        finally:
            copy.close()

    try:
        return write_atomically(target, produce)
    except sqlite3.Error as exc:  # the live database damaged, locked…: said as such; else a disk fault
        raise (sqlite_error_for(exc) or storage_error_for(OSError(errno.EIO, str(exc)), target)) from exc


def restore_into(live: sqlite3.Connection, source_file: Path) -> None:
    """Replace the live database's content with `source_file`, page by page, inside SQLite.

    Copying a file over the live database is undone by a stale -wal file; the backup API is not.
    """
    source = sqlite3.connect(f"file:{source_file.as_posix()}?mode=ro", uri=True)
    try:
        source.backup(live)
    finally:
        source.close()


def file_copy(source: sqlite3.Connection, target: Path) -> sqlite3.Connection:
    """The live database copied by the backup API into the new file `target`, in rollback-journal mode like a
    snapshot, for a backup that streams it from disk: memory stays small whatever the database's size. Not
    synced (a work file, deleted after use). Usable from another thread (`check_copy` may run there); the
    caller closes it."""
    copy = sqlite3.connect(str(target), check_same_thread=False)
    try:
        copy.execute("PRAGMA synchronous = OFF")
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        copy.close()
        # a full data disk (the work copy lives there) says so; anything else, that the copy failed
        raise (sqlite_error_for(exc) or StorageError(COPY_FAILED, details=str(exc))) from exc
    except BaseException:
        copy.close()
        raise
    return copy


def check_copy(copy: sqlite3.Connection) -> None:
    """`quick_check` of a copy (as `write_snapshot` does); StorageError (French) if it is not sound."""
    try:
        rows = copy.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise StorageError(COPY_DAMAGED, details=str(exc)) from exc
    if rows != [("ok",)]:
        raise StorageError(COPY_DAMAGED, details="\n".join(str(r[0]) for r in rows[:20]))
