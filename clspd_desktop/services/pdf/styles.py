"""The few paragraph styles and colours every document shares, so all reports look like one family."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from clspd_desktop.services.pdf.fonts import BOLD, ITALIC, REGULAR, register_fonts

INK = colors.HexColor("#1A1A1A")
ACCENT = colors.HexColor("#1F3A5F")  # sober institutional navy: header rows, rules
MUTED = colors.HexColor("#5A6472")
RULE = colors.HexColor("#B8C2CE")
ZEBRA = colors.HexColor("#EEF2F7")


@dataclass(frozen=True)
class PdfStyles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    body_justified: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_small: ParagraphStyle
    header_cell: ParagraphStyle
    letterhead_name: ParagraphStyle
    letterhead_long_name: ParagraphStyle
    footer: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> PdfStyles:
    """Built once, after the fonts are registered."""
    register_fonts()
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=10, leading=13.5, textColor=INK,
                          alignment=TA_LEFT, splitLongWords=1)

    def derive(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return PdfStyles(
        title=derive("title", fontName=BOLD, fontSize=16, leading=20, alignment=TA_CENTER, textColor=ACCENT,
                     spaceAfter=4),
        subtitle=derive("subtitle", fontSize=10.5, leading=14, alignment=TA_CENTER, textColor=MUTED, spaceAfter=2),
        heading=derive("heading", fontName=BOLD, fontSize=12.5, leading=16, textColor=ACCENT, spaceBefore=10,
                       spaceAfter=5),
        subheading=derive("subheading", fontName=BOLD, fontSize=10.5, leading=13.5, spaceBefore=6, spaceAfter=1),
        body=base,
        body_justified=derive("body_justified", alignment=TA_JUSTIFY),
        small=derive("small", fontSize=8.5, leading=11, textColor=MUTED),
        note=derive("note", fontName=ITALIC, fontSize=9, leading=12, textColor=MUTED),
        cell=derive("cell", fontSize=8.5, leading=10.5),
        cell_small=derive("cell_small", fontSize=7.5, leading=9.5, textColor=MUTED),
        header_cell=derive("header_cell", fontName=BOLD, fontSize=8.5, leading=10.5, textColor=colors.white),
        letterhead_name=derive("letterhead_name", fontName=BOLD, fontSize=12.5, leading=15.5, textColor=ACCENT),
        letterhead_long_name=derive("letterhead_long_name", fontSize=8.5, leading=11, textColor=MUTED),
        footer=derive("footer", fontSize=7.5, leading=9.5, textColor=MUTED),
    )
