"""Draw the app icon and the installer icon (PNG in several sizes + Windows .ico) into resources/icons/.

Run once after changing the drawing: `python installer/make_icons.py`. The outputs are committed, so the
build never depends on a display. Each size is drawn directly (not scaled down) so 16 px stays crisp.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen  # noqa: E402

ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE = QColor("#1f3b57")
LIGHT = QColor("#f4f7fa")
GREEN = QColor("#2e8540")


def _shield(size: float) -> QPainterPath:
    """A heraldic shield filling most of the square: flat top, curved sides meeting at a point."""
    m = size * 0.06
    left, right, top, bottom = m, size - m, m, size - m * 0.6
    mid = size / 2
    path = QPainterPath()
    path.moveTo(left, top + size * 0.06)
    path.quadTo(mid, top - size * 0.03, right, top + size * 0.06)
    path.lineTo(right, top + size * 0.48)
    path.cubicTo(right, top + size * 0.72, mid + size * 0.16, bottom - size * 0.08, mid, bottom)
    path.cubicTo(mid - size * 0.16, bottom - size * 0.08, left, top + size * 0.72, left, top + size * 0.48)
    path.closeSubpath()
    return path


def _town_hall(painter: QPainter, size: float) -> None:
    """A pediment, four columns and a base: reads as "mairie" even at 16 px."""
    mid = size / 2
    w = size * 0.54
    left = mid - w / 2
    roof_top, roof_base = size * 0.20, size * 0.36
    roof = QPainterPath()
    roof.moveTo(mid, roof_top)
    roof.lineTo(left + w + size * 0.03, roof_base)
    roof.lineTo(left - size * 0.03, roof_base)
    roof.closeSubpath()
    painter.fillPath(roof, LIGHT)
    lintel = QRectF(left, roof_base + size * 0.015, w, size * 0.05)
    painter.fillRect(lintel, LIGHT)
    columns_top = lintel.bottom() + size * 0.02
    base_top = size * 0.64
    column_w = max(1.0, size * 0.07)
    gap = (w - 4 * column_w) / 3
    for i in range(4):
        x = left + i * (column_w + gap)
        painter.fillRect(QRectF(x, columns_top, column_w, base_top - columns_top), LIGHT)
    painter.fillRect(QRectF(left - size * 0.03, base_top, w + size * 0.06, size * 0.06), LIGHT)


def _setup_badge(painter: QPainter, size: float) -> None:
    """The installer variant: a green disc with a white down arrow in the lower-right corner."""
    r = size * 0.22
    centre = QPointF(size - r - size * 0.02, size - r - size * 0.02)
    painter.setPen(QPen(LIGHT, max(1.0, size * 0.03)))
    painter.setBrush(GREEN)
    painter.drawEllipse(centre, r, r)
    arrow = QPainterPath()
    s = r * 0.55
    arrow.moveTo(centre.x() - s * 0.35, centre.y() - s)
    arrow.lineTo(centre.x() + s * 0.35, centre.y() - s)
    arrow.lineTo(centre.x() + s * 0.35, centre.y())
    arrow.lineTo(centre.x() + s * 0.85, centre.y())
    arrow.lineTo(centre.x(), centre.y() + s)
    arrow.lineTo(centre.x() - s * 0.85, centre.y())
    arrow.lineTo(centre.x() - s * 0.35, centre.y())
    arrow.closeSubpath()
    painter.fillPath(arrow, LIGHT)


def draw_icon(size: int, *, setup: bool = False) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillPath(_shield(size), BLUE)
    _town_hall(painter, size)
    if setup:
        _setup_badge(painter, size)
    painter.end()
    return image


def _png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def _dib_bytes(image: QImage) -> bytes:
    """A 32-bit BMP entry (what every Windows version and Inno Setup read) with its AND mask."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    rows = []
    for y in range(size - 1, -1, -1):  # bottom-up
        line = bytearray()
        for x in range(size):
            pixel = argb.pixel(x, y)
            line += struct.pack("<I", pixel)  # little-endian ARGB = B, G, R, A bytes
        rows.append(bytes(line))
    mask_row = ((size + 31) // 32) * 4
    mask = bytes(mask_row * size)  # all zero: the alpha channel decides
    return header + b"".join(rows) + mask


def ico_bytes(images: list[QImage]) -> bytes:
    """A multi-size .ico: BMP entries below 256 px, PNG for 256 px (the Vista+ convention)."""
    entries = [(img.width(), _png_bytes(img) if img.width() >= 256 else _dib_bytes(img)) for img in images]
    offset = 6 + 16 * len(entries)
    directory = b""
    for width, data in entries:
        dim = 0 if width >= 256 else width
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return struct.pack("<HHH", 0, 1, len(entries)) + directory + b"".join(data for _, data in entries)


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS_DIR.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        draw_icon(size).save(str(ICONS_DIR / f"clspd-desktop-{size}.png"), "PNG")
    (ICONS_DIR / "clspd-desktop.ico").write_bytes(ico_bytes([draw_icon(s) for s in ICO_SIZES]))
    (ICONS_DIR / "clspd-desktop-setup.ico").write_bytes(
        ico_bytes([draw_icon(s, setup=True) for s in ICO_SIZES]))
    draw_icon(256, setup=True).save(str(ICONS_DIR / "clspd-desktop-setup-256.png"), "PNG")
    print(f"Icônes écrites dans {ICONS_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
