"""Reading PDFs back in tests: the text of each page, the whole text on one line, order checks."""

from __future__ import annotations

from pypdf import PdfReader


def pages_of(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """Every run of spaces (U+202F and U+00A0 included) as one plain space: paragraphs wrap anywhere."""
    return " ".join(text.split())


def text_of(path) -> str:
    return flat(" ".join(pages_of(path)))


def in_order(text: str, *parts: str) -> bool:
    """Each part appears after the previous one."""
    position = 0
    for part in parts:
        position = text.find(part, position)
        if position < 0:
            return False
        position += len(part)
    return True
