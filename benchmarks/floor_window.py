"""The floor under the main window: what start-up must do even with no application code at all.

Run as `python benchmarks/floor_window.py DATABASE TEXTS.json`. It starts `PRAGMA quick_check` on a thread,
opens the file read-only with the standard `sqlite3`, reads a few counts, and shows the main window's widgets:
the navigation with its style sheet and shortcuts, the Aide menu, and the dashboard's cards and alerts with
the texts the app shows on that database (TEXTS.json, written beforehand by `bench_startup.dashboard_texts`).
It imports nothing from `clspd_desktop` (no domain classes, repositories, rules file, logging or arguments),
and reports `fenetre_affichee:` then `base_verifiee:` as the app does, so the two are timed the same way.
With `--interactive` it then reports `interactif:` as `interactive_start.py` does for the app.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import time

database, texts_file = sys.argv[1], sys.argv[2]
interactive = "--interactive" in sys.argv[3:]  # then stays until a second passes without a stall (interactif:)
verdict: list[object] = []
checker = threading.Thread(target=lambda: verdict.append(
    sqlite3.connect(f"file:{database}?mode=ro", uri=True).execute("PRAGMA quick_check").fetchone()), daemon=True)
checker.start()
with open(texts_file, encoding="utf-8") as file:
    texts: list[str] = json.load(file)

from PySide6.QtCore import QTimer  # noqa: E402 - after the check's start, as in the app
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

app = QApplication(sys.argv[:1])
connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
for table in ("council", "commune", "organisation", "contact", "formation", "membership", "charter_signature",
              "meeting"):
    connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()

window = QMainWindow()
window.resize(1280, 800)
central = QWidget()
row = QHBoxLayout(central)
row.setContentsMargins(0, 0, 0, 0)
side = QWidget()
side.setObjectName("navigation")
side.setFixedWidth(210)
side_layout = QVBoxLayout(side)
heading = QLabel("CLSPD Desktop")
heading.setObjectName("appHeading")
side_layout.addWidget(heading)
nav = QListWidget()
nav.setObjectName("navList")
nav.setFrameShape(QListWidget.Shape.NoFrame)
side_layout.addWidget(nav)
row.addWidget(side)
stack = QStackedWidget()
row.addWidget(stack, 1)
window.setCentralWidget(central)
for number, title in enumerate(("Tableau de bord", "Conseil", "Partenaires", "Réunions", "Plan d'actions",
                                "Rapports", "Sauvegardes"), 1):
    item = QListWidgetItem(title)
    item.setToolTip(f"{title} (Ctrl+{number})")
    nav.addItem(item)
    action = QAction(title, window)
    action.setShortcuts([QKeySequence(f"Ctrl+{number}")])
    window.addAction(action)
side.setStyleSheet(
    "#navigation { background: #1f3b57; } "
    "#appHeading { color: white; font-size: 15px; font-weight: bold; padding: 4px 6px 12px 6px; } "
    "#navList { background: transparent; color: #dde6ef; font-size: 14px; } "
    "#navList::item { padding: 9px 8px; border-radius: 4px; } "
    "#navList::item:selected { background: #3d6a96; color: white; } ")
window.menuBar().addMenu("&Aide").addAction("À &propos de CLSPD Desktop").setShortcuts([QKeySequence("F1")])


def label(text: str, pixel_size: int = 0, bold: bool = False) -> QLabel:
    shown = QLabel(text)
    if pixel_size:
        font = QFont(shown.font())
        font.setPixelSize(pixel_size)
        font.setBold(bold)
        shown.setFont(font)
    return shown


def filled(widget: QWidget, colour: str) -> QWidget:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(colour))
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)
    return widget


page = QScrollArea()
page.setWidgetResizable(True)
page.setFrameShape(QFrame.Shape.NoFrame)
body = filled(QWidget(), "#f4f6f8")
layout = QVBoxLayout(body)
layout.addWidget(label(texts[0], 20, True))
layout.addWidget(label(texts[1]))
tiles = QGridLayout()
for column in range(5):
    tile = filled(QFrame(), "white")
    tile.setFrameShape(QFrame.Shape.Box)
    tile_layout = QVBoxLayout(tile)
    tile_layout.addWidget(label(texts[2 + 2 * column], 26, True))
    tile_layout.addWidget(label(texts[3 + 2 * column]))
    tiles.addWidget(tile, 0, column)
layout.addLayout(tiles)
for text in texts[12:]:
    if "\n" in text or len(text) > 40:  # an alert: a coloured bar and the wrapped text
        alert = filled(QFrame(), "#fdecee")
        alert_layout = QHBoxLayout(alert)
        alert_layout.addWidget(filled(QWidget(), "#b00020"))
        wrapped = QLabel(text)
        wrapped.setWordWrap(True)
        alert_layout.addWidget(wrapped, 1)
        layout.addWidget(alert)
    else:  # a section heading
        layout.addWidget(label(text, 16, True))
layout.addStretch()
page.setWidget(body)
stack.addWidget(page)
nav.setCurrentRow(0)
window.show()


def shown() -> None:
    if interactive:  # the probe from the first pass on: waiting for the check's verdict counts, as in the app
        from stall_probe import report_when_interactive  # benchmarks/ is this script's folder

        report_when_interactive(app)
    print(f"fenetre_affichee: {time.time():.6f}", flush=True)
    checker.join()
    print(f"base_verifiee: {time.time():.6f}", flush=True)
    if not interactive:
        app.quit()


QTimer.singleShot(0, shown)
sys.exit(app.exec())
