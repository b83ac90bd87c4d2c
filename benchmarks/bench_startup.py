"""Start-up to a shown main window on the large council, next to a bare PySide6 window (the floor).

Each start is a fresh interpreter timed by the parent from spawn to exit; the best of several runs
removes disk-cache and scheduler noise. Goal: main window within 1.5 times the bare window.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.large_council import copy_database, shared_large_database

RUNS = 5
BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def qt_environment() -> dict[str, str]:
    env = dict(os.environ)
    # An installed or frozen app runs from compiled bytecode; without a .pyc cache every start would
    # recompile ~100 modules and measure the compiler, not the app (the first, discarded run warms it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def best_wall_time(command: list[str], runs: int = RUNS) -> float:
    """Fastest of `runs` complete executions, in seconds; a failing run is an error, not a figure."""
    env = qt_environment()
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        elapsed = time.perf_counter() - began
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} a échoué ({done.returncode}) :\n{done.stderr[-2000:]}")
        best = min(best, elapsed)
    return best


def main_window_command(data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "clspd_desktop", "--data-dir", str(data_dir), "--exit-when-shown"]


def collect() -> list[tuple[str, float, str]]:
    bare = best_wall_time([sys.executable, "-c", BARE_WINDOW])
    with tempfile.TemporaryDirectory(prefix="clspd-bench-startup-") as folder:
        data_dir = Path(folder)
        copy_database(shared_large_database(), data_dir / "clspd.sqlite")
        main = best_wall_time(main_window_command(data_dir))
    return [
        ("startup_bare_window_s", bare, "s"),
        ("startup_main_window_s", main, "s"),
        ("startup_ratio", main / bare, "x"),
    ]
