"""Errors the user must read (French message, nothing lost) as opposed to bugs (crash dialog)."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can understand and act on; `str(err)` is the French message shown."""

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationError(UserError):
    """Input refused; `fields` maps a field name to its French message."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("\n".join(self.fields.values()))


class StorageError(UserError):
    """The database or a file cannot be used: disk full, locked, damaged, unreadable."""


class DatabaseTooNewError(StorageError):
    """The file was written by a newer version of the app: we never touch it."""


class DamagedDatabaseError(StorageError):
    """The health check failed; the file is left exactly as it is."""


class ForeignFileError(StorageError):
    """The file is not a CLSPD Desktop database."""
