"""The referent's « Fonction »: any text, with the functions the app knows (dated data with their sources)
offered in the list, agreed with the person's civility."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from clspd_desktop.domain.directory import Civility
from clspd_desktop.domain.referent_functions import referent_functions


class FunctionBox(QComboBox):
    """An editable combo that reads like the line edit it replaces (`text`, `setText`, `textChanged`)."""

    textChanged = Signal(str)  # noqa: N815 (the QLineEdit name callers already use)

    def __init__(self, text: str = "", civility: Civility = Civility.NONE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # typing never adds to the known list
        self.editTextChanged.connect(self.textChanged)
        self.offer(civility)
        self.setText(text)

    def offer(self, civility: Civility) -> None:
        """List the known functions in the form agreed with `civility`, keeping what is typed."""
        typed = self.text()
        known = referent_functions()
        self.blockSignals(True)
        self.clear()
        for function in known.functions:
            for label in ([function.label(civility)] if civility is not Civility.NONE
                          else [function.masculine, function.feminine]):
                self.addItem(label)
                self.setItemData(self.count() - 1, f"{function.organisation} — {function.description}\n"
                                                   f"Source : {function.source}", Qt.ItemDataRole.ToolTipRole)
        # a known function typed for a man, then the civility set to Madame: agreed
        match = known.find(typed)
        self.setEditText(match.label(civility) if match and civility is not Civility.NONE else typed)
        self.blockSignals(False)
        if self.text() != typed:
            self.textChanged.emit(self.text())

    def text(self) -> str:
        return self.currentText()

    def setText(self, text: str) -> None:  # noqa: N802 (QLineEdit's name)
        self.setEditText(text)

