"""Opening the Plan d'actions area on the large council with ~600 actions (goal < 2 s): the repository
reads plus building the page (tree, table, dashboard), what the user waits for after Ctrl+5."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.large_council import copy_database, shared_large_database
from benchmarks.large_plan import add_large_plan
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store


def plan_open_timings_ms(database: Path, rounds: int = 3, actions: int = 600) -> list[float]:
    from PySide6.QtWidgets import QApplication

    from clspd_desktop.context import AppContext
    from clspd_desktop.paths import AppPaths
    from clspd_desktop.ui.plan.page import PlanPage

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="clspd-bench-plan-") as folder:
        paths = AppPaths(Path(folder)).ensure()
        copy = copy_database(database, paths.database)
        store = Store.over(open_database(copy, paths.snapshots_dir).db)
        try:
            with store.transaction():
                add_large_plan(store, random.Random(600), actions)
            ctx = AppContext.create(paths, store)
            timings = []
            for _ in range(rounds):
                began = time.perf_counter()
                page = PlanPage(ctx)
                app.processEvents()
                timings.append((time.perf_counter() - began) * 1000)
                page.deleteLater()
            return timings
        finally:
            store.close()


def collect() -> list[tuple[str, float, str]]:
    return [("plan_open_ms", statistics.median(plan_open_timings_ms(shared_large_database())), "ms")]
