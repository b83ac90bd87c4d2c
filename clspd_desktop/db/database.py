"""The repositories' handle on the open SQLite connection: `execute`, `atomic` and `conn`.

The repositories were written against sqlite-utils 4's `Database` and rely on its transaction rules,
which this class reproduces exactly (sqlite-utils 4.2.1, `Database.execute` and `Database.atomic`):

- `execute` commits a write that opened an implicit transaction, unless a transaction was already open
  (then the write joins it); a failing statement that opened an implicit transaction rolls it back, so
  it cannot capture the writes that follow;
- `atomic` is BEGIN ... COMMIT, or a SAVEPOINT when a transaction is already open; anything raised
  inside (BaseException included) rolls it back.

Importing sqlite-utils costs about 50 ms of start-up (click, pluggy, dateutil...) for these few lines:
it is now imported only to run schema migrations (`migrations.py`).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

# Statements that open or close a transaction themselves: `execute` never commits after them.
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


def first_keyword(sql: str) -> str:
    """The statement's first keyword, upper-cased, after what SQLite skips (spaces, comments, `;`, BOM)."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()


class Database:
    """One open connection with sqlite-utils' commit rules; the caller owns it and closes it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        # Python 3.12's autocommit=True/False changes what commit() and BEGIN do: the rules above assume
        # the default (legacy) transaction control, as sqlite-utils does.
        autocommit = getattr(conn, "autocommit", None)
        if autocommit is not None and autocommit != getattr(sqlite3, "LEGACY_TRANSACTION_CONTROL", -1):
            raise ValueError("Database needs a connection with the default (legacy) transaction control")
        self.conn = conn
        self._savepoints = itertools.count(1)
        # As sqlite-utils does on every connection: a REPLACE then fires the delete triggers (FTS sync).
        self.execute("PRAGMA recursive_triggers=on;")

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] | None = None) -> sqlite3.Cursor:
        """Run one statement; a write outside any transaction is committed at once."""
        was_in_transaction = self.conn.in_transaction
        try:
            cursor = self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")  # nothing would ever commit it
            raise
        if (not was_in_transaction and self.conn.in_transaction and cursor.description is None
                and first_keyword(sql) not in _TRANSACTION_CONTROL):
            self.conn.execute("COMMIT")
        return cursor

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
