"""Encrypted 7z archives with a manifest: what leaves the PC, and what comes back on a restore.

7z AES-256 has no MAC (a CRC only), so every archive carries `manifest.json` with the SHA-256 of each
member; it is checked right after writing (before the temp file is renamed) and again before anything is
restored. py7zr reports a wrong password, a truncated or a tampered file with assorted exceptions
(TypeError, LZMAError, CrcError...): all of them become one French message and nothing is touched.
Archives open with 7-Zip or PeaZip (not with the Windows Explorer, which cannot read encrypted 7z).

Speed (the large council's ~50 MB backup, benchmarks/bench_backup.py): LZMA2 preset 1 (liblzma's cheapest
in CPU per byte; the 7-Zip tool's -mx1 is as fast and ~25 % larger) is compressed in independent 4 MiB
blocks on every core and decoded by segments on every core (`parallel_lzma2`): still one standard LZMA2
stream, the way 7-Zip's own multithreaded encoder writes it, ~5 % larger than one-block compression.
Every member is hashed as py7zr reads it to compress it, a file streamed from disk in 1 MiB chunks (the
backup's database copy is a work file: memory does not grow with the database); an extraction hashes each
member as it writes it, so nothing is read twice. Each write-and-verify,
verify or extract derives the AES key once, with a faster function (`py7zr_speedups`): py7zr's own took
~0.07 s per derivation and derived it four times per backup.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import logging
import os
import shutil
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import py7zr
from py7zr.helpers import ArchiveTimestamp
from py7zr.io import HashIO, Py7zBytesIO, Py7zIO, WriterFactory

from clspd_desktop import __version__
from clspd_desktop.errors import StorageError
from clspd_desktop.safe_files import storage_error_for, write_atomically
from clspd_desktop.services import parallel_lzma2, py7zr_speedups
from clspd_desktop.services.py7zr_speedups import one_key_per_operation

log = logging.getLogger(__name__)
py7zr_speedups.apply()  # derives the AES key in ~0.02 s instead of ~0.07 s (see the module)
parallel_lzma2.apply()  # LZMA2 compressed and decompressed on every core (see the module)

MANIFEST_NAME = "manifest.json"
MANIFEST_LIMIT = 10 * 1024 * 1024
# preset 1 measured against presets 0 and 2 and custom fast/hc3/hc4, nice_len and depth variants: none
# used less CPU per byte; dictionaries of 256 KiB (7-Zip -mx1) compress ~25 % worse for the same CPU
FILTERS = [{"id": py7zr.FILTER_LZMA2, "preset": 1}, {"id": py7zr.FILTER_CRYPTO_AES256_SHA256}]
CHUNK = 1024 * 1024
# Signature and format version our writer produces; the version bytes are outside every CRC, so a changed
# one would otherwise go unnoticed.
SIGNATURE = b"7z\xbc\xaf\x27\x1c\x00\x04"

OPEN_FAILED = (
    "Mot de passe incorrect ou fichier endommagé : « {name} » ne peut pas être ouvert. Rien n'a été modifié."
)
TAMPERED = (
    "Le fichier « {name} » a été modifié ou endommagé depuis sa création (empreintes différentes). "
    "Rien n'a été modifié."
)
FOREIGN = "Le fichier « {name} » n'est pas {what} de CLSPD Desktop. Rien n'a été modifié."
UNEXPECTED = (
    "Le fichier « {name} » contient des éléments inattendus ({members}) : par prudence il n'est pas utilisé. "
    "Rien n'a été modifié."
)
TOO_LARGE = (
    "Le fichier « {name} » occuperait plus de {limit} Mo une fois décompressé : par prudence il n'est pas "
    "utilisé. Rien n'a été modifié."
)


class ArchiveError(StorageError):
    """The archive cannot be trusted or opened; the message says why, in French."""


@dataclass
class Manifest:
    """What an archive says about itself; `members` maps each name to its SHA-256 and size."""

    kind: str
    created_at: datetime
    app_version: str
    members: dict[str, dict] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        data = {"application": "CLSPD Desktop", "kind": self.kind,
                "created_at": self.created_at.isoformat(timespec="seconds"), "app_version": self.app_version,
                "members": self.members, **self.extra}
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        data = json.loads(raw.decode("utf-8"))
        members = data.pop("members")
        if not isinstance(members, dict) or not all(
                isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in members.values()):
            raise ValueError("members")
        return cls(kind=data.pop("kind"), created_at=datetime.fromisoformat(data.pop("created_at")),
                   app_version=data.pop("app_version"), members=members,
                   extra={k: v for k, v in data.items() if k != "application"})


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def is_safe_name(name: str) -> bool:
    """A relative POSIX path with no '..', drive or backslash: nothing can land outside the target folder."""
    if not name or "\\" in name or ":" in name or name.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def write_archive(target: Path, members: Mapping[str, Path | bytes], password: str, kind: str,
                  extra: Mapping | None = None, created_at: datetime | None = None,
                  before_rename: Callable[[], object] | None = None) -> Manifest:
    """Write `members` (archive name -> file, or its content) encrypted, verify it, rename it over `target`.

    Every member is hashed as py7zr reads it for compression (one pass); a file is streamed from disk in
    chunks, so a large database file never sits in memory.
    `before_rename` runs once the archive is verified: raising there abandons it (a check still running
    on another thread is awaited there). On a full disk or any failure the previous `target` stays
    byte-identical and no partial file is left.
    """
    for name in members:
        if not is_safe_name(name) or name == MANIFEST_NAME:
            raise ValueError(f"nom de membre refusé : {name!r}")
    manifest = Manifest(kind=kind, created_at=created_at or datetime.now(), app_version=__version__,
                        extra=dict(extra or {}))

    def produce(tmp: Path) -> None:
        with py7zr.SevenZipFile(tmp, "w", password=password, header_encryption=True, filters=FILTERS) as archive:
            for name, source in sorted(members.items()):
                if isinstance(source, bytes):
                    reader = _HashingReader(source)
                    archive.writef(reader, name)
                    manifest.members[name] = {"sha256": reader.hexdigest(), "size": len(source)}
                    continue
                path = Path(source)
                with _HashingFileReader.reading(path) as file_reader:
                    archive.writef(file_reader, name)
                    manifest.members[name] = {"sha256": file_reader.hexdigest(), "size": file_reader.tell()}
                _keep_modification_time(archive, path)
            archive.writestr(manifest.to_bytes(), MANIFEST_NAME)
        verify_archive(tmp, password, kind)
        if before_rename is not None:
            before_rename()

    with one_key_per_operation():  # write and verify: the key is derived once
        write_atomically(target, produce)
    return manifest


class _HashingReader(io.BytesIO):
    """The member's content as py7zr reads it to compress it, hashed on the way (SHA-256 releases the GIL)."""

    def __init__(self, content: bytes) -> None:
        super().__init__(content)
        self._content = content
        self._digest = hashlib.sha256()
        self._size = len(content)

    def getbuffer(self) -> memoryview:
        """py7zr only takes the size from it: a read-only view, not the copy BytesIO makes of shared bytes."""
        return memoryview(self._content)

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self._digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        """Only once everything was read: a py7zr that read otherwise fails the backup, not the manifest."""
        if self.tell() != self._size:
            raise ValueError("contenu incomplètement lu par py7zr")
        return self._digest.hexdigest()


def _keep_modification_time(archive: py7zr.SevenZipFile, path: Path) -> None:
    """`writef` dates a member "now"; a file keeps its own time, as `write` would (read at close)."""
    stamp = ArchiveTimestamp.from_datetime(path.stat().st_mtime)
    info = archive.header.files_info.files[-1]
    info["creationtime"] = info["lastwritetime"] = stamp


class _HashingFileReader(io.BufferedReader):
    """A member's file as py7zr reads it to compress it, hashed on the way: one pass over the disk."""

    @classmethod
    def reading(cls, path: Path) -> _HashingFileReader:
        return cls(io.FileIO(path, "rb"), CHUNK)

    def __init__(self, raw: io.FileIO, buffer_size: int) -> None:
        super().__init__(raw, buffer_size)
        self._digest = hashlib.sha256()

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self._digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        """Only at the end of the file: a py7zr that read otherwise fails the archive, not the manifest."""
        if self.peek(1):
            raise ValueError("fichier incomplètement lu par py7zr")
        return self._digest.hexdigest()


class _VerifyingFactory(WriterFactory):
    """Hashes members as they are decompressed, without writing them to disk; keeps the manifest's bytes."""

    def __init__(self) -> None:
        self.hashes: dict[str, HashIO] = {}
        self.manifest: Py7zBytesIO | None = None

    def create(self, filename: str) -> Py7zIO:
        if filename == MANIFEST_NAME:
            self.manifest = Py7zBytesIO(filename, MANIFEST_LIMIT)
            return self.manifest
        self.hashes[filename] = HashIO(filename)
        return self.hashes[filename]


def _open(path: Path, password: str, max_size: int | None = None) -> py7zr.SevenZipFile:
    """Ours or nothing: our signature, nothing appended (the start header says where the file ends, and
    bytes past it are outside every check), and encrypted (a plain archive needs no password to forge)."""
    with open(path, "rb") as handle:
        start = handle.read(32)
        if start[:len(SIGNATURE)] != SIGNATURE or len(start) < 32:
            raise ValueError("signature 7z inattendue")
        next_offset, next_size = struct.unpack_from("<QQ", start, 12)
        if 32 + next_offset + next_size != os.fstat(handle.fileno()).st_size:
            raise ValueError("taille différente de celle annoncée par l'en-tête")
    archive = py7zr.SevenZipFile(path, "r", password=password, max_extract_size=max_size)
    if not _all_encrypted(archive):
        archive.close()
        raise ValueError("archive non chiffrée")
    return archive


AES_METHOD = b"\x06\xf1\x07\x01"


def _all_encrypted(archive: py7zr.SevenZipFile) -> bool:
    streams = archive.header.main_streams
    folders = streams.unpackinfo.folders if streams is not None and streams.unpackinfo is not None else []
    return bool(folders) and all(any(c["method"] == AES_METHOD for c in f.coders) for f in folders)


def _fail(message: str, path: Path, details: str = "", **fmt) -> ArchiveError:
    return ArchiveError(message.format(name=path.name, **fmt), details=details)


def _parse_manifest(raw: bytes | None, path: Path, kind: str, what: str) -> Manifest:
    if raw is None:
        raise _fail(FOREIGN, path, "manifest absent", what=what)
    try:
        manifest = Manifest.from_bytes(raw)
    except (ValueError, KeyError, TypeError) as exc:
        raise _fail(FOREIGN, path, f"manifest illisible : {exc}", what=what) from exc
    if manifest.kind != kind:
        raise _fail(FOREIGN, path, f"type {manifest.kind!r} au lieu de {kind!r}", what=what)
    return manifest


def _check_listing(path: Path, listing: list, allowed: Callable[[str], bool], max_size: int) -> None:
    names = [info.filename for info in listing]
    bad = [n for n in names if not is_safe_name(n) or (n != MANIFEST_NAME and not allowed(n))]
    if bad:
        raise _fail(UNEXPECTED, path, "\n".join(bad), members=", ".join(bad[:3]))
    total = sum(info.uncompressed or 0 for info in listing)
    if total > max_size:
        raise _fail(TOO_LARGE, path, f"{total} octets", limit=max_size // (1024 * 1024))


def _compare(path: Path, manifest: Manifest, found: dict[str, str]) -> None:
    expected = {name: meta["sha256"] for name, meta in manifest.members.items()}
    if found != expected:
        differing = sorted(set(found) ^ set(expected) | {n for n in found if expected.get(n) != found[n]})
        raise _fail(TAMPERED, path, "membres différents : " + ", ".join(differing))


def verify_archive(path: Path, password: str, kind: str, *, allowed: Callable[[str], bool] = lambda _: True,
                   max_size: int = 1 << 40, what: str = "une archive") -> Manifest:
    """Decompress everything in memory and check it against the manifest; ArchiveError otherwise."""
    try:
        factory = _VerifyingFactory()
        with one_key_per_operation(), _open(path, password) as archive:
            _check_listing(path, archive.list(), allowed, max_size)
            archive.extractall(factory=factory)
    except ArchiveError:
        raise
    except Exception as exc:  # noqa: BLE001 - py7zr signals a bad password or file with many exception types
        raise _opening_error(exc, path) from exc
    manifest = _parse_manifest(_manifest_bytes(factory.manifest), path, kind, what)
    _compare(path, manifest, {name: h.hash.hexdigest() for name, h in factory.hashes.items()})
    return manifest


class _HashingFile(Py7zIO):
    """A member written to its file and hashed in the same pass (no second read of what was extracted)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(path, "xb")  # noqa: SIM115 - closed by py7zr through close(), or by the factory
        self.hash = hashlib.sha256()

    def write(self, s: bytes | bytearray) -> int:
        self.hash.update(s)
        return self.file.write(s)

    def read(self, size: int | None = None) -> bytes:  # pragma: no cover - py7zr only writes
        raise io.UnsupportedOperation("écriture seule")

    def seekable(self) -> bool:
        return False  # py7zr then does not rewind it before close()

    def seek(self, offset: int, whence: int = 0) -> int:  # pragma: no cover - see seekable
        raise io.UnsupportedOperation("écriture seule")

    def flush(self) -> None:
        self.file.flush()

    def size(self) -> int:
        return self.file.tell()

    def close(self) -> None:
        self.file.close()


class _ExtractingFactory(WriterFactory):
    """Members into `dest` under their (checked) names, hashed as written; the manifest kept in memory."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.files: dict[str, _HashingFile] = {}
        self.manifest: Py7zBytesIO | None = None

    def create(self, filename: str) -> Py7zIO:
        if filename == MANIFEST_NAME:
            self.manifest = Py7zBytesIO(filename, MANIFEST_LIMIT)
            return self.manifest
        if not is_safe_name(filename) or filename in self.files:  # listing checked; py7zr renames duplicates
            raise ValueError(f"nom de membre refusé : {filename!r}")
        self.files[filename] = _HashingFile(self.dest / filename)
        return self.files[filename]

    def close_all(self) -> None:
        for member in self.files.values():
            member.close()


def _manifest_bytes(memory: Py7zBytesIO | None) -> bytes | None:
    if memory is None:
        return None
    memory.seek(0)
    return memory.read()


def extract_archive(path: Path, password: str, dest: Path, kind: str, *, allowed: Callable[[str], bool],
                    max_size: int, what: str) -> Manifest:
    """Check names and sizes, extract into the empty folder `dest` hashing as it writes, then compare every
    SHA-256 with the manifest. Files keep their archived modification time.

    On failure `dest` is emptied again and ArchiveError (French) is raised.
    """
    dest.mkdir(parents=True, exist_ok=True)
    factory = _ExtractingFactory(dest)
    try:
        try:
            with one_key_per_operation(), _open(path, password, max_size) as archive:
                listing = archive.list()
                _check_listing(path, listing, allowed, max_size)
                archive.extractall(factory=factory)
        finally:
            factory.close_all()
        raw = _manifest_bytes(factory.manifest)
        manifest = _parse_manifest(raw, path, kind, what)
        _compare(path, manifest, {name: member.hash.hexdigest() for name, member in factory.files.items()})
        (dest / MANIFEST_NAME).write_bytes(raw or b"")  # extracted like every member
        for info in listing:
            if info.filename in factory.files and info.creationtime is not None:  # py7zr's name: last write
                stamp = info.creationtime.timestamp()
                os.utime(dest / info.filename, (stamp, stamp))
        return manifest
    except ArchiveError:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    except Exception as exc:  # noqa: BLE001 - see verify_archive
        shutil.rmtree(dest, ignore_errors=True)
        raise _opening_error(exc, path, dest) from exc


def _visible_folder(dest: Path) -> Path:
    """The folder the user can see above a hidden work folder (the data folder for a restore)."""
    hidden = [n for n, part in enumerate(dest.parts) if part.startswith(".")]
    return Path(*dest.parts[:hidden[0]]) if hidden else dest


def _opening_error(exc: Exception, path: Path, dest: Path | None = None) -> StorageError:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        if dest is None:
            return storage_error_for(exc, path)
        return StorageError(  # the disk that is full is the destination's, not the archive's
            f"Le disque du dossier « {_visible_folder(dest)} » est plein : le contenu de « {path.name} » n'a pas "
            "pu y être extrait. Libérez de la place sur ce disque puis recommencez. Rien n'a été modifié.",
            details=str(exc))
    log.info("Archive illisible %s : %r", path.name, exc)
    return _fail(OPEN_FAILED, path, f"{type(exc).__name__}: {exc}")


def find_7z_cli() -> str | None:
    """The 7-Zip command-line tool if installed (7z, 7zz or 7za): the benchmark and tests compare with it."""
    for name in ("7z", "7zz", "7za"):
        found = shutil.which(name)
        if found:
            return found
    return None
