"""Known failures of the disk and of SQLite, told apart from bugs (qutebrowser's `misc/sql.py` idea).

`to_user_error` turns what the user can act on (a full disk, a locked or read-only file, a damaged file)
into a French `StorageError` that says nothing was lost; anything else is a bug for the crash dialog.
"""

from __future__ import annotations

import errno
import sqlite3

from clspd_desktop.errors import StorageError, UserError

_UNCHANGED = " L'opération n'a rien modifié : vos données sont intactes."

_SQLITE = {
    "SQLITE_FULL": "Le disque est plein : libérez de la place puis recommencez.",
    "SQLITE_IOERR": "Erreur de lecture ou d'écriture sur le disque.",
    "SQLITE_READONLY": "La base de données est en lecture seule (droits du dossier ou disque protégé).",
    "SQLITE_BUSY": "La base de données est occupée par un autre programme : réessayez dans un instant.",
    "SQLITE_LOCKED": "La base de données est occupée par un autre programme : réessayez dans un instant.",
    "SQLITE_CORRUPT": "La base de données est endommagée : restaurez le dernier instantané (rubrique "
                      "Sauvegardes).",
    "SQLITE_NOTADB": "Le fichier n'est pas une base de données CLSPD Desktop.",
    "SQLITE_CANTOPEN": "Le fichier de la base de données ne peut pas être ouvert.",
}
_OS = {
    errno.ENOSPC: "Le disque est plein : libérez de la place puis recommencez.",
    errno.EACCES: "Accès refusé : vérifiez les droits sur le dossier ou le fichier.",
    errno.EPERM: "Accès refusé : vérifiez les droits sur le dossier ou le fichier.",
    errno.EROFS: "Le disque est en lecture seule.",
}


def to_user_error(exc: BaseException) -> UserError | None:
    """The French error for a known failure, None for a bug."""
    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        base = next((text for code, text in _SQLITE.items() if name == code or name.startswith(code + "_")), None)
        if base is None and isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc):
            base = _SQLITE["SQLITE_FULL"]
        return StorageError(base + _UNCHANGED, details=str(exc)) if base else None
    if isinstance(exc, OSError):
        text = _OS.get(exc.errno or 0)
        if text is None and getattr(exc, "winerror", None) in (32, 33):
            text = "Le fichier est ouvert dans un autre programme : fermez-le puis recommencez."
        if text is None:
            return None
        where = f" ({exc.filename})" if exc.filename else ""
        return StorageError(text + where + _UNCHANGED, details=str(exc))
    return None
