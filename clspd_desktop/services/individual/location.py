"""Where the individual follow-up lives on disk, without importing SQLCipher (what may go where: `files`).

The main window asks at start-up whether the module is enabled (its store file exists): that question must
not cost the import of the encrypted store's binding when the module is off, as it is by default.
"""

from __future__ import annotations

from pathlib import Path

from clspd_desktop.paths import AppPaths

STORE_NAME = "suivi-individuel.sqlcipher"
SNAPSHOTS_FOLDER = "instantanes-suivi"
SIDE_FILES = ("-journal", "-wal", "-shm")  # what SQLCipher may leave beside a store it was writing


def store_path(paths: AppPaths) -> Path:
    return paths.data_dir / STORE_NAME


def snapshots_dir(paths: AppPaths) -> Path:
    return paths.data_dir / SNAPSHOTS_FOLDER


def module_enabled(paths: AppPaths) -> bool:
    """Off by default: the module exists once the coordinator has enabled it (its store file exists)."""
    return store_path(paths).exists()


def side_files(store: Path) -> list[Path]:
    """The rollback journal (or WAL and its index) beside `store`. Beside a closed store, one means a write
    was interrupted: SQLCipher rolls it into whatever file next bears that name."""
    return [side for side in (store.with_name(store.name + suffix) for suffix in SIDE_FILES) if side.exists()]
