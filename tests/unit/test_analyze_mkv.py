"""The streaming Matroska reader on hand-made byte streams (no ffmpeg)."""

from __future__ import annotations

import io

import pytest

from vidpack.analyze.mkv import read_blocks
from vidpack.errors import FFmpegError


def _size(n: int | None) -> bytes:
    if n is None:
        return b"\x01\xff\xff\xff\xff\xff\xff\xff"  # unknown size (8 bytes, all value bits set)
    if n < 0x7F:
        return bytes([0x80 | n])
    return bytes([0x40 | (n >> 8), n & 0xFF])


def _el(element_id: int, body: bytes, size: int | None = -1) -> bytes:
    raw_id = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return raw_id + _size(len(body) if size == -1 else size) + body


def _block(track: int, rel_ms: int, payload: bytes, flags: int = 0x80) -> bytes:
    return _el(
        0xA3,
        bytes([0x80 | track]) + rel_ms.to_bytes(2, "big", signed=True) + bytes([flags]) + payload,
    )


def _stream(clusters: list[tuple[int, list[bytes]]], scale_ns: int = 1_000_000) -> bytes:
    header = _el(0x1A45DFA3, _el(0x4282, b"matroska"))
    info = _el(0x1549A966, _el(0x2AD7B1, scale_ns.to_bytes(3, "big")))
    tracks = _el(0x1654AE6B, _el(0xAE, _el(0xD7, b"\x01")))
    body = info + tracks
    for time, blocks in clusters:
        inner = _el(0xE7, time.to_bytes(2, "big")) + b"".join(blocks)
        body += _el(0x1F43B675, inner, size=None)  # live-style cluster without a size
    return header + _el(0x18538067, body, size=None)


def test_blocks_come_with_tracks_and_times() -> None:
    data = _stream(
        [
            (0, [_block(1, 0, b"a" * 10), _block(2, 0, b"pcm"), _block(1, 40, b"b" * 10)]),
            (1000, [_block(1, -20, b"c" * 10), _block(1, 0, b"d" * 200)]),
        ]
    )
    blocks = list(read_blocks(io.BytesIO(data)))
    assert [(b.track, round(b.time, 3), b.data[:1]) for b in blocks] == [
        (1, 0.0, b"a"),
        (2, 0.0, b"p"),
        (1, 0.04, b"b"),
        (1, 0.98, b"c"),
        (1, 1.0, b"d"),
    ]
    assert len(blocks[-1].data) == 200


def test_timecode_scale_is_honoured() -> None:
    data = _stream([(10, [_block(1, 5, b"x")])], scale_ns=100_000)  # 0.1 ms units
    (block,) = list(read_blocks(io.BytesIO(data)))
    assert block.time == pytest.approx(0.0015)


def test_truncated_tail_ends_quietly() -> None:
    data = _stream([(0, [_block(1, 0, b"a" * 50), _block(1, 40, b"b" * 50)])])
    blocks = list(read_blocks(io.BytesIO(data[:-20])))
    assert [b.data[:1] for b in blocks] == [b"a"]


def test_laced_blocks_are_refused() -> None:
    data = _stream([(0, [_block(1, 0, b"zz", flags=0x82)])])
    with pytest.raises(FFmpegError, match="laced"):
        list(read_blocks(io.BytesIO(data)))


def test_garbage_is_not_matroska() -> None:
    with pytest.raises(FFmpegError, match="not valid Matroska"):
        list(read_blocks(io.BytesIO(b"\x00\x00\x00\x00garbage")))
