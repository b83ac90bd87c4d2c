"""Opening the SQLite file with the settings every connection needs (foreign keys are off by default)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clspd_desktop.db.database import Database
from clspd_desktop.db.file_check import APPLICATION_ID

__all__ = ["APPLICATION_ID", "configure", "connect", "connect_readonly", "connect_snapshot"]


def configure(conn: sqlite3.Connection, *, wal: bool = True) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")


def connect(path: Path | str) -> Database:
    """A read-write connection; the caller owns it and closes it."""
    conn = sqlite3.connect(str(path), check_same_thread=False)
    configure(conn, wal=str(path) != ":memory:")
    return Database(conn)


def connect_snapshot(path: Path | str) -> Database:
    """A connection that cannot write (`query_only`) and sees the file as it was at this call: one read
    transaction, held until it is closed, so several documents built from it agree with each other."""
    db = connect(path)
    db.set_query_only(True)
    db.execute("BEGIN")
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a read transaction starts at its first read
    return db


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Read-only access for checks on a file we must not change (health check, newer database)."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn
