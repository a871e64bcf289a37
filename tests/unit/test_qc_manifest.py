"""Manifest and SHA256SUMS helpers, MP4 atom and image-header readers (no ffmpeg)."""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

from vidpack.errors import InputError, UsageError
from vidpack.package.manifest import (
    load_manifest,
    read_checksums,
    sha256_file,
    write_checksums,
    write_manifest,
)
from vidpack.package.qc_media import image_size, top_level_atoms


def _manifest(tmp_path: Path) -> dict:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "E1.mp4").write_bytes(b"video")
    (tmp_path / "E1.ar.srt").write_bytes(b"subs")
    ep = {
        "index": 1,
        "file": "en/E1.mp4",
        "sha256": sha256_file(tmp_path / "en" / "E1.mp4"),
        "duration": 1.0,
        "width": 2,
        "height": 2,
        "subtitles": [
            {
                "language": "ar",
                "mode": "sidecar",
                "file": "E1.ar.srt",
                "sha256": sha256_file(tmp_path / "E1.ar.srt"),
            }
        ],
    }
    return {
        "platform": "x",
        "series": {"episode_count": 1},
        "preset": {},
        "episodes": [ep],
        "trailers": [],
        "covers": [],
    }


def test_checksums_round_trip_and_sha256sum_agrees(tmp_path: Path) -> None:
    m = _manifest(tmp_path)
    assert sha256_file(tmp_path / "en" / "E1.mp4") == hashlib.sha256(b"video").hexdigest()
    write_checksums(tmp_path, m)
    sums = read_checksums(tmp_path / "SHA256SUMS")
    assert sums == {
        "en/E1.mp4": hashlib.sha256(b"video").hexdigest(),
        "E1.ar.srt": hashlib.sha256(b"subs").hexdigest(),
    }
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True)
    assert check.returncode == 0, check.stdout


def test_manifest_round_trip_and_validation(tmp_path: Path) -> None:
    m = _manifest(tmp_path)
    write_manifest(tmp_path, m)
    loaded = load_manifest(tmp_path)
    assert loaded["vidpack_manifest"] == 1 and loaded["episodes"] == m["episodes"]
    del m["episodes"][0]["sha256"], m["covers"]
    (tmp_path / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(InputError, match=r"missing 'covers'; episodes\[0\] missing sha256"):
        load_manifest(tmp_path)
    with pytest.raises(UsageError, match=r"has no manifest\.json"):
        load_manifest(tmp_path / "en")


def test_bad_checksum_line(tmp_path: Path) -> None:
    (tmp_path / "SHA256SUMS").write_text("abc  file\n")
    with pytest.raises(InputError, match="line 1"):
        read_checksums(tmp_path / "SHA256SUMS")


def test_top_level_atoms(tmp_path: Path) -> None:
    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    path = tmp_path / "a.mp4"
    path.write_bytes(box(b"ftyp", b"isom0000") + box(b"mdat", b"x" * 50) + box(b"moov", b"y"))
    assert top_level_atoms(path) == ["ftyp", "mdat", "moov"]


@pytest.mark.parametrize("ext", ["jpg", "png"])
def test_image_size(tmp_path: Path, ext: str) -> None:
    import cv2

    path = tmp_path / f"c.{ext}"
    cv2.imwrite(str(path), np.zeros((37, 54, 3), np.uint8))
    assert image_size(path) == (54, 37)
    path.write_bytes(b"junk")
    assert image_size(path) is None


def test_profile_fits() -> None:
    from vidpack.package.qc import profile_fits

    assert profile_fits("High", "high") and profile_fits("Main", "high")
    assert profile_fits("Constrained Baseline", "main")
    assert not profile_fits("High", "main") and not profile_fits("High 10", "high")


def test_measurements_are_shared_by_hard_links_and_redone_after_a_rewrite(tmp_path: Path) -> None:
    import os
    import time

    from vidpack.package.qc_media import by_file_identity

    calls: list[str] = []

    @by_file_identity
    def measure(path: Path) -> bytes:
        calls.append(str(path))
        return Path(path).read_bytes()

    a = tmp_path / "tiktok" / "E001.mp4"
    a.parent.mkdir()
    a.write_bytes(b"one")
    b = tmp_path / "reels" / "E001.mp4"
    b.parent.mkdir()
    os.link(a, b)  # what package does for platforms sharing a rendition
    assert measure(a) == measure(b) == b"one"
    assert len(calls) == 1
    time.sleep(0.01)
    b.write_bytes(b"two")  # tampered: same inode, new content and mtime
    assert measure(a) == b"two"
    assert len(calls) == 2
