"""Consistent copies of the live database through SQLite's backup API (never a copy of a WAL file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clspd_desktop.errors import StorageError
from clspd_desktop.safe_files import storage_error_for, write_atomically

COPY_DAMAGED = "La copie de la base de données est incohérente ; elle a été abandonnée."
COPY_FAILED = "La base de données n'a pas pu être copiée ; rien n'a été écrit."


def write_snapshot(source: sqlite3.Connection, target: Path) -> Path:
    """Copy the live database to `target` (single file, rollback journal), verified before the rename."""

    def produce(tmp: Path) -> None:
        copy = sqlite3.connect(str(tmp))
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            rows = copy.execute("PRAGMA quick_check").fetchall()
            if rows != [("ok",)]:
                raise StorageError(COPY_DAMAGED)
        except sqlite3.OperationalError as exc:
            if "full" in str(exc).lower():
                raise OSError(28, str(exc)) from exc
            raise
        finally:
            copy.close()

    try:
        return write_atomically(target, produce)
    except sqlite3.Error as exc:
        raise storage_error_for(OSError(5, str(exc)), target) from exc


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
        raise StorageError(COPY_FAILED, details=str(exc)) from exc
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
