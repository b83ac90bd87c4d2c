"""Small French phrasings shared by the partners screens."""

from __future__ import annotations

UNDO_NAME_LENGTH = 60  # the Édition menu names what Ctrl+Z undoes: a 5 000-character name must not widen it


def quoted(name: str) -> str:
    """« Name » for a short label (the undo entry), cut at a readable length."""
    short = name if len(name) <= UNDO_NAME_LENGTH else name[:UNDO_NAME_LENGTH] + "…"
    return f"« {short} »"
