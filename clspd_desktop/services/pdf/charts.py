"""Horizontal bar charts drawn with reportlab's vector graphics (sharp when printed, text searchable).

Labels are drawn as plain strings (no XML, so no escaping needed) and wrap over as many lines as they need
(never cut with « … »); values are printed at the end of each bar so the chart can be read without a scale.
A chart taller than a page is cut into several drawings, each with its title, so any council size prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit

from clspd_desktop.services.pdf.fonts import REGULAR, register_fonts
from clspd_desktop.services.pdf.styles import ACCENT, INK, MUTED, RULE

BAR_COLOUR = colors.HexColor("#3E6E9E")
FONT_SIZE = 8
LINE_HEIGHT = 9.5
BAR_HEIGHT, GAP, TITLE_HEIGHT = 11.0, 5.0, 16.0
MAX_HEIGHT = 520.0  # well under an A4 frame (about 700 pt): a chart part never has to be split by the layout


def top_and_others(items: Sequence[tuple[str, float]], keep: int, others: Callable[[int], str],
                   combine: Callable[[list[float]], float] = sum) -> list[tuple[str, float]]:
    """The `keep - 1` largest values, then one bar « N autres … » for the rest (`combine`: their total, or
    their mean for rates); the list unchanged when it is short enough."""
    if len(items) <= keep:
        return list(items)
    ranked = sorted(items, key=lambda item: -item[1])
    rest = [value for _, value in ranked[keep - 1:]]
    return [*ranked[:keep - 1], (others(len(rest)), combine(rest))]


def _label_lines(label: str, width: float) -> list[str]:
    return simpleSplit(label, REGULAR, FONT_SIZE, width) or [""]


def _row_height(lines: int) -> float:
    return max(BAR_HEIGHT, lines * LINE_HEIGHT) + GAP


def horizontal_bars(
    items: Sequence[tuple[str, float]],
    width: float,
    *,
    value_text: Callable[[float], str] = lambda v: f"{v:g}",
    maximum: float | None = None,
    title: str = "",
    label_share: float = 0.38,
    max_height: float = MAX_HEIGHT,
) -> list[Drawing]:
    """One bar per (label, value), top to bottom in the given order; `maximum` fixes the scale (100 for
    percentages), else the largest value fills the width. One drawing, or several (« suite ») when the
    bars would not fit in `max_height`; every part has the same scale."""
    register_fonts()
    label_width = width * label_share
    wrapped = [(_label_lines(label, label_width - 2), value) for label, value in items]
    scale_max = maximum if maximum is not None else max((v for _, v in items), default=0)
    parts: list[list[tuple[list[str], float]]] = [[]]
    used = (TITLE_HEIGHT if title else 0.0) + GAP
    for row in wrapped:
        height = _row_height(len(row[0]))
        if parts[-1] and used + height > max_height:
            parts.append([])
            used = (TITLE_HEIGHT if title else 0.0) + GAP
        parts[-1].append(row)
        used += height
    return [_drawing(rows, width, label_width, scale_max, value_text,
                     title if index == 0 or not title else f"{title} (suite)")
            for index, rows in enumerate(parts)]


def _drawing(rows: list[tuple[list[str], float]], width: float, label_width: float, scale_max: float,
             value_text: Callable[[float], str], title: str) -> Drawing:
    title_height = TITLE_HEIGHT if title else 0.0
    height = title_height + sum(_row_height(len(lines)) for lines, _ in rows) + GAP
    drawing = Drawing(width, height)
    if title:
        drawing.add(String(0, height - 11, title, fontName=REGULAR, fontSize=9, fillColor=ACCENT))
    value_room = 62.0
    bar_room = width - label_width - value_room - 6
    axis_x = label_width + 4
    top = height - title_height - GAP
    for lines, value in rows:
        row_height = _row_height(len(lines)) - GAP
        y = top - row_height  # bottom of this row
        block = len(lines) * LINE_HEIGHT
        first_baseline = y + (row_height + block) / 2 - LINE_HEIGHT + 2.5
        for number, line in enumerate(lines):
            drawing.add(String(label_width, first_baseline - number * LINE_HEIGHT, line, fontName=REGULAR,
                               fontSize=FONT_SIZE, fillColor=INK, textAnchor="end"))
        bar_y = y + (row_height - BAR_HEIGHT) / 2
        length = bar_room * (value / scale_max) if scale_max > 0 else 0
        if length > 0:
            drawing.add(Rect(axis_x, bar_y, max(length, 0.8), BAR_HEIGHT, fillColor=BAR_COLOUR, strokeColor=None))
        drawing.add(String(axis_x + length + 4, bar_y + 2.5, value_text(value), fontName=REGULAR,
                           fontSize=FONT_SIZE, fillColor=MUTED))
        top = y - GAP
    drawing.add(Line(axis_x, GAP / 2, axis_x, height - title_height, strokeColor=RULE, strokeWidth=0.6))
    return drawing
