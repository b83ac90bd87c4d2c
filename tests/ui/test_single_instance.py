"""One instance per data folder: a second start brings the first window forward and opens nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clspd_desktop.ui.single_instance import SingleInstance


def test_second_instance_asks_the_first_to_show_itself(qtbot, tmp_path):
    first = SingleInstance(tmp_path)
    assert first.acquire()
    shown = []
    first.listen(lambda: shown.append(True))
    try:
        second = SingleInstance(tmp_path)
        assert not second.acquire()
        assert second.ask_running_to_show()
        qtbot.waitUntil(lambda: shown == [True], timeout=5000)
    finally:
        first.release()
    third = SingleInstance(tmp_path)
    assert third.acquire()  # released: a new start may run
    third.release()


def test_other_data_folders_run_side_by_side(tmp_path):
    a, b = SingleInstance(tmp_path / "a"), SingleInstance(tmp_path / "b")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert a.acquire() and b.acquire()
    a.release()
    b.release()


def test_a_second_app_start_exits_without_opening_the_database(qtbot, tmp_path):
    data = tmp_path / "donnees"
    data.mkdir()
    running = SingleInstance(data)
    assert running.acquire()
    shown = []
    running.listen(lambda: shown.append(True))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    try:
        process = subprocess.Popen([sys.executable, "-m", "clspd_desktop", "--data-dir", str(data)],
                                   cwd=Path(__file__).resolve().parents[2], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=30_000)
        assert process.returncode == 0, process.stderr.read().decode()
        qtbot.waitUntil(lambda: shown == [True], timeout=5000)
    finally:
        running.release()
    assert not (data / "clspd.sqlite").exists()
    assert not [p for p in data.iterdir() if p.suffix == ".sqlite"]
