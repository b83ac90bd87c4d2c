"""The real message boxes (not the tests' scripted fake): user text shown as typed, never as rich text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from clspd_desktop.ui import messages

HOSTILE = "Supprimer « Club A & <B> Sport » ?"


@pytest.mark.parametrize("ask", [
    lambda: messages.confirm(None, "Supprimer", HOSTILE, "Supprimer"),
    lambda: messages.inform(None, "Information", HOSTILE),
    lambda: messages.ask_save_changes(None, "Enregistrer", HOSTILE),
])
def test_a_name_with_markup_is_shown_as_typed(qtbot, monkeypatch, ask):
    """« <B> » was taken for a bold tag and vanished from « Supprimer « Club A & » ? »."""
    monkeypatch.setattr(messages, "backend", messages.QtDialogBackend())
    seen: list[tuple[Qt.TextFormat, str]] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        label = box.findChild(QLabel, "qt_msgbox_label")
        seen.append((label.textFormat(), label.text()))
        box.reject()

    QTimer.singleShot(0, read_and_close)
    ask()
    assert seen == [(Qt.TextFormat.PlainText, HOSTILE)]
