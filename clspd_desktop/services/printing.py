"""Sending a generated PDF to the printer without a print dialog of our own: the coordinator prints
convocations and sign-in sheets by the dozen.

Windows prints a PDF through the shell's « print » verb (the PDF reader installed prints it on the default
printer); elsewhere `lp` (CUPS) when present; otherwise the document opens in the viewer and the user is
told to print from there. The launchers are parameters so tests replace them (no printer is touched).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from clspd_desktop.errors import UserError


def _shell_print(path: Path) -> None:
    os.startfile(path, "print")  # type: ignore[attr-defined]  # noqa: S606 (Windows only)


def _lp(command: str, path: Path) -> None:
    subprocess.run([command, str(path)], check=True, capture_output=True, timeout=60)


def _open_viewer(path: Path) -> None:
    from clspd_desktop.services.mail import open_with_system

    open_with_system(path)


@dataclass
class Launchers:
    """How each platform reaches the printer; tests give their own."""

    platform: str = field(default_factory=lambda: sys.platform)
    which: Callable[[str], str | None] = shutil.which
    shell_print: Callable[[Path], None] = _shell_print
    lp: Callable[[str, Path], None] = _lp
    open_viewer: Callable[[Path], None] = _open_viewer


@dataclass(frozen=True)
class PrintOutcome:
    sent: bool  # handed to a printer (True) or only opened in the viewer (False)
    message: str  # what the user reads


def print_pdf(path: Path, launchers: Launchers | None = None) -> PrintOutcome:
    """Print `path` on the default printer, or open it in the viewer and say so."""
    launchers = launchers or Launchers()
    reason = ""
    try:
        if launchers.platform == "win32":
            launchers.shell_print(path)
            return PrintOutcome(True, f"« {path.name} » est envoyé à l'imprimante par défaut de Windows.")
        lp = launchers.which("lp")
        if lp:
            launchers.lp(lp, path)
            return PrintOutcome(True, f"« {path.name} » est envoyé à l'imprimante par défaut.")
        reason = "Aucune commande d'impression n'est disponible sur ce poste."
    except (OSError, subprocess.SubprocessError) as exc:
        reason = f"L'impression directe a échoué ({exc})."
    try:
        launchers.open_viewer(path)
    except UserError as exc:
        raise UserError(f"{reason} Le document n'a pas pu être ouvert non plus ; il est enregistré dans "
                        f"« {path} ».", details=exc.details) from exc
    return PrintOutcome(False, f"{reason} Le document est ouvert dans votre lecteur de PDF : imprimez-le depuis "
                               f"celui-ci (Ctrl+P). Il est enregistré dans « {path} ».")


def print_folder(exports_dir: Path) -> Path:
    """Where documents made only to be printed are written (kept: the user may print them again)."""
    folder = exports_dir / "impressions"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
