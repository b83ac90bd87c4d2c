"""Knowing whether an editor holds unsaved edits, without each editor listing its fields.

`field_state(root)` reads every input widget under `root` (texts, choices, ticks, numbers, dates, table
cells); an editor takes it when it shows its data and compares when it is about to close. `ask_before_losing`
then asks « Enregistrer / Ne pas enregistrer / Annuler ».
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from clspd_desktop.ui import messages
from clspd_desktop.ui.messages import SaveChoice


def _value(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText() if widget.isEditable() else None)
    if isinstance(widget, QDateEdit):
        return widget.date().toJulianDay()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model, top = widget.model(), QModelIndex()
        # a list model (QListWidget) hides columnCount from Python: it has one column
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(top)
        return tuple(tuple((model.index(r, c).data(), model.index(r, c).data(10))  # 10: CheckStateRole
                           for c in range(columns)) for r in range(model.rowCount(top)))
    return None


def field_state(root: QWidget) -> tuple[object, ...]:
    """A comparable picture of every input under `root` (line edits inside spin boxes are skipped)."""
    values = []
    for widget in root.findChildren(QWidget):
        parent = widget.parentWidget()
        if isinstance(widget, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox):
            continue
        value = _value(widget)
        if value is not None:
            values.append((widget.objectName(), type(widget).__name__, value))
    return tuple(values)


def ask_before_losing(parent: QWidget, what: str, save: Callable[[], bool]) -> bool:
    """True when the editor may close: saved (and `save()` succeeded), discarded, False when cancelled."""
    answer = messages.ask_save_changes(
        parent, "Modifications non enregistrées",
        f"{what} contient des modifications non enregistrées. Voulez-vous les enregistrer ?")
    if answer is SaveChoice.SAVE:
        return save()
    return answer is SaveChoice.DISCARD
