"""A faster 7z AES key derivation for py7zr, applied once when `services.archive` is imported.

7z derives its AES-256 key as SHA-256 over 2^19 records `salt + password(UTF-16LE) + counter(8 bytes LE)`,
counter 0, 1, 2... py7zr (1.1.x) builds those records one Python integer at a time: about 0.07 s per
derivation, and it derives the key again for every folder it writes or reads, four times per verified
backup. Most of that is interpreter work, not hashing. Here the records are built in 64 Ki-record blocks
with byte-slice assignments (only the counter's upper bytes change from one block to the next), so the
cost is close to hashing ~35 MB once (~0.02 s). Inside `one_key_per_operation()` a derived key is also
remembered until the block ends, so one archive operation derives it once; nothing outlives the block.
`derive_ahead` starts the writer's derivation on a thread (hashlib releases the GIL) before the archive
is opened.

py7zr's own function remains the reference: tests/unit/test_archive_speedups.py checks that both give the
same key, and that py7zr still derives its keys through the function patched here, so a py7zr upgrade
that changes these internals fails a test instead of silently losing the speed-up (the result would still
be correct: py7zr would only be slow again).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar

from py7zr import compressor, helpers

# 64 Ki records (~4.3 MB with our 29-character passwords). Must stay 2^16: counter bytes 0 and 1 are laid
# out once and are the same in every block.
_BLOCK_RECORDS = 1 << 16
_NO_STRETCHING = 0x3F  # 7z's "cycles" value meaning: key = salt + password, zero-padded (py7zr handles it)
_original = helpers.calculate_key
_WRITER_CYCLES, _WRITER_SALT = 19, b""  # what py7zr's AES encoder uses (as 7-Zip does)
_remembered: ContextVar[dict[tuple[bytes, int, bytes], Future[bytes]] | None] = ContextVar("py7zr_keys",
                                                                                          default=None)


def derive_key(password: bytes, cycles: int, salt: bytes) -> bytes:
    """7z's key: SHA-256 of `salt + password + counter` for counter in 0 .. 2^cycles - 1, in one stream."""
    head = salt + password
    width = len(head) + 8
    rounds = 1 << cycles
    per_block = min(rounds, _BLOCK_RECORDS)
    block = bytearray(head + bytes(8)) * per_block
    block[len(head)::width] = (bytes(range(256)) * (per_block // 256 + 1))[:per_block]
    block[len(head) + 1::width] = b"".join(bytes([value]) * 256 for value in range(256))[:per_block]
    digest = hashlib.sha256()
    previous = bytes(6)
    for start in range(0, rounds, per_block):
        # bytes 2..7 are constant inside a block (the block's number); rewrite only those that changed,
        # a strided assignment costs about as much as hashing a tenth of the block
        high = (start >> 16).to_bytes(6, "little")
        for offset, (value, before) in enumerate(zip(high, previous, strict=True), start=len(head) + 2):
            if value != before:
                block[offset::width] = bytes([value]) * per_block
        previous = high
        digest.update(block)
    return digest.digest()


def calculate_key(password: bytes, cycles: int, salt: bytes, digest: str) -> bytes:
    """Drop-in for `py7zr.helpers.calculate_key`; anything other than SHA-256 stretching goes to py7zr's."""
    if digest != "sha256" or not 0 <= cycles < _NO_STRETCHING:
        return _original(password, cycles, salt, digest)
    remembered = _remembered.get()
    if remembered is None:
        return derive_key(password, cycles, salt)
    key = (password, cycles, salt)
    if key not in remembered:
        remembered[key] = Future()
        remembered[key].set_result(derive_key(password, cycles, salt))
    return remembered[key].result()


def derive_ahead(password: str) -> None:
    """Inside `one_key_per_operation()`: start deriving, on a thread, the key py7zr's AES encoder will ask
    for when the archive is opened for writing, so that the other preparations (the backup's database
    copy) hide its ~0.02 s. Should py7zr derive with other parameters, its key is derived as usual."""
    remembered = _remembered.get()
    key = (password.encode("utf-16LE"), _WRITER_CYCLES, _WRITER_SALT)
    if remembered is None or key in remembered:
        return
    future: Future[bytes] = Future()
    remembered[key] = future

    def derive() -> None:
        try:
            future.set_result(derive_key(*key))
        except BaseException as exc:  # pragma: no cover - hashlib does not fail; the caller gets it anyway
            future.set_exception(exc)

    threading.Thread(target=derive, name="cle-7z", daemon=True).start()


@contextmanager
def one_key_per_operation() -> Iterator[None]:
    """Write-then-verify or open-then-extract of one archive: derive each key once, forget it at the end.

    A nested block shares the outer one's keys (write_archive verifies inside its own block).
    """
    if _remembered.get() is not None:
        yield
        return
    remembered: dict[tuple[bytes, int, bytes], Future[bytes]] = {}
    token = _remembered.set(remembered)
    try:
        yield
    finally:
        for future in remembered.values():
            future.exception()  # a key still being derived ahead is waited for, then forgotten
        remembered.clear()
        _remembered.reset(token)


def apply() -> None:
    """Idempotent. py7zr's AES coders call `calculate_key` as imported into `py7zr.compressor`."""
    compressor.calculate_key = calculate_key
