"""Meetings on the large council with ~4 000 meetings and ~150 000 attendance rows: producing the merged
convocations and the sign-in sheet of a 200-invitee plenary (goal: under 1 s each). Opening the Réunions
area is timed on the real window, until painted, by bench_session.py (`area_switch_ms_meetings_*`)."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from benchmarks.large_council import copy_database, shared_large_database
from benchmarks.large_meetings import MEETINGS, LargeMeetings, add_large_meetings
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store


def _median_ms(action: Callable[[], object], rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def meeting_timings(database: Path, rounds: int = 3, meetings: int = MEETINGS,
                    today: date | None = None) -> tuple[dict[str, float], LargeMeetings]:
    """Milliseconds for each figure (median of `rounds`), and what was added to the copy."""
    from clspd_desktop.domain.legal_rules import load_rules
    from clspd_desktop.paths import resources_dir
    from clspd_desktop.services.reports.convocations_pdf import build_merged_convocations, load_papers
    from clspd_desktop.services.reports.signin_sheet_pdf import build_signin_sheet

    today = today or date.today()
    rules = load_rules(resources_dir() / "rules" / "obligations.json")
    with tempfile.TemporaryDirectory(prefix="clspd-bench-meetings-") as folder:
        out = Path(folder)
        store = Store.over(open_database(copy_database(database, out / "clspd.sqlite"), out / "instantanes").db)
        try:
            added = add_large_meetings(store, random.Random(4000), today, meetings)
            figures = {
                "convocations_200_ms": _median_ms(lambda: build_merged_convocations(
                    load_papers(store, added.plenary_200_id), out / "convocations.pdf", today, rules), rounds),
                "signin_sheet_200_ms": _median_ms(lambda: build_signin_sheet(
                    load_papers(store, added.plenary_200_id), out / "emargement.pdf", today), rounds),
            }
            return figures, added
        finally:
            store.close()


def collect() -> list[tuple[str, float, str]]:
    figures, _ = meeting_timings(shared_large_database())
    return [("convocations_200_s", figures["convocations_200_ms"] / 1000, "s"),
            ("signin_sheet_200_s", figures["signin_sheet_200_ms"] / 1000, "s")]
