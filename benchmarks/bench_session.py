"""A scripted session on the real main window, on the large council (meetings and plan) and on 3× it.

`gui_stall_max_ms`: the longest time the GUI event loop was blocked (`stall_probe.py`: a 5 ms timer records
its lateness from inside the loop, nested loops of dialogs and progress windows included), with the step
it happened in; `gui_stall_ms_<step>` for each step. The steps (`session_steps.py`): the window shown and the
daily snapshot, every area visited three times, « martin » typed letter by letter in the Référents search, the
meeting with 100 invitees opened and its convocations produced, the annual bilan, a backup, its restore,
the préfecture pack built and sent to a local SMTP server. Building the window before it is shown is
start-up (bench_startup.py), not a stall. A step that cannot be driven is printed as missing on stderr and
counted in `gui_session_steps_missing`; its figures are not printed.

`area_switch_ms_<area>_first` / `_later`: from `show_area(key)` until the area has been painted (first
visit: the page built with its data, until that data is painted when a worker reads it; later: the median
of the later visits, refresh included).
`search_keystroke_ms_max`: one letter typed in the Référents search until the table is painted, worst over
the word. Figures at 3× carry the suffix `_3x`; the goal for the search keystroke is read at 3×.

Only the session's own time counts: the data is prepared and the window built before the probe starts.
Anchors from the same run: `gui_stall_ms_idle` (the probe with nothing to do: the machine's own noise),
`area_switch_floor_ms` and `search_keystroke_floor_ms` (`gui_floors.py`: the same gestures on Qt alone).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.gui_floors import floor_figures
from benchmarks.large_council import shared_full_database
from benchmarks.session_steps import SEARCH_WORD

SCALES = (1.0, 3.0)
VERBOSE = bool(os.environ.get("CLSPD_BENCH_VERBOSE"))  # each step's wall time on stderr
SCREENSHOTS = os.environ.get("CLSPD_BENCH_SCREENSHOTS", "")  # a folder: the window after each step (to look at)


def run_session(database: Path, today: date | None = None) -> tuple[dict[str, float], list[str], object]:
    """Stall per step (ms), the missing steps (with why), and the session (area and keystroke timings)."""
    from benchmarks import session_steps
    from benchmarks.gui_harness import StepMissing, open_session, settle

    missing: list[str] = []
    with tempfile.TemporaryDirectory(prefix="clspd-bench-session-") as folder, \
            open_session(database, Path(folder), session_steps.prepare(today or date.today())) as session:
        session.probe.start()
        for number, (name, call) in enumerate(session_steps.steps(session), 1):
            began = time.perf_counter()
            try:
                with session.probe.step(name):
                    call()
                    settle(0.05)  # what the step left queued (deferred deletions, repaints) is its own
            except StepMissing as why:
                missing.append(f"{name} : {why}")
                session.probe.worst.pop(name, None)
                session.modals.handlers.clear()
            if SCREENSHOTS:
                session.window.grab().save(str(Path(SCREENSHOTS) / f"{number:02d}-{name}.png"))
            if VERBOSE:
                print(f"{name}: {time.perf_counter() - began:.2f} s, pire blocage "
                      f"{session.probe.worst.get(name, 0):.0f} ms", file=sys.stderr)
        session.probe.stop()
        for title in session.modals.unexpected:
            missing.append(f"fenêtre inattendue fermée sans réponse : {title}")
        return dict(session.probe.worst), missing, session


def session_figures(database: Path, suffix: str = "", today: date | None = None) -> list[tuple[str, float, str]]:
    worst, missing, session = run_session(database, today)
    for line in missing:
        print(f"étape non mesurée{suffix} : {line}", file=sys.stderr)
    figures: list[tuple[str, float, str]] = []
    if worst:
        step = max(worst, key=worst.__getitem__)
        figures.append((f"gui_stall_max_ms{suffix}", worst[step], f"ms ({step})"))
        figures += [(f"gui_stall_ms_{name}{suffix}", value, "ms") for name, value in worst.items()]
    figures.append((f"gui_session_steps_missing{suffix}", float(len(missing)), "étapes"))
    for visit, timings in session.area_ms.items():
        figures.append((f"area_switch_ms_{visit}{suffix}", statistics.median(timings), "ms"))
    if session.keystroke_ms:
        figures.append((f"search_keystroke_ms_max{suffix}", max(session.keystroke_ms), "ms"))
    return figures + floor_figures(database, SEARCH_WORD, suffix)


def collect() -> list[tuple[str, float, str]]:
    figures = []
    for scale in SCALES:
        figures += session_figures(shared_full_database(scale), "" if scale == 1.0 else f"_{scale:g}x")
    return figures
