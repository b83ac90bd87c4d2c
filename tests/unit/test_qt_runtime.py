"""Guards against known defects of the Qt binding we ship (they crash the app, not just a test)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QStringListModel, Signal


class _Emitter(QObject):
    changed = Signal(int)


def test_emitting_signals_does_not_drain_true_refcount(qapp):
    """PySide6 6.12.0 dropped a reference to True on every emit(): after enough clicks the process
    aborted with "bool_dealloc". Python 3.11's True is not immortal, so the leak is measurable."""
    emitter, model = _Emitter(), QStringListModel(["a", "b"])
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.changed.emit(1)
        model.dataChanged.emit(model.index(0), model.index(1))
        model.layoutChanged.emit()
    assert sys.getrefcount(True) - before > -50
