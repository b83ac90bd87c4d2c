"""Known storage failures (disk full, read-only, locked, damaged…) told apart from bugs, in one place.

As qutebrowser's `misc/sql.py` does: an error SQLite or the file system reports for a reason the user can
act on becomes a French `StorageError` saying what happened and that nothing already saved was lost (SQLite
rolls back a failed transaction; files are written through `safe_files`, which keeps the previous file).
Anything else is a bug and gets the crash dialog: `to_user_error` then returns None.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from clspd_desktop.errors import DamagedDatabaseError, ForeignFileError, StorageError, UserError

NOTHING_LOST = "Rien de ce qui était déjà enregistré n'a été perdu."
NO_FILE_CHANGED = "Aucun fichier existant n'a été modifié."

# Windows: a file opened by another program (Excel, an antivirus, a backup tool) refuses to be replaced
ERROR_SHARING_VIOLATION = 32
ERROR_LOCK_VIOLATION = 33

_SQLITE_MESSAGES = {
    sqlite3.SQLITE_FULL: (
        StorageError,
        "Le disque est plein : la dernière modification n'a pas pu être enregistrée. Libérez de la place "
        "(videz la corbeille, supprimez de gros fichiers) puis recommencez. " + NOTHING_LOST),
    sqlite3.SQLITE_IOERR: (
        StorageError,
        "Le disque n'a pas pu lire ou écrire la base de données (erreur d'entrée-sortie) : la dernière "
        "modification n'a pas été enregistrée. Vérifiez le disque, puis relancez l'application. " + NOTHING_LOST),
    sqlite3.SQLITE_READONLY: (
        StorageError,
        "La base de données ne peut pas être modifiée pour l'instant (fichier ou dossier en lecture seule, "
        "ou vérification de la base en cours) : la modification n'a pas été enregistrée. " + NOTHING_LOST),
    sqlite3.SQLITE_BUSY: (
        StorageError,
        "La base de données est occupée par un autre programme (antivirus, outil de sauvegarde ou seconde "
        "fenêtre de CLSPD Desktop) : la modification n'a pas été enregistrée. Réessayez dans un instant. "
        + NOTHING_LOST),
    sqlite3.SQLITE_CORRUPT: (
        DamagedDatabaseError,
        "La base de données est endommagée : la modification n'a pas été enregistrée. Fermez l'application ; "
        "au prochain démarrage, elle proposera le dernier instantané valable. Le fichier endommagé est "
        "conservé tel quel."),
    sqlite3.SQLITE_NOTADB: (
        ForeignFileError,
        "Ce fichier n'est pas une base de données lisible (autre format, fichier chiffré ou endommagé) : "
        "il n'a pas été modifié."),
    sqlite3.SQLITE_CANTOPEN: (
        StorageError,
        "Le fichier de la base de données ne peut pas être ouvert (dossier absent, protégé ou clé USB "
        "retirée). " + NOTHING_LOST),
    sqlite3.SQLITE_PERM: (
        StorageError,
        "L'accès à la base de données est refusé par le système : la modification n'a pas été "
        "enregistrée. " + NOTHING_LOST),
}
_SQLITE_MESSAGES[sqlite3.SQLITE_LOCKED] = _SQLITE_MESSAGES[sqlite3.SQLITE_BUSY]

DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
DENIED_ERRNOS = {errno.EACCES, errno.EPERM}


def _named(path: Path | str | None) -> str:
    return f"« {Path(path).name} »" if path else "ce fichier"


def _os_message(exc: OSError) -> str | None:
    """The French sentence for a known file-system failure; {name} and {target} name the file."""
    if getattr(exc, "winerror", None) in (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION):
        return ("Le fichier {name} est ouvert dans un autre programme (Excel, un lecteur PDF, un antivirus…) : "
                "fermez-le puis recommencez.")
    if exc.errno in DISK_FULL_ERRNOS:
        return "Le disque est plein : {name} n'a pas pu être écrit. Libérez de la place puis recommencez."
    if exc.errno == errno.EROFS:
        return ("Le disque est en lecture seule (clé USB verrouillée ou disque protégé) : {name} n'a pas pu "
                "être écrit.")
    if isinstance(exc, PermissionError) or exc.errno in DENIED_ERRNOS:
        return ("Accès refusé : impossible d'écrire « {target} ». Le fichier est peut-être ouvert dans un "
                "autre programme, ou le dossier est en lecture seule.")
    if exc.errno == errno.EIO:
        return "Le disque a signalé une erreur en écrivant {name} (clé USB retirée ou disque défaillant ?)."
    return None


def storage_error_for_os(exc: OSError, target: Path | str | None = None) -> StorageError | None:
    """A French StorageError for a known file-system failure while writing `target`; None otherwise."""
    message = _os_message(exc)
    if message is None:
        return None
    target = target or exc.filename
    return StorageError(f"{message.format(name=_named(target), target=target)} {NO_FILE_CHANGED}",
                        details=str(exc))


def sqlite_error_for(exc: sqlite3.Error) -> StorageError | None:
    """By SQLite's primary result code (extended codes carry it in their low byte); None for bugs."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    known = _SQLITE_MESSAGES.get(code & 0xFF)
    if known is None:
        return None
    kind, message = known
    return kind(message, details=f"{getattr(exc, 'sqlite_errorname', code)}: {exc}")


def to_user_error(exc: BaseException) -> UserError | None:
    """The French error to show for `exc`, or None when it is a bug (crash dialog).

    Follows the explicit cause chain (`raise … from exc`), so a known failure wrapped by a library is found.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UserError):
            return current
        if isinstance(current, sqlite3.Error):
            known = sqlite_error_for(current)
        elif isinstance(current, OSError):
            known = storage_error_for_os(current)
        else:
            known = None
        if known is not None:
            return known
        current = current.__cause__
    return None
