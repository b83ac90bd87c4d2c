"""Start-up: health check, refusal of newer or foreign files, snapshot, then migrations.

At application start the whole-file check (`quick_check`, ~0.15 s for a 50 MB council) may still be running
on its thread when the file is opened: the cheap part of the check (header, owner, version) is done in place,
the connection refuses every write (`PRAGMA query_only`) until `OpenedDatabase.finish_check()` has the
whole-file verdict, so the window can be built from the data meanwhile. Anything that writes at start
(migrations, the first-launch assistant, the demo data) waits for the verdict first.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from clspd_desktop.db import migrations
from clspd_desktop.db.connection import connect
from clspd_desktop.db.database import Database
from clspd_desktop.db.file_check import AppliedSteps, FileInspection, inspect_file
from clspd_desktop.db.snapshot import write_snapshot
from clspd_desktop.errors import DatabaseTooNewError, StorageError


@dataclass
class OpenedDatabase:
    db: Database
    path: Path
    applied_migrations: list[str] = field(default_factory=list)
    snapshot: Path | None = None
    created: bool = False
    # The whole-file check still running on its thread; until it passes the connection is read-only.
    unchecked: FileInspection | None = None

    def finish_check(self) -> None:
        """Wait for the whole-file check and allow writes; DamagedDatabaseError (French) when it failed.

        Nothing was written before: the file is as the check found it. Idempotent.
        """
        inspection, self.unchecked = self.unchecked, None
        if inspection is None:
            return
        try:
            inspection.result()
        except BaseException:
            self.unchecked = inspection  # still unchecked: writes stay refused
            raise
        self.db.execute("PRAGMA query_only = OFF")


def health_check(path: Path, inspection: FileInspection | None = None, *, quick_check: bool = True) -> None:
    """Raise a French StorageError describing what is wrong; never modify the file.

    `inspection` is the same file check already started on a thread (start-up); otherwise it runs here.
    `quick_check=False` when the caller runs the full integrity check itself.
    """
    steps = inspection.result() if inspection is not None else inspect_file(path, quick_check=quick_check)
    refuse_newer(steps)


def refuse_newer(steps: AppliedSteps) -> None:
    """A step this version does not know means the file was written by a newer version: never touch it."""
    known = set(migrations.known_names())
    newer = [name for migration_set, name in steps if migration_set == migrations.MIGRATION_SET and name not in known]
    if newer:
        raise DatabaseTooNewError(
            "Cette base de données a été enregistrée par une version plus récente de CLSPD Desktop. "
            "Installez la dernière version de l'application pour l'ouvrir. "
            "Le fichier n'a pas été modifié.",
            details="Étapes inconnues : " + ", ".join(newer),
        )


def in_wal_mode(path: Path) -> bool:
    """The header's read/write versions are 2 in WAL mode: opening such a file writes nothing to it."""
    with open(path, "rb") as handle:
        return handle.read(20)[18:20] == b"\x02\x02"


def open_database(path: Path, snapshots_dir: Path, inspection: FileInspection | None = None,
                  *, defer_check: bool = False) -> OpenedDatabase:
    """Open (or create) the app's database, migrating it after a snapshot when it is older than the app.

    `inspection`: the file check already started for this path (see `FileInspection`), awaited here, or,
    with `defer_check`, left running: the cheap checks are made in place and the result is read-only until
    `finish_check()` (see the module docstring). A pending migration always waits for the whole check.
    """
    path = Path(path)
    if inspection is not None and inspection.path != path:
        inspection = None
    created = not path.exists() or path.stat().st_size == 0
    deferred = defer_check and inspection is not None and not created and in_wal_mode(path)
    if deferred:
        refuse_newer(inspect_file(path, quick_check=False))
    elif not created:
        health_check(path, inspection)
    db = None
    try:
        db = connect(path)
        if deferred:
            db.execute("PRAGMA query_only = ON")
        pending = migrations.pending_names(db)
        opened = OpenedDatabase(db=db, path=path, created=created, unchecked=inspection if deferred else None)
        if pending:
            opened.finish_check()  # the snapshot and the migration are made from a checked file only
        if pending and not created:
            stamp = datetime.now().strftime("%Y-%m-%d_%H%M%S")
            opened.snapshot = write_snapshot(db.conn, snapshots_dir / f"{stamp}_avant-migration.sqlite")
        opened.applied_migrations = migrations.apply_pending(db)
    except BaseException as exc:
        if db is not None:
            db.conn.close()
        if isinstance(exc, sqlite3.OperationalError):
            raise StorageError(
                f"Impossible d'ouvrir la base de données « {path} » : {exc}. Vérifiez qu'aucune autre copie de "
                "l'application n'est ouverte et qu'il reste de la place sur le disque.",
                details=str(exc),
            ) from exc
        raise
    return opened
