"""The one runner: quick and long operations, errors, cancel, closing while work runs, undo, dispatch."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtWidgets import QWidget

from clspd_desktop.errors import StorageError, UserError
from clspd_desktop.services.operations import Cancelled, Change, Done, OpChanges, OpEnv, done
from tests.factories import add_contact, add_organisation, add_working_group, join


def _count_orgs(env: OpEnv) -> Done[int]:
    return Done(env.store.directory.count_organisations())


def _add_org(name: str):
    def op(env: OpEnv):
        with env.store.transaction():
            return done(add_organisation(env.store, name), Change.DIRECTORY)

    return op


def _delete_org(org_id: int):
    def op(env: OpEnv):
        with env.store.transaction():
            env.store.directory.delete_organisation(org_id)
        return done(None, Change.DIRECTORY, Change.FORMATIONS)

    return op


def test_call_returns_the_value_and_tells_subscribers(qtbot, ctx):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    seen: list[OpChanges] = []
    ctx.runner.dispatcher.subscribe(widget, {Change.DIRECTORY}, seen.append)
    unrelated: list[OpChanges] = []
    ctx.runner.dispatcher.subscribe(widget, {Change.PLAN}, unrelated.append)

    org = ctx.runner.call(_add_org("Mission locale"))

    assert org.id is not None and org.name == "Mission locale"
    assert [c.kinds for c in seen] == [frozenset({Change.DIRECTORY})]
    assert unrelated == []


def test_hidden_screen_refreshes_when_shown_again(qtbot, ctx):
    widget = QWidget()
    qtbot.addWidget(widget)
    seen: list[OpChanges] = []
    ctx.runner.dispatcher.subscribe(widget, {Change.DIRECTORY}, seen.append)
    ctx.runner.call(_add_org("A"))
    ctx.runner.call(_add_org("B"))
    assert seen == []  # hidden: marked stale only
    widget.show()
    assert len(seen) == 1 and Change.DIRECTORY in seen[0].kinds
    widget.hide()
    widget.show()
    assert len(seen) == 1  # nothing new since


def test_restore_like_changes_reach_every_subscriber(qtbot, ctx):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    seen = []
    for kind in Change:
        ctx.runner.dispatcher.subscribe(widget, {kind}, seen.append)
    ctx.runner.dispatcher.publish(OpChanges.all())
    assert len(seen) == len(Change)


def test_run_shows_a_refusal_and_writes_nothing(ctx, dialogs):
    def refused(env: OpEnv):
        with env.store.transaction():
            add_organisation(env.store, "Écrit puis refusé")
            raise UserError("Refusé pour le test.")

    assert ctx.runner.run(refused, parent=None) is None
    assert dialogs.warned == [("Action impossible", "Refusé pour le test.")]
    assert ctx.store.directory.count_organisations() == 0


def test_a_known_sqlite_error_becomes_a_french_message(ctx):
    def full(env: OpEnv):
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL  # as SQLite sets it
        raise error

    with pytest.raises(StorageError, match="disque est plein"):
        ctx.runner.call(full)


def test_a_bug_is_not_disguised(ctx):
    def bug(env: OpEnv):
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        ctx.runner.call(bug)


def test_writes_outside_an_operation_are_refused_once_guarded(ctx):
    ctx.runner.guard_writes()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        add_organisation(ctx.store, "En douce")
    assert ctx.runner.call(_add_org("Par l'opération")).name == "Par l'opération"
    with pytest.raises(sqlite3.OperationalError):
        add_organisation(ctx.store, "En douce encore")


def test_long_work_runs_on_a_worker_with_its_own_connection(qtbot, ctx):
    threads, results = [], []

    def long_op(env: OpEnv):
        threads.append(threading.current_thread())
        assert env.store.db.conn is not ctx.store.db.conn
        with env.store.transaction():
            add_organisation(env.store, "Écrite par le worker")
        return done("fini", Change.DIRECTORY)

    assert ctx.runner.start(long_op, parent=None, label="Travail long…", on_success=results.append)
    assert ctx.runner.busy
    qtbot.waitUntil(lambda: results == ["fini"], timeout=5000)
    assert threads[0] is not threading.main_thread()
    assert not ctx.runner.busy
    assert ctx.store.directory.find_organisation_by_name("Écrite par le worker") is not None


def test_long_work_failure_is_delivered_on_the_gui_thread(qtbot, ctx, dialogs):
    failures = []

    def failing(env: OpEnv):
        raise UserError("Le serveur ne répond pas.")

    ctx.runner.start(failing, parent=None, label="Envoi…", on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert failures[0].message == "Le serveur ne répond pas."
    ctx.runner.start(failing, parent=None, label="Envoi…")
    qtbot.waitUntil(lambda: bool(dialogs.warned), timeout=5000)
    assert dialogs.warned == [("Action impossible", "Le serveur ne répond pas.")]


def test_cancel_stops_where_safe_and_writes_nothing(qtbot, ctx):
    started, results = threading.Event(), []

    def cancellable(env: OpEnv):
        started.set()
        for i in range(10_000):
            env.progress.report(i, 10_000, f"Élément {i}")
            threading.Event().wait(0.001)
        with env.store.transaction():
            add_organisation(env.store, "Jamais")
        return done(None, Change.DIRECTORY)

    ctx.runner.start(cancellable, parent=None, label="Long…", cancellable=True, on_success=results.append)
    assert started.wait(5)
    ctx.runner.cancel()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=5000)
    assert results == []
    assert ctx.store.directory.count_organisations() == 0


def test_second_long_work_is_refused_not_queued(qtbot, ctx, dialogs):
    gate = threading.Event()

    def waits(env: OpEnv):
        gate.wait(5)
        return done(None)

    assert ctx.runner.start(waits, parent=None, label="Sauvegarde…")
    assert not ctx.runner.start(waits, parent=None, label="Autre…")
    with pytest.raises(UserError, match="Sauvegarde"):
        ctx.runner.call(_count_orgs)
    assert dialogs.informed and "Sauvegarde" in dialogs.informed[0][1]
    gate.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=5000)


def test_when_idle_waits_for_the_running_work(qtbot, ctx):
    gate, calls = threading.Event(), []

    def waits(env: OpEnv):
        gate.wait(5)
        return done(None)

    ctx.runner.start(waits, parent=None, label="Sauvegarde…")
    ctx.runner.when_idle(lambda: calls.append("fermer"))
    assert calls == []
    gate.set()
    qtbot.waitUntil(lambda: calls == ["fermer"], timeout=5000)


def test_cancelled_error_in_a_quick_call_propagates(ctx):
    def cancelled(env: OpEnv):
        raise Cancelled

    with pytest.raises(Cancelled):
        ctx.runner.call(cancelled)


def test_undo_brings_back_an_organisation_with_its_referents_and_memberships(qtbot, ctx):
    store = ctx.store
    org = add_organisation(store, "Bailleur <Habitat> & Cie")
    contact = add_contact(store, org, "Durand", "Paul")
    group = add_working_group(store)
    join(store, contact, formation=group)
    before = (store.directory.get_organisation(org.id), store.directory.contacts_of(org.id),
              store.formations.memberships_of(contact.id))
    labels = []
    ctx.runner.undo_changed.connect(labels.append)

    ctx.runner.call(_delete_org(org.id), undo="Suppression de « Bailleur <Habitat> & Cie »")
    assert store.directory.get_organisation(org.id) is None
    assert ctx.runner.undo_label == "Suppression de « Bailleur <Habitat> & Cie »"

    assert ctx.runner.undo(None)
    after = (store.directory.get_organisation(org.id), store.directory.contacts_of(org.id),
             store.formations.memberships_of(contact.id))
    assert after == before
    assert labels[-1] == "" and ctx.runner.undo_label == ""


def test_undo_refused_cleanly_when_later_changes_conflict(ctx, dialogs):
    org = add_organisation(ctx.store, "Mission locale")
    ctx.runner.call(_delete_org(org.id), undo="Suppression")
    ctx.runner.call(_add_org("Mission locale"))  # same unique name taken since
    count = ctx.store.directory.count_organisations()
    assert not ctx.runner.undo(None)
    assert "Impossible d'annuler" in dialogs.warned[-1][1]
    assert ctx.store.directory.count_organisations() == count


def test_nothing_to_undo_says_so(ctx, dialogs):
    assert not ctx.runner.undo(None)
    assert dialogs.informed == [("Annuler", "Il n'y a rien à annuler.")]


def test_call_in_background_waits_for_the_worker_and_returns_its_value(qtbot, ctx):
    def remote(env: OpEnv):
        assert threading.current_thread() is not threading.main_thread()
        return done(42)

    assert ctx.runner.call_in_background(remote, parent=None, label="Serveur…") == 42
    assert not ctx.runner.busy


def test_call_in_background_raises_the_refusal(qtbot, ctx):
    def refused(env: OpEnv):
        raise UserError("Serveur injoignable.")

    with pytest.raises(UserError, match="injoignable"):
        ctx.runner.call_in_background(refused, parent=None, label="Serveur…")


# --- a screen's data read on a worker ----------------------------------------------------------------------
def test_read_runs_on_a_worker_over_a_read_only_connection_and_delivers_on_the_gui_thread(qtbot, ctx):
    add_organisation(ctx.store, "Mission locale")
    seen: list[tuple[object, bool]] = []
    delivered: list[tuple[int, threading.Thread]] = []

    def count(env: OpEnv) -> Done[int]:
        seen.append((threading.current_thread(), env.store.db.conn is ctx.store.db.conn))
        with pytest.raises(sqlite3.OperationalError, match="readonly"):  # a read never writes
            add_organisation(env.store, "Écrite pendant une lecture")
        return Done(env.store.directory.count_organisations())

    ctx.runner.read(count, on_result=lambda n: delivered.append((n, threading.current_thread())), parent=None)
    assert ctx.runner.reading and not ctx.runner.busy  # no progress window, nothing refused meanwhile
    qtbot.waitUntil(lambda: bool(delivered), timeout=5000)
    assert delivered == [(1, threading.main_thread())] and not ctx.runner.reading
    assert seen[0][0] is not threading.main_thread() and seen[0][1] is False
    assert ctx.store.directory.find_organisation_by_name("Écrite pendant une lecture") is None


def test_read_is_not_refused_while_long_work_runs_and_a_refusal_is_shown(qtbot, ctx, dialogs):
    release = threading.Event()

    def long_op(env: OpEnv):
        release.wait(5)
        return done(None)

    def refused(env: OpEnv):
        raise UserError("La base de données est verrouillée par un autre programme.")

    assert ctx.runner.start(long_op, parent=None, label="Sauvegarde…")
    values: list[int] = []
    ctx.runner.read(_count_orgs, on_result=values.append, parent=None)
    qtbot.waitUntil(lambda: values == [0], timeout=5000)  # read while the long work still runs
    assert ctx.runner.busy and dialogs.warned == []
    release.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=5000)
    ctx.runner.read(refused, on_result=values.append, parent=None)
    qtbot.waitUntil(lambda: bool(dialogs.warned), timeout=5000)
    assert dialogs.warned == [("Lecture impossible", "La base de données est verrouillée par un autre programme.")]
    assert values == [0]


def test_a_read_for_a_screen_closed_meanwhile_is_dropped(qtbot, ctx):
    from shiboken6 import delete

    screen, values, release = QWidget(), [], threading.Event()

    def blocked(env: OpEnv) -> Done[int]:
        release.wait(5)
        return _count_orgs(env)

    ctx.runner.read(blocked, on_result=values.append, parent=screen)
    delete(screen)  # the window closed while its data was read
    release.set()
    qtbot.waitUntil(lambda: not ctx.runner.reading, timeout=5000)
    assert values == []
