"""The benchmark tools work on a small large-council; figures are printed by run.py, never asserted here."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from benchmarks import run
from benchmarks.bench_search import QUERIES, search_timings_ms
from benchmarks.bench_startup import (
    CHECKED,
    SHOWN,
    best_wall_times,
    dashboard_texts,
    floor_window_command,
    main_window_command,
)
from benchmarks.large_council import build_large_database, copy_database
from clspd_desktop.domain.validation import is_valid_email, normalize_phone


@pytest.fixture(scope="module")
def small_council(tmp_path_factory):
    return build_large_database(tmp_path_factory.mktemp("grand") / "large.sqlite", scale=0.05,
                                today=date(2025, 6, 2))


def _count(path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_small_large_council_is_a_scaled_cispd(small_council):
    assert _count(small_council, "commune") == 3
    assert _count(small_council, "organisation") == 20
    assert _count(small_council, "contact") == 75
    assert _count(small_council, "charter_signature") > 0
    conn = sqlite3.connect(small_council)
    try:
        assert conn.execute("SELECT kind FROM council").fetchone() == ("CISPD",)
        rows = conn.execute("SELECT email, phone FROM contact UNION ALL SELECT email, phone FROM organisation")
        for email, phone in rows.fetchall():
            assert is_valid_email(email) and normalize_phone(phone) == phone
    finally:
        conn.close()


def test_search_benchmark_runs_every_query(small_council):
    timings = search_timings_ms(small_council, rounds=1)
    assert len(timings) == len(QUERIES)
    assert all(t > 0 for t in timings)


def test_copy_is_a_complete_database(small_council, tmp_path):
    copy = copy_database(small_council, tmp_path / "copie" / "clspd.sqlite")
    assert _count(copy, "contact") == _count(small_council, "contact")


def test_main_window_command_starts_and_exits_on_the_large_council(small_council, tmp_path):
    copy_database(small_council, tmp_path / "clspd.sqlite")
    shown, checked = best_wall_times(main_window_command(tmp_path), (SHOWN, CHECKED), runs=1)
    assert 0 < shown <= checked  # the check's verdict is read after the window is shown, never skipped


def test_floor_window_shows_the_dashboard_texts_without_the_app(small_council, tmp_path):
    """The floor is timed like the app (shown, then the check's verdict) on the texts the app shows there."""
    import json

    copy_database(small_council, tmp_path / "clspd.sqlite")
    texts = dashboard_texts(tmp_path)
    assert texts[0].startswith("CISPD") and texts[12] == "À surveiller" and len(texts) > 13
    texts_file = tmp_path / "textes.json"
    texts_file.write_text(json.dumps(texts), encoding="utf-8")
    command = floor_window_command(tmp_path / "clspd.sqlite", texts_file)
    source = Path(command[1]).read_text(encoding="utf-8")
    assert "from clspd_desktop" not in source and "import clspd_desktop" not in source
    shown, checked = best_wall_times(command, (SHOWN, CHECKED), runs=1)
    assert 0 < shown <= checked


def test_run_finds_every_benchmark_and_prints_name_value_unit():
    assert {"benchmarks.bench_search", "benchmarks.bench_startup"} <= set(run.benchmark_modules())
    assert run.benchmark_modules(["search"]) == ["benchmarks.bench_search"]
    assert run.format_figure("directory_search_ms", 1.23456, "ms") == "directory_search_ms: 1.235 ms"


@pytest.fixture(scope="module")
def small_full_council(tmp_path_factory):
    """The small council with a few meetings and actions: what the session and start-up figures run on."""
    from benchmarks.large_council import add_meetings_and_plan

    folder = tmp_path_factory.mktemp("grand-complet")
    database = build_large_database(folder / "full.sqlite", scale=0.05, today=date.today())
    return add_meetings_and_plan(database, meetings=40, actions=12)


def test_gui_session_drives_every_step_on_the_real_window(small_full_council, qapp, monkeypatch):
    """Every step of the scripted session still finds what it drives (the screens change: this fails then)."""
    from benchmarks import bench_session, session_steps

    monkeypatch.setattr(session_steps, "QUIET_S", 0.1)
    figures = {name: (value, unit) for name, value, unit in bench_session.session_figures(small_full_council)}
    assert figures["gui_session_steps_missing"][0] == 0
    worst, unit = figures["gui_stall_max_ms"]
    assert worst >= 0 and unit.startswith("ms (")
    steps = {name for name in figures if name.startswith("gui_stall_ms_")}
    assert {"gui_stall_ms_idle", "gui_stall_ms_start", "gui_stall_ms_search_referents", "gui_stall_ms_backup",
            "gui_stall_ms_restore", "gui_stall_ms_pack_smtp", "gui_stall_ms_annual_bilan",
            "gui_stall_ms_meeting_100_convocations"} <= steps
    for area in ("council", "partners", "meetings", "plan", "reports", "backups"):
        assert figures[f"area_switch_ms_{area}_first"][0] > 0 and figures[f"area_switch_ms_{area}_later"][0] > 0
    assert figures["search_keystroke_ms_max"][0] > 0
    assert figures["area_switch_floor_ms"][0] > 0 and figures["search_keystroke_floor_ms"][0] > 0


def test_stall_probe_charges_a_blocked_loop_to_the_running_step(qapp):
    import time

    from benchmarks.gui_harness import settle
    from benchmarks.stall_probe import StallProbe

    probe = StallProbe().start()
    with probe.step("attente"):
        settle(0.05)
    with probe.step("blocage"):
        time.sleep(0.15)
        settle(0.05)
    probe.stop()
    assert probe.worst["blocage"] >= 140 and probe.worst["attente"] < 140
    assert probe.max_stall()[1] == "blocage"


def test_interactive_start_of_the_app_and_of_the_floor(small_full_council, tmp_path):
    import json

    from benchmarks.bench_startup import interactive_command
    from benchmarks.stall_probe import INTERACTIVE

    copy_database(small_full_council, tmp_path / "clspd.sqlite")
    texts_file = tmp_path / "textes.json"
    texts_file.write_text(json.dumps(dashboard_texts(tmp_path)), encoding="utf-8")
    (floor,) = best_wall_times([*floor_window_command(tmp_path / "clspd.sqlite", texts_file), "--interactive"],
                               (INTERACTIVE,), runs=1)
    (app,) = best_wall_times(interactive_command(tmp_path), (INTERACTIVE,), runs=1)
    assert floor > 0 and app > 0
