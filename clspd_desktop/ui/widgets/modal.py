"""The one place where our own modal dialogs are executed, so tests can fill them instead of blocking.

Every dialog executed here or by the message-box wrapper (`ui/messages.py`) is remembered while it runs, so
that the individual follow-up's lock can cancel those opened from its area (`cancel_open`): a box left open
over a locked store would otherwise be confirmed into a refusal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

FRAME = QSize(16, 48)  # the window's borders and title bar, drawn by the system around the dialog
_running: list[QDialog] = []  # the dialogs executing now, the oldest first (nested event loops)


def exec_modal(dialog: QDialog) -> int:
    """`dialog.exec()`, the dialog remembered while it runs (see `cancel_open`)."""
    _running.append(dialog)
    try:
        return dialog.exec()
    finally:
        _running[:] = [d for d in _running if d is not dialog]


def opened_from(dialog: QDialog, widgets: Callable[[QWidget], bool]) -> bool:
    """True when `dialog`'s parent, or any widget above it (through parent dialogs too), satisfies `widgets`."""
    widget = dialog.parentWidget()
    while widget is not None:
        if widgets(widget):
            return True
        widget = widget.parentWidget()
    return False


def cancel_open(widgets: Callable[[QWidget], bool]) -> int:
    """Close as cancelled every running dialog opened from a widget `widgets` accepts, the newest first; the
    code that opened each sees « Annuler » (False, None). Returns how many were closed."""
    closed = 0
    for dialog in reversed(list(_running)):
        try:
            if dialog.isVisible() and opened_from(dialog, widgets):
                if type(dialog).__module__.startswith("PySide6."):
                    dialog.done(QDialog.DialogCode.Rejected)  # Qt's boxes: their own clean-up (native dialogs)
                else:
                    QDialog.done(dialog, QDialog.DialogCode.Rejected)  # ours: never « Enregistrer ? » now
                closed += 1
        except RuntimeError:  # deleted by Qt in the meantime
            continue
    return closed


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
    return exec_modal(dialog) == QDialog.DialogCode.Accepted
