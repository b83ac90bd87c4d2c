"""Issue 18: every interactive widget of every area and every dialog has a name a screen reader can say;
Tab never stays trapped; dialogs open on their first field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QProgressDialog,
    QWidget,
    QWizard,
)

from clspd_desktop.app import build_main_window
from clspd_desktop.context import AppContext
from clspd_desktop.services.demo_data import populate_demo
from clspd_desktop.ui.widgets.form_dialog import FormDialog
from tests.ui.a11y_walk import close, describe, dialog_factories, open_every_area, shown, unnamed


@pytest.fixture
def demo_ctx(paths, store) -> AppContext:
    populate_demo(store)
    return AppContext.create(paths, store)


def test_every_interactive_widget_of_every_area_has_a_name(qtbot, demo_ctx):
    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    open_every_area(window)
    assert unnamed(window) == []


def test_every_interactive_widget_of_every_dialog_has_a_name(qtbot, demo_ctx):
    missing = {}
    for title, build in dialog_factories(demo_ctx):
        dialog = build()
        found = unnamed(shown(dialog))
        if found:
            missing[title] = found
        close(dialog)
    assert missing == {}



def tab_walk(dialog: QDialog, limit: int = 80) -> list[QWidget]:
    """The widgets Tab moves to, from where the dialog opened, until it reaches a button of its button box."""
    boxes = dialog.findChildren(QDialogButtonBox)
    visited = [QApplication.focusWidget()]
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        # a date or time field moves from day to month to year on Tab, then leaves
        assert visited[-3:] != [widget] * 3, f"Tab reste sur {describe(widget)}"
        visited.append(widget)
        if isinstance(widget, QAbstractButton) and any(box.isAncestorOf(widget) for box in boxes):
            return visited
    raise AssertionError(f"Tab n'atteint pas les boutons : {[describe(w) for w in visited]}")


def test_dialogs_open_on_their_first_field_and_tab_reaches_their_buttons(qtbot, demo_ctx):
    problems = {}
    for title, build in dialog_factories(demo_ctx):
        dialog = build()
        if isinstance(dialog, QWizard | QProgressDialog) or not dialog.findChildren(QDialogButtonBox):
            close(dialog)
            continue
        shown(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda d=dialog: QApplication.focusWidget() is not None and d.isAncestorOf(
            QApplication.focusWidget()), timeout=2000)
        first = QApplication.focusWidget()
        if isinstance(dialog, FormDialog) and dialog.buttons.isAncestorOf(first):
            problems[title] = f"s'ouvre sur {describe(first)}"
        else:
            try:
                walked = tab_walk(dialog)
                if isinstance(dialog, FormDialog) and dialog.save_button not in walked + [
                        QApplication.focusWidget().nextInFocusChain()]:
                    problems[title] = "Enregistrer jamais atteint"
            except AssertionError as exc:
                problems[title] = str(exc)
        close(dialog)
    assert problems == {}


def test_ctrl_f_and_ctrl_n_in_every_area_with_a_search_or_a_create_action(qtbot, demo_ctx, modals):
    from tests.ui.test_partners_support import cancel

    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    searches = {"partners": lambda page: page.current_tab().filters.search if hasattr(
                    page.current_tab(), "filters") else None,
                "plan": lambda page: page.table.search,
                "meetings": lambda page: page.followup.search}
    for key, field_of in searches.items():
        page = window.show_area(key)
        window.nav.setFocus()  # where the keyboard is after Ctrl+3 or a click in the navigation
        QTest.keyClick(window.nav, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        field = field_of(page)
        if field is not None:
            qtbot.waitUntil(lambda f=field: QApplication.focusWidget() is f, timeout=2000)
    opened = {}
    for key in ("partners", "meetings", "plan"):
        page = window.show_area(key)
        qtbot.waitUntil(lambda p=page: not getattr(p, "loading", False))  # read on a worker at the first show
        window.nav.setFocus()
        modals.then(lambda dialog, k=key: (opened.__setitem__(k, type(dialog).__name__), cancel(dialog)))
        QTest.keyClick(window.nav, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == {"partners": "OrganisationDialog", "meetings": "MeetingDialog", "plan": "ActionDialog"}
