"""The one "save a generated document" flow: ask where (a dated name in the exports folder), write it,
tell the user where it went; a UserError (disk full, file open in Excel…) is explained, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QWidget

from clspd_desktop.errors import UserError
from clspd_desktop.ui import messages

if TYPE_CHECKING:
    from clspd_desktop.context import AppContext
    from clspd_desktop.ui.runner import Operation


T = TypeVar("T")


def choose_target(parent: QWidget | None, exports_dir: Path, title: str, stem: str, suffix: str, filters: str,
                  day: date | None = None) -> Path | None:
    """Ask where to write (a dated name in the exports folder); the suffix is added when not typed.
    `day` dates the suggested name (default today; a meeting's documents carry the meeting's date)."""
    suggested = exports_dir / f"{stem}-{(day or date.today()).isoformat()}{suffix}"
    target = messages.save_file(parent, title, suggested, filters)
    if target is not None and target.suffix.lower() != suffix:
        target = target.with_name(target.name + suffix)
    return target


def produce_file(parent: QWidget, exports_dir: Path, title: str, stem: str, suffix: str, filters: str,
                 write: Callable[[Path], Path], done: str, day: date | None = None) -> Path | None:
    target = choose_target(parent, exports_dir, title, stem, suffix, filters, day)
    if target is None:
        return None
    try:
        written = write(target)
    except UserError as exc:
        messages.show_error(parent, exc)
        return None
    messages.inform(parent, title, f"{done}\n{written}")
    return written


def produce_file_on_worker(parent: QWidget, ctx: AppContext, title: str, stem: str, suffix: str, filters: str,
                           write: Callable[[Path], Operation[Path]], done: str, day: date | None = None,
                           label: str = "Préparation du document…") -> bool:
    """As `produce_file`, but the document is written by an operation on the runner's worker (the window keeps
    repainting, a progress window appears after 300 ms); the user is told where it went when it is done.
    False when nothing was started (other long work running: said before the file is asked; choice cancelled)."""
    if ctx.runner.refuse_if_busy(parent):
        return False
    target = choose_target(parent, ctx.paths.exports_dir, title, stem, suffix, filters, day)
    if target is None:
        return False
    return ctx.runner.start(write(target), parent=parent, label=label, title=title,
                            on_success=lambda written: messages.inform(parent, title, f"{done}\n{written}"))


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


def print_on_worker(parent: QWidget, ctx: AppContext, title: str, stem: str, write: Callable[[Path], Operation[Path]],
                    label: str = "Préparation du document à imprimer…", day: date | None = None) -> bool:
    """« Imprimer » for a document the runner writes on its worker: the PDF goes to the exports' print folder,
    then to the printer (or the viewer, the user being told why)."""
    from clspd_desktop.services.printing import print_folder, print_pdf

    if ctx.runner.refuse_if_busy(parent):
        return False
    target = print_folder(ctx.paths.exports_dir) / f"{stem}-{(day or date.today()).isoformat()}.pdf"

    def printed(path: Path) -> None:
        try:
            outcome = print_pdf(path)
        except UserError as exc:
            messages.show_error(parent, exc)
            return
        messages.inform(parent, title, outcome.message)

    return ctx.runner.start(write(target), parent=parent, label=label, title=title, on_success=printed)


class PrintSwitch:
    """Lets a screen's « Imprimer » reuse the code of its « PDF… » button: while `run` calls that code, `on` is
    true and the screen's save step prints (`print_document`) instead of asking where to save."""

    def __init__(self) -> None:
        self.on = False

    def run(self, produce: Callable[[], T]) -> T:
        self.on = True
        try:
            return produce()
        finally:
            self.on = False
