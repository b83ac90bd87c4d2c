"""build_pdf: lay out a story under the letterhead and write it atomically."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from clspd_desktop.domain.council import Council
from clspd_desktop.errors import UserError
from clspd_desktop.safe_files import write_bytes_atomically
from clspd_desktop.services.pdf.blocks import title_block
from clspd_desktop.services.pdf.contents import ContentsDocTemplate, contents_in
from clspd_desktop.services.pdf.fonts import REGULAR, register_fonts
from clspd_desktop.services.pdf.page import PageChrome, PageLayout, numbered_canvas

CREATOR = "CLSPD Desktop"


def render_pdf(
    council: Council,
    title: str,
    story: Sequence[Flowable],
    *,
    subtitle: str = "",
    landscape: bool = False,
    today: date | None = None,
    show_title: bool = True,
    subject: str = "",
) -> bytes:
    """The PDF as bytes (nothing touches the disk): for attachments, archives, or build_pdf.

    A story holding a `Contents` gets its page numbers drawn after the single layout pass."""
    register_fonts()
    today = today or date.today()
    layout = PageLayout.a4(landscape)
    chrome = PageChrome(council, title, today, layout)
    buffer = io.BytesIO()
    contents = contents_in(list(story))
    doc = (ContentsDocTemplate if contents else BaseDocTemplate)(
        buffer, pagesize=(layout.width, layout.height),
        leftMargin=layout.margin_x, rightMargin=layout.margin_x,
        topMargin=layout.margin_top, bottomMargin=layout.margin_bottom,
        title=title, author=council.name, subject=subject or council.kind.long_name, creator=CREATOR,
        producer=CREATOR, lang="fr-FR", displayDocTitle=True, initialFontName=REGULAR,
    )
    frame = Frame(layout.margin_x, layout.margin_bottom, layout.content_width, layout.content_height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=chrome.draw)])
    flowables = [*(title_block(title, subtitle) if show_title else []), *story]
    try:
        doc.build(flowables, canvasmaker=numbered_canvas(_page_end(chrome, contents)))
    except LayoutError as exc:
        raise UserError(
            f"Le document « {title} » n'a pas pu être mis en page : un élément est trop grand pour tenir "
            "sur une page. Raccourcissez le texte en cause puis recommencez.",
            details=str(exc),
        ) from exc
    return buffer.getvalue()


def _page_end(chrome: PageChrome, contents: list) -> Callable[[Canvas, int, int], None]:
    """What is drawn on each page once the page count is known: its number, and the contents' numbers."""
    def draw(canvas: Canvas, number: int, total: int) -> None:
        chrome.draw_page_number(canvas, number, total)
        for table in contents:
            table.draw_numbers(canvas, number)

    return draw


def build_pdf(
    path: Path,
    council: Council,
    title: str,
    story: Sequence[Flowable],
    *,
    subtitle: str = "",
    landscape: bool = False,
    today: date | None = None,
    show_title: bool = True,
    subject: str = "",
) -> Path:
    """Render then write atomically: on any failure an existing file at `path` stays byte-identical."""
    data = render_pdf(council, title, story, subtitle=subtitle, landscape=landscape, today=today,
                      show_title=show_title, subject=subject)
    return write_bytes_atomically(Path(path), data)
