"""The app started as a user starts it, reporting when its window became interactive (bench_startup.py).

Run as `python benchmarks/interactive_start.py DATA_DIR`. The app runs its ordinary start-up (`app.run`,
no `--exit-when-shown`: the start snapshot and the file check's verdict run as they do for a user); an
import hook wraps `MainWindow.show_fitted` (shown at its size or maximised) once the app imports it, so nothing here loads Qt earlier than the app
does. From the show on, `stall_probe.report_when_interactive` prints `interactif:` after the first second
without a stall over 100 ms and quits; the exit snapshot that follows is not timed.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's clspd_desktop, not another install's

WATCHED = "clspd_desktop.ui.main_window"


def _patch(module) -> None:
    from PySide6.QtWidgets import QApplication

    from benchmarks.stall_probe import report_when_interactive

    original = module.MainWindow.show_fitted
    reported = []

    def show_fitted(window) -> None:
        original(window)
        if not reported:
            reported.append(report_when_interactive(QApplication.instance()))

    module.MainWindow.show_fitted = show_fitted


class _WhenImported(importlib.abc.MetaPathFinder):
    """Patches the main window module right after the app imports it."""

    def find_spec(self, name, path, target=None):
        if name != WATCHED:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        loader = spec.loader
        execute = loader.exec_module

        def exec_module(module) -> None:
            execute(module)
            _patch(module)

        loader.exec_module = exec_module
        return spec


if __name__ == "__main__":
    sys.meta_path.insert(0, _WhenImported())
    from clspd_desktop.app import run

    sys.exit(run(["--data-dir", sys.argv[1]]))
