"""Encrypted archives: manifest verified after writing and before use; every failure is one French message."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import py7zr
import pytest

from clspd_desktop.services import parallel_lzma2
from clspd_desktop.services.archive import (
    FILTERS,
    MANIFEST_NAME,
    ArchiveError,
    extract_archive,
    is_safe_name,
    verify_archive,
    write_archive,
)

PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"
KIND = "test/archive"


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    """16 KiB LZMA2 blocks: `b.bin` (20 KB) is then compressed in two blocks on the thread pool."""
    monkeypatch.setattr(parallel_lzma2, "BLOCK_SIZE", 16 * 1024)


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("Réunion plénière du 17 mars", encoding="utf-8")
    (folder / "b.bin").write_bytes(bytes(range(256)) * 40 + bytes(range(256))[::-1] * 40)
    return {"a.txt": folder / "a.txt", "dossier/b.bin": folder / "b.bin"}


def _everything(_name: str) -> bool:
    return True


def test_round_trip_with_manifest(tmp_path, sources):
    target = tmp_path / "x.7z"
    manifest = write_archive(target, sources, PASSWORD, KIND, extra={"schema_version": 2})
    assert set(manifest.members) == {"a.txt", "dossier/b.bin"}
    checked = verify_archive(target, PASSWORD, KIND)
    assert checked.members == manifest.members
    assert checked.extra["schema_version"] == 2
    out = tmp_path / "out"
    extract_archive(target, PASSWORD, out, KIND, allowed=_everything, max_size=10**7, what="une archive")
    assert (out / "dossier" / "b.bin").read_bytes() == sources["dossier/b.bin"].read_bytes()
    assert json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["kind"] == KIND


def test_names_are_hidden_without_the_password(tmp_path, sources):
    target = tmp_path / "x.7z"
    write_archive(target, sources, PASSWORD, KIND)
    assert b"a.txt" not in target.read_bytes()
    with pytest.raises(Exception), py7zr.SevenZipFile(target) as archive:  # noqa: B017 - any refusal will do
        archive.list()


def test_wrong_password_gives_one_french_message_and_leaves_nothing(tmp_path, sources):
    target = tmp_path / "x.7z"
    write_archive(target, sources, PASSWORD, KIND)
    out = tmp_path / "out"
    with pytest.raises(ArchiveError, match="Mot de passe incorrect ou fichier endommagé"):
        extract_archive(target, "AAAAA-AAAAA", out, KIND, allowed=_everything, max_size=10**7, what="x")
    assert not out.exists()


def test_truncated_archive_is_refused(tmp_path, sources):
    target = tmp_path / "x.7z"
    write_archive(target, sources, PASSWORD, KIND)
    target.write_bytes(target.read_bytes()[:-40])
    with pytest.raises(ArchiveError, match="Mot de passe incorrect ou fichier endommagé"):
        verify_archive(target, PASSWORD, KIND)


def _raw_archive(path, members: dict[str, bytes], password=PASSWORD):
    with py7zr.SevenZipFile(path, "w", password=password, header_encryption=True, filters=FILTERS) as archive:
        for name, data in members.items():
            archive.writestr(data, name)


def test_archive_without_manifest_is_foreign(tmp_path):
    target = tmp_path / "autre.7z"
    _raw_archive(target, {"photo.jpg": b"jpeg"})
    with pytest.raises(ArchiveError, match="n'est pas une sauvegarde de CLSPD Desktop"):
        verify_archive(target, PASSWORD, KIND, what="une sauvegarde")


def test_archive_of_another_kind_is_foreign(tmp_path, sources):
    target = tmp_path / "x.7z"
    write_archive(target, sources, PASSWORD, "test/autre")
    with pytest.raises(ArchiveError, match="n'est pas"):
        verify_archive(target, PASSWORD, KIND)


def test_member_changed_after_manifest_is_detected(tmp_path):
    target = tmp_path / "x.7z"
    manifest = json.dumps({"application": "CLSPD Desktop", "kind": KIND, "created_at": "2025-03-17T09:00:00",
                           "app_version": "0.1.0",
                           "members": {"a.txt": {"sha256": "0" * 64, "size": 3}}}).encode()
    _raw_archive(target, {"a.txt": b"abc", MANIFEST_NAME: manifest})
    with pytest.raises(ArchiveError, match="modifié ou endommagé"):
        verify_archive(target, PASSWORD, KIND)
    out = tmp_path / "out"
    with pytest.raises(ArchiveError, match="modifié ou endommagé"):
        extract_archive(target, PASSWORD, out, KIND, allowed=_everything, max_size=10**6, what="x")
    assert not out.exists()


@pytest.mark.parametrize("name", ["script.exe", "autre/dossier.txt"])
def test_unexpected_members_are_refused_before_extraction(tmp_path, name):
    target = tmp_path / "x.7z"
    _raw_archive(target, {name: b"x"})
    out = tmp_path / "out"
    with pytest.raises(ArchiveError, match="éléments inattendus"):
        extract_archive(target, PASSWORD, out, KIND, allowed=lambda n: n.endswith(".txt") and "/" not in n,
                        max_size=10**6, what="x")
    assert not out.exists()


def test_too_large_once_extracted_is_refused(tmp_path):
    target = tmp_path / "bombe.7z"
    _raw_archive(target, {"a.txt": b"\0" * 2_000_000})
    assert target.stat().st_size < 10_000
    with pytest.raises(ArchiveError, match="plus de 1 Mo"):
        extract_archive(target, PASSWORD, tmp_path / "out", KIND, allowed=_everything,
                        max_size=1024 * 1024, what="x")


def test_unsafe_names():
    assert is_safe_name("documents/2025/cr.pdf")
    for bad in ("", "/etc/passwd", "../x", "a/../../x", "C:/x", "a\\b", "./x"):
        assert not is_safe_name(bad), bad
    with pytest.raises(ValueError):
        write_archive(Path("/nonexistent/x.7z"), {"../x": Path("x")}, PASSWORD, KIND)


def test_extraction_keeps_modification_times_and_every_member(tmp_path, sources):
    os.utime(sources["a.txt"], (1_600_000_000, 1_600_000_000))
    target = tmp_path / "x.7z"
    write_archive(target, {**sources, "vide.txt": b"", "memoire.bin": b"abc" * 5000}, PASSWORD, KIND)
    out = tmp_path / "out"
    manifest = extract_archive(target, PASSWORD, out, KIND, allowed=_everything, max_size=10**7, what="x")
    assert int((out / "a.txt").stat().st_mtime) == 1_600_000_000
    assert (out / "vide.txt").read_bytes() == b""
    assert (out / "memoire.bin").read_bytes() == b"abc" * 5000
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a.txt", "dossier/b.bin", MANIFEST_NAME, "memoire.bin", "vide.txt"]
    assert manifest.members["memoire.bin"] == {"sha256": hashlib.sha256(b"abc" * 5000).hexdigest(), "size": 15000}
