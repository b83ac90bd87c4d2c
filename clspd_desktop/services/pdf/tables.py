"""Data tables with a header repeated on every page and zebra rows, the layout of every list we print."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from clspd_desktop.services.pdf.styles import ACCENT, RULE, ZEBRA, styles
from clspd_desktop.services.pdf.text import Content, para

Cell = Content | Flowable | Sequence[Flowable]


# Numbers, amounts, rates and dates never need wrapping nor markup: drawn as plain strings, they cost a
# tenth of a Paragraph (a bilan on a large council has ~10 000 such cells).
_PLAIN = re.compile(r"[0-9 \u202f\u00a0,.%€+\-–—/:]{1,20}")


def _cell(value: Cell, style) -> Flowable | list[Flowable] | str:
    """str or str/Markup parts become an escaped paragraph (a plain number stays a plain string);
    flowables (alone or stacked) pass as they are."""
    if type(value) is str and _PLAIN.fullmatch(value):
        return value
    if isinstance(value, Flowable):
        return value
    if not isinstance(value, str) and value and all(isinstance(v, Flowable) for v in value):
        return list(value)
    return para(value, style)


_PADDING = 8.0  # left + right cell padding below


def widths_for_header(header: Sequence[str], col_widths: Sequence[str | float], font: str, size: float
                      ) -> list[str | float]:
    """Percent widths widened so that no header word has to break inside itself (« Abandonn|ées »): each column
    gets at least its longest header word on a portrait A4 page (the narrowest frame), taken from the columns
    with room to spare. Widths in points are left as given."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from clspd_desktop.services.pdf.page import PageLayout

    if not all(isinstance(w, str) and w.endswith("%") for w in col_widths):
        return list(col_widths)
    frame = PageLayout.a4().content_width
    shares = [float(str(w)[:-1]) for w in col_widths]
    needed = [max((stringWidth(word, font, size) for word in title.split()), default=0) + _PADDING + 1
              for title in header]
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
    col_widths = widths_for_header(header, col_widths, st.header_cell.fontName, st.header_cell.fontSize)
    data = [[_cell(title, st.header_cell) for title in header]]
    data.extend([_cell(value, st.cell) for value in row] for row in rows)
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
