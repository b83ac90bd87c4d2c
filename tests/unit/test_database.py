"""Our Database keeps sqlite-utils 4's transaction rules: every scenario runs against both and must agree.

The repositories were written for sqlite-utils' `Database.execute` / `atomic`; start-up no longer imports
sqlite-utils, so these tests hold the replacement to exactly the same behaviour.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from clspd_desktop.db.database import Database, first_keyword

IMPLEMENTATIONS = {
    "ours": Database,
    "sqlite_utils": lambda conn: sqlite_utils.Database(conn, execute_plugins=False),
}


@pytest.fixture(params=list(IMPLEMENTATIONS))
def make_db(request, tmp_path):
    """A factory of (db, reader): `reader` is a second connection that only sees committed rows."""
    opened = []

    def make():
        path = tmp_path / f"{request.param}-{len(opened)}.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")  # as the app: a reader never blocks on the writer
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)")
        reader = sqlite3.connect(path)
        opened.extend([conn, reader])
        return IMPLEMENTATIONS[request.param](conn), reader

    yield make
    for conn in opened:
        conn.close()


def committed(reader: sqlite3.Connection) -> list[str]:
    return [r[0] for r in reader.execute("SELECT v FROM t ORDER BY id")]


def test_a_write_outside_a_transaction_is_committed_at_once(make_db):
    db, reader = make_db()
    cursor = db.execute("INSERT INTO t (v) VALUES (?)", ["a"])
    assert cursor.lastrowid == 1
    assert not db.conn.in_transaction
    assert committed(reader) == ["a"]


def test_a_read_leaves_no_transaction_open(make_db):
    db, _ = make_db()
    assert db.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)
    assert not db.conn.in_transaction


def test_named_parameters_are_passed_through(make_db):
    db, reader = make_db()
    db.execute("INSERT INTO t (v) VALUES (:v)", {"v": "nommé"})
    assert committed(reader) == ["nommé"]


def test_nothing_is_committed_inside_atomic_until_it_ends(make_db):
    db, reader = make_db()
    with db.atomic() as inside:
        assert inside is db
        db.execute("INSERT INTO t (v) VALUES ('a')")
        db.execute("INSERT INTO t (v) VALUES ('b')")
        assert db.conn.in_transaction
        assert committed(reader) == []
    assert not db.conn.in_transaction
    assert committed(reader) == ["a", "b"]


def test_an_exception_inside_atomic_rolls_everything_back(make_db):
    db, reader = make_db()
    with pytest.raises(RuntimeError), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('a')")
        raise RuntimeError("panne")
    assert not db.conn.in_transaction
    assert committed(reader) == []


def test_a_base_exception_inside_atomic_rolls_back_too(make_db):
    db, reader = make_db()
    with pytest.raises(KeyboardInterrupt), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('a')")
        raise KeyboardInterrupt
    assert not db.conn.in_transaction
    assert committed(reader) == []


def test_a_base_exception_in_a_nested_block_undoes_that_block_only(make_db):
    db, reader = make_db()
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('gardé')")
        with pytest.raises(KeyboardInterrupt), db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('annulé')")
            raise KeyboardInterrupt
    assert committed(reader) == ["gardé"]


def test_a_failed_nested_block_keeps_the_outer_work(make_db):
    db, reader = make_db()
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('dehors')")
        with pytest.raises(ValueError), db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('dedans')")
            raise ValueError("annulé")
        assert db.conn.in_transaction  # the outer transaction goes on
        with db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('ensuite')")
        assert committed(reader) == []
    assert committed(reader) == ["dehors", "ensuite"]


def test_a_failing_statement_leaves_no_transaction_open(make_db):
    db, reader = make_db()
    db.execute("INSERT INTO t (v) VALUES ('a')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO t (v) VALUES ('a')")
    assert not db.conn.in_transaction  # else every later write would wait for a commit that never comes
    db.execute("INSERT INTO t (v) VALUES ('b')")
    assert committed(reader) == ["a", "b"]


def test_a_failing_statement_inside_atomic_leaves_the_transaction_to_the_block(make_db):
    db, reader = make_db()
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('a')")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO t (v) VALUES ('a')")
        assert db.conn.in_transaction
        db.execute("INSERT INTO t (v) VALUES ('b')")
    assert committed(reader) == ["a", "b"]


def test_a_write_returning_rows_is_left_to_the_caller_as_in_sqlite_utils(make_db):
    # sqlite-utils only commits statements that return no rows; the repositories use no RETURNING today.
    db, reader = make_db()
    cursor = db.execute("INSERT INTO t (v) VALUES ('a') RETURNING id")
    assert cursor.fetchall() == [(1,)]
    assert db.conn.in_transaction and committed(reader) == []
    db.conn.commit()
    assert committed(reader) == ["a"]


def test_transaction_statements_through_execute_are_not_committed_behind_the_caller(make_db):
    db, reader = make_db()
    db.execute("  /* manuel */ -- oui\n begin")
    db.execute("INSERT INTO t (v) VALUES ('a')")
    assert db.conn.in_transaction and committed(reader) == []
    db.execute("COMMIT")
    assert committed(reader) == ["a"]


def test_a_trigger_rolling_back_everything_inside_a_nested_block_reports_its_own_error(make_db):
    db, reader = make_db()
    db.execute("CREATE TRIGGER t_refus BEFORE INSERT ON t WHEN NEW.v = 'interdit' "
               "BEGIN SELECT RAISE(ROLLBACK, 'refusé par le déclencheur'); END")
    with pytest.raises(sqlite3.IntegrityError, match="refusé par le déclencheur"), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('a')")
        with db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('interdit')")
    assert not db.conn.in_transaction
    assert committed(reader) == []


def test_recursive_triggers_are_on_as_with_sqlite_utils(make_db):
    db, _ = make_db()
    assert db.execute("PRAGMA recursive_triggers").fetchone() == (1,)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="sqlite3 autocommit attribute: Python 3.12+")
def test_a_connection_with_autocommit_control_is_refused():
    conn = sqlite3.connect(":memory:", autocommit=True)
    with pytest.raises(ValueError):
        Database(conn)
    conn.close()


@pytest.mark.parametrize(("sql", "keyword"), [
    ("INSERT INTO t VALUES (1)", "INSERT"),
    ("\ufeff ;; -- note\n/* bloc */ savepoint x", "SAVEPOINT"),
    ("-- rien", ""),
    ("/* jamais fermé", ""),
    ("end", "END"),
])
def test_first_keyword_skips_what_sqlite_skips(sql, keyword):
    assert first_keyword(sql) == keyword


# Random programs of writes, failing writes, reads and (nested) atomic blocks, some raising: ours and
# sqlite-utils must leave the same committed rows and the same transaction state after every step.
programs = st.recursive(
    st.lists(st.one_of(
        st.tuples(st.just("insert"), st.sampled_from("abcd")),
        st.tuples(st.just("returning"), st.sampled_from("abcd")),
        st.tuples(st.just("select")),
        st.tuples(st.just("begin")),
        st.tuples(st.just("commit")),
    ), max_size=5),
    lambda inner: st.lists(st.one_of(
        st.tuples(st.just("insert"), st.sampled_from("abcd")),
        st.tuples(st.just("atomic"), inner, st.booleans()),
    ), max_size=4),
    max_leaves=12,
)


class Boom(Exception):
    pass


def run_program(db, reader: sqlite3.Connection, program, trace: list) -> None:
    for op in program:
        try:
            if op[0] == "insert":
                db.execute("INSERT INTO t (v) VALUES (?)", [op[1]])
            elif op[0] == "returning":
                db.execute("INSERT INTO t (v) VALUES (?) RETURNING id", [op[1]]).fetchall()
            elif op[0] == "select":
                db.execute("SELECT * FROM t").fetchall()
            elif op[0] in ("begin", "commit"):
                db.execute(op[0].upper())
            else:
                with db.atomic():
                    run_program(db, reader, op[1], trace)
                    if op[2]:
                        raise Boom
        except (sqlite3.Error, Boom) as exc:
            trace.append(type(exc).__name__)
        trace.append((db.conn.in_transaction, committed(reader)))


@settings(max_examples=150, deadline=None)
@given(programs)
def test_random_programs_behave_as_with_sqlite_utils(program):
    traces = []
    with tempfile.TemporaryDirectory() as folder:
        for name, make in IMPLEMENTATIONS.items():
            path = Path(folder) / f"{name}.sqlite"
            conn = sqlite3.connect(path)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)")
            reader = sqlite3.connect(path)
            trace: list = []
            try:
                run_program(make(conn), reader, program, trace)
            finally:
                reader.close()
                conn.close()
            traces.append(trace)
    assert traces[0] == traces[1]
