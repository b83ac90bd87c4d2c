"""Two small corrections to reportlab, applied once when the fonts are registered.

Both are checked by tests that read the text back from a PDF (tests/unit/test_pdf_pipeline.py), so a
reportlab upgrade that changes these internals fails loudly instead of printing wrong text.

1. Paragraph treats U+202F (narrow no-break space, used in French numbers: "12 345 €") as a breaking
   space and prints a full space instead: the number could be cut at the end of a line and the character
   is lost. We keep U+202F and U+2007 (figure space) inside words, as U+00A0 already is.
2. The ToUnicode map of an embedded TrueType subset writes code points above U+FFFF as five hex digits,
   which readers misread (a copied 🚓 came back as Ὡ). The PDF specification wants UTF-16BE.
"""

from __future__ import annotations

import re

from reportlab.pdfbase import ttfonts
from reportlab.platypus import paragraph

NO_BREAK = "\u00a0\u202f\u2007"
_breaking = "".join(c for c in paragraph._wsc if c not in NO_BREAK)
_split_on_breaking = re.compile(f"[{re.escape(_breaking)}]+").split


def _split(text: str | bytes, delim: str | bytes | None = None) -> list[str]:
    if isinstance(text, bytes):
        text = text.decode("utf8")
    if delim is not None:
        return text.split(delim.decode("utf8") if isinstance(delim, bytes) else delim)
    return [word for word in _split_on_breaking(text) if word]  # same as str.split(), minus no-break spaces


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    pairs = [f"<{index:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for index, code in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange", f"{len(subset)} beginbfchar", *pairs, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


def apply() -> None:
    """Idempotent; BMP output of the ToUnicode map is identical to reportlab's."""
    paragraph.split = _split
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
