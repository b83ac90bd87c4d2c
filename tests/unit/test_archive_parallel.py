"""LZMA2 in independent blocks on a thread pool: one standard stream that liblzma, py7zr and 7-Zip decode
byte for byte, really cut into several blocks (and decoded in several segments) when larger than a block;
py7zr really goes through it; 7-Zip's own multithreaded archives are decoded in segments too."""

from __future__ import annotations

import lzma
import os
import random
import subprocess
from pathlib import Path

import py7zr
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py7zr import compressor as py7zr_compressor
from py7zr.io import BytesIOFactory

from clspd_desktop.services import parallel_lzma2
from clspd_desktop.services.archive import (
    FILTERS,
    extract_archive,
    find_7z_cli,
    verify_archive,
    write_archive,
)
from clspd_desktop.services.parallel_lzma2 import ParallelLZMA2Compressor, ParallelLZMA2Decompressor

PASSWORD = "K7M2Q-8ZP4R-0A1BC-DEFGH-JKMNP"
KIND = "test/archive"
LZMA2 = [FILTERS[0]]
BLOCK = 64 * 1024
SEVEN_ZIP = find_7z_cli()
needs_7z = pytest.mark.skipif(SEVEN_ZIP is None, reason="7-Zip (7z/7zz) absent")


def compressible(size: int, seed: int = 1) -> bytes:
    """Text-like data (what a database mostly is): compresses well, so LZMA chunks, not stored ones."""
    rng = random.Random(seed)
    words = [bytes(rng.choices(b"abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(400)]
    out = bytearray()
    while len(out) < size:
        out += b" ".join(rng.choices(words, k=50)) + b"\n"
    return bytes(out[:size])


def mixed(size: int) -> bytes:
    """Random and compressible runs alternating: stored chunks, resets inside stored runs, LZMA chunks."""
    out = bytearray()
    while len(out) < size:
        out += os.urandom(BLOCK // 3) + compressible(BLOCK, seed=len(out))
    return bytes(out[:size])


def compress(data: bytes, block_size: int = BLOCK, feed: int = 10_000) -> tuple[bytes, int]:
    encoder = ParallelLZMA2Compressor(LZMA2, block_size)
    out = b"".join(encoder.compress(data[i:i + feed]) for i in range(0, len(data), feed)) + encoder.flush()
    return out, encoder.blocks


def decode(stream: bytes, size: int, feed: int = 7_000, **options) -> tuple[bytes, ParallelLZMA2Decompressor]:
    """As py7zr drives it: pieces of input, then empty calls until the expected size is reached."""
    decoder = ParallelLZMA2Decompressor(LZMA2, **options)
    out = bytearray()
    for i in range(0, len(stream), feed):
        out += decoder.decompress(stream[i:i + feed], size - len(out))
    for _ in range(10_000):
        if len(out) >= size:
            break
        piece = decoder.decompress(b"", size - len(out))
        assert piece, "le décodeur ne progresse plus"
        out += piece
    return bytes(out), decoder


CASES = {
    "vide": b"",
    "un octet": b"x",
    "exactement un bloc": compressible(BLOCK),
    "un bloc et un octet": compressible(BLOCK + 1),
    "aléatoire": os.urandom(5 * BLOCK + 123),
    "compressible": compressible(9 * BLOCK + 7),
    "mélangé": mixed(8 * BLOCK),
}
BLOCKS = {"vide": 1, "un octet": 1, "exactement un bloc": 1, "un bloc et un octet": 2, "aléatoire": 6,
          "compressible": 10, "mélangé": 8}


@pytest.mark.parametrize("name", list(CASES))
def test_round_trip_through_liblzma_and_the_pool(name):
    data = CASES[name]
    stream, blocks = compress(data)
    assert blocks == BLOCKS[name]
    assert lzma.decompress(stream, format=lzma.FORMAT_RAW, filters=LZMA2) == data  # one plain decoder
    decoded, decoder = decode(stream, len(data))
    assert decoded == data
    assert decoder._sequential is None
    assert decoder.segments == (blocks if data else 0)  # every block of ours is a segment, random ones too


def test_one_block_is_what_liblzma_alone_writes():
    data = CASES["un bloc et un octet"][:BLOCK]
    assert compress(data)[0] == lzma.compress(data, format=lzma.FORMAT_RAW, filters=LZMA2)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["aléatoire", "compressible", "zéros"]), min_size=0, max_size=6),
       st.integers(1, 3 * BLOCK), st.integers(1, 50_000), st.integers(1, 50_000))
def test_any_data_any_block_size_any_feeding(parts, block_size, feed_in, feed_out):
    pieces = {"aléatoire": lambda: os.urandom(BLOCK // 2), "compressible": lambda: compressible(BLOCK),
              "zéros": lambda: bytes(BLOCK)}
    data = b"".join(pieces[p]() for p in parts)
    stream, _ = compress(data, max(block_size, 4096), feed_in)
    assert lzma.decompress(stream, format=lzma.FORMAT_RAW, filters=LZMA2) == data
    assert decode(stream, len(data), feed_out)[0] == data


def test_a_stream_without_usable_resets_is_decoded_sequentially():
    data = compressible(6 * BLOCK)
    stream = lzma.compress(data, format=lzma.FORMAT_RAW, filters=LZMA2)  # one encoder: no reset after the first
    decoded, decoder = decode(stream, len(data), max_segment=BLOCK)
    assert decoded == data
    assert decoder._sequential is not None and decoder.segments == 0


def test_a_segment_longer_than_the_limit_switches_to_one_decoder_midway():
    parts = [compressible(BLOCK // 2, 1), compressible(BLOCK // 2, 2), compressible(3 * BLOCK, 3),
             compressible(BLOCK // 2, 4)]
    stream = b"".join(parallel_lzma2.compress_block(p, LZMA2) for p in parts) + b"\x00"
    data = b"".join(parts)
    decoded, decoder = decode(stream, len(data), max_segment=BLOCK)
    assert decoded == data
    assert decoder.segments == 2 and decoder._sequential is not None  # the third is too long: one decoder


def test_a_stream_without_end_marker_still_gives_everything():
    data = compressible(3 * BLOCK)
    stream, _ = compress(data)
    decoded, decoder = decode(stream[:-1], len(data))
    assert decoded == data


def test_garbage_is_reported_by_liblzma():
    stream, _ = compress(compressible(3 * BLOCK))
    with pytest.raises(lzma.LZMAError):
        decode(b"\x05" + stream, 3 * BLOCK)
    damaged = bytearray(stream)
    damaged[len(stream) // 2] ^= 0xFF  # inside a compressed chunk: a decoder notices, or the sizes differ
    try:
        decoded, _ = decode(bytes(damaged), 3 * BLOCK)
    except (lzma.LZMAError, AssertionError):
        return
    assert decoded != compressible(3 * BLOCK)


def test_padding_after_the_end_marker_is_ignored():
    data = compressible(2 * BLOCK)
    stream, _ = compress(data)
    assert decode(stream + bytes(15), len(data))[0] == data


# --- inside py7zr ---------------------------------------------------------------------------------------


@pytest.fixture
def counted(monkeypatch):
    """Lower the block size and count blocks and segments really handled by the pool."""
    counts = {"blocs": 0, "segments": 0}
    block, segment = parallel_lzma2.compress_block, parallel_lzma2.decode_segment

    def counting_block(*args):
        counts["blocs"] += 1
        return block(*args)

    def counting_segment(*args):
        counts["segments"] += 1
        return segment(*args)

    monkeypatch.setattr(parallel_lzma2, "BLOCK_SIZE", BLOCK)
    monkeypatch.setattr(parallel_lzma2, "compress_block", counting_block)
    monkeypatch.setattr(parallel_lzma2, "decode_segment", counting_segment)
    return counts


def test_py7zr_builds_its_lzma2_coders_through_the_pool():
    """Fails if a py7zr upgrade stops calling the two patched methods (the archive would be written by one
    thread again: correct, only slow)."""
    assert py7zr_compressor.SevenZipCompressor._set_native_compressors_coders is \
        parallel_lzma2._set_native_compressors_coders
    writer = py7zr_compressor.SevenZipCompressor(filters=FILTERS, password=PASSWORD)
    assert isinstance(writer.chain[0], ParallelLZMA2Compressor)
    assert writer.coders[-1] == py7zr_compressor.SupportedMethods.get_coder(FILTERS[0])
    reader = py7zr_compressor.SevenZipDecompressor(writer.coders, 100, [100, 100], None, password=PASSWORD)
    assert isinstance(reader.chain[-1], ParallelLZMA2Decompressor)
    other = py7zr_compressor.SevenZipCompressor(filters=[{"id": lzma.FILTER_DELTA},
                                                         {"id": lzma.FILTER_LZMA2, "preset": 1}])
    assert isinstance(other.chain[0], py7zr_compressor.LZMA1Compressor)  # anything else: py7zr's own code


def test_archive_round_trip_uses_several_blocks_and_segments(tmp_path, counted):
    content = mixed(6 * BLOCK) + compressible(5 * BLOCK)
    small = tmp_path / "petit.txt"
    small.write_bytes(b"Relev\xc3\xa9 de d\xc3\xa9cisions")
    target = tmp_path / "x.7z"
    manifest = write_archive(target, {"gros.bin": content, "petit.txt": small}, PASSWORD, KIND)
    assert counted["blocs"] >= 11
    assert counted["segments"] >= 2  # the verification after writing went through the pool too
    counted["segments"] = 0
    out = tmp_path / "out"
    extract_archive(target, PASSWORD, out, KIND, allowed=lambda _: True, max_size=10**8, what="une archive")
    assert counted["segments"] >= 2
    assert (out / "gros.bin").read_bytes() == content
    assert (out / "petit.txt").read_bytes() == small.read_bytes()
    assert verify_archive(target, PASSWORD, KIND).members == manifest.members
    with py7zr.SevenZipFile(target, "r", password=PASSWORD) as archive:  # py7zr's own reading API too
        assert archive.testzip() is None


def seven_zip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SEVEN_ZIP, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=60)


@needs_7z
@pytest.mark.parametrize("name", ["vide", "exactement un bloc", "un bloc et un octet", "aléatoire", "mélangé"])
def test_7zip_tests_and_extracts_multi_block_archives(tmp_path, counted, name):
    data = CASES[name] + (compressible(3 * BLOCK) if name == "mélangé" else b"")
    target = tmp_path / "x.7z"
    write_archive(target, {"donnees.bin": data}, PASSWORD, KIND)
    with py7zr.SevenZipFile(target, "r", password=PASSWORD) as archive:
        solid = sum(info.uncompressed for info in archive.list())  # the data, then the manifest: one stream
    assert counted["blocs"] == max(1, -(-solid // BLOCK))
    tested = seven_zip("t", f"-p{PASSWORD}", str(target))
    assert tested.returncode == 0, tested.stdout + tested.stderr
    out = tmp_path / "out"
    assert seven_zip("x", f"-p{PASSWORD}", f"-o{out}", "-y", str(target)).returncode == 0
    assert (out / "donnees.bin").read_bytes() == data
    listing = seven_zip("l", "-slt", f"-p{PASSWORD}", str(target)).stdout
    assert "LZMA2" in listing and "7zAES" in listing


@needs_7z
@pytest.mark.parametrize("threads", [1, 2])
def test_7zip_archives_are_read_in_segments_when_7zip_cut_them(tmp_path, threads, monkeypatch):
    folder = tmp_path / "src"
    folder.mkdir()
    data = compressible(3 * 1024 * 1024)
    (folder / "base.bin").write_bytes(data)
    target = tmp_path / "7zip.7z"
    made = seven_zip("a", "-t7z", "-mhe=on", "-mx=1", f"-mmt={threads}", f"-p{PASSWORD}", str(target),
                     str(folder / "base.bin"))
    assert made.returncode == 0, made.stderr
    decoders: list[ParallelLZMA2Decompressor] = []
    original = ParallelLZMA2Decompressor.__init__

    def remembered(self, *args, **kwargs):
        original(self, *args, **kwargs)
        decoders.append(self)

    monkeypatch.setattr(ParallelLZMA2Decompressor, "__init__", remembered)
    factory = BytesIOFactory(10**8)
    with py7zr.SevenZipFile(target, "r", password=PASSWORD) as archive:
        archive.extractall(factory=factory)
    content = factory.get("base.bin")
    content.seek(0)
    assert content.read() == data
    segments = max(d.segments for d in decoders)
    assert segments > 1 if threads == 2 else segments <= 1  # 7-Zip cuts 1 MiB blocks with two threads


def test_verification_fails_when_the_archive_does_not_match(tmp_path, counted):
    target = tmp_path / "x.7z"
    write_archive(target, {"a.bin": compressible(4 * BLOCK)}, PASSWORD, KIND)
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    Path(target).write_bytes(bytes(raw))
    with pytest.raises(Exception, match="Mot de passe incorrect ou fichier endommagé|modifié ou endommagé"):
        verify_archive(target, PASSWORD, KIND)
