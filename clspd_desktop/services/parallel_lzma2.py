"""LZMA2 on every core, the way 7-Zip does it: independent blocks, each opening with a dictionary reset.

An LZMA2 stream is a sequence of chunks; a chunk may reset the dictionary (control byte 0x01, or 0xE0 and
above), after which nothing earlier is referenced. 7-Zip's multithreaded encoder relies on that: it cuts
the input into blocks, compresses them separately and writes their chunks one after the other. Here the
same is done with liblzma (`lzma.LZMACompressor` releases the GIL while it works): each block is
compressed by a fresh raw LZMA2 encoder on a thread pool, whose output starts with a dictionary reset and
ends with the end-of-stream byte 0x00; the blocks' outputs are joined in order without those end bytes,
and one 0x00 closes the whole stream. The result is one ordinary LZMA2 stream that 7-Zip, PeaZip,
liblzma and py7zr all decode; only a few block-sized pieces are in memory at any time.

Decoding splits a stream at the same places: a dictionary reset whose next LZMA chunk carries its own
properties starts a segment a fresh decoder can read alone, so segments are decoded on the pool and
returned in order. A stream without such places (a one-thread 7-Zip archive), an odd chunk or a segment
larger than `MAX_SEGMENT` is handed to one ordinary sequential decoder from the current segment on, so
memory stays bounded and liblzma reports any damage as it always did.

`apply()` makes py7zr use both for a coder that is LZMA2 alone (ours: LZMA2 then AES); everything else is
py7zr's own code. tests/unit/test_archive_parallel.py fails if py7zr stops building its coders through the
two methods patched here (archives would still be right, only written and read on one core again).
"""

from __future__ import annotations

import lzma
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from py7zr import compressor as py7zr_compressor

BLOCK_SIZE = 4 << 20  # 7-Zip -mx1 cuts 1 MiB blocks; 4 MiB keep the archive ~5 % larger than one stream
MAX_SEGMENT = 32 << 20  # a longer run without a usable reset is decoded sequentially (bounded memory)
READ_AHEAD = 4 << 20  # compressed bytes py7zr reads per call (1 MiB by default): ~8 segments to hand out
END = b"\x00"

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def workers() -> int:
    """One thread per core, at most 8 (an encoder at preset 1 holds ~9 MiB besides its 4 MiB block)."""
    return max(1, min(os.cpu_count() or 1, 8))


def pool() -> ThreadPoolExecutor:
    """Shared by every archive of the process; idle threads cost nothing and end with the process."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=workers(), thread_name_prefix="lzma2")
        return _pool


def compress_block(data: bytes | memoryview, filters: list[dict[str, Any]]) -> bytes:
    """One block as a complete raw LZMA2 stream, minus its end byte (the joined stream has one at the end)."""
    encoder = lzma.LZMACompressor(format=lzma.FORMAT_RAW, filters=filters)
    out = encoder.compress(data) + encoder.flush()
    if not out.endswith(END):  # pragma: no cover - liblzma always ends a raw LZMA2 stream so
        raise lzma.LZMAError("flux LZMA2 sans marqueur de fin")
    return out[:-1]


def decode_segment(data: bytes, filters: list[dict[str, Any]]) -> bytes:
    """A segment that starts with a dictionary reset and properties, decoded alone; it must end exactly."""
    decoder = lzma.LZMADecompressor(format=lzma.FORMAT_RAW, filters=filters)
    out = decoder.decompress(data + END)
    if not decoder.eof or decoder.unused_data:
        raise lzma.LZMAError("segment LZMA2 incomplet")
    return out


class _Ordered:
    """Futures in submission order; at most `limit` running, results taken from the front only."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.running: deque[Future[bytes]] = deque()

    def submit(self, fn: Callable[..., bytes], *args: Any) -> None:
        self.running.append(pool().submit(fn, *args))

    def take(self, *, keep: int) -> list[bytes]:
        """Results already done at the front, then wait for the front until only `keep` are left running."""
        out = []
        while self.running and (self.running[0].done() or len(self.running) > keep):
            out.append(self.running.popleft().result())
        return out


class ParallelLZMA2Compressor(py7zr_compressor.ISevenZipCompressor):
    """py7zr's compressor interface over `compress_block` on the pool: same filters, one LZMA2 stream."""

    def __init__(self, filters: list[dict[str, Any]], block_size: int | None = None) -> None:
        self.filters = filters
        self.block_size = block_size or BLOCK_SIZE
        self.blocks = 0  # how many blocks were cut (tests check that a large input really used several)
        self._pending = bytearray()
        self._queue = _Ordered(workers() + 1)

    def _submit(self, data: bytes) -> None:
        self.blocks += 1
        self._queue.submit(compress_block, data, self.filters)

    def compress(self, data: bytes | bytearray | memoryview) -> bytes:
        self._pending += data
        size = self.block_size
        done: list[bytes] = []
        if len(self._pending) >= size:
            with memoryview(self._pending) as view:
                whole = len(view) - len(view) % size
                for start in range(0, whole, size):
                    self._submit(bytes(view[start:start + size]))
                    done += self._queue.take(keep=self._queue.limit)  # a few blocks in flight, never more
            del self._pending[:whole]
        return b"".join(done + self._queue.take(keep=self._queue.limit))

    def flush(self) -> bytes:
        if self._pending or not self.blocks:
            self._submit(bytes(self._pending))
            self._pending.clear()
        return b"".join(self._queue.take(keep=0)) + END


class ParallelLZMA2Decompressor(py7zr_compressor.ISevenZipDecompressor):
    """py7zr's decompressor interface: segments between usable dictionary resets decoded on the pool.

    Returns what is ready (possibly more than `max_length`: py7zr keeps the excess), waits for the oldest
    segment when nothing is, and returns b"" only when it needs more input.
    """

    def __init__(self, filters: list[dict[str, Any]], max_segment: int | None = None) -> None:
        self.filters = filters
        self.max_segment = max_segment or MAX_SEGMENT
        self.segments = 0  # decoded on the pool (tests check that a multi-block stream really used several)
        self._buffer = bytearray()  # input from the current segment's start, where a fresh decoder can start
        self._scan = 0  # the next chunk header in `_buffer`
        self._unpacked = 0  # declared size of the current segment so far
        self._resets: list[int] = []  # dictionary resets since the last LZMA chunk, usable or not (yet)
        self._ended = False  # end marker seen: what follows is 7zAES's padding (up to 15 bytes)
        self._sequential: lzma.LZMADecompressor | None = None
        self._queue = _Ordered(workers() + 1)

    def decompress(self, data: bytes | bytearray | memoryview, max_length: int = -1) -> bytes:
        if self._sequential is None and not self._ended:
            self._buffer += data
            self._parse()
            if not data and self._buffer and not self._queue.running and self._sequential is None:
                self._switch()  # input over without an end marker: liblzma decides what that means
            data = b""
        if self._sequential is None:
            done = self._queue.take(keep=self._queue.limit)
            if not done and self._queue.running:
                done = self._queue.take(keep=len(self._queue.running) - 1)
                self._parse()  # a slot is free again: keep the pool busy while py7zr uses the output
            return b"".join(done)
        done = self._queue.take(keep=0)  # segments cut before the switch come first
        if not self._sequential.eof:
            done.append(self._sequential.decompress(bytes(self._buffer) + data, max_length))
            self._buffer.clear()
        return b"".join(done)

    def _submit(self, end: int) -> None:
        with memoryview(self._buffer) as view:
            segment = bytes(view[:end])
        del self._buffer[:end]
        self._scan -= end
        self._unpacked = 0
        self.segments += 1
        self._queue.submit(decode_segment, segment, self.filters)

    def _switch(self) -> None:
        """One ordinary decoder from the current segment's start on (what is left in `_buffer` goes to it
        first): bounded memory, and liblzma reports any damage as without this module."""
        self._sequential = lzma.LZMADecompressor(format=lzma.FORMAT_RAW, filters=self.filters)

    def _cut(self, cuts: list[int]) -> None:
        """Submit the segments ending at each of `cuts` (ascending positions in `_buffer`)."""
        done = 0
        for cut in cuts:
            self._submit(cut - done)
            done = cut
        self._resets.clear()

    def _parse(self) -> None:
        """Walk the chunk headers and cut segments at dictionary resets a fresh decoder can start from.

        Chunks: 0x00 end; 0x01 / 0x02 stored, with / without dictionary reset (3-byte header); 0x80-0xFF
        LZMA, bits 5-6 the reset level (3: dictionary, 2 and up: new properties, one more header byte).
        A reset is usable when the next LZMA chunk brings its properties (or none comes before the end):
        liblzma always writes a block so. Stops while `limit` segments are in flight (bounded memory).
        """
        buffer = self._buffer
        while self._scan < len(buffer) and len(self._queue.running) < self._queue.limit:
            pos = self._scan
            control = buffer[pos]
            if control == 0x00:
                self._cut([*self._resets, pos] if pos else [])
                self._ended = True
                buffer.clear()
                return
            if control in (0x01, 0x02):
                if pos + 3 > len(buffer):
                    return
                unpacked = (buffer[pos + 1] << 8 | buffer[pos + 2]) + 1
                size = 3 + unpacked
                if control == 0x01 and pos:
                    self._resets.append(pos)
            elif control >= 0x80:
                if pos + 5 > len(buffer):
                    return
                unpacked = ((control & 0x1F) << 16 | buffer[pos + 1] << 8 | buffer[pos + 2]) + 1
                size = (6 if control >= 0xC0 else 5) + (buffer[pos + 3] << 8 | buffer[pos + 4]) + 1
                if control < 0xC0:  # relies on earlier properties: the pending resets are not usable
                    self._resets.clear()
                else:
                    self._cut([*self._resets, pos] if control >= 0xE0 and pos else self._resets)
                    pos = self._scan
            else:  # not a chunk header: liblzma will say what is wrong
                self._switch()
                return
            if self._unpacked + unpacked > self.max_segment:
                self._switch()
                return
            self._unpacked += unpacked
            self._scan = pos + size


_original_coders = py7zr_compressor.SevenZipCompressor._set_native_compressors_coders
_original_decoder = py7zr_compressor.SevenZipDecompressor._get_lzma_decompressor


def lzma2_alone(filters: list[dict[str, Any]]) -> bool:
    return len(filters) == 1 and filters[0]["id"] == lzma.FILTER_LZMA2


def _set_native_compressors_coders(self: py7zr_compressor.SevenZipCompressor, filters: list[dict]) -> None:
    """py7zr's method (liblzma for the native filters, one coder each), with the pool for LZMA2 alone."""
    if not lzma2_alone(filters):
        _original_coders(self, filters)
        return
    self.chain.append(ParallelLZMA2Compressor(filters))
    self._unpacksizes.append(0)
    self.coders.insert(0, py7zr_compressor.SupportedMethods.get_coder(filters[0]))


def _get_lzma_decompressor(self: py7zr_compressor.SevenZipDecompressor, coders: list[dict[str, Any]],
                           unpacksize: int) -> Any:
    """py7zr's decoder (which checks the coders), replaced by the pool's for an LZMA2 coder alone."""
    decoder = _original_decoder(self, coders, unpacksize)
    if (len(coders) == 1 and isinstance(decoder, lzma.LZMADecompressor) and coders[0].get("properties")
            and py7zr_compressor.SupportedMethods.get_filter_id(coders[0]) == lzma.FILTER_LZMA2):
        self.block_size = max(self.block_size, READ_AHEAD)
        return ParallelLZMA2Decompressor([lzma._decode_filter_properties(  # type: ignore[attr-defined]
            lzma.FILTER_LZMA2, coders[0]["properties"])])
    return decoder


def apply() -> None:
    """Idempotent: py7zr writes and reads LZMA2-only coders through this module."""
    # method-assign: replacing py7zr's two methods is this module's purpose (see its docstring)
    py7zr_compressor.SevenZipCompressor._set_native_compressors_coders = (  # type: ignore[method-assign]
        _set_native_compressors_coders)
    py7zr_compressor.SevenZipDecompressor._get_lzma_decompressor = (  # type: ignore[method-assign]
        _get_lzma_decompressor)
