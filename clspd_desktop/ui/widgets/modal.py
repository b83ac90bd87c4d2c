"""The one place where our own modal dialogs are executed, so tests can fill them instead of blocking."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

FRAME = 40  # title bar and borders, which a window's own size leaves out


def fit_to_screen(dialog: QDialog, free: QRect | None = None) -> None:
    """Shrink a dialog sized for a large screen to the screen's free area (about 1366×705 on a 1366×768
    laptop): its bottom buttons must stay on screen. Its scroll areas and splitters take up the difference;
    never below its minimum size."""
    if free is None:
        screen = dialog.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
    minimum = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    width = max(min(dialog.width(), free.width()), minimum.width())
    height = max(min(dialog.height(), free.height() - FRAME), minimum.height())
    if (width, height) != (dialog.width(), dialog.height()):
        dialog.resize(width, height)


def run(dialog: QDialog) -> bool:
    """Show `dialog` modally, fitted to the screen; True when the user accepted it. Tests replace this
    function."""
    from clspd_desktop.ui.accessibility import apply_tree

    apply_tree(dialog)
    fit_to_screen(dialog)
    return dialog.exec() == QDialog.DialogCode.Accepted
