"""Where the app keeps its files: the user's data folder, never the install folder."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

DATA_FOLDER_NAME = "CLSPD Desktop"


def default_data_dir() -> Path:
    """The per-user data folder (kept when the app is uninstalled or upgraded)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / DATA_FOLDER_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / DATA_FOLDER_NAME
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "clspd-desktop"


def resources_dir() -> Path:
    """The shipped resources: next to the package in a source tree, inside the bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class AppPaths:
    """Every file location derives from one data folder, passed around instead of globals."""

    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "clspd.sqlite"

    @property
    def snapshots_dir(self) -> Path:
        return self.data_dir / "instantanes"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "journaux"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    def ensure(self) -> AppPaths:
        for folder in (self.data_dir, self.snapshots_dir, self.documents_dir, self.logs_dir, self.exports_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    @classmethod
    def for_demo(cls, base: Path | None = None) -> AppPaths:
        """The demo database lives in its own folder so it never mixes with real data."""
        return cls((base or default_data_dir()) / "demo")


PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def keep_private(data_dir: Path) -> bool:
    """POSIX: only the user may read the council's data (folders 0700, files 0600), now and for every file
    this process creates (umask). An install made before this rule is tightened once, here; returns True
    then. Windows: the per-user folder already belongs to the user alone; nothing is changed there."""
    if os.name != "posix":
        return False
    os.umask(0o077)
    try:
        if data_dir.stat().st_mode & 0o777 == PRIVATE_FOLDER_MODE:
            return False
    except OSError:
        return False
    for folder, subfolders, files in os.walk(data_dir):
        for name, mode in [(folder, PRIVATE_FOLDER_MODE)] + [(os.path.join(folder, f), PRIVATE_FILE_MODE)
                                                               for f in files]:
            try:
                if not os.path.islink(name):
                    os.chmod(name, mode)
            except OSError:
                pass  # a file owned by someone else: left as it is
        subfolders[:] = [d for d in subfolders if not os.path.islink(os.path.join(folder, d))]
    return True
