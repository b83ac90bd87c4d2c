"""The file-level part of the start-up health check: readable SQLite file, not damaged, ours.

Kept free of sqlite-utils (and of anything slow to import) so that start-up can run it on a thread before
importing Qt: SQLite releases the GIL during `PRAGMA quick_check`, so on a large database the check runs
on another core while the interpreter imports Qt and sqlite-utils, instead of adding to them. The app's
judgement on the schema version (newer than the app?) stays in `opening.health_check`.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from clspd_desktop.errors import DamagedDatabaseError, ForeignFileError, StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
# "CLSP" in ASCII: lets us recognise our own files and refuse foreign ones.
APPLICATION_ID = 0x434C5350
MIGRATIONS_TABLE = "_sqlite_migrations"

AppliedSteps = list[tuple[str, str]]  # (migration set, step name) rows recorded in the file


def damaged_message(path: Path) -> str:
    return (
        f"La base de données « {path.name} » est endommagée. Elle n'a pas été modifiée. "
        "Vous pouvez restaurer le dernier instantané ou la dernière sauvegarde."
    )


def untouched_uri(path: Path) -> str:
    """A read-only URI that can neither modify the file nor leave -wal/-shm files beside it.

    Without a -wal file the database file holds everything: `immutable=1` reads it with no lock and no
    -wal/-shm file (plain `mode=ro` on a WAL database creates both and leaves them). When a -wal file
    exists (the app is open elsewhere, or crashed) its latest changes are only there: plain read-only
    access reads them and, unlike a read-write connection closing last, never folds them into the file.
    """
    path = Path(path).resolve()
    wal = path.with_name(path.name + "-wal")
    return f"{path.as_uri()}?{'mode=ro' if wal.exists() else 'mode=ro&immutable=1'}"


def inspect_file(path: Path, *, quick_check: bool = True) -> AppliedSteps:
    """Raise a French StorageError when the file is unreadable, damaged or foreign; never modify it.

    Returns the migration steps recorded in the file (empty for a file without tables). `quick_check=False`
    for a caller that runs the full `integrity_check` next (a restore): the quick one would read it all twice.
    Read-only (`untouched_uri`): a file refused here, e.g. a newer version's with a -wal, stays as it was.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise StorageError(f"Impossible de lire la base de données « {path} » : {exc.strerror}.") from exc
    if header != SQLITE_HEADER:
        raise DamagedDatabaseError(
            f"Le fichier « {path.name} » n'est pas une base de données lisible (fichier endommagé ou d'un "
            "autre type). Il n'a pas été modifié.",
            details=f"En-tête : {header!r}",
        )
    try:
        conn = sqlite3.connect(untouched_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise StorageError(f"Impossible de lire la base de données « {path} » : {exc}.") from exc
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # damaged pages hold invalid UTF-8
    try:
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall() if quick_check else [("ok",)]
        except (sqlite3.DatabaseError, UnicodeError) as exc:  # raises on a malformed file instead of returning
            raise DamagedDatabaseError(damaged_message(path), details=str(exc)) from exc
        if rows != [("ok",)]:
            raise DamagedDatabaseError(damaged_message(path), details="\n".join(str(r[0]) for r in rows[:20]))
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id not in (0, APPLICATION_ID) or (tables and MIGRATIONS_TABLE not in tables):
            raise ForeignFileError(
                f"Le fichier « {path.name} » est une base SQLite qui n'a pas été créée par CLSPD Desktop. "
                "Il n'a pas été modifié."
            )
        return read_applied_steps(conn) if MIGRATIONS_TABLE in tables else []
    except (sqlite3.DatabaseError, UnicodeError) as exc:
        raise DamagedDatabaseError(damaged_message(path), details=str(exc)) from exc
    finally:
        conn.close()


def read_applied_steps(conn: sqlite3.Connection) -> AppliedSteps:
    """Every recorded step, in the order applied (as sqlite-utils' `Migrations.applied` reads them)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        [MIGRATIONS_TABLE]).fetchone():
        return []
    return [(r[0], r[1]) for r in conn.execute(
        f"SELECT migration_set, name FROM {MIGRATIONS_TABLE} ORDER BY rowid")]


class FileInspection:
    """`inspect_file` started on a thread; `result()` waits for it and re-raises what it raised.

    Only started for an existing, non-empty file: a missing or empty one is created, not checked.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._steps: AppliedSteps = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="verification-base", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, path: Path) -> FileInspection | None:
        path = Path(path)
        try:
            if path.stat().st_size == 0:
                return None
        except OSError:  # missing (created at opening) or unreadable (opening reports it)
            return None
        return cls(path)

    def _run(self) -> None:
        try:
            self._steps = inspect_file(self.path)
        except BaseException as exc:  # handed to the main thread by result()
            self._error = exc

    def result(self) -> AppliedSteps:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._steps
