"""Start-up: health check, refusal of newer or foreign files, snapshot, then migrations."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlite_utils

from clspd_desktop.db import migrations
from clspd_desktop.db.connection import APPLICATION_ID, connect
from clspd_desktop.db.snapshot import write_snapshot
from clspd_desktop.errors import DamagedDatabaseError, DatabaseTooNewError, ForeignFileError, StorageError

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass
class OpenedDatabase:
    db: sqlite_utils.Database
    path: Path
    applied_migrations: list[str] = field(default_factory=list)
    snapshot: Path | None = None
    created: bool = False


def health_check(path: Path) -> None:
    """Raise a French StorageError describing what is wrong; never modify the file."""
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
    conn = sqlite3.connect(str(path))
    conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # damaged pages hold invalid UTF-8
    try:
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        except (sqlite3.DatabaseError, UnicodeError) as exc:  # raises on a malformed file instead of returning
            raise DamagedDatabaseError(_damaged(path), details=str(exc)) from exc
        if rows != [("ok",)]:
            raise DamagedDatabaseError(_damaged(path), details="\n".join(str(r[0]) for r in rows[:20]))
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id not in (0, APPLICATION_ID) or (tables and "_sqlite_migrations" not in tables):
            raise ForeignFileError(
                f"Le fichier « {path.name} » est une base SQLite qui n'a pas été créée par CLSPD Desktop. "
                "Il n'a pas été modifié."
            )
        if "_sqlite_migrations" in tables:
            known = set(migrations.known_names())
            applied = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [migrations.MIGRATION_SET])]
            newer = [name for name in applied if name not in known]
            if newer:
                raise DatabaseTooNewError(
                    "Cette base de données a été enregistrée par une version plus récente de CLSPD Desktop. "
                    "Installez la dernière version de l'application pour l'ouvrir. "
                    "Le fichier n'a pas été modifié.",
                    details="Étapes inconnues : " + ", ".join(newer),
                )
    except (sqlite3.DatabaseError, UnicodeError) as exc:
        raise DamagedDatabaseError(_damaged(path), details=str(exc)) from exc
    finally:
        conn.close()


def _damaged(path: Path) -> str:
    return (
        f"La base de données « {path.name} » est endommagée. Elle n'a pas été modifiée. "
        "Vous pouvez restaurer le dernier instantané ou la dernière sauvegarde."
    )


def open_database(path: Path, snapshots_dir: Path) -> OpenedDatabase:
    """Open (or create) the app's database, migrating it after a snapshot when it is older than the app."""
    path = Path(path)
    created = not path.exists() or path.stat().st_size == 0
    if not created:
        health_check(path)
    try:
        db = connect(path)
        pending = [m.name for m in migrations.migrations.pending(db)]
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
