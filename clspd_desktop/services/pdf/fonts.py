"""Font registration, done once per process: the DejaVu family (accents, œ, €, U+202F, №) and Symbola as a
fallback for emoji, because reportlab's built-in fonts lack these characters and it has no automatic fallback."""

from __future__ import annotations

import threading
from functools import lru_cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from clspd_desktop.paths import resources_dir
from clspd_desktop.services.pdf import reportlab_fixes

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
FALLBACK = "Symbola"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
_FALLBACK_FILE = "Symbola.ttf"
_lock = threading.Lock()


def _font_path(file_name: str) -> str:
    return str(resources_dir() / "fonts" / file_name)


@lru_cache(maxsize=1)
def register_fonts() -> frozenset[int]:
    """Register the DejaVu family and return the code points it covers (for the emoji fallback)."""
    with _lock:
        reportlab_fixes.apply()
        fonts = {name: TTFont(name, _font_path(file)) for name, file in _FILES.items()}
        for font in fonts.values():
            pdfmetrics.registerFont(font)
        # <b>, <i> and <b><i> in a Paragraph pick the right face; we ship no bold-oblique, bold stands in
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, ITALIC)
        addMapping(REGULAR, 1, 1, BOLD)
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
        return frozenset(fonts[REGULAR].face.charToGlyph)


@lru_cache(maxsize=1)
def fallback_coverage() -> frozenset[int]:
    """Load Symbola only when a document needs it (3 MB to parse): most documents have no emoji."""
    with _lock:
        font = TTFont(FALLBACK, _font_path(_FALLBACK_FILE))
        pdfmetrics.registerFont(font)
        for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
            addMapping(FALLBACK, bold, italic, FALLBACK)
        return frozenset(font.face.charToGlyph)


def with_fallback_font(xml: str) -> str:
    """Wrap runs of characters DejaVu lacks but Symbola has in a <font> tag (markup itself is ASCII).

    Characters neither font covers are left to DejaVu, which prints its "missing glyph" box: the
    document is still produced.
    """
    if xml.isascii():
        return xml
    main = register_fonts()
    if all(ord(char) in main for char in xml):
        return xml
    fallback = fallback_coverage()
    pieces: list[str] = []
    run: list[str] = []
    for char in xml:
        code = ord(char)
        if code not in main and code in fallback:
            run.append(char)
            continue
        if run:
            pieces.append(f'<font face="{FALLBACK}">{"".join(run)}</font>')
            run = []
        pieces.append(char)
    if run:
        pieces.append(f'<font face="{FALLBACK}">{"".join(run)}</font>')
    return "".join(pieces)
