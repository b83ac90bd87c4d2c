"""Where the encrypted store's files may go: never into the préfecture pack, into a backup only as the
still-encrypted store (not its snapshots), and back from a backup by a safe swap.

The store's first 16 bytes are its scrypt salt, written in clear by SQLCipher and shared by every
snapshot (same key and salt, `IndividualStore.export_encrypted`): a file holding them is a copy of the
store whatever its name, so the pack's scan looks for them in every member besides the names.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path

from clspd_desktop.db.individual_store import MIN_FILE_BYTES, SALT_BYTES, read_salt
from clspd_desktop.errors import StorageError, UserError
from clspd_desktop.paths import AppPaths
from clspd_desktop.safe_files import write_atomically
from clspd_desktop.services.individual.location import (
    SNAPSHOTS_FOLDER,
    STORE_NAME,
    side_files,
    snapshots_dir,
    store_path,
)
from clspd_desktop.services.individual.snapshots import snapshot_name

BACKUP_MEMBER = STORE_NAME  # at the archive's root, beside clspd.sqlite
PAGE_BYTES = 4096  # SQLCipher 4's page: a whole store is a multiple of it
STEM = Path(STORE_NAME).stem

IN_PACK = ("L'envoi à la préfecture ne peut pas contenir le suivi individuel (fichier chiffré des fiches, ses "
           "copies ou instantanés) : {names}. Aucun envoi n'a été créé.")


def is_individual_name(name: str) -> bool:
    """The store, its journal, a damaged copy set aside, a snapshot, or anything in the snapshots folder."""
    parts = Path(name.replace("\\", "/")).parts
    base = parts[-1] if parts else ""
    return (SNAPSHOTS_FOLDER in parts or base.startswith(STEM) and (".sqlcipher" in base or "endommage" in base)
            or base.endswith(".sqlcipher") or base.endswith(".sqlcipher-journal"))


def store_salt(paths: AppPaths) -> bytes | None:
    path = store_path(paths)
    try:
        salt = read_salt(path)
    except OSError:
        return None
    return salt if len(salt) == SALT_BYTES else None


def _holds(path: Path, salt: bytes) -> bool:
    """True when the file contains the salt anywhere (read in chunks overlapping by the salt's length)."""
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if salt in tail + chunk:
                return True
            tail = chunk[-(len(salt) - 1):]
    return False


def refuse_in_pack(members: dict[str, Path], paths: AppPaths) -> None:
    """The pack's scan: refuse (French UserError) when a member is the store, a snapshot or a copy of it."""
    salt = store_salt(paths)
    found = [name for name, path in members.items()
             if is_individual_name(name) or is_individual_name(path.name)
             or (salt is not None and path.is_file() and _holds(path, salt))]
    if found:
        raise UserError(IN_PACK.format(names=", ".join(f"« {n} »" for n in sorted(found))))


def backup_copy(paths: AppPaths, work: Path, attempts: int = 20, pause_s: float = 0.1) -> dict[str, Path]:
    """The store as it is on disk (still encrypted), copied between two transactions; {} when the module is
    off. Snapshots are left out: the backup holds the store once, and a restore cannot bring back records
    a purge destroyed since then any longer than the backup itself is kept."""
    source = store_path(paths)
    if not source.exists():
        return {}
    journal = source.with_name(source.name + "-journal")
    target = work / BACKUP_MEMBER
    for _ in range(attempts):
        if not journal.exists():
            before = source.stat()
            shutil.copyfile(source, target)
            after = source.stat()
            if not journal.exists() and (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, after.st_size):
                return {BACKUP_MEMBER: target}
        time.sleep(pause_s)
    target.unlink(missing_ok=True)
    raise StorageError("Le suivi individuel est en cours d'écriture : la sauvegarde n'a pas pu en prendre une "
                       "copie cohérente. Réessayez dans un instant ; aucune sauvegarde n'a été modifiée.")


def check_staged(path: Path) -> None:
    """What can be checked without the passphrase: a whole number of pages, and not a clear SQLite file
    (which would put records in clear in the data folder)."""
    with open(path, "rb") as handle:
        if handle.read(16) == b"SQLite format 3\x00":
            raise StorageError("Le suivi individuel contenu dans cette sauvegarde n'est pas chiffré : il n'a pas "
                               "été restauré, et rien n'a été modifié.")
    size = path.stat().st_size
    if size < MIN_FILE_BYTES or size % PAGE_BYTES:
        raise StorageError("Le suivi individuel contenu dans cette sauvegarde est tronqué : la sauvegarde ne peut "
                           "pas être restaurée. Rien n'a été modifié.")


def swap_in(staged: Path, paths: AppPaths, now: datetime) -> Path | None:
    """Put a backup's store in place. The current store (if any) is first copied into the snapshots folder
    as a dated snapshot, so it is rotated (and purged) like the others, then the staged file replaces it in
    one rename: at any moment there is a whole store in place. The session must be locked. Returns the
    snapshot kept of the previous store.

    A journal left beside the current store (a write interrupted by a crash) would be rolled into the
    restored store, and a copy of the file alone would be half-written: the store is moved into the snapshots
    folder with its journal beside it instead, a pair SQLCipher rolls back to the last whole state when the
    snapshot is opened (`snapshots.restore`), rotated like any snapshot. A journal without a store goes there
    too. Nothing is deleted. (Two renames: a crash between them, during a restore that follows a crash,
    would part the pair.)"""
    target = store_path(paths)
    leftovers = side_files(target)
    kept = None
    if target.exists() or leftovers:
        folder = snapshots_dir(paths)
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / snapshot_name(now)
        if leftovers:
            while kept.exists() or side_files(kept):  # never beside a snapshot taken the same second
                now += timedelta(seconds=1)
                kept = kept.with_name(snapshot_name(now))
            if target.exists():
                os.replace(target, kept)
            for side in leftovers:
                os.replace(side, kept.with_name(kept.name + side.name.removeprefix(target.name)))
        else:

            def copy(tmp: Path) -> None:
                shutil.copyfile(target, tmp)

            kept = write_atomically(kept, copy)
    os.replace(staged, target)
    return kept if kept is not None and kept.exists() else None


def kept_note(kept: Path | None) -> str:
    """How the restore's message names the previous store's snapshot (after « ; »), empty when none."""
    if kept is None:
        return ""
    if side_files(kept):
        return (f"le précédent, dont une écriture avait été interrompue, est gardé avec son journal parmi ses "
                f"instantanés ({kept.name}) : il s'ouvre avec la même phrase de passe")
    return f"le précédent est gardé parmi ses instantanés ({kept.name})"
