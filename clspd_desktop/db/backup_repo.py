"""Queries for backups and restores: row counts, database checks, and the log of packs sent to the préfecture."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from clspd_desktop.db.database import Database
from clspd_desktop.db.migrations import MIGRATION_SET, known_names
from clspd_desktop.db.rows import dicts


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """Our data tables (not SQLite's own, not FTS shadow tables), in a stable order."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    names = [r[0] for r in rows]
    fts = {n for n in names if _is_virtual(conn, n)}
    return [n for n in names if not any(n.startswith(f"{v}_") for v in fts)]


def _is_virtual(conn: sqlite3.Connection, name: str) -> bool:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()[0] or ""
    return sql.upper().startswith("CREATE VIRTUAL")


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in user_tables(conn)}


def table_rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    """Every row of `table` in rowid order: how the tests compare a restored database with the original."""
    return conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """Empty when the file is sound; `integrity_check` raises on a malformed file, so that is caught too.
    `quick`: `quick_check` (no index-to-table cross-check), for a page-for-page copy of a checked file."""
    try:
        rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == [("ok",)] else [str(r[0]) for r in rows[:20]]


def foreign_key_problems(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    return [f"{r[0]} ligne {r[1]} -> {r[2]}" for r in rows[:20]]


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone()
    if not has_table:
        return []
    return [r[0] for r in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY applied_at, name", [MIGRATION_SET])]


def unknown_migrations(conn: sqlite3.Connection) -> list[str]:
    known = set(known_names())
    return [name for name in applied_migrations(conn) if name not in known]


@dataclass
class PackRecord:
    uid: str
    created_at: datetime
    file_name: str
    password_key: str
    contents: list[str] = field(default_factory=list)
    recipient: str = ""
    file_path: str = ""
    sent_at: datetime | None = None
    sent_via: str | None = None
    id: int | None = None


def _pack_from(row: dict) -> PackRecord:
    return PackRecord(
        id=row["id"], uid=row["uid"], created_at=datetime.fromisoformat(row["created_at"]),
        recipient=row["recipient"], contents=json.loads(row["contents"]), file_name=row["file_name"],
        file_path=row["file_path"], password_key=row["password_key"],
        sent_at=datetime.fromisoformat(row["sent_at"]) if row["sent_at"] else None, sent_via=row["sent_via"],
    )


class PackLogRepository:
    """What was sent to the préfecture, when, to whom; never the password itself."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, pack: PackRecord) -> PackRecord:
        cursor = self.db.execute(
            "INSERT INTO prefecture_pack (uid, created_at, recipient, contents, file_name, file_path, "
            "password_key, sent_at, sent_via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [pack.uid, pack.created_at.isoformat(timespec="seconds"), pack.recipient,
             json.dumps(pack.contents, ensure_ascii=False), pack.file_name, pack.file_path, pack.password_key,
             pack.sent_at.isoformat(timespec="seconds") if pack.sent_at else None, pack.sent_via],
        )
        pack.id = cursor.lastrowid
        return pack

    def mark_sent(self, pack_id: int, when: datetime, via: str, recipient: str) -> None:
        self.db.execute(
            "UPDATE prefecture_pack SET sent_at = ?, sent_via = ?, recipient = ? WHERE id = ?",
            [when.isoformat(timespec="seconds"), via, recipient, pack_id],
        )

    def get(self, pack_id: int) -> PackRecord | None:
        rows = dicts(self.db.execute("SELECT * FROM prefecture_pack WHERE id = ?", [pack_id]))
        return _pack_from(rows[0]) if rows else None

    def all(self) -> list[PackRecord]:
        return [_pack_from(r) for r in dicts(self.db.execute(
            "SELECT * FROM prefecture_pack ORDER BY created_at DESC, id DESC"))]
