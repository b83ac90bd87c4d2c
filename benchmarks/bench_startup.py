"""Start-up to a shown main window on the large council, next to a bare PySide6 window (the floor).

The council is the full large one: directory, ~4 000 meetings with ~150 000 attendance rows and the
600-action plan, because the dashboard reads meetings (legal watch) and the start-up check reads the
whole file. Each start is a fresh interpreter. The time is taken from just before the spawn to the
moment the child reports its window shown with its content (first pass of its event loop), printed by
the child as `fenetre_affichee: <epoch seconds>`; the bare window reports the same way. Shutting down
(exit snapshot, interpreter teardown) is not start-up and is not counted. The best of several runs
removes disk-cache and scheduler noise. Goal: main window within 1.5 times the bare window.

The app builds its window while the whole-file check (`quick_check`) of the database finishes on another
thread, and reads the check's verdict before handling any user input (no write is possible before it):
`startup_checked_s` is the time until that verdict (`base_verifiee:`), printed so both are seen.

`startup_floor_window_s` is the same window with the same texts, the same file check and the counts read with
the standard `sqlite3`, but without any application code (`floor_window.py`): what no change to the app can go
below. `startup_floor_ratio` is its quotient by the bare window, `startup_app_code_s` the main window minus it.

`startup_interactive_s`: from the spawn to the moment the shown window's event loop then stays free of stalls
over 100 ms for one second (`interactive_start.py`: the app's ordinary start, daily snapshot and file check
included; `stall_probe.py` measures from inside the loop). `startup_floor_interactive_s` is the floor window
timed the same way, `startup_interactive_floor_ratio` the quotient (goal: at most 1.3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.large_council import copy_database, shared_full_database
from benchmarks.stall_probe import INTERACTIVE

RUNS = 5
SHOWN = "fenetre_affichee:"
CHECKED = "base_verifiee:"
BARE_WINDOW = f"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
def shown():
    print(f"{SHOWN} {{time.time():.6f}}", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
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


def reported_at(stdout: str, prefix: str = SHOWN) -> float:
    """The epoch time the child printed after `prefix` (when its window was shown, by default)."""
    for line in stdout.splitlines():
        if line.startswith(prefix):
            return float(line[len(prefix):])
    raise RuntimeError(f"Le programme n'a pas signalé « {prefix} » :\n{stdout[-2000:]}")


def best_wall_times(command: list[str], prefixes: tuple[str, ...] = (SHOWN,), runs: int = RUNS) -> list[float]:
    """For each report, the fastest of `runs` starts in seconds from spawn; a failing run is an error."""
    env = qt_environment()
    best = [float("inf")] * len(prefixes)
    for _ in range(runs):
        began = time.time()  # epoch clock: the child's report uses the same one
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} a échoué ({done.returncode}) :\n{done.stderr[-2000:]}")
        best = [min(b, reported_at(done.stdout, prefix) - began) for b, prefix in zip(best, prefixes, strict=True)]
    return best


# Written by a child so this process imports no Qt: the dashboard's label texts on the council in `data_dir`.
DASHBOARD_TEXTS = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QLabel
from clspd_desktop.context import AppContext
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.paths import AppPaths
from clspd_desktop.ui.dashboard import DashboardPage
app = QApplication(sys.argv[:1])
paths = AppPaths(Path(sys.argv[1]))
store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
page = DashboardPage(AppContext.create(paths, store))
print(json.dumps([label.text() for label in page.widget().findChildren(QLabel)]))
store.close()
"""


def dashboard_texts(data_dir: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", DASHBOARD_TEXTS, str(data_dir)], env=qt_environment(),
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)


def floor_window_command(database: Path, texts_file: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).with_name("floor_window.py")), str(database), str(texts_file)]


def interactive_command(data_dir: Path) -> list[str]:
    """The app started as a user starts it, reporting `interactif:` (interactive_start.py)."""
    return [sys.executable, str(Path(__file__).with_name("interactive_start.py")), str(data_dir)]


def main_window_command(data_dir: Path) -> list[str]:
    return [sys.executable, "-m", "clspd_desktop", "--data-dir", str(data_dir), "--exit-when-shown"]


def bare_window_command() -> list[str]:
    return [sys.executable, "-c", BARE_WINDOW]


def collect() -> list[tuple[str, float, str]]:
    (bare,) = best_wall_times(bare_window_command())
    with tempfile.TemporaryDirectory(prefix="clspd-bench-startup-") as folder:
        data_dir = Path(folder)
        copy_database(shared_full_database(), data_dir / "clspd.sqlite")
        texts_file = Path(folder) / "textes.json"
        texts_file.write_text(json.dumps(dashboard_texts(data_dir)), encoding="utf-8")
        (floor,) = best_wall_times(floor_window_command(data_dir / "clspd.sqlite", texts_file))
        main, checked = best_wall_times(main_window_command(data_dir), (SHOWN, CHECKED))
        (floor_interactive,) = best_wall_times([*floor_window_command(data_dir / "clspd.sqlite", texts_file),
                                                "--interactive"], (INTERACTIVE,))
        (interactive,) = best_wall_times(interactive_command(data_dir), (INTERACTIVE,))
    return [
        ("startup_interactive_s", interactive, "s"),
        ("startup_floor_interactive_s", floor_interactive, "s"),
        ("startup_interactive_floor_ratio", interactive / floor_interactive, "x"),
        ("startup_bare_window_s", bare, "s"),
        ("startup_main_window_s", main, "s"),
        ("startup_ratio", main / bare, "x"),
        ("startup_checked_s", checked, "s"),
        ("startup_floor_window_s", floor, "s"),
        ("startup_floor_ratio", floor / bare, "x"),
        ("startup_app_code_s", main - floor, "s"),
    ]
