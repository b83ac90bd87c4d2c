"""Meetings on the large council with ~4 000 meetings and ~150 000 attendance rows: opening the calendar
(the Réunions area), opening the attendance screen of the busiest meeting, and producing the merged
convocations and the sign-in sheet of a 200-invitee plenary (goal: under 1 s each)."""

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
    from PySide6.QtWidgets import QApplication

    from clspd_desktop.context import AppContext
    from clspd_desktop.paths import AppPaths
    from clspd_desktop.services.reports.convocations_pdf import build_merged_convocations, load_papers
    from clspd_desktop.services.reports.signin_sheet_pdf import build_signin_sheet
    from clspd_desktop.ui.meetings.attendance_view import AttendanceView
    from clspd_desktop.ui.meetings.page import MeetingsPage

    app = QApplication.instance() or QApplication([])
    today = today or date.today()
    with tempfile.TemporaryDirectory(prefix="clspd-bench-meetings-") as folder:
        paths = AppPaths(Path(folder)).ensure()
        store = Store.over(open_database(copy_database(database, paths.database), paths.snapshots_dir).db)
        try:
            added = add_large_meetings(store, random.Random(4000), today, meetings)
            ctx = AppContext.create(paths, store)

            def open_page(factory: Callable[[], object]) -> None:
                widget = factory()
                app.processEvents()
                widget.deleteLater()

            out = paths.exports_dir
            figures = {
                "calendar_open_ms": _median_ms(lambda: open_page(lambda: MeetingsPage(ctx, today)), rounds),
                "attendance_open_ms": _median_ms(lambda: open_page(lambda: AttendanceView(ctx, added.busiest_id)),
                                                 rounds),
                "convocations_200_ms": _median_ms(lambda: build_merged_convocations(
                    load_papers(store, added.plenary_200_id), out / "convocations.pdf", today, ctx.rules), rounds),
                "signin_sheet_200_ms": _median_ms(lambda: build_signin_sheet(
                    load_papers(store, added.plenary_200_id), out / "emargement.pdf", today), rounds),
            }
            app.processEvents()
            return figures, added
        finally:
            store.close()


def collect() -> list[tuple[str, float, str]]:
    figures, _ = meeting_timings(shared_large_database())
    return [("calendar_open_ms", figures["calendar_open_ms"], "ms"),
            ("attendance_open_ms", figures["attendance_open_ms"], "ms"),
            ("convocations_200_s", figures["convocations_200_ms"] / 1000, "s"),
            ("signin_sheet_200_s", figures["signin_sheet_200_ms"] / 1000, "s")]
