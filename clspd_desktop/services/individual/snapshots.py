"""Encrypted snapshots of the individual store, and their rotation after each purge.

Each snapshot is a whole copy encrypted with the same key (the coordinator's passphrase opens it), written
through `safe_files` into its own folder. Rotation (`domain.individual.retention.stale_snapshots`): after a
purge every older snapshot is deleted and a fresh one taken, and none is kept past
`snapshot_max_age_days`, so no snapshot keeps a destroyed record. A damaged store set aside beside the live
one (« suivi-individuel.endommage-<date>.sqlcipher ») is an encrypted copy too: the same rule deletes it.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from clspd_desktop.db.individual_store import IndividualStore
from clspd_desktop.domain.individual.retention import stale_snapshots
from clspd_desktop.domain.individual.rules import IndividualRules
from clspd_desktop.safe_files import write_atomically
from clspd_desktop.services.individual.location import SIDE_FILES, side_files

PREFIX = "suivi-individuel-"
DAMAGED_PREFIX = "suivi-individuel.endommage-"  # db.individual_store.damaged_copy_name
SUFFIX = ".sqlcipher"
STAMP = "%Y%m%d-%H%M%S"


def snapshot_name(at: datetime) -> str:
    return f"{PREFIX}{at:{STAMP}}{SUFFIX}"


def taken_at(path: Path, prefix: str = PREFIX) -> datetime | None:
    name = path.name
    if not (name.startswith(prefix) and name.endswith(SUFFIX)):
        return None
    try:
        return datetime.strptime(name[len(prefix):-len(SUFFIX)], STAMP)
    except ValueError:
        return None


def list_snapshots(folder: Path, prefix: str = PREFIX) -> dict[Path, datetime]:
    """The snapshots (or, with DAMAGED_PREFIX, the damaged stores set aside) in `folder`, with their date."""
    if not folder.is_dir():
        return {}
    return {p: at for p in sorted(folder.iterdir()) if (at := taken_at(p, prefix)) is not None}


def take_snapshot(store: IndividualStore, folder: Path, now: datetime) -> Path:
    return write_atomically(folder / snapshot_name(now), lambda tmp: store.export_encrypted(tmp))


def rotate(folder: Path, now: datetime, last_purge: datetime | None, rules: IndividualRules,
           store_folder: Path | None = None) -> list[Path]:
    """Delete the stale snapshots, and the stale damaged stores set aside in `store_folder`, each with the
    journal kept beside it (it holds records too), and any journal whose snapshot is gone; returns the
    copies deleted."""
    copies = list_snapshots(folder)
    if store_folder is not None:
        copies |= list_snapshots(store_folder, DAMAGED_PREFIX)
    stale = set(stale_snapshots({str(p): at for p, at in copies.items()}, now, last_purge, rules))
    deleted = []
    for path in copies:
        if str(path) in stale:
            for each in (path, *side_files(path)):
                with contextlib.suppress(FileNotFoundError):
                    each.unlink()
            deleted.append(path)
    for orphan in folder.iterdir() if folder.is_dir() else ():
        base = next((orphan.name.removesuffix(s) for s in SIDE_FILES if orphan.name.endswith(s)), None)
        if base is not None and not (folder / base).exists():
            with contextlib.suppress(FileNotFoundError):
                orphan.unlink()
    return deleted


def restore(snapshot: Path, target: Path, passphrase: str) -> None:
    """Put a snapshot back as the store (after a damaged file was set aside). The snapshot is opened with
    the passphrase first, which checks it whole, then copied through SQLCipher into a new file; an existing
    store is never overwritten."""
    from clspd_desktop.errors import StorageError

    if target.exists():
        raise StorageError("Un fichier de suivi individuel existe déjà : il n'a pas été remplacé. Mettez-le de "
                           "côté avant de restaurer un instantané.")
    source = IndividualStore.open(snapshot, passphrase)
    try:
        write_atomically(target, source.export_encrypted)
    finally:
        source.close()
