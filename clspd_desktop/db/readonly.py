"""Reading a database the app refuses to open (written by a newer version) without changing a byte of it.

Generic on purpose: a newer schema may have tables and columns this version does not know, so every
ordinary table is read with the columns the file actually has.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from clspd_desktop.db.file_check import MIGRATIONS_TABLE, untouched_uri
from clspd_desktop.errors import StorageError

Value = int | float | str | bytes | None


@dataclass(frozen=True)
class TableContent:
    name: str
    columns: list[str]
    rows: Iterator[tuple[Value, ...]]  # read lazily: a large table is never held in memory at once


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def open_untouched(path: Path) -> sqlite3.Connection:
    """A read-only connection that cannot modify the file nor leave -wal/-shm files beside it (see
    `untouched_uri`; SQLite may rebuild a missing -shm index beside an existing -wal file)."""
    path = Path(path).resolve()
    if not path.is_file():
        raise StorageError(f"La base de données « {path} » est introuvable.")
    try:
        conn = sqlite3.connect(untouched_uri(path), uri=True)
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except (sqlite3.DatabaseError, UnicodeError) as exc:
        raise StorageError(f"La base de données « {path.name} » n'a pas pu être lue : elle est peut-être "
                           "endommagée. Elle n'a pas été modifiée.", details=str(exc)) from exc
    return conn


def table_names(conn: sqlite3.Connection) -> list[str]:
    """Ordinary tables in creation order (the app's oldest tables first), without SQLite's internal
    tables, the migration record, full-text-search tables and their shadow tables (index data)."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return [name for name, _sql in rows
            if not name.startswith("sqlite_") and name != MIGRATIONS_TABLE and name not in virtual
            and not any(name.startswith(f"{v}_") for v in virtual)]


def read_table(conn: sqlite3.Connection, name: str) -> TableContent:
    """Every row, in storage order (a full scan follows the rowid)."""
    try:
        cursor = conn.execute(f"SELECT * FROM {_quoted(name)}")
    except (sqlite3.DatabaseError, UnicodeError) as exc:
        raise _unreadable(name, exc) from exc
    return TableContent(name=name, columns=[d[0] for d in cursor.description], rows=_rows(cursor, name))


def row_count(conn: sqlite3.Connection, name: str) -> int:
    """Rows of one table, for a progress bar."""
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {_quoted(name)}").fetchone()[0]
    except (sqlite3.DatabaseError, UnicodeError) as exc:
        raise _unreadable(name, exc) from exc


def _rows(cursor: sqlite3.Cursor, name: str) -> Iterator[tuple[Value, ...]]:
    try:
        yield from cursor
    except (sqlite3.DatabaseError, UnicodeError) as exc:  # a damaged page met half-way: explained, not a crash
        raise _unreadable(name, exc) from exc


def _unreadable(table: str, exc: Exception) -> StorageError:
    return StorageError(f"La table « {table} » de la base de données n'a pas pu être lue : l'export est "
                        "interrompu. La base n'a pas été modifiée.", details=str(exc))


def applied_steps(conn: sqlite3.Connection) -> list[str]:
    """Migration steps recorded in the file: tells support which version wrote it."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          [MIGRATIONS_TABLE]).fetchone()
    if not exists:
        return []
    try:
        return [r[0] for r in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY rowid")]
    except (sqlite3.DatabaseError, UnicodeError) as exc:
        raise _unreadable(MIGRATIONS_TABLE, exc) from exc
