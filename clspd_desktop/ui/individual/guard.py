"""The Qt side of the coordinator's session on the encrypted store: unlock, idle lock, lock at exit.

One guard per application (`ctx.individual_guard`), shared by the records area and the meetings'
« Situations examinées ». While unlocked, key presses and clicks in a watched zone (the records area, an open
record dialog, the meeting's section) count as activity; a timer asks the session whether the configured
inactivity has passed (the session's clock is injectable, and so is the timer's period). Locking closes every
open record dialog at once, without asking to save: no record stays on screen once the store is locked. Every
other modal opened from the area (a confirmation, the consultation reason, a file dialog, a list's label) is
closed as cancelled through the wrapper that runs them all (`widgets.modal.cancel_open`): nothing is written,
and when the idle lock closed anything the user is told once why it went away.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from clspd_desktop.services.operations import Change, OpChanges
from clspd_desktop.ui.widgets import modal

if TYPE_CHECKING:
    from clspd_desktop.context import AppContext
    from clspd_desktop.services.individual.session import IndividualSession

CHECK_MS = 15_000
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}


class IndividualGuard(QObject):
    lock_changed = Signal(bool)  # True once locked, False once unlocked

    def __init__(self, ctx: AppContext, check_ms: int = CHECK_MS) -> None:
        super().__init__()
        self.ctx = ctx
        self._dialogs: list[QDialog] = []
        self._zones: list[QWidget] = []
        self.last_lock_reason = ""
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check_idle)
        self._filtering = False
        runner = ctx.__dict__.get("runner")
        if runner is not None:  # the activation (Conseil) leaves the new store open: watch it from then on
            runner.dispatcher.changed.connect(self._sync)
        self._sync()

    def _sync(self, _changes: object = None) -> None:
        """Follow a session opened or closed by an operation run elsewhere (the module's activation)."""
        session = self.ctx.__dict__.get("individual")
        if session is not None and not session.locked and not self.timer.isActive():
            self.unlocked()

    @property
    def session(self) -> IndividualSession:
        return self.ctx.individual

    @property
    def enabled(self) -> bool:
        from clspd_desktop.services.individual.location import module_enabled

        return module_enabled(self.ctx.paths)

    @property
    def locked(self) -> bool:
        return "individual" not in self.ctx.__dict__ or self.session.locked

    # --- unlocking -----------------------------------------------------------------------------------
    def unlock(self, parent: QWidget | None) -> bool:
        """Ask the passphrase (the store stays locked on « Annuler »); True once unlocked."""
        if not self.locked:
            return True
        from clspd_desktop.ui.individual.dialogs import UnlockDialog

        if not modal.run(UnlockDialog(self.ctx, parent)):
            return False
        self.unlocked()
        return not self.locked

    def unlocked(self) -> None:
        """Called once the store is open: the idle timer and the activity watch start."""
        if self.timer.isActive():
            return
        self.last_lock_reason = ""
        self.timer.start()
        app = QApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        self.lock_changed.emit(False)

    # --- activity and the idle lock -------------------------------------------------------------------
    def watch(self, zone: QWidget) -> None:
        """Input inside `zone` (a page, a section) counts as activity on the records."""
        self._zones.append(zone)
        zone.destroyed.connect(lambda _=None, z=zone: self._forget_zone(z))

    def _forget_zone(self, zone: QWidget) -> None:
        self._zones = [z for z in self._zones if z is not zone]

    def track(self, dialog: QDialog) -> QDialog:
        """A dialog showing a record: closed at once when the store locks; input in it is activity."""
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda _=0, d=dialog: self._untrack(d))
        return dialog

    def _untrack(self, dialog: QDialog) -> None:
        self._dialogs = [d for d in self._dialogs if d is not dialog]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in _INPUT and isinstance(watched, QWidget) and self._in_zone(watched):
            session = self.ctx.__dict__.get("individual")
            if session is not None and not session.locked:
                session.last_activity = session.clock()
        return False

    def _in_zone(self, widget: QWidget) -> bool:
        window = widget.window()
        if any(window is d for d in self._dialogs):
            return True
        with contextlib.suppress(RuntimeError):  # a zone deleted by Qt in the meantime
            return any(zone is widget or zone.isAncestorOf(widget) for zone in self._zones)
        return False

    def check_idle(self) -> bool:
        """The timer's tick: lock when the session says the inactivity delay has passed. True when it locked."""
        session = self.ctx.__dict__.get("individual")
        if session is None or session.locked:
            self.timer.stop()
            return False
        if not session.lock_if_idle():
            return False
        minutes = session.rules.inactivity_lock_minutes
        reason = f"Verrouillé automatiquement après {minutes} minutes sans activité sur le suivi individuel."
        parent = self._alive_zone()
        if self._after_lock(reason):
            from clspd_desktop.ui import messages

            messages.inform(parent, "Suivi individuel verrouillé",
                            f"{reason} Les fenêtres ouvertes ont été fermées sans rien enregistrer ; "
                            "déverrouillez pour reprendre.")
        return True

    def _alive_zone(self) -> QWidget | None:
        """The window of a watched zone still alive, to carry the idle lock's notice."""
        for zone in self._zones:
            with contextlib.suppress(RuntimeError):
                return zone.window()
        return None

    # --- locking -------------------------------------------------------------------------------------
    def lock(self, reason: str = "Verrouillé par le coordonnateur.") -> None:
        """Close every open record, then the store (its key wiped); the screens forget what they showed."""
        self._close_area()
        session = self.ctx.__dict__.get("individual")
        if session is not None:
            session.lock()
        self._after_lock(reason)

    def _close_area(self) -> int:
        """Every open record, then every other modal opened from the area or from a record; how many."""
        tracked = list(self._dialogs)
        closed = self.close_records()
        return closed + modal.cancel_open(lambda widget: any(widget is w for w in (*tracked, *self._zones)))

    def _after_lock(self, reason: str) -> int:
        """How many dialogs the lock closed (records and the boxes opened from the area)."""
        closed = self._close_area()
        self.timer.stop()
        app = QApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
            self._filtering = False
        self.last_lock_reason = reason
        self.lock_changed.emit(True)
        runner = self.ctx.__dict__.get("runner")
        if runner is not None:
            runner.dispatcher.publish(OpChanges.of(Change.INDIVIDUAL))
        return closed

    def close_records(self) -> int:
        """Every tracked dialog closed without asking (the newest first, with any box open over it); how many
        were open."""
        closed = 0
        for dialog in reversed(list(self._dialogs)):
            with contextlib.suppress(RuntimeError):
                for child in dialog.findChildren(QDialog):
                    if child.isVisible():
                        QDialog.done(child, QDialog.DialogCode.Rejected)
                for edit in dialog.findChildren(QLineEdit) + dialog.findChildren(QPlainTextEdit):
                    edit.clear()  # no record text left in the closed widgets
                for table in dialog.findChildren(QAbstractItemView):
                    model = table.model()
                    if hasattr(model, "set_records"):
                        model.set_records([])
                    elif isinstance(table, QListWidget):
                        table.clear()
                closed += dialog.isVisible()
                QDialog.done(dialog, QDialog.DialogCode.Rejected)
        self._dialogs = []
        return closed


def lock_at_exit(ctx: AppContext) -> None:
    """The application closes: lock the store if it was ever opened (never builds the session to do so)."""
    guard = ctx.__dict__.get("individual_guard")
    if guard is not None:
        guard.lock("Verrouillé à la fermeture de l'application.")
        return
    session = ctx.__dict__.get("individual")
    if session is not None:
        session.lock()
