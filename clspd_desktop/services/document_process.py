"""Documents built in a child process, so that building them never holds the window's interpreter lock.

Why a process and not the runner's worker thread: measured on the large council (benchmarks, step
`pack_smtp`), the préfecture pack's PDFs and workbooks build large heaps of reportlab and openpyxl objects;
CPython's full garbage collections of them (generation 2) ran on the worker while holding the interpreter lock for
up to 250 ms at a time (about 630 ms on three times the council), and the window could neither repaint
nor answer a click meanwhile. A child process has its own interpreter lock and its own collector.

The child reads the database on its own connection, read-only (`query_only`) and inside one read
transaction, so every document of a pack shows the same moment of the data, as they did on one
connection; it writes only the files the builders write, into the folder the caller gives (the caller's
private work folder: nothing leaves it in clear). Builders are named 'module:function' and called as
function(store, folder, options) in the child; `options` and the returned {name: file} cross by pickle.
Errors come back as raised in the child (a UserError keeps its French message, a known SQLite or disk
error is made French by the caller as before); a child that dies gives a French UserError.

The child starts by "spawn" on every platform: a fresh interpreter (no copy of the window's threads or
Qt), which the frozen Windows executable can run only because its entry point calls
`multiprocessing.freeze_support()` (installer/launcher.py).
"""

from __future__ import annotations

import importlib
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import Any

from clspd_desktop.db.connection import connect_snapshot
from clspd_desktop.db.store import Store
from clspd_desktop.errors import UserError

CHILD_DIED = ("La préparation des documents s'est arrêtée de façon inattendue : aucun fichier n'a été créé. "
              "Réessayez ; si cela se reproduit, fermez d'autres programmes pour libérer de la mémoire.")

_child_store: Store | None = None  # in the child: its own connection, opened once for all documents


def _open_child_store(database: Path) -> None:
    """In the child, before any document: the database read-only, one snapshot for the whole pack."""
    global _child_store
    _child_store = Store.over(connect_snapshot(database))


def _build(builder: str, folder: Path, options: object) -> dict[str, Path]:
    """In the child: one builder over the child's store."""
    if _child_store is None:  # pragma: no cover - the pool's initializer always ran first
        raise RuntimeError("processus de préparation sans base ouverte")
    module, function = builder.split(":")
    build: Callable[[Store, Path, Any], dict[str, Path]] = getattr(importlib.import_module(module), function)
    return build(_child_store, folder, options)


class DocumentProcess:
    """One child process for a series of documents (a pack), started with the first one (a fresh
    interpreter: about a second, during which the window stays free) and ended by `close()`."""

    def __init__(self, database: Path) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_open_child_store, initargs=(database,))

    def build(self, builder: str, folder: Path, options: object) -> dict[str, Path]:
        """Run `builder` in the child and wait for its {name: file}; raises what the builder raised."""
        try:
            return self._pool.submit(_build, builder, folder, options).result()
        except BrokenProcessPool as exc:
            raise UserError(CHILD_DIED, details=str(exc)) from exc

    def close(self) -> None:
        """Wait for the child to end (its files closed, so the caller may delete its work folder)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> DocumentProcess:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
