"""The real main window on a copy of a council, driven like a user would, for the GUI benchmarks.

Dialogs are answered the way the tests answer them: `ui/messages.py`'s `backend` is replaced by
`ScriptedAnswers` (confirmations accepted, files chosen in the session's folder, unsaved edits discarded)
and `ui/widgets/modal.run` by `ScriptedModals` (each of our dialogs is shown and painted, then handed to
the step's handler, or closed). Secrets go to an in-memory keyring, mail to a local aiosmtpd server on
127.0.0.1: nothing touches the user's keyring, data folder or network. Waiting is done by running the
event loop (`wait_until`), never by sleeping, so the stall probe keeps measuring while work runs.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from benchmarks.large_council import copy_database
from benchmarks.stall_probe import StallProbe


class StepMissing(Exception):
    """The screen no longer offers what a step drives: the step is reported as missing, never faked."""


def application() -> QApplication:
    return QApplication.instance() or QApplication([])


def wait_until(condition: Callable[[], bool], timeout_s: float = 120.0) -> bool:
    """Run the event loop until `condition()` holds (checked every 5 ms) or the timeout; whether it held."""
    if condition():
        return True
    loop = QEventLoop()
    deadline = time.perf_counter() + timeout_s
    met = [False]

    def poll() -> None:
        if condition():
            met[0] = True
            loop.quit()
        elif time.perf_counter() > deadline:
            loop.quit()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(poll)
    timer.start()
    loop.exec()
    timer.stop()
    return met[0]


def settle(seconds: float) -> None:
    """Let the event loop run freely for a while (deferred work, progress windows closing)."""
    end = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= end, seconds + 1)


class _PaintSeen(QObject):
    """App-wide filter, installed only while one measurement waits: notes the first paint inside `target`."""

    def __init__(self, target: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self.target = target
        self.done_at = 0.0
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self._seen and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            target = self.target()
            if target is not None and (watched is target or target.isAncestorOf(watched)):
                self._seen = True
                QTimer.singleShot(0, self._after_paint)  # once the whole repaint of the window is done
        return False

    def _after_paint(self) -> None:
        self.done_at = time.perf_counter()


def ms_until_painted(action: Callable[[], object], target: Callable[[], QWidget | None],
                     timeout_s: float = 60.0, unchanged_ok: bool = False) -> float:
    """Milliseconds from `action()` until a widget inside `target()` has been painted and the repaint is over.

    `target` is called after the action too: an area built by the action is found then. When nothing is
    painted before the timeout: with `unchanged_ok` (a keystroke that leaves the table as it was: Qt has
    nothing to repaint) the time `action()` itself took, else StepMissing.
    """
    app = application()
    seen = _PaintSeen(target)
    app.installEventFilter(seen)
    try:
        began = time.perf_counter()
        action()
        returned = time.perf_counter()
        if not wait_until(lambda: seen.done_at > 0, timeout_s):
            if unchanged_ok:
                return (returned - began) * 1000
            raise StepMissing("rien n'a été repeint")
        return (seen.done_at - began) * 1000
    finally:
        app.removeEventFilter(seen)


class ScriptedAnswers:
    """`ui/messages.py`'s backend for a session: every question answered, every message kept."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.informed: list[tuple[str, str]] = []
        self.warned: list[tuple[str, str]] = []
        self.files_to_open: deque[Path] = deque()
        self.saved: list[Path] = []

    def inform(self, parent, title, text, details=""):
        self.informed.append((title, text))

    def warn(self, parent, title, text, details=""):
        self.warned.append((title, text))

    def confirm(self, parent, title, text, confirm_label):
        return True

    def ask_save_changes(self, parent, title, text):
        return "discard"

    def open_file(self, parent, title, filters):
        if not self.files_to_open:
            raise StepMissing(f"fichier demandé sans réponse prévue : {title}")
        return self.files_to_open.popleft()

    def save_file(self, parent, title, suggested, filters):
        target = self.folder / f"{len(self.saved) + 1:02d}-{Path(suggested).name}"
        self.saved.append(target)
        return target

    def choose_folder(self, parent, title):
        return self.folder

    def report_crash(self, parent, details, log_file):
        self.warned.append(("Erreur inattendue", details))


class ScriptedModals:
    """`ui/widgets/modal.run` for a session: the dialog is shown and painted like `exec()` would, then the
    next handler of the step decides (a handler may run the event loop and drive the dialog); without one,
    a dialog that only shows a password is acknowledged and any other is closed and noted."""

    def __init__(self) -> None:
        self.handlers: deque[Callable[[QDialog], None]] = deque()
        self.unexpected: list[str] = []

    def then(self, handler: Callable[[QDialog], None]) -> None:
        self.handlers.append(handler)

    def run(self, dialog: QDialog) -> bool:
        dialog.show()
        ms_until_painted(lambda: None, lambda: dialog, timeout_s=5, unchanged_ok=True)
        if self.handlers:
            self.handlers.popleft()(dialog)
        elif hasattr(dialog, "password"):
            dialog.accept()
        else:
            self.unexpected.append(dialog.windowTitle())
            dialog.reject()
        dialog.hide()
        return dialog.result() == QDialog.DialogCode.Accepted


class _MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.values.get((service, username))

    def set_password(self, service, username, password):
        self.values[(service, username)] = password

    def delete_password(self, service, username):
        self.values.pop((service, username), None)


@dataclass
class Session:
    """What every step of the scripted session reaches: the window, its context, the answers and the probe."""

    window: object  # ui.main_window.MainWindow
    ctx: object  # context.AppContext
    folder: Path
    answers: ScriptedAnswers
    modals: ScriptedModals
    probe: StallProbe
    meeting_100_id: int = 0
    mailbox: list[bytes] = field(default_factory=list)
    area_ms: dict[str, list[float]] = field(default_factory=dict)  # "<area>_first" / "_later" -> ms per visit
    keystroke_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # exceptions raised in Qt slots during the session

    def page(self, key: str) -> QWidget:
        """The area's page, shown (and built on the first visit)."""
        return self.window.show_area(key)

    def busy(self) -> bool:
        runner = getattr(self.ctx, "runner", None)
        return bool(runner is not None and runner.busy)

    def mark(self) -> tuple[int, int]:
        """How many informations and warnings the app has shown so far (before an action)."""
        return len(self.answers.informed), len(self.answers.warned)

    def finish(self, mark: tuple[int, int], timeout_s: float = 300.0) -> str:
        """Wait until the work the action started is over and the app has said so (an information or a
        warning since `mark`); the information's title. A warning or an exception (raised in a slot, where
        Qt only prints it) means the action failed: StepMissing."""
        errors = len(self.errors)

        def said() -> bool:
            return len(self.errors) > errors or (not self.busy() and self.mark() != mark)

        if not wait_until(said, timeout_s):
            raise StepMissing("l'application n'a rien signalé à la fin de l'action")
        if len(self.errors) > errors:
            raise StepMissing(f"exception : {self.errors[errors]}")
        if len(self.answers.warned) > mark[1]:
            title, text = self.answers.warned[mark[1]]
            raise StepMissing(f"l'application a refusé : {title} — {text[:200]}")
        return self.answers.informed[-1][0]


@contextmanager
def smtp_server() -> Iterator[tuple[int, list[bytes]]]:
    """A local aiosmtpd server on 127.0.0.1 keeping what it receives; its port and mailbox."""
    import socket

    from aiosmtpd.controller import Controller

    mailbox: list[bytes] = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            mailbox.append(envelope.content)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, mailbox
    finally:
        controller.stop()


@contextmanager
def open_session(database: Path, folder: Path, prepare: Callable[[object, int], int] | None = None
                 ) -> Iterator[Session]:
    """The main window on a copy of `database` in `folder`, dialogs scripted, keyring in memory, mail local.

    `prepare(store, smtp_port)` adds the session's data before the window is built (returns the id of the
    meeting the session opens). The window is built but not shown: showing it is the first step.
    """
    from clspd_desktop import app as app_module
    from clspd_desktop.context import AppContext
    from clspd_desktop.db.opening import open_database
    from clspd_desktop.db.store import Store
    from clspd_desktop.paths import AppPaths
    from clspd_desktop.ui import messages
    from clspd_desktop.ui.widgets import modal

    application()
    paths = AppPaths(folder / "donnees").ensure()
    copy_database(database, paths.database)
    out = folder / "fichiers"
    out.mkdir(parents=True, exist_ok=True)
    previous_keyring, previous_backend, previous_run = keyring.get_keyring(), messages.backend, modal.run
    keyring.set_keyring(_MemoryKeyring())
    answers, modals = ScriptedAnswers(out), ScriptedModals()
    messages.backend = answers
    modal.run = modals.run
    store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
    try:
        with smtp_server() as (port, mailbox):
            meeting_id = prepare(store, port) if prepare else 0
            ctx = AppContext.create(paths, store)
            window = app_module.build_main_window(ctx)
            session = Session(window, ctx, out, answers, modals, StallProbe(), meeting_id, mailbox)
            previous_hook = sys.excepthook

            def record(kind, error, trace) -> None:
                session.errors.append(f"{kind.__name__}: {error}")
                previous_hook(kind, error, trace)

            sys.excepthook = record
            try:
                yield session
            finally:
                sys.excepthook = previous_hook
                session.probe.stop()
                runner = getattr(ctx, "runner", None)
                if runner is not None and runner.busy:
                    wait_until(lambda: not runner.busy, 300)
                window.hide()
                window.deleteLater()
                settle(0.05)
    finally:
        store.close()
        messages.backend, modal.run = previous_backend, previous_run
        keyring.set_keyring(previous_keyring)
