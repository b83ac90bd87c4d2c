"""The faster 7z key derivation gives py7zr's keys, is really used by py7zr, is derived once per archive
operation, and archives still go both ways with the 7-Zip tool (wrong passwords still refused)."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import datetime

import py7zr
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py7zr import compressor, helpers

from clspd_desktop.services import parallel_lzma2, py7zr_speedups
from clspd_desktop.services.archive import (
    MANIFEST_NAME,
    ArchiveError,
    Manifest,
    extract_archive,
    find_7z_cli,
    sha256_of,
    verify_archive,
    write_archive,
)

PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"
KIND = "test/archive"
SEVEN_ZIP = find_7z_cli()
needs_7z = pytest.mark.skipif(SEVEN_ZIP is None, reason="7-Zip (7z/7zz) absent")


@pytest.fixture(autouse=True)
def blocks(monkeypatch):
    """64 KiB LZMA2 blocks: `b.bin` (1 MB) is then compressed in several blocks on the thread pool."""
    counted = []
    compress_block = parallel_lzma2.compress_block
    monkeypatch.setattr(parallel_lzma2, "BLOCK_SIZE", 64 * 1024)
    monkeypatch.setattr(parallel_lzma2, "compress_block", lambda *a: counted.append(1) or compress_block(*a))
    return counted


def spec_key(password: bytes, cycles: int, salt: bytes) -> bytes:
    """The 7z key as the format describes it, one record at a time (slow: small `cycles` only)."""
    digest = hashlib.sha256()
    for counter in range(1 << cycles):
        digest.update(salt + password + counter.to_bytes(8, "little"))
    return digest.digest()


@settings(max_examples=40, deadline=None)
@given(password=st.binary(max_size=80), cycles=st.integers(0, 12), salt=st.binary(max_size=16))
def test_key_matches_the_format_definition(password, cycles, salt):
    assert py7zr_speedups.derive_key(password, cycles, salt) == spec_key(password, cycles, salt)


@pytest.mark.parametrize("cycles", [16, 17, 19, 20])  # one block, two blocks, 7z's default, 16 blocks
@pytest.mark.parametrize("salt", [b"", bytes(range(16))])
def test_key_matches_py7zr_across_blocks(cycles, salt):
    password = PASSWORD.encode("utf-16LE")
    assert py7zr_speedups.derive_key(password, cycles, salt) == helpers.calculate_key(password, cycles, salt,
                                                                                      "sha256")


@pytest.mark.parametrize(("cycles", "digest"), [(0x3F, "sha256"), (4, "sha1")])
def test_other_cases_are_left_to_py7zr(cycles, digest):
    password = "mot".encode("utf-16LE")
    expected = helpers.calculate_key(password, cycles, b"sel", digest)
    assert py7zr_speedups.calculate_key(password, cycles, b"sel", digest) == expected


@pytest.fixture
def derivations(monkeypatch):
    """Counts real derivations (a py7zr that stopped calling the patched function would count none)."""
    calls: list[int] = []
    real = py7zr_speedups.derive_key

    def counting(password: bytes, cycles: int, salt: bytes) -> bytes:
        calls.append(cycles)
        return real(password, cycles, salt)

    monkeypatch.setattr(py7zr_speedups, "derive_key", counting)
    return calls


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("Réunion plénière du 17 mars", encoding="utf-8")
    (folder / "b.bin").write_bytes(bytes(range(256)) * 4000)
    return {"a.txt": folder / "a.txt", "dossier/b.bin": folder / "b.bin"}


def test_py7zr_derives_its_keys_through_the_patch(tmp_path, derivations):
    assert compressor.calculate_key is py7zr_speedups.calculate_key
    target = tmp_path / "direct.7z"
    with py7zr.SevenZipFile(target, "w", password=PASSWORD, header_encryption=True) as archive:
        archive.writestr(b"contenu", "a.txt")
    with py7zr.SevenZipFile(target, "r", password=PASSWORD) as archive:
        archive.testzip()
    assert len(derivations) >= 3  # write data + header, read header (+ data): each through our function
    assert set(derivations) == {19}


def test_one_derivation_per_archive_operation(tmp_path, sources, derivations):
    target = tmp_path / "x.7z"
    write_archive(target, sources, PASSWORD, KIND)  # write, then verify by reading back: one key
    assert len(derivations) == 1
    verify_archive(target, PASSWORD, KIND)
    assert len(derivations) == 2  # nothing is remembered after an operation ends
    extract_archive(target, PASSWORD, tmp_path / "out", KIND, allowed=lambda _: True, max_size=10**8,
                    what="une archive")
    assert len(derivations) == 3


def test_a_different_password_in_the_same_operation_is_derived_again(derivations):
    with py7zr_speedups.one_key_per_operation():
        first = py7zr_speedups.calculate_key(b"a\x00", 8, b"", "sha256")
        again = py7zr_speedups.calculate_key(b"a\x00", 8, b"", "sha256")
        other = py7zr_speedups.calculate_key(b"b\x00", 8, b"", "sha256")
    assert first == again != other
    assert len(derivations) == 2


def seven_zip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SEVEN_ZIP, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=60)


@needs_7z
def test_our_archive_opens_in_7zip_and_refuses_a_wrong_password(tmp_path, sources, blocks):
    target = tmp_path / "x.7z"
    write_archive(target, sources, PASSWORD, KIND)
    assert len(blocks) > 10
    assert seven_zip("t", "-pAAAAA-AAAAA-AAAAA-AAAAA-AAAAA", str(target)).returncode != 0
    out = tmp_path / "out"
    assert seven_zip("x", f"-p{PASSWORD}", f"-o{out}", "-y", str(target)).returncode == 0
    assert (out / "dossier" / "b.bin").read_bytes() == sources["dossier/b.bin"].read_bytes()


@needs_7z
def test_an_archive_written_by_7zip_opens_with_our_code(tmp_path, sources):
    folder = tmp_path / "a-archiver"
    (folder / "dossier").mkdir(parents=True)
    for name, path in sources.items():
        (folder / name).write_bytes(path.read_bytes())
    manifest = Manifest(kind=KIND, created_at=datetime(2025, 3, 17, 18, 30), app_version="test",
                        members={name: {"sha256": sha256_of(path), "size": path.stat().st_size}
                                 for name, path in sources.items()})
    (folder / MANIFEST_NAME).write_bytes(manifest.to_bytes())
    target = tmp_path / "7zip.7z"
    made = seven_zip("a", "-t7z", "-mhe=on", "-mx=1", f"-p{PASSWORD}", str(target), f"{folder}/*")
    assert made.returncode == 0, made.stderr

    assert verify_archive(target, PASSWORD, KIND).members == manifest.members
    out = tmp_path / "out"
    extract_archive(target, PASSWORD, out, KIND, allowed=lambda _: True, max_size=10**8, what="une archive")
    assert (out / "a.txt").read_text(encoding="utf-8") == "Réunion plénière du 17 mars"
    with pytest.raises(ArchiveError, match="Mot de passe incorrect"):
        verify_archive(target, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", KIND)
    with pytest.raises(ArchiveError, match="Mot de passe incorrect"):
        extract_archive(target, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", tmp_path / "refus", KIND,
                        allowed=lambda _: True, max_size=10**8, what="une archive")
    assert not (tmp_path / "refus").exists()
