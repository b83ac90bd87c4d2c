"""Schema of the encrypted individual follow-up store, one step per version (`PRAGMA user_version`).

Never edit a released step: add one. The access log refuses UPDATE and DELETE in SQL itself, so no code
path (nor a later bug) can rewrite what the DPO will read.
"""

from __future__ import annotations

APPLICATION_ID = 0x434C5349  # "CLSI": a CLSPD Desktop individual follow-up store

STEPS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE list_items (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('reason', 'source', 'action', 'consultation_reason')),
            label TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            position INTEGER NOT NULL DEFAULT 0,
            UNIQUE (kind, label))""",
        """CREATE TABLE records (
            id INTEGER PRIMARY KEY,
            last_name TEXT NOT NULL,
            first_name TEXT NOT NULL,
            sex TEXT NOT NULL DEFAULT '' CHECK (sex IN ('', 'F', 'M')),
            birth_date TEXT NOT NULL,
            group_id INTEGER NOT NULL,
            group_name TEXT NOT NULL,
            entry_date TEXT NOT NULL,
            end_date TEXT)""",
        """CREATE TABLE record_items (
            record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES list_items(id),
            PRIMARY KEY (record_id, item_id))""",
        "CREATE INDEX record_items_item ON record_items(item_id)",
        """CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES list_items(id),
            partner TEXT NOT NULL,
            due_date TEXT,
            status TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX actions_record ON actions(record_id)",
        "CREATE INDEX actions_item ON actions(item_id)",
        """CREATE TABLE access_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            kind TEXT NOT NULL,
            record_id INTEGER,
            reason TEXT NOT NULL DEFAULT '')""",
        """CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
           BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END""",
        """CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
           BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END""",
        "CREATE TABLE purges (id INTEGER PRIMARY KEY, at TEXT NOT NULL, count INTEGER NOT NULL)",
    ),
    (  # records examined in a confidential group's meeting: the link stays here, the main DB has only a count
        """CREATE TABLE examinations (
            meeting_id INTEGER NOT NULL,
            record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            PRIMARY KEY (meeting_id, record_id))""",
        "CREATE INDEX examinations_record ON examinations(record_id)",
    ),
)

SCHEMA_VERSION = len(STEPS)
