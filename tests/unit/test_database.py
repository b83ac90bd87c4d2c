"""Our Database's one transaction rule: autocommit outside `atomic()`, all-or-nothing inside, nested blocks
as savepoints."""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clspd_desktop.db.database import Database


@pytest.fixture
def make_db(tmp_path):
    """A factory of (db, reader): `reader` is a second connection that only sees committed rows."""
    opened = []

    def make():
        path = tmp_path / f"base-{len(opened)}.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")  # as the app: a reader never blocks on the writer
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)")
        reader = sqlite3.connect(path)
        opened.extend([conn, reader])
        return Database(conn), reader

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


def test_a_write_returning_rows_is_committed_once_read(make_db):
    db, reader = make_db()
    cursor = db.execute("INSERT INTO t (v) VALUES ('a') RETURNING id")
    assert cursor.fetchall() == [(1,)]
    assert not db.conn.in_transaction and committed(reader) == ["a"]


def test_a_transaction_begun_by_hand_is_left_to_the_caller(make_db):
    db, reader = make_db()
    db.execute("BEGIN")
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


def test_recursive_triggers_are_on(make_db):
    db, _ = make_db()
    assert db.execute("PRAGMA recursive_triggers").fetchone() == (1,)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="sqlite3 autocommit attribute: Python 3.12+")
def test_a_connection_with_autocommit_control_is_refused():
    conn = sqlite3.connect(":memory:", autocommit=True)
    with pytest.raises(ValueError):
        Database(conn)
    conn.close()


def test_a_connection_inside_a_transaction_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.sqlite")
    conn.execute("CREATE TABLE t (v)")
    conn.execute("INSERT INTO t VALUES (1)")  # legacy mode opened a transaction
    with pytest.raises(ValueError):
        Database(conn)
    conn.close()


# Random programs of writes, failing writes, reads and (nested) atomic blocks, some raising: after every
# step the committed rows are those of a simple model of the rule (a block commits only if the outermost
# one ends normally, a failed inner block drops its own rows only).
programs = st.recursive(
    st.lists(st.one_of(
        st.tuples(st.just("insert"), st.sampled_from("abcd")),
        st.tuples(st.just("select")),
    ), max_size=5),
    lambda inner: st.lists(st.one_of(
        st.tuples(st.just("insert"), st.sampled_from("abcd")),
        st.tuples(st.just("atomic"), inner, st.booleans()),
    ), max_size=4),
    max_leaves=12,
)


class Boom(Exception):
    pass


def run_program(db, reader, program, model: list[str], depth: int = 0) -> None:
    for op in program:
        if op[0] == "insert":
            try:
                db.execute("INSERT INTO t (v) VALUES (?)", [op[1]])
                model.append(op[1])
            except sqlite3.IntegrityError:
                assert op[1] in model
        elif op[0] == "select":
            db.execute("SELECT * FROM t").fetchall()
        else:
            inner = list(model)
            try:
                with db.atomic():
                    run_program(db, reader, op[1], inner, depth + 1)
                    if op[2]:
                        raise Boom
                model[:] = inner
            except Boom:
                pass
        assert db.conn.in_transaction == (depth > 0)
        if depth == 0:
            assert committed(reader) == model


@settings(max_examples=150, deadline=None)
@given(programs)
def test_random_programs_follow_the_rule(program):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "base.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)")
        reader = sqlite3.connect(path)
        try:
            run_program(Database(conn), reader, program, [])
        finally:
            reader.close()
            conn.close()
