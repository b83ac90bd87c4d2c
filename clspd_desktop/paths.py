"""Where the app keeps its files: the user's data folder, never the install folder."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
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


RESOURCES_PACKAGE = "clspd_desktop.resources"


def source_checkout_resources() -> Path | None:
    """The top-level resources/ of the source checkout this package was imported from, if it is one.

    Checked first so a checkout (or a git worktree) always uses its own files, even when another checkout's
    editable install also maps clspd_desktop.resources.
    """
    root = Path(__file__).resolve().parent.parent
    folder = root / "resources"
    if (root / "pyproject.toml").is_file() and (folder / "__init__.py").is_file():
        return folder
    return None


def resources_dir() -> Path:
    """The shipped resources: the checkout's resources/ when run from sources, else the installed package's.

    Wheels, editable installs and the frozen bundle all carry them as the clspd_desktop.resources package
    (pyproject.toml maps the top-level folder into it), found through importlib.resources.
    """
    checkout = source_checkout_resources()
    if checkout is not None:
        return checkout
    return Path(str(importlib.resources.files(RESOURCES_PACKAGE)))


DISTRIBUTION = "clspd-desktop"


def app_licence_text() -> str | None:
    """The app's own licence (EUPL-1.2): LICENSE of the checkout or of the frozen bundle (its spec copies it
    beside the libraries), else the copy a wheel or an editable install keeps in its metadata
    (`<dist-info>/licenses/LICENSE`). None if it cannot be found (the caller says so, it never crashes).
    """
    checkout = source_checkout_resources()
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = [checkout.parent / "LICENSE"] if checkout else []
    candidates += [Path(frozen_root) / "LICENSE"] if frozen_root else []
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
        candidates += [Path(str(dist.locate_file(f))) for f in dist.files or () if f.name == "LICENSE"]
    except importlib.metadata.PackageNotFoundError:
        pass
    for candidate in candidates:
        try:
            return candidate.read_text(encoding="utf-8")
        except OSError:
            continue
    return None


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
