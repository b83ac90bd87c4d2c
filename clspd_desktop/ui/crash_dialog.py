"""Unexpected errors (bugs) get a dialog with copyable details instead of a silent crash."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clspd_desktop import __version__
from clspd_desktop.errors import UserError
from clspd_desktop.ui import messages

log = logging.getLogger(__name__)


class CrashDialog(QDialog):
    def __init__(self, details: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Erreur inattendue")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        where = f" Le détail est aussi enregistré dans « {log_file} »." if log_file else ""
        label = QLabel(
            "<b>Une erreur inattendue s'est produite.</b><br>Vos données enregistrées ne sont pas perdues. "
            f"Copiez le détail ci-dessous et transmettez-le à votre support.{where}"
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copier le détail", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())


def format_details(exc_type, exc, tb) -> str:
    return f"CLSPD Desktop {__version__}, Python {sys.version.split()[0]}\n" + "".join(
        traceback.format_exception(exc_type, exc, tb))


def install_excepthook(log_file: Path | None) -> None:
    """UserErrors escaping a slot are shown as French messages; anything else opens the crash dialog."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if isinstance(exc, UserError):
            log.warning("Erreur signalée à l'utilisateur : %s (%s)", exc.message, exc.details)
            messages.show_error(QApplication.activeWindow(), exc)
            return
        details = format_details(exc_type, exc, tb)
        log.error("Erreur inattendue\n%s", details)
        messages.report_crash(QApplication.activeWindow(), details, log_file)

    sys.excepthook = hook
