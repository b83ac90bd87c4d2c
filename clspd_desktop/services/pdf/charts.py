"""Horizontal bar charts drawn with reportlab's vector graphics (sharp when printed, text searchable).

Labels are drawn as plain strings (no XML, so no escaping needed) and shortened with "…" to fit their
column; values are printed at the end of each bar so the chart can be read without a scale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from clspd_desktop.services.pdf.fonts import REGULAR, register_fonts
from clspd_desktop.services.pdf.styles import ACCENT, INK, MUTED, RULE
from clspd_desktop.services.pdf.text import fit_width

BAR_COLOUR = colors.HexColor("#3E6E9E")
FONT_SIZE = 8


def horizontal_bars(
    items: Sequence[tuple[str, float]],
    width: float,
    *,
    value_text: Callable[[float], str] = lambda v: f"{v:g}",
    maximum: float | None = None,
    title: str = "",
    label_share: float = 0.38,
) -> Drawing:
    """One bar per (label, value), top to bottom in the given order; `maximum` fixes the scale (100 for
    percentages), else the largest value fills the width."""
    register_fonts()
    bar_height, gap, title_height = 11.0, 5.0, (16.0 if title else 0.0)
    height = title_height + len(items) * (bar_height + gap) + gap
    drawing = Drawing(width, height)
    if title:
        drawing.add(String(0, height - 11, title, fontName=REGULAR, fontSize=9, fillColor=ACCENT))
    label_width = width * label_share
    value_room = 62.0
    bar_room = width - label_width - value_room - 6
    scale_max = maximum if maximum is not None else max((v for _, v in items), default=0)
    y = height - title_height - gap - bar_height
    axis_x = label_width + 4
    for label, value in items:
        drawing.add(String(label_width, y + 2.5, fit_width(label, REGULAR, FONT_SIZE, label_width - 2), fontName=REGULAR,
                           fontSize=FONT_SIZE, fillColor=INK, textAnchor="end"))
        length = bar_room * (value / scale_max) if scale_max > 0 else 0
        if length > 0:
            drawing.add(Rect(axis_x, y, max(length, 0.8), bar_height, fillColor=BAR_COLOUR, strokeColor=None))
        drawing.add(String(axis_x + length + 4, y + 2.5, value_text(value), fontName=REGULAR,
                           fontSize=FONT_SIZE, fillColor=MUTED))
        y -= bar_height + gap
    drawing.add(Line(axis_x, gap / 2, axis_x, height - title_height, strokeColor=RULE, strokeWidth=0.6))
    return drawing
