"""Cyclic garbage collection never runs on a worker thread once the runner exists (it freed Qt objects off
the GUI thread: a timer later fired into freed memory, a segmentation fault in a later test)."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication

from clspd_desktop.ui import gui_gc


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_worker_allocating_past_the_thresholds_never_collects_the_gui_collects(qapp, ctx):
    ctx.runner  # noqa: B018 (the runner installs the collector)
    where: list[str] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            where.append(threading.current_thread().name)

    gc.callbacks.append(seen)
    try:
        worker = threading.Thread(target=lambda: [Cycle() for _ in range(50 * gc.get_threshold()[0])],
                                  name="travail")
        worker.start()
        worker.join()
        assert "travail" not in where and not gc.isenabled()
        assert gui_gc.install() is not None and gui_gc.install().timer.isActive()
        assert gui_gc.GuiThreadCollector.collect() >= 0  # what the timer does, on the GUI thread
        QApplication.processEvents()
        assert where and set(where) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(seen)
