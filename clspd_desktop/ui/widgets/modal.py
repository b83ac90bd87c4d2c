"""The one place where our own modal dialogs are executed, so tests can fill them instead of blocking."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


def run(dialog: QDialog) -> bool:
    """Show `dialog` modally; True when the user accepted it. Tests replace this function."""
    from clspd_desktop.ui.accessibility import apply_tree

    apply_tree(dialog)
    return dialog.exec() == QDialog.DialogCode.Accepted
