"""Schema migrations: each step and its record in one transaction (sqlite-utils Migrations).

Never edit a step once released: add a new one. `tests/fixtures/db_v1.sqlite` is a frozen
database of the first schema and the tests upgrade it on every run.

Steps are listed here and handed to a sqlite-utils `Migrations` only when some are pending: importing
sqlite-utils costs about 50 ms of start-up, and an up-to-date file (every start but the first after an
update) only needs the list of applied steps, read with one query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from clspd_desktop.db.database import Database
from clspd_desktop.db.file_check import APPLICATION_ID, read_applied_steps

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "clspd"
# A step receives the sqlite-utils Database that `Migrations.apply` wraps around our connection.
Step = Callable[["sqlite_utils.Database"], None]
STEPS: list[tuple[str, Step]] = []  # in order of application


def step(name: str) -> Callable[[Step], Step]:
    """Register a schema step under `name` (the name recorded in the file: never rename one)."""

    def register(fn: Step) -> Step:
        if any(known == name for known, _ in STEPS):
            raise ValueError(f"Migration step {name!r} registered twice")
        STEPS.append((name, fn))
        return fn

    return register


def _run(db: sqlite_utils.Database, statements: str) -> None:
    # executescript() would commit the migration's transaction: run statements one by one.
    for statement in statements.split(";\n"):
        if statement.strip():
            db.execute(statement)


@step("0001_council_and_directory")
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


@step("0002_backups_and_packs")
def m0002(db: sqlite_utils.Database) -> None:
    # Packs sent to the préfecture; the password itself lives in the keyring under `password_key`.
    _run(db, """
CREATE TABLE prefecture_pack (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    recipient TEXT NOT NULL DEFAULT '',
    contents TEXT NOT NULL DEFAULT '[]',
    file_name TEXT NOT NULL,
    file_path TEXT NOT NULL DEFAULT '',
    password_key TEXT NOT NULL,
    sent_at TEXT,
    sent_via TEXT CHECK (sent_via IS NULL OR sent_via IN ('eml', 'smtp', 'manual'))
)
""")



@step("0003_meetings")
def m0003(db: sqlite_utils.Database) -> None:
    # Invitations keep a copy of the invitee's name and organisation: a deleted referent stays in history.
    _run(db, """
CREATE TABLE meeting_series (
    id INTEGER PRIMARY KEY,
    formation_id INTEGER NOT NULL REFERENCES formation(id) ON DELETE CASCADE,
    frequency TEXT NOT NULL CHECK (frequency IN ('monthly', 'bimonthly')),
    until_date TEXT NOT NULL
);
CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    sequence INTEGER NOT NULL DEFAULT 0,
    formation_id INTEGER NOT NULL REFERENCES formation(id) ON DELETE RESTRICT,
    series_id INTEGER REFERENCES meeting_series(id) ON DELETE SET NULL,
    title TEXT NOT NULL DEFAULT '',
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    video_link TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'postponed', 'cancelled')),
    de_droit INTEGER NOT NULL DEFAULT 0 CHECK (de_droit IN (0, 1)),
    de_droit_requester TEXT NOT NULL DEFAULT '' CHECK (de_droit_requester IN ('', 'prefet', 'majority')),
    de_droit_requested_on TEXT,
    prefect_presentation INTEGER NOT NULL DEFAULT 0 CHECK (prefect_presentation IN (0, 1)),
    reply_deadline TEXT,
    signatory TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
    CHECK (ends_at > starts_at)
);
CREATE INDEX meeting_starts_at ON meeting(starts_at);
CREATE INDEX meeting_formation ON meeting(formation_id);
CREATE INDEX meeting_series_member ON meeting(series_id);
CREATE TABLE agenda_item (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    presenter TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agenda_item_meeting ON agenda_item(meeting_id, position);
CREATE TABLE meeting_document (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    agenda_item_id INTEGER REFERENCES agenda_item(id) ON DELETE SET NULL,
    original_name TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE INDEX meeting_document_meeting ON meeting_document(meeting_id);
CREATE TABLE invitation (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    organisation_name TEXT NOT NULL DEFAULT '',
    organisation_category TEXT NOT NULL DEFAULT '',
    membership_category TEXT NOT NULL DEFAULT '',
    function TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT 'invited' CHECK (role IN ('invited', 'informed')),
    walk_in INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0, 1)),
    sent_at TEXT,
    reply TEXT CHECK (reply IS NULL OR reply IN ('present', 'represented', 'excused')),
    reply_represented_by TEXT NOT NULL DEFAULT '',
    reply_at TEXT,
    attendance TEXT CHECK (attendance IS NULL OR attendance IN ('present', 'excused', 'absent', 'represented')),
    represented_by TEXT NOT NULL DEFAULT '',
    represented_by_contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,
    arrived_at TEXT,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE UNIQUE INDEX invitation_once ON invitation(meeting_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX invitation_contact ON invitation(contact_id);
CREATE TABLE minutes (
    meeting_id INTEGER PRIMARY KEY REFERENCES meeting(id) ON DELETE CASCADE,
    summary TEXT NOT NULL DEFAULT '',
    written_by TEXT NOT NULL DEFAULT '',
    approved_on TEXT,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE TABLE decision (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    agenda_item_id INTEGER REFERENCES agenda_item(id) ON DELETE SET NULL,
    position INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL
);
CREATE INDEX decision_meeting ON decision(meeting_id);
CREATE TABLE action_item (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    agenda_item_id INTEGER REFERENCES agenda_item(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    responsible_organisation_id INTEGER REFERENCES organisation(id) ON DELETE SET NULL,
    responsible_name TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    done_on TEXT
);
CREATE INDEX action_item_meeting ON action_item(meeting_id);
CREATE INDEX action_item_due ON action_item(status, due_date)
""")

@step("0004_prevention_plan")
def m0004(db: sqlite_utils.Database) -> None:
    # Amounts in cents (exact sums). A lead organisation cannot be deleted while it leads an action
    # (RESTRICT); links to meeting decisions / action items will come as a link table in a later step.
    _run(db, """
CREATE TABLE plan (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    end_year INTEGER NOT NULL,
    adopted_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
    CHECK (end_year >= start_year)
);
CREATE TABLE plan_axis (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_axis_plan ON plan_axis(plan_id, position);
CREATE TABLE plan_objective (
    id INTEGER PRIMARY KEY,
    axis_id INTEGER NOT NULL REFERENCES plan_axis(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_objective_axis ON plan_objective(axis_id, position);
CREATE TABLE plan_action (
    id INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES plan_objective(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    target_public TEXT NOT NULL DEFAULT '',
    territory TEXT NOT NULL DEFAULT '',
    lead_organisation_id INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
    start_date TEXT,
    end_date TEXT,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'abandoned')),
    progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    total_cost_cents INTEGER NOT NULL DEFAULT 0 CHECK (total_cost_cents >= 0),
    evaluation TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX plan_action_objective ON plan_action(objective_id, position);
CREATE INDEX plan_action_lead ON plan_action(lead_organisation_id);
CREATE TABLE plan_action_partner (
    action_id INTEGER NOT NULL REFERENCES plan_action(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, organisation_id)
);
CREATE INDEX plan_action_partner_org ON plan_action_partner(organisation_id);
CREATE TABLE plan_action_referent (
    action_id INTEGER NOT NULL REFERENCES plan_action(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, contact_id)
);
CREATE INDEX plan_action_referent_contact ON plan_action_referent(contact_id);
CREATE TABLE plan_action_tag (
    action_id INTEGER NOT NULL REFERENCES plan_action(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (action_id, tag)
);
CREATE TABLE plan_funding (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES plan_action(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    funder TEXT NOT NULL CHECK (funder IN ('fipd', 'commune', 'epci', 'departement', 'caf', 'region', 'state_other', 'other')),
    programme TEXT NOT NULL DEFAULT '',
    requested_cents INTEGER NOT NULL DEFAULT 0 CHECK (requested_cents >= 0),
    granted_cents INTEGER NOT NULL DEFAULT 0 CHECK (granted_cents >= 0),
    paid_cents INTEGER NOT NULL DEFAULT 0 CHECK (paid_cents >= 0 AND paid_cents <= granted_cents),
    report_sent_on TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_funding_action ON plan_funding(action_id, year);
CREATE TABLE plan_indicator (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES plan_action(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    baseline REAL,
    target REAL
);
CREATE INDEX plan_indicator_action ON plan_indicator(action_id, position);
CREATE TABLE plan_indicator_value (
    indicator_id INTEGER NOT NULL REFERENCES plan_indicator(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (indicator_id, year)
)
""")

@step("0005_plan_links_and_annual_report")
def m0005(db: sqlite_utils.Database) -> None:
    # Point 4 of the plan issue: a decision or an action item of a meeting may be linked to plan actions
    # (the action then lists the meetings where it was discussed). annual_report holds what the
    # coordinator writes for a year's bilan; the figures themselves are always computed from the data.
    _run(db, """
CREATE TABLE decision_plan_action (
    decision_id INTEGER NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
    action_id INTEGER NOT NULL REFERENCES plan_action(id) ON DELETE CASCADE,
    PRIMARY KEY (decision_id, action_id)
);
CREATE INDEX decision_plan_action_action ON decision_plan_action(action_id);
CREATE TABLE action_item_plan_action (
    action_item_id INTEGER NOT NULL REFERENCES action_item(id) ON DELETE CASCADE,
    action_id INTEGER NOT NULL REFERENCES plan_action(id) ON DELETE CASCADE,
    PRIMARY KEY (action_item_id, action_id)
);
CREATE INDEX action_item_plan_action_action ON action_item_plan_action(action_id);
CREATE TABLE annual_report (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    evaluation TEXT NOT NULL DEFAULT '',
    orientations TEXT NOT NULL DEFAULT '',
    membership_changes TEXT NOT NULL DEFAULT '',
    dpo_name TEXT NOT NULL DEFAULT '',
    processing_register INTEGER NOT NULL DEFAULT 0 CHECK (processing_register IN (0, 1)),
    dpia_done INTEGER NOT NULL DEFAULT 0 CHECK (dpia_done IN (0, 1)),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
)
""")

@step("0006_foreign_key_indexes")
def m0006(db: sqlite_utils.Database) -> None:
    # invitation(meeting_id) had only a partial index (WHERE contact_id IS NOT NULL) that general queries
    # cannot use: the dashboard's late-convocation check scanned 164 000 invitations per upcoming meeting on
    # a large council (6.6 s at start-up, 3 ms with the index). Every foreign key now has an index.
    _run(db, """
CREATE INDEX invitation_meeting ON invitation(meeting_id);
CREATE INDEX invitation_represented_by ON invitation(represented_by_contact_id);
CREATE INDEX decision_agenda_item ON decision(agenda_item_id);
CREATE INDEX action_item_agenda_item ON action_item(agenda_item_id);
CREATE INDEX meeting_document_agenda_item ON meeting_document(agenda_item_id);
CREATE INDEX action_item_responsible ON action_item(responsible_organisation_id);
CREATE INDEX meeting_series_formation ON meeting_series(formation_id)
""")


@step("0008_contact_appellation")
def m0008(db: sqlite_utils.Database) -> None:
    # how a letter addresses the referent (« Madame la Préfète »); empty: proposed from function and civility
    _run(db, "ALTER TABLE contact ADD COLUMN appellation TEXT NOT NULL DEFAULT ''")


@step("0009_decision_follow_up")
def m0009(db: sqlite_utils.Database) -> None:
    """Follow-up of what meetings decided: progress of an open item, a comment, the referent in charge, the
    last reminder sent (the status column keeps open / done / cancelled)."""
    _run(db, """
ALTER TABLE action_item ADD COLUMN progress TEXT NOT NULL DEFAULT 'todo' CHECK (progress IN ('todo', 'in_progress'));
ALTER TABLE action_item ADD COLUMN comment TEXT NOT NULL DEFAULT '';
ALTER TABLE action_item ADD COLUMN responsible_contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL;
ALTER TABLE action_item ADD COLUMN reminded_on TEXT;
CREATE INDEX action_item_responsible_contact ON action_item(responsible_contact_id)
""")


@step("0010_minutes_situations_examined")
def m0010(db: sqlite_utils.Database) -> None:
    """Issue 17, point 7: how many individual situations a confidential group's meeting examined. Only the
    count: which records, and what was decided on them, stay in the encrypted follow-up store."""
    _run(db, "ALTER TABLE minutes ADD COLUMN situations_examined INTEGER NOT NULL DEFAULT 0 "
             "CHECK (situations_examined >= 0)")


def known_names() -> list[str]:
    return [name for name, _ in STEPS]


def build_migrations() -> Migrations:
    """sqlite-utils' Migrations holding every step; imports sqlite-utils, so only called to migrate."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name, fn in STEPS:
        migrations(name=name)(fn)
    return migrations


def applied_names(db: Database) -> list[str]:
    """Our steps recorded in the file, in order: what `Migrations.applied` returns, without sqlite-utils."""
    return [name for migration_set, name in read_applied_steps(db.conn) if migration_set == MIGRATION_SET]


def pending_names(db: Database) -> list[str]:
    applied = set(applied_names(db))
    return [name for name in known_names() if name not in applied]


def schema_version(db: Database) -> int:
    """Number of applied steps, mirrored in PRAGMA user_version for outside tools."""
    return len(applied_names(db))


def unknown_applied(db: Database) -> list[str]:
    """Steps recorded in the file that this version of the app does not know: the file is newer."""
    known = set(known_names())
    return [name for name in applied_names(db) if name not in known]


def apply_pending(db: Database) -> list[str]:
    pending = pending_names(db)
    if pending:
        import sqlite_utils

        # Same connection, so the steps run in our transactions; no plugins (a plugin installed on the
        # PC must not alter our connection).
        build_migrations().apply(sqlite_utils.Database(db.conn, execute_plugins=False))
        db.execute(f"PRAGMA user_version = {schema_version(db)}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return pending
