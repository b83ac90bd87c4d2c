"""The real message boxes (not the tests' scripted fake) and the tables' tooltips: user text shown as typed,
never as rich text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from clspd_desktop.ui import messages
from clspd_desktop.ui.widgets.record_table import Column, RecordTable, plain_tip

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


def test_a_table_tooltip_with_markup_reads_as_typed(qtbot):
    """A long name's tooltip: Qt would read « <B> » as a bold tag; escaped, the tooltip shows it."""
    name = "Association sportive des quartiers Nord <B> Club & Co"
    table = RecordTable([Column("Nom", lambda r: r, 200)], identity=lambda r: r, name="Organisations")
    qtbot.addWidget(table)
    table.set_records([name])
    tip = table.table_model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "<p>Association sportive des quartiers Nord &lt;B&gt; Club &amp; Co</p>"
    assert plain_tip("Réunir les bailleurs & la mairie") == "Réunir les bailleurs & la mairie"  # no markup: as is
