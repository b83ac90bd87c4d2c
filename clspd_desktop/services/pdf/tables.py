"""Data tables with a header repeated on every page and zebra rows, the layout of every list we print."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from clspd_desktop.services.pdf.styles import ACCENT, RULE, ZEBRA, styles
from clspd_desktop.services.pdf.text import Content, para

Cell: TypeAlias = Content | Flowable | Sequence[Flowable]  # TypeAlias: Flowable is untyped (Any)


# Numbers, amounts, rates and dates never need wrapping nor markup: drawn as plain strings, they cost a
# tenth of a Paragraph (a bilan on a large council has ~10 000 such cells).
_PLAIN = re.compile(r"[0-9 \u202f\u00a0,.%€+\-–—/:]{1,20}")


def _wrapped_plain(text: str, style, width: float) -> str | None:
    """User text the table can draw as a plain string (a tenth of a Paragraph's cost, which decides the time of
    a bilan with thousands of cells): one line that fits the column, else None and a Paragraph (also for a
    glyph from the fallback font, a control character, a no-break space)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from clspd_desktop.services.pdf.fonts import register_fonts

    if not text.isascii():
        covered = register_fonts()
        if not all(ord(char) in covered for char in text):
            return None
    if _CONTROL.search(text) or any(char in text for char in "\n\r\u00a0\u202f"):
        return None  # line breaks kept and no-break spaces honoured by the Paragraph
    if stringWidth(text, style.fontName, style.fontSize) > width:
        return None  # wrapped by a Paragraph: its lines stay together when the PDF's text is copied or searched
    return text


def _cell(value: Cell, style, width: float | None = None) -> Flowable | list[Flowable] | str:
    """str or str/Markup parts become an escaped paragraph (a plain number stays a plain string, and plain
    text that fits the column is pre-wrapped lines); flowables (alone or stacked) pass as they are."""
    if type(value) is str and _PLAIN.fullmatch(value):
        return value
    if type(value) is str and width is not None and (lines := _wrapped_plain(value, style, width)) is not None:
        return lines
    if isinstance(value, Flowable):
        return value
    if not isinstance(value, str) and value and all(isinstance(v, Flowable) for v in value):
        return list(value)
    return para(value, style)


_PADDING = 8.0  # left + right cell padding below
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def widths_for_header(header: Sequence[str], col_widths: Sequence[str | float], font: str, size: float,
                      rows: Sequence[Sequence[Cell]] = (), cell_font: str = "", cell_size: float = 0
                      ) -> list[str | float]:
    """Percent widths widened so that no header word has to break inside itself (« Abandonn|ées ») and no
    amount or date (drawn unwrapped) runs over its column: each column gets at least its longest header word
    and its widest plain figure on a portrait A4 page (the narrowest frame), taken from the columns with room
    to spare. Widths in points are left as given."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from clspd_desktop.services.pdf.page import PageLayout

    if not all(isinstance(w, str) and w.endswith("%") for w in col_widths):
        return list(col_widths)
    frame = PageLayout.a4().content_width
    shares = [float(str(w)[:-1]) for w in col_widths]
    needed = [max((stringWidth(word, font, size) for word in title.split()), default=0) + _PADDING + 1
              for title in header]
    for row in rows:
        for index, value in enumerate(row[:len(needed)]):
            if type(value) is str and _PLAIN.fullmatch(value):
                needed[index] = max(needed[index], stringWidth(value, cell_font, cell_size) + _PADDING + 1)
    minimum = [n / frame * 100 for n in needed]
    deficit = sum(max(0.0, m - s) for m, s in zip(minimum, shares, strict=True))
    if deficit <= 0:
        return list(col_widths)
    slack = [max(0.0, s - m) for m, s in zip(minimum, shares, strict=True)]
    room = sum(slack)
    if room < deficit:  # too many columns for the page: keep the words whole, the table may get wider
        return [f"{max(m, s):.2f}%" for m, s in zip(minimum, shares, strict=True)]
    return [f"{(m if m > s else s - deficit * sl / room):.2f}%"
            for m, s, sl in zip(minimum, shares, slack, strict=True)]


def _inner_widths(col_widths: Sequence[str | float]) -> list[float]:
    """Room for text in each column on a portrait A4 page (the narrowest frame: lines wrapped for it fit
    any other)."""
    from clspd_desktop.services.pdf.page import PageLayout

    frame = PageLayout.a4().content_width
    return [(float(w[:-1]) / 100 * frame if isinstance(w, str) else float(w)) - _PADDING for w in col_widths]


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    col_widths: Sequence[str | float],
    *,
    zebra: bool = True,
) -> Table:
    """A table whose cells are escaped paragraphs (str) or ready flowables (one, or a list stacked in the cell).

    `col_widths` accepts points or percentages of the frame ("30%"), so the same call fits portrait and
    landscape. Rows may split across pages (a 5 000-character name cannot overflow the page).
    """
    st = styles()
    col_widths = widths_for_header(header, col_widths, st.header_cell.fontName, st.header_cell.fontSize, rows,
                                   st.cell.fontName, st.cell.fontSize)
    inner = _inner_widths(col_widths)
    data = [[_cell(title, st.header_cell) for title in header]]
    data.extend([_cell(value, st.cell, width) for value, width in zip(row, inner, strict=False)] for row in rows)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, ACCENT),
        ("FONT", (0, 1), (-1, -1), st.cell.fontName, st.cell.fontSize, st.cell.leading),
        ("TEXTCOLOR", (0, 1), (-1, -1), st.cell.textColor),
    ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
    return Table(data, colWidths=list(col_widths), repeatRows=1, splitInRow=1, hAlign="LEFT",
                 style=TableStyle(commands))
