"""Restoring an encrypted backup or a snapshot: check everything first, change nothing on any failure.

Order of a restore: extract into a private work folder, check (password, manifest hashes, allowed members,
size, integrity_check, foreign keys, schema version), migrate the copy if it is older than the app, show
the user what will be restored, then snapshot the live database and replace its content through SQLite's
backup API (copying a file over the live database is undone by a stale -wal file).
Nothing is read twice and independent steps overlap: members are hashed as they are extracted (and the
LZMA2 segments decoded on every core, services/parallel_lzma2.py), `foreign_key_check` runs on a second
connection while `integrity_check` runs, and the work folder is deleted while the replaced database gets
its `quick_check`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from clspd_desktop.db import migrations
from clspd_desktop.db.backup_repo import foreign_key_problems, integrity_problems, row_counts
from clspd_desktop.db.database import Database
from clspd_desktop.db.known_errors import to_user_error
from clspd_desktop.db.opening import health_check
from clspd_desktop.db.snapshot import (
    RESTORE_MARK_KEY,
    SEQUENCE_KEY,
    clear_setting,
    mark_copy,
    restore_into,
    write_snapshot,
)
from clspd_desktop.domain.dates import long_date, time_fr
from clspd_desktop.domain.text import plural
from clspd_desktop.errors import DamagedDatabaseError, DatabaseTooNewError, StorageError
from clspd_desktop.paths import AppPaths
from clspd_desktop.services.archive import ArchiveError, extract_archive
from clspd_desktop.services.backup import BACKUP_KIND, DB_MEMBER, DOCS_PREFIX
from clspd_desktop.services.individual.location import STORE_NAME
from clspd_desktop.services.interrupted_work import RestoreJournal, put_back_documents, rescue_copy_path
from clspd_desktop.services.snapshots import Snapshot, SnapshotReason, SnapshotService

log = logging.getLogger(__name__)

MAX_EXTRACTED_SIZE = 4 * 1024 ** 3  # far above any council's data, far below a zip bomb filling the disk

COUNT_LABELS = {
    "organisation": ("partenaire", "partenaires", False),
    "contact": ("référent", "référents", False),
    "formation": ("formation ou groupe de travail", "formations et groupes de travail", True),
    "membership": ("appartenance", "appartenances", True),
    "charter_signature": ("signature de la charte", "signatures de la charte", True),
    "commune": ("commune", "communes", True),
    "prefecture_pack": ("envoi à la préfecture", "envois à la préfecture", False),
}


INDIVIDUAL_MEMBER = STORE_NAME  # services.individual.files.BACKUP_MEMBER, named without loading sqlcipher3


def allowed_backup_member(name: str) -> bool:
    return name in (DB_MEMBER, INDIVIDUAL_MEMBER) or (name.startswith(DOCS_PREFIX) and len(name) > len(DOCS_PREFIX))


@dataclass
class RestorePlan:
    """A checked copy ready to replace the live data; `discard()` when the user cancels."""

    source: Path
    created_at: datetime
    row_counts: dict[str, int]
    database: Path
    workdir: Path
    documents: Path | None = None
    document_count: int = 0
    migrated: list[str] = field(default_factory=list)
    individual: Path | None = None  # the encrypted follow-up store, staged; swapped in after the database
    individual_note: str = ""  # what happened to it, for the screen

    def summary(self) -> str:
        """What the confirmation shows: the date of the data and how much of it there is."""
        when = f"{long_date(self.created_at.date())} à {time_fr(self.created_at)}"
        lines = [f"Données du {when}."]
        counts = [plural(self.row_counts[t], one, many, feminine=feminine)
                  for t, (one, many, feminine) in COUNT_LABELS.items() if t in self.row_counts]
        lines.append(", ".join(counts) + ".")
        if self.documents is not None:
            lines.append(f"{plural(self.document_count, 'document joint', 'documents joints')}.")
        if self.individual is not None:
            lines.append("Le suivi individuel (fichier chiffré) sera aussi remplacé ; l'actuel est gardé parmi ses "
                         "instantanés.")
        if self.migrated:
            lines.append("Ces données seront mises au format de cette version de l'application.")
        return "\n".join(lines)

    def discard(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def _work_folder(paths: AppPaths) -> Path:
    # inside the data folder: same disk as the documents, so the final swap is a rename
    return Path(tempfile.mkdtemp(dir=paths.data_dir, prefix=".restauration-"))


def _foreign_key_problems(db_file: Path) -> list[str]:
    conn = sqlite3.connect(str(db_file))
    try:
        return foreign_key_problems(conn)
    finally:
        conn.close()


def check_and_upgrade(db_file: Path) -> list[str]:
    """Refuse a damaged, foreign or newer database; bring an older one to the current schema (the copy only).

    `foreign_key_check` runs on its own connection and thread during `integrity_check` (SQLite releases the
    GIL): both read the file as extracted, nothing is written before both answered.
    """
    health_check(db_file, quick_check=False)  # the full integrity_check just below covers it
    conn = sqlite3.connect(str(db_file))
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cles-etrangeres") as side:
            foreign = side.submit(_foreign_key_problems, db_file)
            problems = integrity_problems(conn)
            problems += foreign.result()
        if problems:
            raise DamagedDatabaseError(
                "Les données de ce fichier sont incohérentes (contrôle d'intégrité en échec) : elles ne "
                "peuvent pas être restaurées. Rien n'a été modifié.", details="\n".join(problems))
        conn.execute("PRAGMA foreign_keys = ON")
        return migrations.apply_pending(Database(conn))
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError("Ce fichier de données est illisible. Rien n'a été modifié.",
                                   details=str(exc)) from exc
    finally:
        conn.close()


def _counts(db_file: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db_file.as_posix()}?mode=ro", uri=True)
    try:
        return row_counts(conn)
    finally:
        conn.close()


def prepare_backup_restore(archive: Path, password: str, paths: AppPaths,
                           max_size: int = MAX_EXTRACTED_SIZE) -> RestorePlan:
    """Extract and check a backup; ArchiveError / StorageError (French) and nothing changed on failure."""
    work = _work_folder(paths)
    try:
        content = work / "contenu"
        manifest = extract_archive(archive, password, content, BACKUP_KIND, allowed=allowed_backup_member,
                                   max_size=max_size, what="une sauvegarde")
        database = content / DB_MEMBER
        if not database.is_file():
            raise ArchiveError(f"Le fichier « {archive.name} » ne contient pas de base de données. "
                               "Rien n'a été modifié.")
        try:
            migrated = check_and_upgrade(database)
        except DatabaseTooNewError as exc:
            raise DatabaseTooNewError(
                "Cette sauvegarde a été faite par une version plus récente de CLSPD Desktop : installez la "
                "dernière version de l'application pour la restaurer. Rien n'a été modifié.",
                details=exc.details) from exc
        documents = content / DOCS_PREFIX.rstrip("/")
        documents.mkdir(exist_ok=True)
        individual = content / INDIVIDUAL_MEMBER
        if individual.is_file():
            from clspd_desktop.services.individual.files import check_staged

            check_staged(individual)
        return RestorePlan(individual=individual if individual.is_file() else None,

            source=archive, created_at=manifest.created_at, row_counts=_counts(database), database=database,
            workdir=work, documents=documents,
            document_count=sum(1 for p in documents.rglob("*") if p.is_file()), migrated=migrated)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def prepare_snapshot_restore(snapshot: Snapshot, paths: AppPaths) -> RestorePlan:
    """Check a snapshot on a private copy (the snapshot itself is never modified)."""
    work = _work_folder(paths)
    try:
        database = work / DB_MEMBER
        source = sqlite3.connect(f"file:{snapshot.path.as_posix()}?mode=ro", uri=True)
        try:
            health_check(snapshot.path)
            write_snapshot(source, database)
        except sqlite3.DatabaseError as exc:
            raise DamagedDatabaseError(f"L'instantané « {snapshot.path.name} » est illisible. Rien n'a été "
                                       "modifié.", details=str(exc)) from exc
        finally:
            source.close()
        migrated = check_and_upgrade(database)
        return RestorePlan(source=snapshot.path, created_at=snapshot.taken_at, row_counts=_counts(database),
                           database=database, workdir=work, migrated=migrated)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _swap_documents(journal: RestoreJournal) -> None:
    """Put the backup's documents in place of the documents folder; the previous one is set aside where the
    journal says (not deleted: a failure or the next start puts it back)."""
    if journal.new_documents is None or journal.documents_aside is None:  # set when the backup has documents
        raise ValueError("restore journal without documents to swap")
    documents, new = Path(journal.documents_dir), Path(journal.new_documents)
    aside = Path(journal.documents_aside)
    if documents.exists():
        shutil.rmtree(aside, ignore_errors=True)
        os.replace(documents, aside)
    try:
        os.replace(new, documents)
    except OSError:
        if aside.exists():
            os.replace(aside, documents)
        raise


def _not_restored(exc: BaseException) -> StorageError:
    """Why the restore failed (disk full, locked…) and that the current data is unchanged."""
    known = to_user_error(exc)
    reason = f"{known.message}\n\n" if known is not None else ""
    return StorageError(f"{reason}La restauration n'a pas pu être faite ; vos données actuelles sont inchangées.",
                        details=str(exc))


def apply_restore(plan: RestorePlan, live: sqlite3.Connection, snapshots: SnapshotService,
                  paths: AppPaths) -> Snapshot:
    """Snapshot the live data, then replace it with the plan's; returns the safety snapshot.

    A journal written first says what is replaced and where the previous documents go, and the checked copy
    carries the journal's id into the live database: a start after a power cut reads it and finishes the
    documents and follow-up store swaps (the id is there) or undoes the documents swap (it is not) — database,
    documents and store change as one.
    If anything fails in this process, documents are put back and the live database is left as it was (the
    backup API writes the destination in one transaction).
    """
    safety = snapshots.take(SnapshotReason.RESTORE)
    journal = RestoreJournal.create(paths, plan.source, plan.workdir, plan.documents, plan.individual)
    cleanup: threading.Thread | None = None
    try:
        mark_copy(plan.database, {RESTORE_MARK_KEY: journal.restore_id})
        journal.write(paths)
        if plan.documents is not None:
            _swap_documents(journal)
        try:
            restore_into(live, plan.database)
        except sqlite3.Error as exc:
            put_back_documents(journal)
            RestoreJournal.remove(paths)
            raise _not_restored(exc) from exc
        _swap_individual(plan, paths)
        # the checked copy is no longer needed (a failure below puts the safety snapshot back): deleting it
        # (tens of MB) overlaps the check
        cleanup = threading.Thread(target=plan.discard, name="nettoyage-restauration")
        cleanup.start()
        problems = integrity_problems(live, quick=True)  # a page-for-page copy of the file checked in full
        if problems:  # pragma: no cover - the copy was checked; a failure here means a disk fault
            restore_into(live, safety.path)
            raise DamagedDatabaseError("La restauration a échoué ; vos données précédentes ont été remises.",
                                       details="\n".join(problems))
    except (OSError, sqlite3.Error) as exc:
        if cleanup is None:
            with contextlib.suppress(OSError):
                put_back_documents(journal)
            RestoreJournal.remove(paths)
        raise _not_restored(exc) from exc
    finally:
        if cleanup is None:
            plan.discard()
        else:
            cleanup.join()
    if journal.documents_aside is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(journal.documents_aside)
    RestoreJournal.remove(paths)
    with contextlib.suppress(sqlite3.Error):  # after the journal: a start in between must see the mark
        clear_setting(live, RESTORE_MARK_KEY)
        clear_setting(live, SEQUENCE_KEY)  # a snapshot's own number, not the data's
    log.info("Restauration depuis %s (instantané de sécurité %s)", plan.source, safety.path.name)
    return safety


def _swap_individual(plan: RestorePlan, paths: AppPaths) -> None:
    """After the database: the backup's encrypted store in place of the current one (kept as a snapshot).
    A failure here leaves the current store whole and is said in `individual_note`; the restored database
    stands (the store is opened by its passphrase, separately)."""
    if plan.individual is None:
        return
    from clspd_desktop.services.individual.files import kept_note, swap_in

    try:
        kept = swap_in(plan.individual, paths, datetime.now())
    except OSError as exc:
        log.error("Suivi individuel non restauré : %s", exc)
        plan.individual_note = ("Le suivi individuel n'a pas pu être remplacé (le fichier actuel est resté en "
                                f"place, intact) : {exc}.")
        return
    note = kept_note(kept)
    plan.individual_note = "Le suivi individuel a été restauré" + (f" ; {note}." if note else ".")
    log.info("Suivi individuel restauré depuis %s", plan.source)


def replace_damaged_database(paths: AppPaths, snapshot: Snapshot, now: datetime | None = None) -> Path:
    """Set the damaged database (and its -wal/-shm, which would be replayed) aside, then rebuild it from
    `snapshot` through the backup API. Returns where the damaged file was kept, for support."""
    now = now or datetime.now()
    health_check(snapshot.path)
    aside = paths.database.with_name(f"{paths.database.stem}-endommagee-{now.strftime('%Y-%m-%d_%H%M%S')}.sqlite")
    fresh = rescue_copy_path(paths, os.getpid())
    source = sqlite3.connect(f"file:{snapshot.path.as_posix()}?mode=ro", uri=True)
    try:
        write_snapshot(source, fresh)
    finally:
        source.close()
    try:
        for suffix in ("", "-wal", "-shm"):
            current = Path(f"{paths.database}{suffix}")
            if current.exists():
                os.replace(current, Path(f"{aside}{suffix}"))
        os.replace(fresh, paths.database)
    except OSError as exc:
        with contextlib.suppress(OSError):
            fresh.unlink()
        raise StorageError("L'instantané n'a pas pu être remis en place.", details=str(exc)) from exc
    log.warning("Base endommagée mise de côté (%s), instantané %s restauré", aside.name, snapshot.path.name)
    return aside
