"""What is printed on every page: the letterhead (logo, council name, long name, address) and the footer
(document title, "Édité le …", "Page X sur Y"). Paragraphs are wrapped once per document, drawn per page."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from clspd_desktop.domain.council import Council
from clspd_desktop.domain.dates import long_date
from clspd_desktop.services.pdf.fonts import REGULAR
from clspd_desktop.services.pdf.styles import ACCENT, MUTED, RULE, styles
from clspd_desktop.services.pdf.text import para

log = logging.getLogger(__name__)

LOGO_MAX_PIXELS = 800  # enough for 2.5 cm at 600 dpi; keeps a 10 MB photo from bloating every PDF
STATIC_FORM = "clspdPageChrome"
_LOGO_ERRORS = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)


@dataclass(frozen=True)
class PageLayout:
    """A4 with room for the letterhead at the top and the footer at the bottom."""

    width: float
    height: float
    margin_x: float = 2.0 * cm
    letterhead_top: float = 1.0 * cm  # from the top edge
    letterhead_height: float = 2.0 * cm
    margin_top: float = 3.6 * cm  # where the text frame starts, below the letterhead's rule
    margin_bottom: float = 2.1 * cm

    @classmethod
    def a4(cls, landscape_orientation: bool = False) -> PageLayout:
        width, height = landscape(A4) if landscape_orientation else A4
        return cls(width=width, height=height)

    @property
    def content_width(self) -> float:
        return self.width - 2 * self.margin_x

    @property
    def content_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom


def load_logo(data: bytes | None) -> ImageReader | None:
    """The council's logo, scaled down; None (and a log line) when absent or not a readable image."""
    if not data:
        return None
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = opened.convert("RGBA" if "A" in opened.getbands() or "transparency" in opened.info else "RGB")
        image.thumbnail((LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))
        return ImageReader(image)
    except _LOGO_ERRORS as exc:
        log.warning("Logo illisible, document édité sans logo : %s", exc)
        return None


def _fit(text: str, style, width: float, max_lines: int) -> Paragraph:
    """Shorten text with an ellipsis until it fits in `max_lines`: the letterhead has a fixed height."""
    while True:
        paragraph = para(text, style)
        _, height = paragraph.wrap(width, 10_000)
        if height <= max_lines * style.leading + 0.5 or len(text) <= 1:
            return paragraph
        text = text[: max(1, int(len(text) * 0.85))].rstrip() + "…"


def _address_line(council: Council) -> str:
    place = " ".join(p for p in (council.postal_code, council.city) if p)
    parts = [", ".join(p for p in (council.address.replace("\n", ", "), place) if p), council.phone, council.email]
    return " · ".join(p for p in parts if p)


class PageChrome:
    """Draws the letterhead and footer; one instance per document."""

    def __init__(self, council: Council, title: str, today: date, layout: PageLayout) -> None:
        st = styles()
        self.layout = layout
        self.logo = load_logo(council.logo)
        self.logo_size = self._logo_size()
        text_x = layout.margin_x + (self.logo_size[0] + 0.45 * cm if self.logo else 0)
        text_width = layout.width - layout.margin_x - text_x
        self.text_x = text_x
        self.header_lines = [
            p for p in (
                _fit(council.name, st.letterhead_name, text_width, 2),
                _fit(council.kind.long_name, st.letterhead_long_name, text_width, 1),
                _fit(_address_line(council), st.letterhead_long_name, text_width, 1) if _address_line(council) else None,
            ) if p is not None
        ]
        footer_width = layout.content_width * 0.72
        self.footer_title = _fit(title, st.footer, footer_width, 1)
        self.edited_on = f"Édité le {long_date(today)}"

    def _logo_size(self) -> tuple[float, float]:
        if self.logo is None:
            return (0.0, 0.0)
        px_w, px_h = self.logo.getSize()
        box_w, box_h = 2.6 * cm, self.layout.letterhead_height
        scale = min(box_w / px_w, box_h / px_h)
        return (px_w * scale, px_h * scale)

    def draw(self, canvas: Canvas, _doc=None) -> None:
        """onPage callback: letterhead and the static part of the footer, drawn once into a form XObject
        that every page references (200 letters embed the logo and header once, and build faster)."""
        if not canvas.hasForm(STATIC_FORM):
            canvas.beginForm(STATIC_FORM)
            self._draw_static(canvas)
            canvas.endForm()
        canvas.doForm(STATIC_FORM)

    def _draw_static(self, canvas: Canvas) -> None:
        layout = self.layout
        top = layout.height - layout.letterhead_top
        canvas.saveState()
        if self.logo is not None:
            w, h = self.logo_size
            canvas.drawImage(self.logo, layout.margin_x, top - h, w, h, mask="auto")
        y = top
        for line in self.header_lines:
            y -= line.height
            line.drawOn(canvas, self.text_x, y)
            y -= 1
        rule_y = layout.height - layout.letterhead_top - layout.letterhead_height - 0.25 * cm
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.1)
        canvas.line(layout.margin_x, rule_y, layout.width - layout.margin_x, rule_y)

        footer_rule = 1.55 * cm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(layout.margin_x, footer_rule, layout.width - layout.margin_x, footer_rule)
        self.footer_title.drawOn(canvas, layout.margin_x, footer_rule - 0.15 * cm - self.footer_title.height)
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(layout.margin_x, footer_rule - 0.85 * cm, self.edited_on)
        canvas.restoreState()

    def draw_page_number(self, canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(self.layout.width - self.layout.margin_x, 1.55 * cm - 0.5 * cm,
                               f"Page {number} sur {total}")
        canvas.restoreState()


def numbered_canvas(draw_page_number: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds pages back until the end so each can say "Page X sur Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                draw_page_number(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas
