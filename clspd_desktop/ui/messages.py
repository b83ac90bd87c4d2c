"""The one wrapper around message boxes and file dialogs.

Every screen calls these functions; tests replace `backend` with a scripted fake so that no test can
ever hang on a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Protocol, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from clspd_desktop.errors import UserError
from clspd_desktop.ui.widgets.modal import exec_modal

T = TypeVar("T")


class SaveChoice(StrEnum):
    """The answer to « Enregistrer les modifications ? » when unsaved edits would otherwise be lost."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class DialogBackend(Protocol):
    def inform(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None: ...
    def warn(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None: ...
    def confirm(self, parent: QWidget | None, title: str, text: str, confirm_label: str) -> bool: ...
    def ask_save_changes(self, parent: QWidget | None, title: str, text: str) -> SaveChoice: ...
    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None: ...
    def save_file(self, parent: QWidget | None, title: str, suggested: Path, filters: str) -> Path | None: ...
    def choose_folder(self, parent: QWidget | None, title: str) -> Path | None: ...
    def report_crash(self, parent: QWidget | None, details: str, log_file: Path | None) -> None: ...
    def choose(self, parent: QWidget | None, title: str, text: str, options: list[str]) -> int | None: ...


def _answer(box: QDialog, read: Callable[[int], T]) -> T:
    """Run `box` through `modal.exec_modal` (so the individual follow-up's lock can close it as cancelled),
    read its answer, then let Qt delete it: a box given a parent would otherwise stay, hidden, among the
    screen's children (a file dialog with its file-system model and watcher)."""
    try:
        return read(exec_modal(box))
    finally:
        box.deleteLater()


def _message_box(icon: QMessageBox.Icon, title: str, text: str, buttons: QMessageBox.StandardButton,
                 parent: QWidget | None) -> QMessageBox:
    """A box whose text is never read as rich text: « Supprimer « A & <B> » ? » lost its « <B> » (Qt took it
    for a bold tag), and names come from the user."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


class QtDialogBackend:
    """Real dialogs, in French (Qt's translations are loaded at start-up)."""

    def _box(self, parent, icon, title, text, details):
        box = _message_box(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)
        _answer(box, lambda _result: None)

    def inform(self, parent, title, text, details=""):
        self._box(parent, QMessageBox.Icon.Information, title, text, details)

    def warn(self, parent, title, text, details=""):
        self._box(parent, QMessageBox.Icon.Warning, title, text, details)

    def confirm(self, parent, title, text, confirm_label):
        box = _message_box(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        yes = box.addButton(confirm_label, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        return _answer(box, lambda _result: box.clickedButton() is yes)

    def ask_save_changes(self, parent, title, text):
        buttons = QMessageBox.StandardButton
        box = _message_box(QMessageBox.Icon.Question, title, text, buttons.Save | buttons.Discard | buttons.Cancel,
                          parent)
        box.button(buttons.Discard).setText("Ne pas enregistrer")  # Qt's French says « Ne pas tenir compte »
        box.setDefaultButton(buttons.Save)
        box.setEscapeButton(buttons.Cancel)
        return _answer(box, lambda _result: {box.button(buttons.Save): SaveChoice.SAVE,
                                             box.button(buttons.Discard): SaveChoice.DISCARD}.get(
            box.clickedButton(), SaveChoice.CANCEL))

    def _file(self, parent, title, start: Path, filters: str, mode: QFileDialog.FileMode,
              save: bool = False) -> Path | None:
        """What QFileDialog's static functions do, on an instance the lock can close."""
        dialog = QFileDialog(parent, title, str(start), filters)
        dialog.setFileMode(mode)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        if mode == QFileDialog.FileMode.Directory:
            dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        def chosen(result: int) -> Path | None:
            names = dialog.selectedFiles() if result == QDialog.DialogCode.Accepted else []
            return Path(names[0]) if names and names[0] else None

        return _answer(dialog, chosen)

    def open_file(self, parent, title, filters):
        return self._file(parent, title, Path.home(), filters, QFileDialog.FileMode.ExistingFile)

    def save_file(self, parent, title, suggested, filters):
        return self._file(parent, title, suggested, filters, QFileDialog.FileMode.AnyFile, save=True)

    def choose_folder(self, parent, title):
        return self._file(parent, title, Path.home(), "", QFileDialog.FileMode.Directory)

    def report_crash(self, parent, details, log_file):
        from clspd_desktop.ui.crash_dialog import CrashDialog

        _answer(CrashDialog(details, log_file, parent), lambda _result: None)

    def choose(self, parent, title, text, options):
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(text)
        dialog.setComboBoxItems(options)
        dialog.setComboBoxEditable(False)
        if options:
            dialog.setTextValue(options[0])
        def picked(result: int) -> int | None:
            item = dialog.textValue()
            return options.index(item) if result == QDialog.DialogCode.Accepted and item in options else None

        return _answer(dialog, picked)


backend: DialogBackend = QtDialogBackend()


def inform(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    backend.inform(parent, title, text, details)


def warn(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    backend.warn(parent, title, text, details)


def show_error(parent: QWidget | None, error: UserError, title: str = "Action impossible") -> None:
    """A UserError's French message, with its technical details folded away."""
    backend.warn(parent, title, error.message, error.details)


def confirm(parent: QWidget | None, title: str, text: str, confirm_label: str = "Confirmer") -> bool:
    return backend.confirm(parent, title, text, confirm_label)


def ask_save_changes(parent: QWidget | None, title: str, text: str) -> SaveChoice:
    """Save / discard / cancel, asked before unsaved edits would be replaced or left behind."""
    return SaveChoice(backend.ask_save_changes(parent, title, text))


def open_file(parent: QWidget | None, title: str, filters: str) -> Path | None:
    return backend.open_file(parent, title, filters)


def save_file(parent: QWidget | None, title: str, suggested: Path, filters: str) -> Path | None:
    return backend.save_file(parent, title, suggested, filters)


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    return backend.choose_folder(parent, title)


def report_crash(parent: QWidget | None, details: str, log_file: Path | None) -> None:
    """The crash dialog for bugs (copyable details); UserErrors use show_error instead."""
    backend.report_crash(parent, details, log_file)


def choose(parent: QWidget | None, title: str, text: str, options: list[str]) -> int | None:
    """One of `options` (the first preselected); its index, or None when cancelled."""
    return backend.choose(parent, title, text, options)
