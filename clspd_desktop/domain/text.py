"""Text helpers shared by search, sorting, duplicate detection and the screens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

NNBSP = "\u202f"  # the narrow no-break space French typography puts between thousands and before « % »


def single_line(text: str) -> str:
    """A one-line field (a name, a subject) as it may be stored: line breaks, tabs and other control characters
    (pasted from Word or Excel) become spaces, runs of spaces one. Nothing else is changed (<, &, emoji stay)."""
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    if cleaned == text:
        return text.strip()
    return re.sub(" {2,}", " ", cleaned).strip()


def search_key(*parts: str | None) -> str:
    """Lower-case, accent-free form so that "elodie" finds "Élodie" and "prefecture" finds "Préfecture"."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("œ", "oe").replace("æ", "ae").split())


@lru_cache(maxsize=8192)
def sort_key(text: str | None) -> str:
    """Alphabetical order as a French reader expects (É sorts with E). Cached: lists in protocol order sort
    thousands of members by the same few hundred organisation names."""
    return search_key(text or "")


def file_size(size: int) -> str:
    """A file's size as Windows' Explorer shows it in French: « 820 ko », « 6,2 Mo »."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def format_number(value: float | None) -> str:
    """Counts and indicator values with French thousands and decimals: '28 437', '12,5', '' for none."""
    if value is None:
        return ""
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", NNBSP).replace(".", ",")


def sentence_start(text: str) -> str:
    """A text that begins a sentence with a count: « aucun suivi … » becomes « Aucun suivi … »."""
    return text[:1].upper() + text[1:]


def plural(count: int, singular: str, plural_form: str | None = None, *, feminine: bool = False) -> str:
    """A count with its noun agreed, never « (s) »: « 1 réunion », « 2 réunions », « aucune réunion ».

    `plural_form` defaults to the singular + « s » (give it for « fiche-action », « réunion tenue »…);
    `feminine` chooses « aucune » over « aucun » for zero."""
    if count == 0:
        return f"{'aucune' if feminine else 'aucun'} {singular}"
    return f"{count} {singular if abs(count) <= 1 else (plural_form or singular + 's')}"
