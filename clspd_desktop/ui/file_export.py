"""The one "save a generated document" flow: ask where (a dated name in the exports folder), write it,
tell the user where it went; a UserError (disk full, file open in Excel…) is explained, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from clspd_desktop.errors import UserError
from clspd_desktop.ui import messages


def choose_target(parent: QWidget, exports_dir: Path, title: str, stem: str, suffix: str, filters: str,
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
