"""Fixtures shared by the screen tests."""

from __future__ import annotations

import pytest

from tests.ui.test_partners_support import ScriptedModals, install


@pytest.fixture
def modals(monkeypatch) -> ScriptedModals:
    """Our own dialogs (widgets.modal.run) answered by the test's script instead of being shown."""
    return install(monkeypatch)
