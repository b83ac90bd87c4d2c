"""Text helpers shared by search, sorting and duplicate detection."""

from __future__ import annotations

import unicodedata


def search_key(*parts: str | None) -> str:
    """Lower-case, accent-free form so that "elodie" finds "Élodie" and "prefecture" finds "Préfecture"."""
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("œ", "oe").replace("æ", "ae").split())


def sort_key(text: str | None) -> str:
    """Alphabetical order as a French reader expects (É sorts with E)."""
    return search_key(text or "")
