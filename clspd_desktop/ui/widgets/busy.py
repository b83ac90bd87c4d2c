"""Work the user waits for: a wait cursor for a second or two on the GUI thread (building a bilan, a
backup), and a thread behind a small « en cours » window for slow work that touches no database (sending an
e-mail over a slow line), so the window keeps painting instead of « Ne répond pas ».

SQLite connections belong to the GUI thread: work that reads the store stays there, under the wait cursor.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
SHOWN_AFTER_MS = 300  # quick work ends before the window would flash


def with_busy_cursor(work: Callable[[], T]) -> T:
    """A wait cursor while `work()` runs on the GUI thread (a bilan, a backup); restored even on error."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return work()
    finally:
        QGuiApplication.restoreOverrideCursor()


class _Finished(QObject):
    done = Signal()  # emitted on the worker thread, delivered on the GUI thread (queued)


class BusyDialog(QProgressDialog):
    """A moving bar that the user cannot close: the work cannot be interrupted halfway."""

    def __init__(self, title: str, label: str, parent: QWidget | None) -> None:
        super().__init__(label, "", 0, 0, parent)
        self.setCancelButton(None)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(SHOWN_AFTER_MS)
        self.setValue(0)  # starts the minimum-duration clock

    def reject(self) -> None:  # Échap
        pass

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        event.ignore()


def run_busy(parent: QWidget | None, title: str, label: str, work: Callable[[], T]) -> T:
    """`work()` on a thread; its result, or what it raised, once it is over. The window stays modal
    meanwhile, so the user cannot start anything else."""
    outcome: dict[str, object] = {}
    finished = _Finished()
    loop = QEventLoop()
    finished.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)

    def target() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed back to the GUI thread below
            outcome["error"] = exc
        finally:
            finished.done.emit()

    dialog = BusyDialog(title, label, parent)
    thread = threading.Thread(target=target, name="travail-long", daemon=True)
    thread.start()
    loop.exec()
    thread.join()
    dialog.hide()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]
