"""Loading a logo image chosen by the user: checked, scaled down, stored as PNG bytes in the database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage

from clspd_desktop.errors import UserError

MAX_FILE_BYTES = 10_000_000
MAX_SIDE = 600


def logo_bytes_from_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"Impossible de lire « {path.name} ».", details=str(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise UserError(f"L'image « {path.name} » est trop lourde ({size // 1_000_000} Mo, maximum 10 Mo).")
    image = QImage(str(path))
    if image.isNull():
        raise UserError(f"« {path.name} » n'est pas une image PNG ou JPEG lisible.")
    if max(image.width(), image.height()) > MAX_SIDE:
        image = image.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())
