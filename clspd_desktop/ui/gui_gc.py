"""Python's cyclic garbage collector, run on the GUI thread only.

Automatic collection runs on whichever thread allocates past a threshold. On the runner's worker (a bilan, a
pack, a backup) it may free a cycle that holds Qt objects (a closed dialog and the lambdas connected to it)
and so delete them off the GUI thread: Qt cannot stop their timers from there, and one later fires into freed
memory (a segmentation fault, seconds or minutes afterwards, far from the cause). Automatic collection is
switched off and a GUI-thread timer collects instead, with the interpreter's own thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500
_collector: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    def __init__(self, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(interval_ms)

    @staticmethod
    def collect() -> int:
        """Collect the oldest generation past its threshold, as the automatic mode would; which one (-1: none
        was due)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = [generation for generation in range(3) if counts[generation] > thresholds[generation]]
        if not due:
            return -1
        gc.collect(due[-1])
        return due[-1]


def install() -> GuiThreadCollector | None:
    """Once per process, on the GUI thread (the runner calls it: it starts the worker threads). None without
    a Qt application (no event loop to run the timer: collection stays automatic)."""
    global _collector
    if _collector is None and QCoreApplication.instance() is not None:
        _collector = GuiThreadCollector()
        gc.disable()
    return _collector
