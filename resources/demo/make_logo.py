"""Draws the fictional commune's logo (a shield with a linden tree) used by the demo database.

Run once from the repository root: `python resources/demo/make_logo.py`; the PNG is committed so the
app never needs Qt's painter to build the demo. Deterministic: same Qt, same bytes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath, QPen  # noqa: E402

SIZE = 320
NAVY = QColor("#1f3b57")
GOLD = QColor("#d9a441")
LEAF = QColor("#4f8a3c")
TRUNK = QColor("#7a5230")
TARGET = Path(__file__).with_name("logo-montreval.png")


def shield_path(rect: QRectF) -> QPainterPath:
    """A French heraldic shield: straight top, rounded bottom meeting in a point."""
    path = QPainterPath()
    left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
    mid = rect.center().x()
    path.moveTo(left, top)
    path.lineTo(right, top)
    path.lineTo(right, top + rect.height() * 0.55)
    path.quadTo(right, bottom - rect.height() * 0.12, mid, bottom)
    path.quadTo(left, bottom - rect.height() * 0.12, left, top + rect.height() * 0.55)
    path.closeSubpath()
    return path


def draw(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    shield = QRectF(40, 12, SIZE - 80, SIZE - 70)
    painter.setPen(QPen(GOLD, 8))
    painter.setBrush(QBrush(NAVY))
    painter.drawPath(shield_path(shield))

    cx = shield.center().x()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(TRUNK))
    painter.drawRoundedRect(QRectF(cx - 10, 150, 20, 70), 4, 4)
    painter.setBrush(QBrush(LEAF))
    for dx, dy, r in ((0, 105, 52), (-42, 135, 38), (42, 135, 38), (-24, 80, 34), (24, 80, 34)):
        painter.drawEllipse(QPointF(cx + dx, dy), r, r)
    painter.setBrush(QBrush(GOLD))
    painter.drawRect(QRectF(cx - 70, 222, 140, 8))

    font = QFont("DejaVu Sans", 26)
    font.setBold(True)
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 2)
    painter.setFont(font)
    painter.setPen(NAVY)
    painter.drawText(QRectF(0, SIZE - 52, SIZE, 44), Qt.AlignmentFlag.AlignCenter, "MONTREVAL")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    draw(painter)
    painter.end()
    if not image.save(str(TARGET), "PNG"):
        print(f"Écriture impossible : {TARGET}", file=sys.stderr)
        return 1
    print(f"{TARGET} ({TARGET.stat().st_size} octets)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
