"""The one "save a generated document" flow: ask where (a dated name in the exports folder), write it,
tell the user where it went; a UserError (disk full, file open in Excel…) is explained, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from clspd_desktop.errors import UserError
from clspd_desktop.ui import messages


def produce_file(parent: QWidget, exports_dir: Path, title: str, stem: str, suffix: str, filters: str,
                 write: Callable[[Path], Path], done: str, day: date | None = None) -> Path | None:
    """`day` dates the suggested name (default today; a meeting's documents carry the meeting's date)."""
    suggested = exports_dir / f"{stem}-{(day or date.today()).isoformat()}{suffix}"
    target = messages.save_file(parent, title, suggested, filters)
    if target is None:
        return None
    if target.suffix.lower() != suffix:
        target = target.with_name(target.name + suffix)
    try:
        written = write(target)
    except UserError as exc:
        messages.show_error(parent, exc)
        return None
    messages.inform(parent, title, f"{done}\n{written}")
    return written


def print_document(parent: QWidget, exports_dir: Path, title: str, stem: str, write: Callable[[Path], Path],
                   day: date | None = None) -> Path | None:
    """« Imprimer »: the same PDF written to the exports' print folder, then sent to the printer (or opened
    in the viewer, the user being told why)."""
    from clspd_desktop.services.printing import print_folder, print_pdf

    target = print_folder(exports_dir) / f"{stem}-{(day or date.today()).isoformat()}.pdf"
    try:
        outcome = print_pdf(write(target))
    except UserError as exc:
        messages.show_error(parent, exc)
        return None
    messages.inform(parent, title, outcome.message)
    return target


class PrintSwitch:
    """Lets a screen's « Imprimer » reuse the code of its « PDF… » button: while `run` calls that code, `on` is
    true and the screen's save step prints (`print_document`) instead of asking where to save."""

    def __init__(self) -> None:
        self.on = False

    def run(self, produce: Callable[[], Path | None]) -> Path | None:
        self.on = True
        try:
            return produce()
        finally:
            self.on = False
