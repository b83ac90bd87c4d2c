"""Disk full while writing a snapshot, a backup or a PDF: French message, previous file intact, no partial file.

A real small tmpfs is mounted when the test runs as root; elsewhere ENOSPC is injected at the fsync that
every atomic write goes through (where a full disk is reported on delayed-allocation file systems).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clspd_desktop.errors import StorageError
from clspd_desktop.services.backup import build_recovery_sheet, make_backup
from clspd_desktop.services.snapshots import SnapshotReason, SnapshotService
from tests.factories import add_organisation, make_council

PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"


def _no_partial_files(folder: Path) -> None:
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def _check_refused(call, previous: Path) -> None:
    before = previous.read_bytes()
    with pytest.raises(StorageError, match="Le disque est plein"):
        call()
    assert previous.read_bytes() == before
    _no_partial_files(previous.parent)


def test_snapshot_on_a_full_disk(configured_store, small_disk):
    for n in range(50):
        add_organisation(configured_store, f"Partenaire {n}", notes="n" * 500)
    snaps = SnapshotService(small_disk.root, configured_store.db.conn)
    previous = snaps.take(SnapshotReason.START, now=datetime(2025, 3, 17, 9, 0)).path
    small_disk.fill()
    _check_refused(lambda: snaps.take(SnapshotReason.EXIT, now=datetime(2025, 3, 17, 9, 0) + timedelta(hours=1)),
                   previous)
    assert [p.name for p in small_disk.root.glob("*.sqlite")] == [previous.name]


def test_backup_on_a_full_usb_key(configured_store, paths, small_disk):
    add_organisation(configured_store, "Mission locale")
    target = small_disk.root / "sauvegarde.7z"
    make_backup(configured_store, paths, target, PASSWORD)
    (paths.documents_dir / "gros.bin").write_bytes(os.urandom(600_000))  # incompressible, does not fit
    small_disk.fill()
    _check_refused(lambda: make_backup(configured_store, paths, target, PASSWORD), target)
    _no_partial_files(paths.data_dir)


def test_pdf_on_a_full_disk(small_disk):
    target = small_disk.root / "fiche.pdf"
    build_recovery_sheet(target, make_council(), PASSWORD)
    small_disk.fill()
    _check_refused(lambda: build_recovery_sheet(target, make_council(name="Autre commune"), PASSWORD), target)
