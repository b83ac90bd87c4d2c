"""Documents attached to a meeting: copied into the app's data folder so they survive the original being
moved or deleted, named by content hash, written atomically, recorded only once the copy is safe."""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
from functools import partial
from pathlib import Path

from clspd_desktop.db.store import Store
from clspd_desktop.domain.meetings import MeetingDocument
from clspd_desktop.errors import StorageError
from clspd_desktop.safe_files import write_atomically

MAX_DOCUMENT_BYTES = 200_000_000  # a scanned dossier can be big; anything larger is surely a mistake
_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def safe_file_name(name: str) -> str:
    """Keep a readable name that Windows accepts (no \\ / : * ? " < > |), at most 80 characters."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:70] or "document"
    suffix = _UNSAFE.sub("", suffix)[:10]
    return f"{stem}.{suffix}" if suffix else stem


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def _hash_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def attach_document(store: Store, documents_dir: Path, meeting_id: int, source: Path,
                    agenda_item_id: int | None = None) -> MeetingDocument:
    """Copy `source` under documents_dir/reunion-<id>/ and record it; on any failure nothing is recorded
    and the partial copy is removed (StorageError with a French message)."""
    source = Path(source)
    try:
        if not source.is_file():
            raise StorageError(f"Le document « {source.name} » est introuvable ou n'est pas un fichier.")
        sha256, size = _hash_of(source)
    except OSError as exc:
        raise StorageError(
            f"Impossible de lire le document « {source.name} » : il est peut-être ouvert dans un autre "
            "programme ou sur un lecteur débranché. Rien n'a été ajouté.", details=str(exc)) from exc
    if size == 0:
        raise StorageError(f"Le document « {source.name} » est vide : rien n'a été ajouté.")
    if size > MAX_DOCUMENT_BYTES:
        raise StorageError(f"Le document « {source.name} » est trop lourd ({size // 1_000_000} Mo, "
                           f"maximum {MAX_DOCUMENT_BYTES // 1_000_000} Mo). Rien n'a été ajouté.")
    stored_name = f"reunion-{meeting_id}/{sha256[:16]}-{safe_file_name(source.name)}"
    target = Path(documents_dir) / stored_name
    created = False
    if not target.exists():
        try:
            write_atomically(target, partial(_copy, source))
        except StorageError as exc:
            raise StorageError(f"{exc.message} Le document « {source.name} » n'a pas été ajouté.",
                               details=exc.details) from exc
        created = True
        if _hash_of(target)[0] != sha256:  # the source changed while we copied it
            target.unlink()
            raise StorageError(f"Le document « {source.name} » a été modifié pendant la copie. "
                               "Fermez-le dans l'autre programme puis recommencez.")
    document = MeetingDocument(original_name=source.name, stored_name=stored_name, sha256=sha256, size=size,
                               meeting_id=meeting_id, agenda_item_id=agenda_item_id)
    try:
        return store.meetings.add_document(document)
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                target.unlink()
        raise


def document_path(documents_dir: Path, document: MeetingDocument) -> Path:
    return Path(documents_dir) / document.stored_name


def remove_document(store: Store, documents_dir: Path, document_id: int) -> None:
    """Forget the document, then delete its copy unless another record still points to it."""
    removed = store.meetings.remove_document(document_id)
    if removed is not None:
        delete_unused_copy(store, documents_dir, removed)


def delete_unused_copy(store: Store, documents_dir: Path, removed: MeetingDocument) -> None:
    """Delete a forgotten document's copy unless another record still points to it."""
    if store.meetings.stored_name_in_use(removed.stored_name):
        return
    with contextlib.suppress(OSError):  # a leftover file costs disk space, never data
        document_path(documents_dir, removed).unlink()
