"""The one place where text enters a Paragraph: user text is escaped here and nowhere else.

reportlab reads Paragraph text as XML: unescaped, `<SARL>` vanishes, `R&D` prints wrongly and an
unclosed `<b>` raises. Plain `str` is always treated as user text; only `Markup` (our own tags) passes
through, so a forgotten escape cannot happen by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from clspd_desktop.services.pdf.fonts import with_fallback_font

# C0 controls (except tab and newline) are not allowed in XML and make reportlab's parser fail
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Markup(str):
    """Trusted reportlab markup written by us (e.g. '<b>Adresse :</b> '), never built from user text."""


Content = str | Iterable[str]


def to_xml(part: str) -> str:
    """User text becomes safe XML (line breaks kept); Markup passes unchanged."""
    if isinstance(part, Markup):
        return str(part)
    text = _CONTROL.sub("", part).replace("\r\n", "\n").replace("\r", "\n")
    return escape(text).replace("\n", "<br/>")


def bold(text: str) -> Markup:
    """User or own text in bold, escaped as usual."""
    return Markup(f"<b>{to_xml(text)}</b>")


def italic(text: str) -> Markup:
    return Markup(f"<i>{to_xml(text)}</i>")


def join_xml(content: Content) -> str:
    """A str or a sequence of str/Markup parts, as one piece of Paragraph XML."""
    parts = [content] if isinstance(content, str) else list(content)
    return with_fallback_font("".join(to_xml(part) for part in parts))


def para(content: Content, style: ParagraphStyle) -> Paragraph:
    """A Paragraph from user text (escaped) or from parts mixing user text and Markup."""
    return Paragraph(join_xml(content), style)


def markup(xml: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph from our own trusted markup only."""
    return para(Markup(xml), style)


def fit_width(text: str, font: str, size: float, width: float) -> str:
    """One line of plain text (chart labels, contents entries) shortened with "…" to fit `width` points."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
