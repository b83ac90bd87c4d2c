"""Undo for any operation, recorded by SQLite itself (the technique of sqlite.org/undoredo.html).

While an undoable operation runs, TEMP triggers on every table of the schema write the statement that
reverses each row change (a DELETE for an insert, an UPDATE back for an update, an INSERT back for a delete,
cascades included) into a TEMP table. The operation keeps that list; undoing replays it backwards in one
transaction with foreign keys checked at commit, so a parent comes back before its children are checked.
Nothing is written to the database file itself, and the triggers exist only during the operation, on the
connection running it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from clspd_desktop.db.database import Database

_LOG = "_clspd_undo"  # a TEMP table: triggers may not qualify it with "temp."
_SKIPPED = ("sqlite_", "_sqlite_migrations")


@dataclass
class UndoRecording:
    """The reversing statements of one operation, in the order they must be replayed."""

    statements: list[str] = field(default_factory=list)


def _tables(db: Database) -> list[tuple[str, list[str]]]:
    names = [row[0] for row in db.conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
        "AND sql NOT LIKE '%WITHOUT ROWID%' ORDER BY name")]
    tables = []
    for name in names:
        if name.startswith(_SKIPPED):
            continue
        columns = [row[1] for row in db.conn.execute(f'PRAGMA main.table_info("{name}")')]
        tables.append((name, columns))
    return tables


def _trigger_sql(table: str, columns: list[str]) -> list[str]:
    quoted = f'"{table}"'
    column_list = ", ".join(f'"{c}"' for c in columns)
    old_values = " || ', ' || ".join(f'quote(old."{c}")' for c in columns)
    assignments = " || ', ' || ".join(f"'\"{c}\" = ' || quote(old.\"{c}\")" for c in columns)
    prefix = f"clspd_undo_{table}"
    return [
        f"CREATE TEMP TRIGGER \"{prefix}_i\" AFTER INSERT ON main.{quoted} BEGIN "
        f"INSERT INTO {_LOG}(statement) VALUES ('DELETE FROM {quoted} WHERE rowid = ' || new.rowid); END",
        f"CREATE TEMP TRIGGER \"{prefix}_u\" AFTER UPDATE ON main.{quoted} BEGIN "
        f"INSERT INTO {_LOG}(statement) VALUES ('UPDATE {quoted} SET ' || {assignments} "
        f"|| ' WHERE rowid = ' || old.rowid); END",
        f"CREATE TEMP TRIGGER \"{prefix}_d\" BEFORE DELETE ON main.{quoted} BEGIN "
        f"INSERT INTO {_LOG}(statement) VALUES ('INSERT INTO {quoted} (rowid, {column_list}) VALUES (' "
        f"|| old.rowid || ', ' || {old_values} || ')'); END",
    ]


@contextmanager
def recording(db: Database) -> Iterator[UndoRecording]:
    """Record how to reverse what the block writes on this connection; the triggers go when it ends."""
    result = UndoRecording()
    tables = _tables(db)
    db.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_LOG} "
                    "(seq INTEGER PRIMARY KEY, statement TEXT NOT NULL)")
    db.execute(f"DELETE FROM {_LOG}")
    trigger_names = []
    for table, columns in tables:
        for sql in _trigger_sql(table, columns):
            db.conn.execute(sql)
        trigger_names += [f"clspd_undo_{table}_{suffix}" for suffix in ("i", "u", "d")]
    try:
        yield result
        result.statements = [row[0] for row in db.conn.execute(f"SELECT statement FROM {_LOG} ORDER BY seq DESC")]
    finally:
        for name in trigger_names:
            db.conn.execute(f'DROP TRIGGER IF EXISTS temp."{name}"')
        db.execute(f"DELETE FROM {_LOG}")


def replay(db: Database, recording: UndoRecording) -> None:
    """Reverse a recorded operation, all or nothing (foreign keys are checked when it commits)."""
    with db.atomic():
        db.execute("PRAGMA defer_foreign_keys = ON")
        for statement in recording.statements:
            db.execute(statement)
