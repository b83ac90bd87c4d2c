"""Start-up: health check, refusal of newer or foreign files, snapshot, then migrations."""

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


def open_database(path: Path, snapshots_dir: Path, inspection: FileInspection | None = None) -> OpenedDatabase:
    """Open (or create) the app's database, migrating it after a snapshot when it is older than the app.

    `inspection`: the file check already started for this path (see `FileInspection`), awaited here.
    """
    path = Path(path)
    if inspection is not None and inspection.path != path:
        inspection = None
    created = not path.exists() or path.stat().st_size == 0
    if not created:
        health_check(path, inspection)
    try:
        db = connect(path)
        pending = migrations.pending_names(db)
        snapshot = None
        if pending and not created:
            stamp = datetime.now().strftime("%Y-%m-%d_%H%M%S")
            snapshot = write_snapshot(db.conn, snapshots_dir / f"{stamp}_avant-migration.sqlite")
        applied = migrations.apply_pending(db)
    except sqlite3.OperationalError as exc:
        raise StorageError(
            f"Impossible d'ouvrir la base de données « {path} » : {exc}. "
            "Vérifiez qu'aucune autre copie de l'application n'est ouverte et qu'il reste de la place sur le disque.",
            details=str(exc),
        ) from exc
    return OpenedDatabase(db=db, path=path, applied_migrations=applied, snapshot=snapshot, created=created)
