"""The one place where our own modal dialogs are executed, so tests can fill them instead of blocking."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

FRAME = QSize(16, 48)  # the window's borders and title bar, drawn by the system around the dialog


def room_on_screen(dialog: QDialog) -> QSize:
    """The size a dialog may take on the screen it opens on (a 1366×768 screen at 150 % leaves 911×512)."""
    parent = dialog.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(10_000, 10_000)
    available = screen.availableGeometry().size()
    return QSize(available.width() - FRAME.width(), available.height() - FRAME.height())


def fit_to_screen(dialog: QDialog, room: QSize | None = None) -> None:
    """Never larger than the screen: a fixed minimum or a preferred size written for 100 % shrinks to the
    room left (the dialog's content scrolls, see widgets.scrolling)."""
    from clspd_desktop.ui.widgets.scrolling import FitScrollArea

    room = room or room_on_screen(dialog)
    for area in dialog.findChildren(FitScrollArea):
        area.updateGeometry()  # fields added since it was laid out: the dialog is not shown yet
    if dialog.layout() is not None:
        dialog.layout().activate()
    dialog.setMinimumSize(dialog.minimumSize().boundedTo(room))
    wanted = dialog.size() if dialog.testAttribute(Qt.WidgetAttribute.WA_Resized) else dialog.sizeHint()
    dialog.resize(wanted.boundedTo(room))


def run(dialog: QDialog) -> bool:
    """Show `dialog` modally, fitted to the screen; True when the user accepted it. Tests replace this
    function."""
    from clspd_desktop.ui.accessibility import apply_tree

    apply_tree(dialog)
    fit_to_screen(dialog)
    return dialog.exec() == QDialog.DialogCode.Accepted
