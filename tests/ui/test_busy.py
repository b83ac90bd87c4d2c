"""Slow work on a thread behind a « en cours » window: the window keeps painting, the result or the error
comes back to the GUI thread, and the user cannot close the window halfway."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from clspd_desktop.errors import UserError
from clspd_desktop.ui.widgets.busy import SHOWN_AFTER_MS, BusyDialog, run_busy, with_busy_cursor


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_result_comes_back_and_the_gui_thread_keeps_turning(window):
    ticks: list[float] = []
    seen: list[bool] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)

    def slow() -> str:
        time.sleep((SHOWN_AFTER_MS + 400) / 1000)
        seen.extend(isinstance(w, BusyDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
        return threading.current_thread().name

    assert run_busy(window, "Envoi", "Envoi en cours…", slow) == "travail-long"
    timer.stop()
    assert len(ticks) >= 10  # timers fired on the GUI thread all along: the window answered
    assert any(seen)  # the moving bar was up after its delay
    assert not any(isinstance(w, BusyDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_an_error_is_raised_again_on_the_gui_thread(window):
    def failing() -> None:
        raise UserError("Le serveur d'envoi ne répond pas.")

    with pytest.raises(UserError, match="ne répond pas"):
        run_busy(window, "Envoi", "Envoi en cours…", failing)


def test_quick_work_returns_its_value_and_escape_cannot_close_the_window(window, qtbot):
    assert run_busy(window, "Envoi", "…", lambda: 42) == 42
    dialog = BusyDialog("Envoi", "…", window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    assert not dialog.close() and dialog.isVisible()


def test_the_wait_cursor_is_shown_during_the_work_and_restored_even_on_error(window):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    def cursor() -> object:
        shown = QGuiApplication.overrideCursor()
        return shown.shape() if shown is not None else None

    assert with_busy_cursor(cursor) == Qt.CursorShape.WaitCursor
    with pytest.raises(UserError):
        with_busy_cursor(lambda: (_ for _ in ()).throw(UserError("Disque plein.")))
    assert cursor() is None
