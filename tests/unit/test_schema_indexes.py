"""Every foreign key column leads some full index: without one, a query by that column or a cascade from
the parent scans the whole child table (the dashboard took 6.6 s on a large council for want of one)."""

from __future__ import annotations


def _indexed_leading_columns(db, table: str) -> set[str]:
    leading = set()
    for _, name, _, _origin, partial in db.execute(f"PRAGMA index_list('{table}')").fetchall():
        if partial:
            continue  # a partial index serves only queries that repeat its WHERE clause
        columns = [row[2] for row in db.execute(f"PRAGMA index_info('{name}')").fetchall()]
        if columns:
            leading.add(columns[0])
    return leading


def test_every_foreign_key_is_indexed(store):
    db = store.db
    tables = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()]
    missing = []
    for table in tables:
        keys = {row[3] for row in db.execute(f"PRAGMA foreign_key_list('{table}')").fetchall()}
        integer_pk = [row[1] for row in db.execute(f"PRAGMA table_info('{table}')").fetchall() if row[5] == 1]
        missing += [f"{table}.{column}" for column in sorted(keys - _indexed_leading_columns(db, table))
                    if column not in integer_pk[:1]]
    assert missing == []


def test_late_convocation_query_uses_the_meeting_index(store):
    plan = " ".join(str(row[-1]) for row in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM invitation WHERE meeting_id = 1 AND sent_at IS NULL").fetchall())
    assert "USING INDEX invitation_meeting" in plan
