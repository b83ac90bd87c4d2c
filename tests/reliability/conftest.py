"""Reliability fixtures: a really small disk (a 3 MiB tmpfs when the tests run as root, injected ENOSPC
otherwise)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clspd_desktop import safe_files


def can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


def mount_tmpfs(root: Path, options: str = "size=3m") -> bool:
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(root)],
                          capture_output=True).returncode == 0


def fill_disk(root: Path) -> None:
    """Write zeros to `root` until the file system says it is full."""
    with open(root / "remplissage", "wb", buffering=0) as filler:
        with pytest.raises(OSError) as full:
            while True:
                filler.write(b"\0" * 4096)
        assert full.value.errno == errno.ENOSPC


class SmallDisk:
    def __init__(self, root: Path, mounted: bool, monkeypatch) -> None:
        self.root = root
        self.mounted = mounted
        self.monkeypatch = monkeypatch

    def fill(self) -> None:
        """From now on, writing to `root` fails with ENOSPC."""
        if self.mounted:
            fill_disk(self.root)
            return

        def full(_fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        self.monkeypatch.setattr(safe_files.os, "fsync", full)


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    root = tmp_path / "petit-disque"
    root.mkdir()
    mounted = can_mount() and mount_tmpfs(root)
    yield SmallDisk(root, mounted, monkeypatch)
    if mounted:
        subprocess.run(["umount", "-l", str(root)], check=False)


