"""Records read back from the database.

A dataclass's ``id`` is ``None`` until the record is saved; one read from the database always has it.
``saved_id`` says so once, where a saved record's id is passed on, instead of an ``assert`` or an
``int(...)`` that would hide a record that was never saved.
"""

from __future__ import annotations


def saved_id(id_: int | None) -> int:
    """The id of a record read from the database; a programming error (not a user's) when it has none."""
    if id_ is None:
        raise ValueError("record has no id: it was never saved to the database")
    return id_
