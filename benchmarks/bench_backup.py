"""Encrypted backup and restore of the large council, next to the 7-Zip command-line tool (goal: within 1.5x).

backup_s: copy of the live database in memory (backup API) + 7z AES-256, LZMA2 preset 1 in independent
4 MiB blocks compressed on every core (services/parallel_lzma2.py), encrypted headers + full verification
(decompress, on every core too, and hash every member) while the copy's quick_check runs beside it.
backup_7z_cli_s: `7z a -mhe=on -mx=1` (both cores, 1 MiB blocks) then `7z t` on the same snapshot;
backup_7z_cli_archive_mb is the size of that archive, next to ours (backup_archive_mb).
restore_s: extract while hashing + check hashes, integrity (foreign keys beside it), schema + safety snapshot
+ replace through the backup API + quick_check. restore_7z_cli_s: `7z x` of our archive, which 7-Zip
decodes on both cores since our blocks make that possible (a one-stream archive is decoded on one).
Ratios are ours / the tool's (lower is better). Each figure is the median of `rounds`, ours and the tool's
taken in turn, so that a busy machine slows both.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.large_council import copy_database, shared_full_database
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.snapshot import write_snapshot
from clspd_desktop.db.store import Store
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.archive import find_7z_cli
from clspd_desktop.services.backup import make_backup
from clspd_desktop.services.passwords import generate_password
from clspd_desktop.services.restore import apply_restore, prepare_backup_restore
from clspd_desktop.services.snapshots import SnapshotService

ROUNDS = 5


def _timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def _cli(*args: str) -> None:
    subprocess.run([find_7z_cli(), *args], check=True, capture_output=True, stdin=subprocess.DEVNULL)


def backup_timings(database: Path, rounds: int = ROUNDS) -> list[tuple[str, float, str]]:
    """Figures for a copy of `database`; the 7-Zip lines only when the tool is installed."""
    password = generate_password()
    cli = find_7z_cli() is not None
    ours_backup, ours_restore, cli_backup, cli_restore = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="clspd-bench-backup-") as folder:
        base = Path(folder)
        paths = AppPaths(base / "donnees").ensure()
        copy_database(database, paths.database)
        store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
        try:
            archive = base / "sauvegarde.7z"
            snapshot = write_snapshot(store.db.conn, base / "clspd.sqlite")
            cli_archive, cli_out = base / "cli.7z", base / "cli-out"

            def restore() -> None:
                plan = prepare_backup_restore(archive, password, paths)
                apply_restore(plan, store.db.conn, SnapshotService(paths.snapshots_dir, store.db.conn), paths)

            def cli_backup_once() -> None:
                _cli("a", "-t7z", "-mhe=on", "-mx=1", f"-p{password}", str(cli_archive), str(snapshot))
                _cli("t", f"-p{password}", str(cli_archive))

            for _ in range(rounds):
                ours_backup.append(_timed(lambda: make_backup(store, paths, archive, password)))
                if cli:
                    cli_archive.unlink(missing_ok=True)  # `7z a` on an existing archive would update it
                    cli_backup.append(_timed(cli_backup_once))
                ours_restore.append(_timed(restore))
                if cli:
                    shutil.rmtree(cli_out, ignore_errors=True)
                    cli_restore.append(_timed(lambda: _cli("x", f"-p{password}", f"-o{cli_out}", "-y",
                                                           str(archive))))
            figures = [("backup_s", statistics.median(ours_backup), "s"),
                       ("restore_s", statistics.median(ours_restore), "s"),
                       ("backup_archive_mb", archive.stat().st_size / 1e6, "Mo"),
                       ("database_mb", paths.database.stat().st_size / 1e6, "Mo")]
            cli_size = cli_archive.stat().st_size if cli else 0
        finally:
            store.close()
    if not cli:
        return figures
    backup_cli, restore_cli = statistics.median(cli_backup), statistics.median(cli_restore)
    return figures + [
        ("backup_7z_cli_s", backup_cli, "s"), ("backup_ratio", figures[0][1] / backup_cli, "x"),
        ("backup_7z_cli_archive_mb", cli_size / 1e6, "Mo"),
        ("restore_7z_cli_s", restore_cli, "s"), ("restore_ratio", figures[1][1] / restore_cli, "x"),
    ]


def collect() -> list[tuple[str, float, str]]:
    return backup_timings(shared_full_database())
