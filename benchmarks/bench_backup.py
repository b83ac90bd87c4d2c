"""Encrypted backup and restore of the large council, next to the 7-Zip command-line tool (goal: within 1.5x).

backup_s: snapshot + 7z AES-256 LZMA2 preset 1 with encrypted headers + full verification (decompress and
hash every member). backup_7z_cli_s: `7z a -mhe=on -mx=1` then `7z t` on the same snapshot.
restore_s: extract + check hashes, integrity, foreign keys, schema + replace through the backup API.
restore_7z_cli_s: `7z x` of the same archive. Ratios are ours / the tool's (lower is better).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.large_council import copy_database, shared_large_database
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.snapshot import write_snapshot
from clspd_desktop.db.store import Store
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.archive import find_7z_cli
from clspd_desktop.services.backup import make_backup
from clspd_desktop.services.passwords import generate_password
from clspd_desktop.services.restore import apply_restore, prepare_backup_restore
from clspd_desktop.services.snapshots import SnapshotService


def _timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def _cli(*args: str) -> None:
    subprocess.run([find_7z_cli(), *args], check=True, capture_output=True, stdin=subprocess.DEVNULL)


def collect() -> list[tuple[str, float, str]]:
    password = generate_password()
    with tempfile.TemporaryDirectory(prefix="clspd-bench-backup-") as folder:
        base = Path(folder)
        paths = AppPaths(base / "donnees").ensure()
        copy_database(shared_large_database(), paths.database)
        store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
        try:
            archive = base / "sauvegarde.7z"
            backup_s = _timed(lambda: make_backup(store, paths, archive, password))

            def restore() -> None:
                plan = prepare_backup_restore(archive, password, paths)
                apply_restore(plan, store.db.conn, SnapshotService(paths.snapshots_dir, store.db.conn), paths)

            restore_s = _timed(restore)
            figures = [("backup_s", backup_s, "s"), ("restore_s", restore_s, "s"),
                       ("backup_archive_mb", archive.stat().st_size / 1e6, "Mo"),
                       ("database_mb", paths.database.stat().st_size / 1e6, "Mo")]
            if find_7z_cli() is None:
                return figures
            snapshot = write_snapshot(store.db.conn, base / "clspd.sqlite")
            cli_archive = base / "cli.7z"
            backup_cli = _timed(lambda: (_cli("a", "-t7z", "-mhe=on", "-mx=1", f"-p{password}", str(cli_archive),
                                              str(snapshot)),
                                         _cli("t", f"-p{password}", str(cli_archive))))
            restore_cli = _timed(lambda: _cli("x", f"-p{password}", f"-o{base / 'cli-out'}", "-y", str(archive)))
        finally:
            store.close()
    return figures + [
        ("backup_7z_cli_s", backup_cli, "s"), ("backup_ratio", backup_s / backup_cli, "x"),
        ("restore_7z_cli_s", restore_cli, "s"), ("restore_ratio", restore_s / restore_cli, "x"),
    ]
