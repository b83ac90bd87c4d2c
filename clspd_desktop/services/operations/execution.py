"""Running one operation: known errors made French, undo recorded, a worker's own store opened.

The runner in `ui/` calls only this, so the Qt side never touches SQLite or its errors itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from clspd_desktop.db import undo_log
from clspd_desktop.db.known_errors import to_user_error
from clspd_desktop.db.store import Store
from clspd_desktop.errors import UserError
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.operations.base import Cancelled, Done, OpChanges, OpEnv

T = TypeVar("T")
Operation = Callable[[OpEnv], Done[T]]


@dataclass
class UndoStep:
    """How to reverse one operation, and what reversing it will change."""

    label: str
    recording: undo_log.UndoRecording
    changes: OpChanges


def execute(op: Operation[T], env: OpEnv, undo: str | None = None) -> tuple[Done[T], UndoStep | None]:
    """Run `op`; a known failure (full disk, locked file…) is raised as a French UserError, a bug as is.

    With `undo`, the operation's row changes are recorded so that `reverse()` can undo them.
    """
    try:
        if undo is None:
            return op(env), None
        with undo_log.recording(env.store.db) as recording:
            result = op(env)
        step = UndoStep(undo, recording, result.changes) if recording.statements else None
        return result, step
    except (UserError, Cancelled):
        raise
    except Exception as exc:
        known = to_user_error(exc)
        if known is None:
            raise
        raise known from exc


def user_error_for(exc: BaseException) -> UserError | None:
    """The French message for a known failure that reached the top level (the crash hook), None for a bug."""
    return to_user_error(exc)


def reverse(step: UndoStep) -> Operation[None]:
    """The operation that undoes `step`, all or nothing."""

    def op(env: OpEnv) -> Done[None]:
        try:
            undo_log.replay(env.store.db, step.recording)
        except sqlite3.IntegrityError as exc:
            raise UserError(
                f"Impossible d'annuler « {step.label} » : des modifications faites depuis l'en empêchent. "
                "Rien n'a été modifié.", details=str(exc)) from exc
        return Done(None, step.changes)

    return op


def open_worker_store(paths: AppPaths) -> Store:
    """A store on its own connection, for an operation running on a worker thread."""
    from clspd_desktop.db.connection import connect

    return Store.over(connect(paths.database))


def open_reader_store(paths: AppPaths) -> Store:
    """A store on its own connection that refuses writes, for a screen's data read on a worker."""
    store = open_worker_store(paths)
    set_writes_allowed(store, False)
    return store


def set_writes_allowed(store: Store, allowed: bool) -> None:
    """Outside an operation the GUI's connection refuses writes (see `ui/runner.py`)."""
    store.db.set_query_only(not allowed)
