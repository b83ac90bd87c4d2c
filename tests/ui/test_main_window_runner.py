"""The main window and the runner: Ctrl+Z names and undoes the last operation; closing waits for long work."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel

from clspd_desktop.services.operations import Change, OpEnv, done
from clspd_desktop.ui.main_window import Area, MainWindow
from tests.factories import add_organisation


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow([Area("a", "Accueil", lambda: QLabel("accueil"), "Ctrl+1")], "Test", runner=ctx.runner)
    qtbot.addWidget(window)
    window.show()
    return window


def _delete(org_id: int):
    def op(env: OpEnv):
        with env.store.transaction():
            env.store.directory.delete_organisation(org_id)
        return done(None, Change.DIRECTORY)

    return op


def test_undo_entry_names_the_last_operation_and_undoes_it(qtbot, ctx):
    org = add_organisation(ctx.store, "Mission locale")
    window = _window(qtbot, ctx)
    assert not window.undo_action.isEnabled()
    ctx.runner.call(_delete(org.id), undo="Suppression de « Mission locale »")
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "Annuler : Suppression de « Mission locale »"
    window.undo_action.trigger()
    assert ctx.store.directory.get_organisation(org.id) is not None
    assert not window.undo_action.isEnabled()


def test_closing_during_uninterruptible_work_closes_once_it_is_over(qtbot, ctx, dialogs):
    window = _window(qtbot, ctx)
    gate = threading.Event()

    def backup(env: OpEnv):
        gate.wait(5)
        return done(None, Change.BACKUPS)

    ctx.runner.start(backup, parent=window, label="Sauvegarde chiffrée…")
    dialogs.confirms.append(True)
    assert not window.close()  # refused for now
    assert "Sauvegarde chiffrée" in dialogs.confirm_texts[0] and "terminée" in dialogs.confirm_texts[0]
    assert window.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_closing_during_cancellable_work_stops_it_then_closes(qtbot, ctx, dialogs):
    window = _window(qtbot, ctx)
    started = threading.Event()

    def export(env: OpEnv):
        started.set()
        while True:
            env.progress.report(0, 0)
            threading.Event().wait(0.01)

    ctx.runner.start(export, parent=window, label="Export…", cancellable=True)
    assert started.wait(5)
    dialogs.confirms.append(True)
    window.close()
    assert "L'arrêter" in dialogs.confirm_texts[0]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert not ctx.runner.busy


def test_declining_keeps_the_window_and_the_work(qtbot, ctx, dialogs):
    window = _window(qtbot, ctx)
    gate = threading.Event()

    def backup(env: OpEnv):
        gate.wait(5)
        return done(None)

    ctx.runner.start(backup, parent=window, label="Sauvegarde…")
    dialogs.confirms.append(False)
    window.close()
    gate.set()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=5000)
    assert window.isVisible()
