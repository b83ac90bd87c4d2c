"""Issue 18: the app follows the system's dark colour scheme (the DARK set, a dark Fusion palette) without
unreadable pairs, and keeps the light set otherwise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from clspd_desktop.ui import theme
from clspd_desktop.ui.theme import DARK, LIGHT, contrast

ROOT = Path(__file__).resolve().parents[2]


def test_the_system_scheme_decides_and_an_unknown_one_follows_the_palette():
    assert theme.wants_dark(Qt.ColorScheme.Dark, QColor("#ffffff"))
    assert not theme.wants_dark(Qt.ColorScheme.Light, QColor("#202020"))
    assert theme.wants_dark(Qt.ColorScheme.Unknown, QColor("#202020"))
    assert not theme.wants_dark(Qt.ColorScheme.Unknown, QColor("#efefef"))


def test_the_light_set_keeps_a_readable_selection(qapp):
    """The default (light) run: the selection is our pair, so a late row's red stays readable on it."""
    previous = qapp.palette()
    try:
        assert theme.apply(qapp) is LIGHT
        highlight = qapp.palette().highlight().color().name()
        assert highlight == LIGHT.selection
        assert contrast(LIGHT.error, highlight) >= 4.5
        assert contrast(qapp.palette().highlightedText().color().name(), highlight) >= 4.5
    finally:
        qapp.setPalette(previous)


def test_a_dark_system_gets_a_dark_window_with_readable_pairs_only():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tests.ui.dark_window"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["dark"] and report["style"].lower() == "fusion"
    for name, (foreground, background) in report["palette"].items():
        assert contrast(foreground, background) >= 4.5, name
    assert report["palette"]["Text/Base"] == [DARK.text, DARK.base]
    # every style sheet of every area was written with the dark set: no light background left behind
    light_only = {getattr(LIGHT, n) for n in ("base", "page", "subtle", "hover", "alert_bg", "info_bg",
                                              "warning_bg", "success_bg")} - set(vars(DARK).values())
    leftovers = [sheet for sheet in report["sheets"] if any(colour in sheet for colour in light_only)]
    assert report["sheets"] and leftovers == []
