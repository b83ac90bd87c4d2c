"""Where the individual follow-up lives on disk, without importing SQLCipher (what may go where: `files`).

The main window asks at start-up whether the module is enabled (its store file exists): that question must
not cost the import of the encrypted store's binding when the module is off, as it is by default.
"""

from __future__ import annotations

from pathlib import Path

from clspd_desktop.paths import AppPaths

STORE_NAME = "suivi-individuel.sqlcipher"
SNAPSHOTS_FOLDER = "instantanes-suivi"


def store_path(paths: AppPaths) -> Path:
    return paths.data_dir / STORE_NAME


def snapshots_dir(paths: AppPaths) -> Path:
    return paths.data_dir / SNAPSHOTS_FOLDER


def module_enabled(paths: AppPaths) -> bool:
    """Off by default: the module exists once the coordinator has enabled it (its store file exists)."""
    return store_path(paths).exists()
