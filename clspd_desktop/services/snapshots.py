"""Automatic local snapshots of the database: taken without asking, kept ~7 daily / 4 weekly / 12 monthly.

A snapshot is a plain SQLite file made by SQLite's backup API (never a copy of the live WAL file), written
to a temp file, checked, then renamed (clspd_desktop/db/snapshot.py). Its name carries the moment and the
reason, so the list needs no database of its own and survives a damaged database:
`2025-03-17_091500_demarrage.sqlite`.

The clock is not trusted (a dead CMOS battery sets it days or years off): each snapshot carries, inside the
file, a sequence number one above every snapshot already there, and snapshots are ordered and chosen by it.
The name's date is only shown; a snapshot dated in the future is pruned once a newer one exists, and a
clock that went backwards (or jumped far ahead) is reported once.
"""

from __future__ import annotations

import builtins
import contextlib
import logging
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from clspd_desktop.db.opening import health_check
from clspd_desktop.db.snapshot import SEQUENCE_KEY, read_setting, write_snapshot
from clspd_desktop.errors import StorageError

log = logging.getLogger(__name__)

STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}_\d{6})_([a-z-]+?)(?:-\d+)?\.sqlite$")

DAILY, WEEKLY, MONTHLY = 7, 4, 12
RECENT = timedelta(hours=24)  # everything this recent is kept: the "before restore" copy must survive the exit
STALE_TEMP = timedelta(hours=1)
CLOCK_SLACK = timedelta(hours=1)  # a snapshot dated later than now by more than this: the clock went back
CLOCK_JUMP = timedelta(days=366)  # no snapshot for longer than this: the clock may have jumped ahead
CLOCK_WARNED_FILE = ".horloge-signalee"


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
    sequence: int = 0  # 0: a snapshot from before sequence numbers (ordered by its date among those)

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
    try:
        sequence = int(read_setting(path, SEQUENCE_KEY) or 0)
    except ValueError:
        sequence = 0
    return Snapshot(path=path, taken_at=taken_at, reason_code=match.group(2), size=size, sequence=sequence)


def newest_first(snapshots: list[Snapshot]) -> list[Snapshot]:
    """By content order (sequence), the date only between snapshots made before sequences existed."""
    return sorted(snapshots, key=lambda s: (s.sequence, s.taken_at, s.path.name), reverse=True)


def list_snapshots(folder: Path) -> list[Snapshot]:
    """Newest content first; files that are not ours (or half-written temp files) are ignored."""
    if not folder.is_dir():
        return []
    return newest_first([s for p in folder.glob("*.sqlite") if (s := parse_snapshot(p)) is not None])


def is_future(snap: Snapshot, now: datetime) -> bool:
    return snap.taken_at - now > CLOCK_SLACK


def kept_by_retention(snapshots: list[Snapshot], now: datetime) -> set[Path]:
    """The newest snapshot of each of the last 7 days, 4 weeks and 12 months that have one, plus the last 24 h
    and the newest by sequence.

    A snapshot dated in the future counts in no period. It goes when older content is dated correctly: the
    clock was ahead for a while, then put right. Future-dated snapshots with nothing older dated correctly
    are kept: the clock may be behind now (a dead CMOS battery), and they are the real history.
    """
    ordered = newest_first(snapshots)
    keep = {ordered[0].path} if ordered else set()
    for index, snap in enumerate(ordered):
        if is_future(snap, now) and all(is_future(older, now) for older in ordered[index + 1:]):
            keep.add(snap.path)
    dated = sorted((s for s in snapshots if not is_future(s, now)), key=lambda s: s.taken_at, reverse=True)
    keep |= {s.path for s in dated if now - s.taken_at < RECENT}
    buckets = (
        (lambda d: d.date(), DAILY),
        (lambda d: d.isocalendar()[:2], WEEKLY),
        (lambda d: (d.year, d.month), MONTHLY),
    )
    for bucket_of, count in buckets:
        seen: set = set()
        for snap in dated:
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
        write_snapshot(self.conn, target, stamp={SEQUENCE_KEY: str(self._next_sequence())})
        log.info("Instantané %s", target.name)
        self.prune(now)
        snap = parse_snapshot(target)
        if snap is None:  # pragma: no cover - the name is ours
            raise StorageError(f"L'instantané « {target.name} » est introuvable après écriture.")
        return snap

    def _next_sequence(self) -> int:
        """One above every snapshot in the folder (a restore removes the number a snapshot brings back)."""
        return max((s.sequence for s in self.list()), default=0) + 1

    def _free_name(self, now: datetime, reason: SnapshotReason) -> Path:
        stem = f"{now.strftime(STAMP_FORMAT)}_{reason.value}"
        target = self.folder / f"{stem}.sqlite"
        number = 2
        while target.exists():
            target = self.folder / f"{stem}-{number}.sqlite"
            number += 1
        return target

    def prune(self, now: datetime | None = None) -> builtins.list[Path]:  # `list` here is the method above
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
        for leftover in [*self.folder.glob(".*.tmp"), *self.folder.glob(".*.tmp-journal")]:
            with contextlib.suppress(OSError):
                if time.time() - leftover.stat().st_mtime > STALE_TEMP.total_seconds():
                    leftover.unlink()
                    removed.append(leftover)
        return removed

    def is_due(self, now: datetime | None = None) -> bool:
        """True when no snapshot was taken in the last 24 h (the start-up rule); future-dated ones do not count."""
        now = now or datetime.now()
        return not any(-CLOCK_SLACK <= now - s.taken_at < RECENT for s in self.list())

    def clock_warning(self, now: datetime | None = None) -> str | None:
        """A French warning when the clock went backwards or far ahead since the newest snapshot; once per
        snapshot (a marker file in the folder remembers it)."""
        now = now or datetime.now()
        snapshots = self.list()
        if not snapshots:
            return None
        newest = snapshots[0]
        if is_future(newest, now):
            text = (f"La date de l'ordinateur ({_moment(now)}) est antérieure à celle du dernier instantané "
                    f"({_moment(newest.taken_at)}) : l'horloge a reculé, ou elle avançait quand il a été pris.")
        elif now - newest.taken_at > CLOCK_JUMP:
            text = (f"La date de l'ordinateur ({_moment(now)}) est plus d'un an après le dernier instantané "
                    f"({_moment(newest.taken_at)}) : si l'application n'a pas servi depuis, tout va bien ; "
                    "sinon l'horloge a avancé.")
        else:
            return None
        marker = self.folder / CLOCK_WARNED_FILE
        with contextlib.suppress(OSError):
            if marker.read_text(encoding="utf-8") == newest.path.name:
                return None
        with contextlib.suppress(OSError):
            marker.write_text(newest.path.name, encoding="utf-8")
        return (f"{text} Vérifiez la date et l'heure de Windows. Les instantanés sont classés d'après leur "
                "contenu, pas d'après leur date : aucun n'est perdu ni confondu.")

    def latest_good(self) -> Snapshot | None:
        return latest_good_snapshot(self.folder)


def _moment(when: datetime) -> str:
    from clspd_desktop.domain.dates import long_date

    return f"{long_date(when.date())} à {when.strftime('%H:%M')}"


def good_snapshots(folder: Path) -> Iterator[Snapshot]:
    """The snapshots that pass the health check, newest content first (checked as they are asked for)."""
    for snap in list_snapshots(folder):
        try:
            health_check(snap.path)
        except StorageError as exc:
            log.warning("Instantané écarté %s : %s", snap.path.name, exc.details or exc.message)
            continue
        yield snap


def latest_good_snapshot(folder: Path) -> Snapshot | None:
    """The snapshot with the newest content that passes the health check; used when the database is damaged."""
    return next(good_snapshots(folder), None)
