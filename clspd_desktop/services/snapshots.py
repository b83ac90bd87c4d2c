"""Automatic local snapshots of the database: taken without asking, kept ~7 daily / 4 weekly / 12 monthly.

A snapshot is a plain SQLite file made by SQLite's backup API (never a copy of the live WAL file), written
to a temp file, checked, then renamed (clspd_desktop/db/snapshot.py). Its name carries the moment and the
reason, so the list needs no database of its own and survives a damaged database:
`2025-03-17_091500_demarrage.sqlite`.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from clspd_desktop.db.opening import health_check
from clspd_desktop.db.snapshot import write_snapshot
from clspd_desktop.errors import StorageError

log = logging.getLogger(__name__)

STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}_\d{6})_([a-z-]+?)(?:-\d+)?\.sqlite$")

DAILY, WEEKLY, MONTHLY = 7, 4, 12
RECENT = timedelta(hours=24)  # everything this recent is kept: the "before restore" copy must survive the exit
STALE_TEMP = timedelta(hours=1)


class SnapshotReason(StrEnum):
    START = "demarrage"
    EXIT = "fermeture"
    MIGRATION = "avant-migration"
    IMPORT = "avant-import"
    RESTORE = "avant-restauration"
    BULK_DELETE = "avant-suppression"
    MANUAL = "manuel"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    SnapshotReason.START: "Au démarrage",
    SnapshotReason.EXIT: "À la fermeture",
    SnapshotReason.MIGRATION: "Avant une mise à jour de la base",
    SnapshotReason.IMPORT: "Avant un import",
    SnapshotReason.RESTORE: "Avant une restauration",
    SnapshotReason.BULK_DELETE: "Avant une suppression groupée",
    SnapshotReason.MANUAL: "À la demande",
}


@dataclass(frozen=True)
class Snapshot:
    path: Path
    taken_at: datetime
    reason_code: str
    size: int

    @property
    def reason_label(self) -> str:
        try:
            return SnapshotReason(self.reason_code).label
        except ValueError:
            return self.reason_code


def parse_snapshot(path: Path) -> Snapshot | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    try:
        taken_at = datetime.strptime(match.group(1), STAMP_FORMAT)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return Snapshot(path=path, taken_at=taken_at, reason_code=match.group(2), size=size)


def list_snapshots(folder: Path) -> list[Snapshot]:
    """Newest first; files that are not ours (or half-written temp files) are ignored."""
    if not folder.is_dir():
        return []
    found = [s for p in folder.glob("*.sqlite") if (s := parse_snapshot(p)) is not None]
    return sorted(found, key=lambda s: (s.taken_at, s.path.name), reverse=True)


def kept_by_retention(snapshots: list[Snapshot], now: datetime) -> set[Path]:
    """The newest snapshot of each of the last 7 days, 4 weeks and 12 months that have one, plus the last 24 h."""
    newest_first = sorted(snapshots, key=lambda s: s.taken_at, reverse=True)
    keep = {s.path for s in newest_first if now - s.taken_at < RECENT}
    buckets = (
        (lambda d: d.date(), DAILY),
        (lambda d: d.isocalendar()[:2], WEEKLY),
        (lambda d: (d.year, d.month), MONTHLY),
    )
    for bucket_of, count in buckets:
        seen: set = set()
        for snap in newest_first:
            bucket = bucket_of(snap.taken_at)
            if bucket in seen:
                continue
            if len(seen) == count:
                break
            seen.add(bucket)
            keep.add(snap.path)
    return keep


class SnapshotService:
    """Takes, lists, prunes and finds snapshots of one live database connection."""

    def __init__(self, folder: Path, conn: sqlite3.Connection) -> None:
        self.folder = Path(folder)
        self.conn = conn

    def list(self) -> list[Snapshot]:
        return list_snapshots(self.folder)

    def take(self, reason: SnapshotReason, now: datetime | None = None) -> Snapshot:
        """Write a verified snapshot, then apply the retention; StorageError (French) on a full disk."""
        now = now or datetime.now()
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._free_name(now, reason)
        write_snapshot(self.conn, target)
        log.info("Instantané %s", target.name)
        self.prune(now)
        snap = parse_snapshot(target)
        if snap is None:  # pragma: no cover - the name is ours
            raise StorageError(f"L'instantané « {target.name} » est introuvable après écriture.")
        return snap

    def _free_name(self, now: datetime, reason: SnapshotReason) -> Path:
        stem = f"{now.strftime(STAMP_FORMAT)}_{reason.value}"
        target = self.folder / f"{stem}.sqlite"
        number = 2
        while target.exists():
            target = self.folder / f"{stem}-{number}.sqlite"
            number += 1
        return target

    def prune(self, now: datetime | None = None) -> list[Path]:
        """Delete snapshots outside the retention and temp files left by a crash; returns what was deleted."""
        now = now or datetime.now()
        snapshots = self.list()
        keep = kept_by_retention(snapshots, now)
        removed = []
        for snap in snapshots:
            if snap.path not in keep:
                with contextlib.suppress(OSError):
                    snap.path.unlink()
                    removed.append(snap.path)
        for leftover in self.folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if time.time() - leftover.stat().st_mtime > STALE_TEMP.total_seconds():
                    leftover.unlink()
                    removed.append(leftover)
        return removed

    def is_due(self, now: datetime | None = None) -> bool:
        """True when no snapshot is younger than 24 h (the start-up rule)."""
        now = now or datetime.now()
        snapshots = self.list()
        return not snapshots or now - snapshots[0].taken_at >= RECENT

    def latest_good(self) -> Snapshot | None:
        return latest_good_snapshot(self.folder)


def latest_good_snapshot(folder: Path) -> Snapshot | None:
    """The newest snapshot that passes the health check; used when the live database is damaged."""
    for snap in list_snapshots(folder):
        try:
            health_check(snap.path)
        except StorageError as exc:
            log.warning("Instantané écarté %s : %s", snap.path.name, exc.details or exc.message)
            continue
        return snap
    return None
