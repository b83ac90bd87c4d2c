"""Issue 18, keyboard only: in every area and every tab of it, Tab from the first control visits every
control of the page in turn (tables and text areas included, none keeps the keyboard) and finally leaves the
page; Shift+Tab walks back out the same way."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from clspd_desktop.app import build_main_window
from clspd_desktop.context import AppContext
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.ui.accessibility import focus_chain
from tests.ui.a11y_walk import describe, wait_until_loaded

TRAPS = (QAbstractItemView, QPlainTextEdit, QTextEdit, QLineEdit)


@pytest.fixture
def demo_ctx(paths, store) -> AppContext:
    populate_demo(store)
    return AppContext.create(paths, store)


def walk(page: QWidget, key: Qt.Key, limit: int) -> list[QWidget]:
    """The widgets the keyboard visits inside `page`, from where the focus is, until it leaves the page."""
    visited: list[QWidget] = [QApplication.focusWidget()]
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), key)
        widget = QApplication.focusWidget()
        if widget is None or not page.isAncestorOf(widget):
            return visited
        assert visited[-3:] != [widget] * 3, f"le clavier reste sur {describe(widget)}"
        visited.append(widget)
    raise AssertionError(f"Tab ne quitte jamais la page : {[describe(w) for w in visited[-8:]]}")


def reached(page: QWidget) -> list[QWidget]:
    """The page's focus chain as the keyboard meets it: a tab widget's focus goes to its tab bar."""
    chain: list[QWidget] = []
    for widget in focus_chain(page):
        while widget.focusProxy() is not None:
            widget = widget.focusProxy()
        radio_off = isinstance(widget, QRadioButton) and widget.autoExclusive() and not widget.isChecked()
        if widget not in chain and not radio_off:  # a radio group takes Tab once, its arrows choose
            chain.append(widget)
    return chain


def test_tab_and_shift_tab_visit_every_control_of_every_area_and_leave_it(qtbot, demo_ctx):
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    problems: dict[str, str] = {}
    walked = 0
    for area in window.areas:
        page = window.show_area(area.key)
        QApplication.processEvents()
        wait_until_loaded(page)
        tabs = [t for t in page.findChildren(QTabWidget) if t.isVisibleTo(page)]
        for index in range(tabs[0].count() if tabs else 1):
            if tabs:
                tabs[0].setCurrentIndex(index)
                QApplication.processEvents()
            where = f"{area.title}" + (f" › {tabs[0].tabText(index)}" if tabs else "")
            chain = reached(page)
            if not chain:
                continue
            try:
                chain[0].setFocus(Qt.FocusReason.TabFocusReason)
                qtbot.waitUntil(lambda c=chain[0]: QApplication.focusWidget() is c, timeout=2000)
                forward = walk(page, Qt.Key.Key_Tab, 4 * len(chain) + 10)
                missed = [describe(w) for w in chain if w not in forward]
                if missed:
                    problems[where] = f"Tab n'atteint pas : {missed[:5]}"
                    continue
                assert any(isinstance(w, TRAPS) for w in chain) or any(isinstance(w, QAbstractButton)
                                                                       for w in forward)
                chain[-1].setFocus(Qt.FocusReason.BacktabFocusReason)
                qtbot.waitUntil(lambda c=chain[-1]: QApplication.focusWidget() is c, timeout=2000)
                backward = walk(page, Qt.Key.Key_Backtab, 4 * len(chain) + 10)
                missed = [describe(w) for w in chain if w not in backward]
                if missed:
                    problems[where] = f"Maj+Tab n'atteint pas : {missed[:5]}"
            except AssertionError as exc:
                problems[where] = str(exc)
            walked += 1
    assert problems == {}
    assert walked >= 15  # every area and its tabs: the dashboard has no control, the others several
