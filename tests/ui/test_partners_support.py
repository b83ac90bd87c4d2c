"""Helpers for the Partenaires tests: our own modal dialogs are filled by scripted handlers.

No test lives here; the module is named so that it belongs with the partners tests.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog

from clspd_desktop.ui.widgets import modal


class ScriptedModals:
    """Each dialog opened through `modal.run` is handed to the next handler, in the order they open."""

    def __init__(self) -> None:
        self.handlers: deque[Callable[[QDialog], None]] = deque()
        self.opened: list[QDialog] = []

    def then(self, handler: Callable[[QDialog], None]) -> ScriptedModals:
        self.handlers.append(handler)
        return self

    def run(self, dialog: QDialog) -> bool:
        self.opened.append(dialog)
        if not self.handlers:
            pytest.fail(f"Fenêtre « {dialog.windowTitle()} » ouverte sans réponse prévue par le test")
        self.handlers.popleft()(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted


def install(monkeypatch) -> ScriptedModals:
    scripted = ScriptedModals()
    monkeypatch.setattr(modal, "run", scripted.run)
    return scripted


def save(dialog) -> None:
    """Click "Enregistrer" as the user would."""
    dialog.save_button.click()


def cancel(dialog) -> None:
    dialog.reject()


def make_page(ctx, qtbot):
    from clspd_desktop.ui.partners.page import PartnersPage

    page = PartnersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 850)
    page.show()
    qtbot.waitExposed(page)
    return page


def texts(table, column: int) -> list[str]:
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]
