"""A table of contents built in ONE layout pass (long reports: the bilan on a large council).

reportlab's TableOfContents needs the document laid out two or three times (`multiBuild`): 3 × 1.5 s on
a council with 600 actions. Here the entries are known before layout (every section heading is created
through `Contents.heading`), so the contents take their final height at once; the page numbers, known
only after layout, are drawn when the canvas saves its pages, the way "Page X sur Y" already is.

Entries are drawn as plain strings (no XML: nothing to escape), on one line each, shortened with "…".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph

from clspd_desktop.services.pdf.fonts import BOLD, REGULAR
from clspd_desktop.services.pdf.styles import ACCENT, INK, MUTED, styles
from clspd_desktop.services.pdf.text import fit_width, para

_KEYS = itertools.count(1)
NUMBER_ROOM = 26.0  # points kept at the right for the page number
INDENT = 14.0


@dataclass(frozen=True)
class _Entry:
    level: int
    text: str
    key: str


@dataclass
class _Slot:
    page: int  # the page of the contents where this entry's number goes
    x: float
    y: float
    key: str


class Contents(Flowable):
    """The contents of one document; put it in the story, and make every listed heading with `heading`."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[_Entry] = []
        self.pages: dict[str, int] = {}  # heading key → page where it landed
        self.slots: list[_Slot] = []

    def heading(self, text: str, level: int = 0) -> Paragraph:
        """A section (level 0) or sub-section (level 1) heading, listed here and in the PDF bookmarks."""
        st = styles()
        paragraph = para(text, st.heading if level == 0 else st.subheading)
        key = f"section-{next(_KEYS)}"
        paragraph.toc_level, paragraph.toc_text, paragraph.toc_key, paragraph.toc_owner = level, text, key, self
        self.entries.append(_Entry(level, text, key))
        return paragraph

    def _style(self, level: int) -> tuple[str, float, float]:
        return (BOLD, 10.0, 16.0) if level == 0 else (REGULAR, 9.0, 13.0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, sum(self._style(e.level)[2] for e in self.entries)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []  # kept on one page (a few dozen lines): moved to the next page rather than cut

    def draw(self) -> None:
        canvas: Canvas = self.canv
        page = canvas.getPageNumber()
        self.slots = []
        y = sum(self._style(e.level)[2] for e in self.entries)
        for entry in self.entries:
            font, size, leading = self._style(entry.level)
            y -= leading
            baseline = y + (leading - size) / 2
            left = INDENT * entry.level
            text_width = self.width - left - NUMBER_ROOM - 8
            text = fit_width(entry.text, font, size, text_width)
            canvas.setFont(font, size)
            canvas.setFillColor(ACCENT if entry.level == 0 else INK)
            canvas.drawString(left, baseline, text)
            dots_from = left + stringWidth(text, font, size) + 4
            canvas.setFont(REGULAR, size)
            canvas.setFillColor(MUTED)
            dot = stringWidth(". ", REGULAR, size)
            count = int((self.width - NUMBER_ROOM - dots_from) / dot)
            if count > 0:
                canvas.drawRightString(self.width - NUMBER_ROOM, baseline, ". " * count)
            x, absolute_y = canvas.absolutePosition(self.width, baseline)
            self.slots.append(_Slot(page, x, absolute_y, entry.key))

    def draw_numbers(self, canvas: Canvas, page: int) -> None:
        """Called once per page when the document is saved: writes the numbers on the contents' page."""
        for slot in self.slots:
            if slot.page == page and slot.key in self.pages:
                canvas.saveState()
                canvas.setFont(REGULAR, 9.5)
                canvas.setFillColor(INK)
                canvas.drawRightString(slot.x, slot.y, str(self.pages[slot.key]))
                canvas.restoreState()


def contents_in(story: list[Flowable]) -> list[Contents]:
    return [flowable for flowable in story if isinstance(flowable, Contents)]


class ContentsDocTemplate(BaseDocTemplate):
    """Records the page of every listed heading, and bookmarks it for the reader's side panel."""

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        owner = getattr(flowable, "toc_owner", None)
        if owner is None:
            return
        key = flowable.toc_key
        owner.pages[key] = self.page
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.toc_text, key, level=flowable.toc_level, closed=flowable.toc_level > 0)
