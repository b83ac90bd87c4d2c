"""The repositories' handle on the open SQLite connection, with one transaction rule of our own.

The rule: the connection runs in SQLite's autocommit mode (`isolation_level = None`), so a statement
outside `atomic()` is its own transaction and is committed when it ends, read or write alike; Python's
sqlite3 never opens a transaction behind our back. `atomic()` groups writes: BEGIN ... COMMIT, or a
SAVEPOINT when a transaction is already open, and anything raised inside (BaseException included) rolls
that block back. Operations (`services/operations`) wrap each user action in one `atomic()`.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any


class Database:
    """One open connection; the caller owns it and closes it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        autocommit = getattr(conn, "autocommit", None)  # Python 3.12's own transaction control
        if autocommit is not None and autocommit != getattr(sqlite3, "LEGACY_TRANSACTION_CONTROL", -1):
            raise ValueError("Database needs a connection with the default (legacy) transaction control")
        if conn.in_transaction:
            raise ValueError("Database needs a connection with no transaction open")
        conn.isolation_level = None  # SQLite's autocommit: see the module docstring
        self.conn = conn
        self._savepoints = itertools.count(1)
        # A REPLACE then fires the delete triggers, as the schema's triggers expect.
        self.execute("PRAGMA recursive_triggers = ON")

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] | None = None) -> sqlite3.Cursor:
        """Run one statement: committed when it ends unless an `atomic()` block is open."""
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """All or nothing; nested blocks are savepoints, so an inner failure keeps the outer work."""
        if self.conn.in_transaction:
            savepoint = f"clspd_{next(self._savepoints)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                # A RAISE(ROLLBACK) trigger may already have ended the whole transaction, savepoint included.
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        else:
            self.conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.rollback()
                    raise

    def set_query_only(self, query_only: bool) -> None:
        """Refuse (or allow again) every write on this connection."""
        self.conn.execute(f"PRAGMA query_only = {'ON' if query_only else 'OFF'}")

    def rollback(self) -> None:
        """Discard the open transaction, if any (an error may already have ended it)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()
