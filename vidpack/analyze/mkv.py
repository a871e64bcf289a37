"""A minimal streaming Matroska reader for the analysis pass's own ffmpeg output.

The analysis decode writes one Matroska stream to a pipe: small raw video frames, 16 kHz mono PCM
and (optionally) sampled gray frames for face detection, each block stamped with its
presentation time. This module reads that stream block by block without seeking, so the frames,
the audio and their timestamps arrive together from a single process. It understands exactly what
ffmpeg's Matroska muxer writes for uncompressed tracks (SimpleBlock or BlockGroup, no lacing) and
nothing more.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, NamedTuple

from vidpack.errors import FFmpegError

# Element IDs (with their length marker bits, as they appear in the stream).
_SEGMENT = 0x18538067
_CLUSTER = 0x1F43B675
_INFO = 0x1549A966
_TIMECODE_SCALE = 0x2AD7B1
_CLUSTER_TIMECODE = 0xE7
_SIMPLE_BLOCK = 0xA3
_BLOCK_GROUP = 0xA0
_BLOCK = 0xA1
# Elements whose children we read (master elements on the way to the blocks).
_CONTAINERS = frozenset({_SEGMENT, _CLUSTER, _INFO, _BLOCK_GROUP})


class Block(NamedTuple):
    """One frame of one track: ``track`` is the 1-based Matroska track number (the order of the
    ``-map`` options), ``time`` seconds of presentation time, ``data`` the raw payload (a view
    into the immutable read buffer, so no copy is made)."""

    track: int
    time: float
    data: memoryview


_READ_CHUNK = 1 << 18
# Width of a variable-length integer from its first byte (0 for an invalid first byte).
_WIDTH = bytes([0] + [8 - b.bit_length() + 1 for b in range(1, 256)])


class _Buffer:
    """Bytes read ahead from the stream, parsed in place (few Python calls per element)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.data = b""
        self.pos = 0

    def need(self, n: int) -> bool:
        """Make ``n`` bytes available from ``pos``; False when the stream ends first."""
        have = len(self.data) - self.pos
        if have >= n:
            return True
        parts = [self.data[self.pos :]]
        while have < n:
            chunk = self._stream.read(max(_READ_CHUNK, n - have))
            if not chunk:
                self.data, self.pos = b"".join(parts), 0
                return False
            parts.append(chunk)
            have += len(chunk)
        self.data, self.pos = b"".join(parts), 0
        return True

    def take(self, n: int) -> memoryview | None:
        """The next ``n`` bytes as a view (no copy)."""
        if not self.need(n):
            return None
        out = memoryview(self.data)[self.pos : self.pos + n]
        self.pos += n
        return out

    def skip(self, n: int) -> bool:
        have = len(self.data) - self.pos
        if have >= n:
            self.pos += n
            return True
        n -= have
        self.data, self.pos = b"", 0
        while n > 0:
            chunk = self._stream.read(min(n, _READ_CHUNK))
            if not chunk:
                return False
            n -= len(chunk)
        return True


def read_blocks(stream: IO[bytes]) -> Iterator[Block]:
    """Yield the blocks of a Matroska stream in file order.

    A truncated tail ends the iteration quietly (the caller checks ffmpeg's exit status).

    Args:
        stream: a binary stream positioned at the start of the Matroska data (an ffmpeg pipe).

    Raises:
        FFmpegError: the stream is not Matroska as ffmpeg writes it (laced blocks, bad sizes).
    """
    buf = _Buffer(stream)
    scale = 1e-3
    cluster_time = 0
    width_of = _WIDTH
    while True:
        buf.need(16)  # an element header is at most 16 bytes; fewer only at the very end
        data, pos = buf.data, buf.pos
        if pos >= len(data):
            return
        w = width_of[data[pos]]
        if not w or pos + w >= len(data):
            if not w:
                raise FFmpegError("analysis stream is not valid Matroska (bad element id)")
            return
        element = int.from_bytes(data[pos : pos + w], "big")
        pos += w
        sw = width_of[data[pos]]
        if not sw or pos + sw > len(data):
            if not sw:
                raise FFmpegError("analysis stream is not valid Matroska (bad element size)")
            return
        mask = (1 << (7 * sw)) - 1
        size = int.from_bytes(data[pos : pos + sw], "big") & mask
        buf.pos = pos + sw
        if element in _CONTAINERS:
            continue  # descend: its children follow (sizes may be unknown while streaming)
        if size == mask:
            raise FFmpegError(f"analysis stream: element 0x{element:X} has no size")
        if element in (_SIMPLE_BLOCK, _BLOCK):
            block = buf.take(size)
            if block is None:
                return
            tw = width_of[block[0]]
            track = block[0] & 0x7F if tw == 1 else _track_number(block)
            rel = int.from_bytes(block[tw : tw + 2], "big", signed=True)
            if block[tw + 2] & 0x06:
                raise FFmpegError("analysis stream: laced Matroska blocks are not supported")
            yield Block(track, (cluster_time + rel) * scale, block[tw + 3 :])
        elif element in (_CLUSTER_TIMECODE, _TIMECODE_SCALE):
            raw = buf.take(size)
            if raw is None:
                return
            if element == _CLUSTER_TIMECODE:
                cluster_time = int.from_bytes(raw, "big")
            else:
                scale = (int.from_bytes(raw, "big") or 1_000_000) / 1e9
        elif not buf.skip(size):
            return


def _track_number(data: bytes | memoryview) -> int:
    width = _WIDTH[data[0]]
    return int.from_bytes(data[:width], "big") & ((1 << (7 * width)) - 1)
