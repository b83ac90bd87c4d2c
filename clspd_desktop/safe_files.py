"""Writing files so that a crash or a full disk never leaves a half-written file in place of a good one."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable
from pathlib import Path

from clspd_desktop.errors import StorageError

HELD_MESSAGE = (
    "Le fichier « {name} » est ouvert dans un autre programme (lecteur PDF, Excel, antivirus…) : "
    "fermez-le puis recommencez. Le fichier existant n'a pas été modifié."
)
# On Windows a file another program holds open (a viewer, an antivirus scan) cannot be replaced: the
# rename raises PermissionError until it lets go, usually within a second. Waits between attempts (s).
REPLACE_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.0)


class FileHeldError(PermissionError):
    """The target stayed held by another program through every retry."""


def replace_with_retry(source: Path, target: Path, delays: tuple[float, ...] = REPLACE_RETRY_DELAYS) -> None:
    """`os.replace`, retried while an existing target is held by another program."""
    for delay in (*delays, None):
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if not target.exists():  # nothing to hold: a read-only folder, retrying will not help
                raise
            if delay is None:
                raise FileHeldError(*exc.args) from exc
            time.sleep(delay)


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_error_for(exc: OSError, target: Path) -> StorageError:
    """One French message per kind of file-system failure (the known ones are in db/known_errors.py)."""
    if isinstance(exc, FileHeldError):
        return StorageError(HELD_MESSAGE.format(name=target.name), details=str(exc))
    from clspd_desktop.db.known_errors import storage_error_for_os

    return storage_error_for_os(exc, target) or StorageError(
        f"Impossible d'écrire « {target} » : {exc.strerror or exc}. Aucun fichier existant n'a été modifié.",
        details=str(exc))


def temp_path_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def write_atomically(target: Path, produce: Callable[[Path], None]) -> Path:
    """`produce(tmp)` writes a temp file in the target's folder; it is fsynced and renamed over the target.

    On any failure the temp file is removed and the previous target stays byte-identical.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(target)
    try:
        produce(tmp)
        with open(tmp, "rb+") as handle:
            handle.flush()
            os.fsync(handle.fileno())
        if tmp.stat().st_size == 0:
            raise OSError(errno.EIO, "fichier vide après écriture")
        replace_with_retry(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise storage_error_for(exc, target) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return target


def write_bytes_atomically(target: Path, data: bytes) -> Path:
    def produce(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            handle.write(data)

    return write_atomically(target, produce)
