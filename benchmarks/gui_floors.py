"""Anchors for the GUI figures, measured in the same run with Qt alone (no application code).

`area_switch_floor_ms`: a 1280×800 window switches its stacked page to an already built table of as many
rows as the council has referents, timed until painted as the areas are. `search_keystroke_floor_ms`: one
letter typed in a line edit filtering that table through Qt's own `QSortFilterProxyModel`, timed until the
table is painted, worst over the same word. What no change to the app's screens can go below.
"""

from __future__ import annotations

import sqlite3
import statistics
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QStackedWidget, QTableView, QVBoxLayout, QWidget

from benchmarks.gui_harness import application, ms_until_painted, settle

COLUMNS = ("last_name", "first_name", "function", "email", "phone")


def _rows(database: Path) -> list[tuple[str, ...]]:
    connection = sqlite3.connect(f"file:{database.as_posix()}?mode=ro", uri=True)
    try:
        return connection.execute(f"SELECT {', '.join(COLUMNS)} FROM contact ORDER BY last_name").fetchall()
    finally:
        connection.close()


def floor_figures(database: Path, word: str, suffix: str = "", visits: int = 3) -> list[tuple[str, float, str]]:
    application()
    model = QStandardItemModel(0, len(COLUMNS))
    for row in _rows(database):
        model.appendRow([QStandardItem(value or "") for value in row])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)

    window = QMainWindow()
    window.resize(1280, 800)
    stack = QStackedWidget()
    window.setCentralWidget(stack)
    stack.addWidget(QLabel("Tableau de bord"))
    page = QWidget()
    layout = QVBoxLayout(page)
    search = QLineEdit()
    table = QTableView()
    table.setModel(proxy)
    layout.addWidget(search)
    layout.addWidget(table, 1)
    search.textChanged.connect(proxy.setFilterFixedString)
    stack.addWidget(page)
    window.show()
    settle(0.3)
    try:
        switches = []
        for _ in range(visits):
            stack.setCurrentIndex(0)
            settle(0.05)
            switches.append(ms_until_painted(lambda: stack.setCurrentIndex(1), lambda: stack.currentWidget()))
        search.setFocus()
        settle(0.05)
        keystrokes = [ms_until_painted(lambda letter=letter: QTest.keyClick(search, letter), lambda: table.viewport(),
                                       timeout_s=1.0, unchanged_ok=True)
                      for letter in word]
    finally:
        window.close()
        window.deleteLater()
        settle(0.05)
    return [(f"area_switch_floor_ms{suffix}", statistics.median(switches), "ms"),
            (f"search_keystroke_floor_ms{suffix}", max(keystrokes), "ms")]
