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

restore_fair_ratio: our restore over the fair floor measured in the same run (`restore_floor`: `7z x` of the
same archive + `PRAGMA integrity_check` + a synced safety copy + the replacement through the backup API,
with the standard `sqlite3` and the tool alone); goal ≤ 1.5. backup_ratio_matched: our backup over the
tool's set to our archive's size (`backup_floor_matched`: the consistent copy, `7z a` at the first -mx level
whose archive is no larger than ours, `7z t`); goal ≤ 1.3. backup_peak_rss_mb: the resident memory one backup
adds to a fresh process (sampled every 2 ms), backup_peak_rss_ratio the same over the database's size
(goal ≤ 1.5). Figures suffixed `_3x` are on the council three times as large (one round).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
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
    ours_backup, ours_restore, cli_backup, cli_restore, fair_restores = [], [], [], [], []
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

            def fair_restore() -> None:
                restore_floor(archive, password, paths.database, base / "plancher")

            for _ in range(rounds):
                ours_backup.append(_timed(lambda: make_backup(store, paths, archive, password)))
                if cli:
                    cli_archive.unlink(missing_ok=True)  # `7z a` on an existing archive would update it
                    cli_backup.append(_timed(cli_backup_once))
                ours_restore.append(_timed(restore))
                if cli:
                    fair_restores.append(_timed(fair_restore))
                if cli:
                    shutil.rmtree(cli_out, ignore_errors=True)
                    cli_restore.append(_timed(lambda: _cli("x", f"-p{password}", f"-o{cli_out}", "-y",
                                                           str(archive))))
            figures = [("backup_s", statistics.median(ours_backup), "s"),
                       ("restore_s", statistics.median(ours_restore), "s"),
                       ("backup_archive_mb", archive.stat().st_size / 1e6, "Mo"),
                       ("database_mb", paths.database.stat().st_size / 1e6, "Mo")]
            cli_size = cli_archive.stat().st_size if cli else 0
            matched = backup_floor_matched(store.db.conn, archive.stat().st_size, password, base, rounds) if cli else []
        finally:
            store.close()
    if not cli:
        return figures
    backup_cli, restore_cli = statistics.median(cli_backup), statistics.median(cli_restore)
    return figures + [
        ("backup_7z_cli_s", backup_cli, "s"), ("backup_ratio", figures[0][1] / backup_cli, "x"),
        ("backup_7z_cli_archive_mb", cli_size / 1e6, "Mo"),
        ("restore_7z_cli_s", restore_cli, "s"), ("restore_ratio", figures[1][1] / restore_cli, "x"),
        ("restore_fair_floor_s", statistics.median(fair_restores), "s"),
        ("restore_fair_ratio", figures[1][1] / statistics.median(fair_restores), "x"),
        *matched,
        ("backup_ratio_matched", figures[0][1] / matched[0][1], "x"),
    ]


def restore_floor(archive: Path, password: str, live_file: Path, work: Path) -> None:
    """What any restore of this archive must do, with the tools alone: `7z x`, `PRAGMA integrity_check` of
    the extracted database, a safety copy of the live one (backup API, synced) and the replacement of the
    live content (backup API)."""
    shutil.rmtree(work, ignore_errors=True)
    _cli("x", f"-p{password}", f"-o{work}", "-y", str(archive))
    extracted = work / "clspd.sqlite"
    checked = sqlite3.connect(extracted)
    try:
        if checked.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise RuntimeError("copie extraite incohérente")
    finally:
        checked.close()
    live = sqlite3.connect(live_file)
    try:
        safety = sqlite3.connect(work / "securite.sqlite")
        try:
            live.backup(safety)
        finally:
            safety.close()
        with open(work / "securite.sqlite", "rb") as handle:
            os.fsync(handle.fileno())
        source = sqlite3.connect(extracted)
        try:
            source.backup(live)
        finally:
            source.close()
    finally:
        live.close()
    shutil.rmtree(work, ignore_errors=True)


MATCH_LEVELS = ("-mx=1", "-mx=3", "-mx=5", "-mx=7")


def backup_floor_matched(live: sqlite3.Connection, our_size: int, password: str, base: Path,
                         rounds: int) -> list[tuple[str, float, str]]:
    """The tool's backup set to our archive's size: a consistent copy (backup API), `7z a` at the first level
    whose archive is no larger than ours (the smallest if none is), `7z t`. Median seconds, size, level."""
    snapshot = base / "plancher" / "clspd.sqlite"
    archive = base / "plancher.7z"

    def once(level: str) -> None:
        shutil.rmtree(snapshot.parent, ignore_errors=True)
        snapshot.parent.mkdir(parents=True)
        copy = sqlite3.connect(snapshot)
        try:
            live.backup(copy)
        finally:
            copy.close()
        archive.unlink(missing_ok=True)
        _cli("a", "-t7z", "-mhe=on", level, f"-p{password}", str(archive), str(snapshot))
        _cli("t", f"-p{password}", str(archive))

    sizes: dict[str, int] = {}
    for level in MATCH_LEVELS:
        once(level)
        sizes[level] = archive.stat().st_size
        if sizes[level] <= our_size:
            break
    else:
        level = min(sizes, key=sizes.__getitem__)
    timings = [_timed(lambda: once(level)) for _ in range(rounds)]
    return [("backup_7z_matched_s", statistics.median(timings), "s"),
            ("backup_7z_matched_archive_mb", sizes[level] / 1e6, f"Mo (7z {level})")]


# Run in a fresh interpreter: the peak resident memory of one backup, above what the process held before it.
PEAK_RSS = """
import sys, threading, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from clspd_desktop.db.opening import open_database
from clspd_desktop.db.store import Store
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.backup import make_backup

def resident():
    try:
        import psutil
        return psutil.Process().memory_info().rss
    except ImportError:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096

paths = AppPaths(Path(sys.argv[1]))
store = Store.over(open_database(paths.database, paths.snapshots_dir).db)
store.council.get()
before = peak = resident()
done = False
def sample():
    global peak
    while not done:
        peak = max(peak, resident())
        time.sleep(0.002)
sampler = threading.Thread(target=sample)
sampler.start()
make_backup(store, paths, Path(sys.argv[2]), sys.argv[3])
done = True
sampler.join()
store.close()
print(peak - before)
"""


def backup_peak_rss_mb(database: Path) -> float:
    """Peak resident memory added by one backup of a copy of `database`, in MB (fresh interpreter)."""
    with tempfile.TemporaryDirectory(prefix="clspd-bench-memoire-") as folder:
        data = Path(folder) / "donnees"
        paths = AppPaths(data).ensure()
        copy_database(database, paths.database)
        done = subprocess.run([sys.executable, "-c", PEAK_RSS, str(data), str(Path(folder) / "s.7z"),
                               generate_password(), str(Path(__file__).resolve().parent.parent)],
                              capture_output=True, text=True, timeout=600, check=True)
        return int(done.stdout.split()[-1]) / 1e6


def memory_figures(database: Path, suffix: str = "") -> list[tuple[str, float, str]]:
    peak, size = backup_peak_rss_mb(database), database.stat().st_size / 1e6
    return [(f"backup_peak_rss_mb{suffix}", peak, "Mo"), (f"backup_peak_rss_ratio{suffix}", peak / size, "x")]


def collect() -> list[tuple[str, float, str]]:
    figures = backup_timings(shared_full_database()) + memory_figures(shared_full_database())
    big = shared_full_database(3.0)
    return figures + [(f"{name}_3x", value, unit) for name, value, unit in backup_timings(big, rounds=1)] + \
        memory_figures(big, "_3x")
