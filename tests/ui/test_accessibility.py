"""Issue 18: every interactive widget of every area and every dialog has a name a screen reader can say;
Tab never stays trapped; dialogs open on their first field."""

from __future__ import annotations

import pytest

from clspd_desktop.app import build_main_window
from clspd_desktop.context import AppContext
from clspd_desktop.services.demo_data import populate_demo
from tests.ui.a11y_walk import close, dialog_factories, open_every_area, shown, unnamed


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

