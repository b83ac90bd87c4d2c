"""What a power cut or a forced shutdown left behind, repaired or removed at the next start.

- A restore writes a journal before it touches anything (`RestoreJournal`); at start-up an unfinished one is
  finished (the live database already holds the restored data: the documents swap and the encrypted
  follow-up store's swap are completed) or rolled back (the previous documents are put back), before the
  database is opened.
- Work folders (`.restauration-*`, with the decrypted backup; `.envoi-*`; `.sauvegarde-*`, a backup's copy) and partial files (`.<name>.<pid>.tmp`
  and SQLite's `-journal`/`-wal`/`-shm` beside them) of dead processes are deleted from the data folder.
- Partial files outside the data folder (a backup being written on a USB key, an export) are listed in a
  small record (`pending_files`) for as long as they exist, so the next start can delete them too.

Kept light (no Qt, no sqlite-utils): it runs on every start, before the window.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from clspd_desktop.db.snapshot import RESTORE_MARK_KEY, read_setting
from clspd_desktop.paths import AppPaths
from clspd_desktop.safe_files import write_bytes_atomically
from clspd_desktop.services.individual.location import store_path

log = logging.getLogger(__name__)

JOURNAL_NAME = ".restauration-en-cours.json"
PENDING_FOLDER = ".en-cours"
WORK_FOLDER_PREFIXES = (".restauration-", ".envoi-", ".sauvegarde-")
_PARTIAL = re.compile(r"^\..+\.(\d+)\.tmp(?:-journal|-wal|-shm)?$")
ABANDONED_AFTER = 24 * 3600  # a pid may be reused after a reboot: older than this, the owner is gone anyway


@dataclass
class RestoreJournal:
    """Everything needed to finish or undo a restore whatever moment it was stopped at."""

    restore_id: str
    source: str  # the archive or snapshot's name, for the message
    workdir: str  # the checked copy (decrypted content)
    documents_dir: str
    new_documents: str | None  # the backup's documents, in the work folder until swapped in
    documents_aside: str | None  # where the previous documents are set aside during the swap
    # the backup's encrypted follow-up store, staged in the work folder (kept while this journal names it)
    # until swapped in, and its SHA-256: a start tells a finished swap from a lost or damaged staged copy
    new_individual: str | None = None
    individual_sha256: str | None = None

    @classmethod
    def create(cls, paths: AppPaths, source: Path, workdir: Path, new_documents: Path | None,
               new_individual: Path | None = None) -> RestoreJournal:
        aside = paths.documents_dir.with_name(f".documents-avant-restauration-{os.getpid()}")
        return cls(restore_id=os.urandom(16).hex(), source=source.name, workdir=str(workdir),
                   documents_dir=str(paths.documents_dir),
                   new_documents=str(new_documents) if new_documents is not None else None,
                   documents_aside=str(aside) if new_documents is not None else None,
                   new_individual=str(new_individual) if new_individual is not None else None,
                   individual_sha256=file_sha256(new_individual) if new_individual is not None else None)

    def write(self, paths: AppPaths) -> None:
        write_bytes_atomically(journal_path(paths), json.dumps(asdict(self), ensure_ascii=False).encode())

    @staticmethod
    def remove(paths: AppPaths) -> None:
        with contextlib.suppress(FileNotFoundError):
            journal_path(paths).unlink()

    @classmethod
    def read(cls, paths: AppPaths) -> RestoreJournal | None:
        try:
            return cls(**json.loads(journal_path(paths).read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:  # written atomically: only a foreign file gets here
            log.error("Journal de restauration illisible, laissé en place : %s", exc)
            return None


def journal_path(paths: AppPaths) -> Path:
    return paths.data_dir / JOURNAL_NAME


def put_back_documents(journal: RestoreJournal) -> None:
    documents, aside = Path(journal.documents_dir), journal.documents_aside and Path(journal.documents_aside)
    if aside and aside.exists():
        shutil.rmtree(documents, ignore_errors=True)  # the backup's documents, if they were swapped in
        os.replace(aside, documents)


def _complete_documents(journal: RestoreJournal) -> None:
    documents = Path(journal.documents_dir)
    new = journal.new_documents and Path(journal.new_documents)
    aside = journal.documents_aside and Path(journal.documents_aside)
    if new and new.exists():  # the database was replaced: the documents must follow
        if documents.exists() and aside and not aside.exists():
            os.replace(documents, aside)
        shutil.rmtree(documents, ignore_errors=True)
        os.replace(new, documents)
    if aside:
        shutil.rmtree(aside, ignore_errors=True)


def file_sha256(path: Path) -> str | None:
    """The file's SHA-256 (None when it cannot be read); the store is encrypted, its digest reveals nothing."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _complete_individual(journal: RestoreJournal, paths: AppPaths) -> str:
    """Swap in the backup's follow-up store if the crash came before; what to add to the message.

    The staged copy is used only if it is exactly the file checked before the restore (its SHA-256);
    otherwise the current store stays in place, whole. The store is never opened here: no passphrase."""
    if journal.new_individual is None:
        return ""
    staged, current, expected = Path(journal.new_individual), store_path(paths), journal.individual_sha256
    if expected is not None and file_sha256(staged) == expected:
        from clspd_desktop.services.individual.files import kept_note, swap_in  # loads SQLCipher: when needed

        note = kept_note(swap_in(staged, paths, datetime.now()))
        log.warning("Suivi individuel de %s mis en place au démarrage", journal.source)
        return " Le suivi individuel de la sauvegarde a aussi été mis en place" + (f" ; {note}." if note else ".")
    if expected is not None and file_sha256(current) == expected:
        return ""  # swapped in before the stop
    log.error("Suivi individuel de %s non mis en place : copie préparée absente ou altérée", journal.source)
    state = ("le suivi individuel actuel est resté en place, intact" if current.exists()
             else "aucun suivi individuel n'a été mis en place")
    return (f" Le suivi individuel de la sauvegarde n'a pas pu être remis en place (sa copie préparée est "
            f"absente ou endommagée) : {state}. Pour le récupérer, restaurez de nouveau la sauvegarde.")


def recover_restore(paths: AppPaths) -> str | None:
    """Finish or roll back an interrupted restore; the French message saying which (None: there was none)."""
    journal = RestoreJournal.read(paths)
    if journal is None:
        return None
    done = read_setting(paths.database, RESTORE_MARK_KEY, live=True) == journal.restore_id
    if done:
        _complete_documents(journal)
        message = (f"La restauration de « {journal.source} » a été interrompue (arrêt de l'ordinateur ?) après "
                   "le remplacement des données : elle vient d'être terminée. Les données restaurées sont en "
                   "place ; l'instantané « Avant une restauration » garde celles d'avant."
                   + _complete_individual(journal, paths))
    else:
        put_back_documents(journal)
        message = (f"La restauration de « {journal.source} » a été interrompue (arrêt de l'ordinateur ?) avant "
                   "le remplacement des données : elle a été annulée. Vos données sont celles d'avant la "
                   "restauration, inchangées.")
    shutil.rmtree(journal.workdir, ignore_errors=True)
    RestoreJournal.remove(paths)
    log.warning("Restauration interrompue %s : %s", "terminée" if done else "annulée", journal.source)
    return message


def rescue_copy_path(paths: AppPaths, pid: int) -> Path:
    """Where the damaged-database rescue writes the snapshot's copy before renaming it into place."""
    return paths.database.with_name(f".{paths.database.name}.restauration.{pid}.tmp")


def finish_rescue(paths: AppPaths) -> bool:
    """The rescue of a damaged database stopped between setting it aside and renaming the snapshot's copy in
    its place: no database, a complete copy beside it (renamed only once written and checked). Finish it,
    rather than let the next start create an empty database."""
    if paths.database.exists():
        return False
    copies = sorted(paths.data_dir.glob(f".{paths.database.name}.restauration.*.tmp"),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    if not copies:
        return False
    os.replace(copies[0], paths.database)
    log.warning("Secours d'une base endommagée terminé au démarrage (%s)", copies[0].name)
    return True


def _process_gone(pid: int, age: float) -> bool:
    if pid == os.getpid():
        return False
    if age > ABANDONED_AFTER:
        return True
    if os.name == "nt":  # no cheap liveness test without extra modules: an hour is far longer than any write
        return age > 3600
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("Reste d'un travail interrompu non supprimé %s : %s", path, exc)
        return False
    return True


def _partial_files(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        match = _PARTIAL.match(entry.name)
        if match and entry.is_file() and _process_gone(int(match.group(1)), _age(entry)):
            yield entry


def _work_folders(paths: AppPaths, active: set[str]) -> Iterator[Path]:
    for entry in paths.data_dir.iterdir():
        if entry.is_dir() and entry.name.startswith(WORK_FOLDER_PREFIXES) and str(entry) not in active:
            yield entry


def _pending_records(paths: AppPaths) -> Iterator[tuple[Path, list[str]]]:
    folder = paths.data_dir / PENDING_FOLDER
    if not folder.is_dir():
        return
    for record in folder.glob("*.json"):
        try:
            pid = int(record.name.split("-", 1)[0])
            files = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            files, pid = [], 0
        if _process_gone(pid, _age(record)):
            yield record, [str(f) for f in files if isinstance(f, str)]


def remove_leftovers(paths: AppPaths) -> list[Path]:
    """Delete what interrupted operations left (work folders, partial files); returns what was deleted.

    A work folder of the current process or named by an unfinished journal is kept (the journal decides)."""
    journal = RestoreJournal.read(paths)
    active = {journal.workdir} if journal else set()
    removed: list[Path] = []
    if not paths.data_dir.is_dir():
        return removed
    candidates: list[Path] = list(_work_folders(paths, active))
    for folder in (paths.data_dir, paths.snapshots_dir, paths.exports_dir, paths.documents_dir):
        candidates.extend(_partial_files(folder))
    for record, files in _pending_records(paths):
        candidates.extend(Path(f) for f in files if _PARTIAL.match(Path(f).name))
        candidates.append(record)
    for path in candidates:
        if _remove(path):
            removed.append(path)
    if removed:
        log.warning("Restes de travaux interrompus supprimés : %s", ", ".join(p.name for p in removed))
    return removed


def finish_interrupted_work(paths: AppPaths) -> str | None:
    """At start-up, before the database is opened: the interrupted restore's message, if there was one."""
    message = None
    try:
        if finish_rescue(paths):
            message = ("Le remplacement de la base endommagée par un instantané a été interrompu : il vient "
                       "d'être terminé. La base endommagée est conservée à part pour votre support.")
        message = recover_restore(paths) or message
    except OSError as exc:  # the journal stays: the next start tries again
        log.error("Restauration interrompue non reprise : %s", exc)
        message = ("Une restauration interrompue n'a pas pu être reprise (fichier ouvert dans un autre "
                   f"programme ?) : elle le sera au prochain démarrage. Détail : {exc}")
    remove_leftovers(paths)
    return message


@contextlib.contextmanager
def pending_files(paths: AppPaths, files: list[Path]) -> Iterator[None]:
    """Remember `files` (partial files outside the data folder) while the block runs, so that a start after
    a crash deletes them; nothing is left when the block ends, however it ends."""
    folder = paths.data_dir / PENDING_FOLDER
    record = folder / f"{os.getpid()}-{os.urandom(4).hex()}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps([str(f) for f in files], ensure_ascii=False), encoding="utf-8")
    except OSError as exc:  # a record is a convenience: the operation itself must not fail for it
        log.warning("Liste des fichiers en cours non écrite : %s", exc)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            record.unlink()
            folder.rmdir()  # only when no other operation is listed
