"""Fixtures shared by the screen tests."""

from __future__ import annotations

import gc

import pytest

from tests.ui.test_partners_support import ScriptedModals, install


@pytest.fixture
def modals(monkeypatch) -> ScriptedModals:
    """Our own dialogs (widgets.modal.run) answered by the test's script instead of being shown."""
    return install(monkeypatch)


@pytest.fixture(autouse=True)
def qt_garbage_freed_on_the_gui_thread():
    """A test's Qt objects caught in reference cycles (a parentless dialog and its slots) are freed here, on
    the GUI thread. Left to Python's collector, they could be freed by the next test's worker thread (a
    screen's data read by the runner), and a widget destroyed off the GUI thread crashes Qt."""
    yield
    gc.collect()
