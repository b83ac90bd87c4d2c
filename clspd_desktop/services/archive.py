"""Encrypted 7z archives with a manifest: what leaves the PC, and what comes back on a restore.

7z AES-256 has no MAC (a CRC only), so every archive carries `manifest.json` with the SHA-256 of each
member; it is checked right after writing (before the temp file is renamed) and again before anything is
restored. py7zr reports a wrong password, a truncated or a tampered file with assorted exceptions
(TypeError, LZMAError, CrcError...): all of them become one French message and nothing is touched.
Archives open with 7-Zip or PeaZip (not with the Windows Explorer, which cannot read encrypted 7z).
Each write-and-verify, verify or extract derives the AES key once, with a faster function (`py7zr_speedups`):
py7zr's own took ~0.07 s per derivation and derived it four times per backup.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import py7zr
from py7zr.io import HashIO, Py7zBytesIO, Py7zIO, WriterFactory

from clspd_desktop import __version__
from clspd_desktop.errors import StorageError
from clspd_desktop.safe_files import storage_error_for, write_atomically
from clspd_desktop.services import py7zr_speedups
from clspd_desktop.services.py7zr_speedups import one_key_per_operation

log = logging.getLogger(__name__)
py7zr_speedups.apply()  # derives the AES key in ~0.02 s instead of ~0.07 s (see the module)

MANIFEST_NAME = "manifest.json"
MANIFEST_LIMIT = 10 * 1024 * 1024
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


def write_archive(target: Path, members: Mapping[str, Path], password: str, kind: str,
                  extra: Mapping | None = None, created_at: datetime | None = None) -> Manifest:
    """Write `members` (archive name -> file) encrypted, verify it, then rename it over `target`.

    On a full disk or any failure the previous `target` stays byte-identical and no partial file is left.
    """
    for name in members:
        if not is_safe_name(name) or name == MANIFEST_NAME:
            raise ValueError(f"nom de membre refusé : {name!r}")
    manifest = Manifest(
        kind=kind, created_at=created_at or datetime.now(), app_version=__version__,
        members={name: {"sha256": sha256_of(path), "size": path.stat().st_size}
                 for name, path in sorted(members.items())},
        extra=dict(extra or {}),
    )

    def produce(tmp: Path) -> None:
        with py7zr.SevenZipFile(tmp, "w", password=password, header_encryption=True, filters=FILTERS) as archive:
            for name, path in sorted(members.items()):
                archive.write(path, name)
            archive.writestr(manifest.to_bytes(), MANIFEST_NAME)
        verify_archive(tmp, password, kind)

    with one_key_per_operation():  # write and verify: the key is derived once
        write_atomically(target, produce)
    return manifest


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
    with open(path, "rb") as handle:
        if handle.read(len(SIGNATURE)) != SIGNATURE:
            raise ValueError("signature 7z inattendue")
    return py7zr.SevenZipFile(path, "r", password=password, max_extract_size=max_size)


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
    raw = None
    if factory.manifest is not None:
        factory.manifest.seek(0)
        raw = factory.manifest.read()
    manifest = _parse_manifest(raw, path, kind, what)
    _compare(path, manifest, {name: h.hash.hexdigest() for name, h in factory.hashes.items()})
    return manifest


def extract_archive(path: Path, password: str, dest: Path, kind: str, *, allowed: Callable[[str], bool],
                    max_size: int, what: str) -> Manifest:
    """Check names and sizes, extract into the empty folder `dest`, then check every file's SHA-256.

    On failure `dest` is emptied again and ArchiveError (French) is raised.
    """
    dest.mkdir(parents=True, exist_ok=True)
    try:
        with one_key_per_operation(), _open(path, password, max_size) as archive:
            _check_listing(path, archive.list(), allowed, max_size)
            archive.extractall(path=dest)
        manifest_file = dest / MANIFEST_NAME
        raw = manifest_file.read_bytes() if manifest_file.is_file() else None
        manifest = _parse_manifest(raw, path, kind, what)
        found = {rel: sha256_of(p) for p in dest.rglob("*")
                 if p.is_file() and (rel := p.relative_to(dest).as_posix()) != MANIFEST_NAME}
        _compare(path, manifest, found)
        return manifest
    except ArchiveError:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    except Exception as exc:  # noqa: BLE001 - see verify_archive
        shutil.rmtree(dest, ignore_errors=True)
        raise _opening_error(exc, path) from exc


def _opening_error(exc: Exception, path: Path) -> StorageError:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return storage_error_for(exc, path)
    log.info("Archive illisible %s : %r", path.name, exc)
    return _fail(OPEN_FAILED, path, f"{type(exc).__name__}: {exc}")


def find_7z_cli() -> str | None:
    """The 7-Zip command-line tool if installed (7z, 7zz or 7za): the benchmark and tests compare with it."""
    for name in ("7z", "7zz", "7za"):
        found = shutil.which(name)
        if found:
            return found
    return None
