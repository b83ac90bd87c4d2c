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
