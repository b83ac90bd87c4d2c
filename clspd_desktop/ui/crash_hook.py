"""Unexpected errors (bugs) get a dialog with copyable details instead of a silent crash.

Installed at start-up before any window; kept apart from the dialog itself, which is imported (with its
Qt classes) only when there is something to show.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from clspd_desktop import __version__
from clspd_desktop.errors import UserError

log = logging.getLogger(__name__)


def format_details(exc_type, exc, tb) -> str:
    return f"CLSPD Desktop {__version__}, Python {sys.version.split()[0]}\n" + "".join(
        traceback.format_exception(exc_type, exc, tb))


def install_excepthook(log_file: Path | None) -> None:
    """UserErrors and known storage failures escaping a slot are shown as French messages; anything else (a bug)
    opens the crash dialog."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        from PySide6.QtWidgets import QApplication

        from clspd_desktop.services.operations.execution import user_error_for
        from clspd_desktop.ui import messages

        exc = user_error_for(exc) or exc  # disk full, locked, read-only…: a French message, not a bug
        if isinstance(exc, UserError):
            log.warning("Erreur signalée à l'utilisateur : %s (%s)", exc.message, exc.details)
            messages.show_error(QApplication.activeWindow(), exc)
            return
        details = format_details(exc_type, exc, tb)
        log.error("Erreur inattendue\n%s", details)
        messages.report_crash(QApplication.activeWindow(), details, log_file)

    sys.excepthook = hook
