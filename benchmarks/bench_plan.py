"""Producing the annual bilan on the same council with ~4 000 meetings and 600 actions (goal < 2 s): every
figure computed and the PDF written, what the user waits for after « Produire le bilan PDF ». Opening the Plan
d'actions area is timed on the real window, until painted, by bench_session.py (`area_switch_ms_plan_*`)."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.large_council import copy_database, shared_large_database
from benchmarks.large_meetings import MEETINGS, add_large_meetings
from benchmarks.large_plan import add_large_plan
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store

TRIPLE = 3.0


def annual_bilan_timings_s(database: Path, rounds: int = 3, actions: int = 600, meetings: int = MEETINGS,
                           today: date | None = None) -> list[float]:
    """Seconds to compute and write the bilan of the last complete year (the one with most meetings)."""
    from clspd_desktop.services.reports.annual_bilan_pdf import build_annual_bilan_pdf

    today = today or date.today()
    with tempfile.TemporaryDirectory(prefix="clspd-bench-bilan-") as folder:
        copy = copy_database(database, Path(folder) / "clspd.sqlite")
        store = Store.over(open_database(copy, Path(folder) / "instantanes").db)
        try:
            with store.transaction():
                add_large_meetings(store, random.Random(4000), today, meetings)
                add_large_plan(store, random.Random(600), actions)
            timings = []
            for round_number in range(rounds):
                began = time.perf_counter()
                build_annual_bilan_pdf(store, Path(folder) / f"bilan-{round_number}.pdf", today.year - 1, today=today)
                timings.append(time.perf_counter() - began)
            return timings
        finally:
            store.close()


def collect() -> list[tuple[str, float, str]]:
    database = shared_large_database()
    # 3x the large council (74 formations, 12 000 meetings, 1 800 actions): the bilan must still fit its pages
    tripled = annual_bilan_timings_s(shared_large_database(TRIPLE), rounds=1, actions=int(600 * TRIPLE),
                                     meetings=int(MEETINGS * TRIPLE))
    return [("annual_bilan_s", statistics.median(annual_bilan_timings_s(database)), "s"),
            ("annual_bilan_3x_s", statistics.median(tripled), "s")]
