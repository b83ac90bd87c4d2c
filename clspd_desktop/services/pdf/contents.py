"""Numbered section headings that feed a table of contents and the PDF's bookmarks (long reports: the bilan).

reportlab's TableOfContents puts the entry text into Paragraph XML as it is, so the entry is escaped here
(a section named after an axis "Jeunes & familles <16-25 ans>" must print as typed). Pages are known only
after layout: a document with contents is built in several passes (`BaseDocTemplate.multiBuild`).
"""

from __future__ import annotations

import itertools

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from clspd_desktop.services.pdf.fonts import BOLD, REGULAR, with_fallback_font
from clspd_desktop.services.pdf.styles import ACCENT, INK, styles
from clspd_desktop.services.pdf.text import para, to_xml

_KEYS = itertools.count(1)


def section_heading(text: str, level: int = 0) -> Paragraph:
    """A heading listed in the contents and the bookmarks: level 0 for a section, 1 for a sub-section."""
    st = styles()
    heading = para(text, st.heading if level == 0 else st.subheading)
    heading.toc_level = level
    heading.toc_text = text
    heading.toc_key = f"section-{next(_KEYS)}"
    return heading


def table_of_contents() -> TableOfContents:
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [
        ParagraphStyle("toc0", fontName=BOLD, fontSize=10.5, leading=15, textColor=ACCENT, leftIndent=0,
                       firstLineIndent=0, spaceBefore=3),
        ParagraphStyle("toc1", fontName=REGULAR, fontSize=9.5, leading=13, textColor=INK, leftIndent=14,
                       firstLineIndent=0),
    ]
    return toc


def has_contents(story: list[Flowable]) -> bool:
    return any(isinstance(flowable, TableOfContents) for flowable in story)


class ContentsDocTemplate(BaseDocTemplate):
    """Tells the table of contents where each section heading landed, and bookmarks it."""

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        key = flowable.toc_key
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.toc_text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, with_fallback_font(to_xml(flowable.toc_text)), self.page, key))
