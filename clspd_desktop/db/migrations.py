"""Schema migrations: each step and its record in one transaction (sqlite-utils Migrations).

Never edit a step once released: add a new one. `tests/fixtures/db_v1.sqlite` is a frozen
database of the first schema and the tests upgrade it on every run.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from clspd_desktop.db.connection import APPLICATION_ID

MIGRATION_SET = "clspd"
migrations = Migrations(MIGRATION_SET)


def _run(db: sqlite_utils.Database, statements: str) -> None:
    # executescript() would commit the migration's transaction: run statements one by one.
    for statement in statements.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_council_and_directory")
def m0001(db: sqlite_utils.Database) -> None:
    _run(db, """
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE council (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    kind TEXT NOT NULL CHECK (kind IN ('CLSPD', 'CISPD')),
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    chair_name TEXT NOT NULL DEFAULT '',
    chair_title TEXT NOT NULL DEFAULT '',
    coordinator_name TEXT NOT NULL DEFAULT '',
    coordinator_function TEXT NOT NULL DEFAULT '',
    coordinator_email TEXT NOT NULL DEFAULT '',
    coordinator_phone TEXT NOT NULL DEFAULT '',
    composition_order_number TEXT NOT NULL DEFAULT '',
    composition_order_date TEXT NOT NULL DEFAULT '',
    rules_adopted_on TEXT NOT NULL DEFAULT '',
    charter_version TEXT NOT NULL DEFAULT '',
    prefecture_email TEXT NOT NULL DEFAULT '',
    logo BLOB,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE TABLE commune (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    insee_code TEXT NOT NULL DEFAULT '',
    population INTEGER NOT NULL CHECK (population >= 0),
    has_qpv INTEGER NOT NULL DEFAULT 0 CHECK (has_qpv IN (0, 1)),
    qpv_names TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE organisation (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER REFERENCES organisation(id) ON DELETE CASCADE,
    civility TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL,
    function TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT 'titular' CHECK (role IN ('titular', 'substitute')),
    notes TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE INDEX contact_organisation ON contact(organisation_id);
CREATE TABLE formation (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('plenary', 'restricted', 'working_group')),
    name TEXT NOT NULL,
    wg_type TEXT CHECK (wg_type IS NULL OR wg_type IN ('thematic', 'territorial', 'individual_situations')),
    confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
    description TEXT NOT NULL DEFAULT '',
    CHECK (wg_type IS NOT 'individual_situations' OR confidential = 1)
);
CREATE UNIQUE INDEX formation_one_plenary_one_restricted ON formation(kind) WHERE kind IN ('plenary', 'restricted');
CREATE TABLE membership (
    id INTEGER PRIMARY KEY,
    formation_id INTEGER NOT NULL REFERENCES formation(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
    category TEXT NOT NULL CHECK (category IN ('de_droit', 'designe', 'associe', 'personnalite_qualifiee')),
    start_date TEXT,
    end_date TEXT,
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX membership_formation ON membership(formation_id);
CREATE INDEX membership_contact ON membership(contact_id);
CREATE TABLE charter_signature (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
    charter_version TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ('withdrawn', 'excluded')),
    notes TEXT NOT NULL DEFAULT '',
    CHECK (ended_on IS NULL OR ended_on >= signed_on)
);
CREATE INDEX charter_signature_contact ON charter_signature(contact_id);
INSERT INTO formation (kind, name) VALUES ('plenary', 'Formation plénière');
INSERT INTO formation (kind, name) VALUES ('restricted', 'Formation restreinte')
""")


def known_names() -> list[str]:
    return [m.name for m in migrations._migrations]


def schema_version(db: sqlite_utils.Database) -> int:
    """Number of applied steps, mirrored in PRAGMA user_version for outside tools."""
    return len(migrations.applied(db))


def unknown_applied(db: sqlite_utils.Database) -> list[str]:
    """Steps recorded in the file that this version of the app does not know: the file is newer."""
    known = set(known_names())
    return [m.name for m in migrations.applied(db) if m.name not in known]


def apply_pending(db: sqlite_utils.Database) -> list[str]:
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
        db.execute(f"PRAGMA user_version = {schema_version(db)}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return pending
