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
from PySide6.QtWidgets import QStyle

from clspd_desktop.ui import theme
from clspd_desktop.ui.theme import DARK, LIGHT, contrast

ROOT = Path(__file__).resolve().parents[2]


def test_the_system_scheme_decides_and_an_unknown_one_follows_the_palette():
    assert theme.wants_dark(Qt.ColorScheme.Dark, QColor("#ffffff"))
    assert not theme.wants_dark(Qt.ColorScheme.Light, QColor("#202020"))
    assert theme.wants_dark(Qt.ColorScheme.Unknown, QColor("#202020"))
    assert not theme.wants_dark(Qt.ColorScheme.Unknown, QColor("#efefef"))


def test_the_light_set_keeps_a_readable_selection_and_a_visible_focus_frame(qapp):
    """The default (light) run: the selection is our pair, and its colour (Fusion's focus frame) stands out
    from the fields."""
    previous = qapp.palette()
    try:
        assert theme.apply(qapp) is LIGHT
        highlight = qapp.palette().highlight().color().name()
        assert highlight == LIGHT.selection
        assert contrast(qapp.palette().highlightedText().color().name(), highlight) >= 4.5
        assert contrast(highlight, qapp.palette().base().color().name()) >= 3.0
    finally:
        qapp.setPalette(previous)


def test_a_selected_late_row_is_written_in_the_selection_colour_not_in_red(qtbot):
    """Issue 18 measured a late action's red on the selection at 1.99:1: a selected row is always written
    in the selection's text colour, whatever its own."""
    from PySide6.QtGui import QBrush, QPalette
    from PySide6.QtWidgets import QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem

    from clspd_desktop.ui.accessibility import apply_tree

    tree = QTreeWidget()
    qtbot.addWidget(tree)
    late = QTreeWidgetItem(["1.2.4 Prévention des conduites addictives"])
    late.setForeground(0, QBrush(QColor(LIGHT.error)))
    tree.addTopLevelItem(late)
    apply_tree(tree)
    assert isinstance(tree.itemDelegate(), theme.SelectedRowsDelegate)
    index = tree.indexFromItem(late)
    option = QStyleOptionViewItem()
    tree.itemDelegate().initStyleOption(option, index)
    assert option.palette.color(QPalette.ColorRole.Text).name() == LIGHT.error  # unselected: red
    late.setSelected(True)
    option = QStyleOptionViewItem()
    option.state |= QStyle.StateFlag.State_Selected
    tree.itemDelegate().initStyleOption(option, index)
    assert option.palette.color(QPalette.ColorRole.Text) == option.palette.color(QPalette.ColorRole.HighlightedText)


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
    # QA at 1366 × 768: unticked boxes of the record's tick lists and the ✕ of « Fermer » were dark on dark
    assert report["indicators"] and all(ratio >= 3.0 for ratio in report["indicators"].values()), report
    assert report["icons"] and all(ratio >= 3.0 for ratio in report["icons"].values()), report


def test_high_contrast_keeps_the_systems_palette(qapp, monkeypatch):
    """In Windows' high-contrast mode the system's own colours stay on the standard widgets."""
    previous = qapp.palette()
    monkeypatch.setattr(theme, "wants_high_contrast", lambda: True)
    try:
        theme.apply(qapp)
        assert qapp.palette().highlight().color() == previous.highlight().color()
        assert qapp.palette().base().color() == previous.base().color()
    finally:
        qapp.setPalette(previous)
