"""The one runner of user actions: every change a user makes goes through it (Anki's `CollectionOp`).

- `call(op)` / `run(op)`: a quick operation on the GUI thread, over the GUI's store (a few milliseconds:
  saving a form, ticking a presence). `call` raises the French `UserError` (a form shows it beside its
  fields), `run` shows it.
- `start(op)`: long work (snapshots, backup, restore, bilan, pack, sending, imports, exports) on a worker
  thread with its own SQLite connection; WAL lets the GUI keep reading meanwhile. A progress window appears
  after 300 ms, with « Annuler » where stopping is safe; the result or the French error comes back on the GUI
  thread.
- `read(op)`: a screen's data read on a worker over its own read-only connection, for its first show; no
  progress window, never refused while long work runs (WAL lets both read); the value comes back on the GUI
  thread and the screen fills its widgets.

After success the runner hands the operation's `OpChanges` to the dispatcher, which tells every screen.
While long work runs, the runner refuses other operations with a message (nothing is queued silently) and
the window waits for it, or asks, before closing. Operations started with `undo="…"` are recorded
(`db/undo_log.py`) and Ctrl+Z reverses the last of them.

Outside an operation the GUI's connection refuses writes (`guard_writes`), so a screen writing on its own
fails in the tests instead of bypassing rules, undo and notifications.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

from clspd_desktop.errors import UserError
from clspd_desktop.services.operations import Cancelled, Done, OpEnv, Progress
from clspd_desktop.services.operations.execution import (
    UndoStep,
    execute,
    open_reader_store,
    open_worker_store,
    reverse,
    set_writes_allowed,
)
from clspd_desktop.ui import gui_gc, messages
from clspd_desktop.ui.changes import ChangeDispatcher

if TYPE_CHECKING:
    from clspd_desktop.context import AppContext

log = logging.getLogger(__name__)
T = TypeVar("T")
Operation = Callable[[OpEnv], Done[T]]

SHOWN_AFTER_MS = 300  # quick work ends before the progress window would flash
UNDO_DEPTH = 20


class _Bridge(QObject):
    """Signals emitted on the worker thread and delivered on the GUI thread (queued); a read uses `finished`
    only."""

    progressed = Signal(int, int, str)
    finished = Signal(object, object)  # (result or None, exception or None)


@dataclass
class _Running:
    label: str
    progress: Progress
    dialog: QProgressDialog
    bridge: _Bridge
    thread: threading.Thread
    cancellable: bool


class OperationRunner(QObject):
    busy_changed = Signal(bool)
    undo_changed = Signal(str)  # the label of what Ctrl+Z would undo, "" when nothing

    def __init__(self, ctx: AppContext, dispatcher: ChangeDispatcher | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A worker running Python holds the interpreter lock for up to the switch interval at a time: a
        # shorter one than the default 5 ms lets the window repaint and answer while long work runs.
        sys.setswitchinterval(0.001)
        gui_gc.install()  # a worker must never be the thread that frees Qt objects
        self.ctx = ctx
        self.dispatcher = dispatcher or ChangeDispatcher(self)
        self._running: _Running | None = None
        self._undo: list[UndoStep] = []
        self._when_idle: list[Callable[[], None]] = []
        self._in_call = 0
        self._guarded = False
        self._reads: set[_Bridge] = set()  # kept alive until their result is delivered

    # --- state -------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._running is not None

    @property
    def reading(self) -> bool:
        """A screen's data is being read on a worker (`read`), its result not yet delivered."""
        return bool(self._reads)

    @property
    def running_label(self) -> str:
        return self._running.label if self._running else ""

    @property
    def cancellable(self) -> bool:
        return bool(self._running and self._running.cancellable)

    def cancel(self) -> None:
        if self._running is not None and self._running.cancellable:
            self._running.progress.cancel()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call `callback` once no long work runs (at once when none does)."""
        if self._running is None:
            callback()
        else:
            self._when_idle.append(callback)

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the long work's thread ends (closing the app, tests); its result is then delivered."""
        running = self._running
        if running is None:
            return True
        running.thread.join(timeout_s)
        return not running.thread.is_alive()

    def refuse_if_busy(self, parent: QWidget | None) -> bool:
        """True (and the user told why) when long work runs: nothing is queued behind it silently."""
        if self._running is None:
            return False
        messages.inform(parent, "Opération en cours",
                        f"« {self._running.label} » est en cours. Attendez qu'elle se termine, puis recommencez.")
        return True

    # --- quick operations on the GUI thread ------------------------------------------------------------
    def call(self, op: Operation[T], *, undo: str | None = None) -> T:
        """Run `op` now over the GUI's store; raise its UserError (known disk and SQLite errors included)."""
        if self._running is not None:
            raise UserError(f"« {self._running.label} » est en cours : attendez qu'elle se termine, "
                            "puis recommencez.")
        env = OpEnv(self.ctx.paths, self.ctx.rules, store=self.ctx.store)
        with self._writable():
            result, step = execute(op, env, undo)
        self._finish(result, step)
        return result.value

    def run(self, op: Operation[T], *, parent: QWidget | None, undo: str | None = None,
            title: str = "Action impossible") -> Done[T] | None:
        """Like `call`, but a refusal is shown to the user; None then."""
        try:
            value = self.call(op, undo=undo)
        except UserError as exc:
            messages.show_error(parent, exc, title)
            return None
        return Done(value)

    # --- long work on a worker ---------------------------------------------------------------------------
    def start(self, op: Operation[T], *, parent: QWidget | None, label: str, cancellable: bool = False,
              undo: str | None = None, on_success: Callable[[T], None] | None = None,
              on_failure: Callable[[UserError], None] | None = None,
              title: str = "Action impossible") -> bool:
        """Run `op` on a worker thread; False (and the user told why) when other long work already runs.

        `on_success(value)` runs on the GUI thread after the changes were dispatched; a UserError goes to
        `on_failure` or is shown; « Annuler » ends quietly (the operation wrote nothing).
        """
        if self.refuse_if_busy(parent):
            return False
        progress = Progress()
        bridge = _Bridge()
        dialog = QProgressDialog(label, "Annuler" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle(label.rstrip("…. "))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOWN_AFTER_MS)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(progress.cancel)
        progress._listener = bridge.progressed.emit  # noqa: SLF001 - the runner owns this progress
        bridge.progressed.connect(lambda done, total, text: self._show_progress(dialog, done, total, text),
                                  Qt.ConnectionType.QueuedConnection)
        env = OpEnv(self.ctx.paths, self.ctx.rules, open_store=lambda: open_worker_store(self.ctx.paths),
                    progress=progress)

        def work() -> None:
            try:
                outcome: Any = execute(op, env, undo)
                error = None
            except BaseException as exc:  # handed to the GUI thread
                outcome, error = None, exc
            finally:
                env.close()
            bridge.finished.emit(outcome, error)

        thread = threading.Thread(target=work, name=f"operation: {label}", daemon=True)
        self._running = _Running(label, progress, dialog, bridge, thread, cancellable)
        bridge.finished.connect(
            lambda outcome, error: self._delivered(outcome, error, on_success, on_failure, parent, title),
            Qt.ConnectionType.QueuedConnection)
        dialog.setValue(0)  # starts the minimum-duration clock
        self.busy_changed.emit(True)
        thread.start()
        return True

    def call_in_background(self, op: Operation[T], *, parent: QWidget | None, label: str,
                           cancellable: bool = False) -> T:
        """`start(op)` and wait for it in a local event loop (the window keeps painting): for a step in the
        middle of a dialog's flow, such as reaching a mail server. Raises its UserError, or `Cancelled`."""
        outcome: dict[str, Any] = {}
        loop = QEventLoop()
        started = self.start(op, parent=parent, label=label, cancellable=cancellable,
                             on_success=lambda value: outcome.setdefault("value", value),
                             on_failure=lambda error: outcome.setdefault("error", error))
        if not started:
            raise UserError(f"« {self.running_label} » est en cours : attendez qu'elle se termine, puis recommencez.")
        self.when_idle(loop.quit)
        if self.busy:
            loop.exec()
        if "error" in outcome:
            raise outcome["error"]
        if "value" not in outcome:
            raise Cancelled
        return outcome["value"]

    def read(self, op: Operation[T], *, on_result: Callable[[T], None], parent: QWidget | None,
             title: str = "Lecture impossible") -> None:
        """Run the read-only `op` on a worker over its own connection; `on_result(value)` on the GUI thread.

        For a screen's data on its first show: the window paints and answers while the queries run. The
        connection refuses writes. A known failure (locked or damaged file) is shown; a bug reaches the
        crash dialog. The screen drops a result that a newer read or a refresh has made outdated; the result
        of a screen (`parent`) closed meanwhile is dropped here.
        """
        bridge = _Bridge()
        self._reads.add(bridge)
        paths = self.ctx.paths
        env = OpEnv(paths, self.ctx.rules, open_store=lambda: open_reader_store(paths))

        def work() -> None:
            try:
                value, error = execute(op, env)[0].value, None
            except BaseException as exc:  # handed to the GUI thread
                value, error = None, exc
            finally:
                env.close()
            bridge.finished.emit(value, error)

        def delivered(value: Any, error: BaseException | None) -> None:
            self._reads.discard(bridge)
            bridge.deleteLater()
            if parent is not None and not isValid(parent):
                return  # the screen was closed meanwhile: nothing left to fill
            if error is None:
                on_result(value)
            elif isinstance(error, UserError):
                messages.show_error(parent, error, title)
            else:
                sys.excepthook(type(error), error, error.__traceback__)  # a bug: the crash dialog

        bridge.finished.connect(delivered, Qt.ConnectionType.QueuedConnection)
        threading.Thread(target=work, name="lecture", daemon=True).start()

    @staticmethod
    def _show_progress(dialog: QProgressDialog, done: int, total: int, text: str) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
        if text:
            dialog.setLabelText(text)

    def _delivered(self, outcome, error, on_success, on_failure, parent, title) -> None:
        running, self._running = self._running, None
        if running is not None:
            running.thread.join()
            running.dialog.hide()
            running.dialog.deleteLater()
            running.bridge.deleteLater()
        self.busy_changed.emit(False)
        try:
            if error is None:
                result, step = outcome
                self._finish(result, step)
                if on_success is not None:
                    on_success(result.value)
            elif isinstance(error, Cancelled):
                log.info("Opération annulée par l'utilisateur : %s", running.label if running else "")
            elif not isinstance(error, UserError):
                sys.excepthook(type(error), error, error.__traceback__)  # a bug: the crash dialog
            elif on_failure is not None:
                on_failure(error)
            else:
                messages.show_error(parent, error, title)
        finally:
            callbacks, self._when_idle = self._when_idle, []
            for callback in callbacks:
                callback()

    # --- shared -------------------------------------------------------------------------------------------
    def _finish(self, result: Done[Any], step: UndoStep | None) -> None:
        if step is not None:
            self._undo = [*self._undo[-(UNDO_DEPTH - 1):], step]
            self.undo_changed.emit(step.label)
        if result.changes.everything:  # a restore: nothing recorded before it can be undone any more
            self._undo.clear()
            self.undo_changed.emit("")
        self.dispatcher.publish(result.changes)

    # --- undo ----------------------------------------------------------------------------------------------
    @property
    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    def undo(self, parent: QWidget | None) -> bool:
        """Reverse the last undoable operation; False (the user told why) when nothing can be undone."""
        if not self._undo:
            messages.inform(parent, "Annuler", "Il n'y a rien à annuler.")
            return False
        step = self._undo.pop()
        self.undo_changed.emit(self.undo_label)
        try:
            self.call(reverse(step))
        except UserError as exc:
            messages.show_error(parent, exc, "Annuler")
            return False
        return True

    # --- the write guard -------------------------------------------------------------------------------
    def guard_writes(self) -> None:
        """From now on the GUI's connection writes only inside an operation."""
        set_writes_allowed(self.ctx.store, False)
        self._guarded = True

    @contextmanager
    def _writable(self) -> Iterator[None]:
        opens = self._guarded and self._in_call == 0
        if opens:
            set_writes_allowed(self.ctx.store, True)
        self._in_call += 1
        try:
            yield
        finally:
            self._in_call -= 1
            if opens:
                set_writes_allowed(self.ctx.store, False)


def run_later(callback: Callable[[], None]) -> None:
    """Call `callback` on the next pass of the event loop (after the current slot returns)."""
    QTimer.singleShot(0, callback)
