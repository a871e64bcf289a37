"""`vidpack qc` on small packages built by hand with real ffmpeg encodes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from qc_package import build_package, encode, tiny_preset, write_package

from vidpack.package.qc import QcReport, run_qc

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("pkg") / "tiny")


def copy(package: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(package, tmp_path / "tiny"))


def failed(report: QcReport) -> set[tuple[str, str]]:
    return {(c.file, c.check) for c in report.checks if not c.ok}


def test_good_package_passes(package: Path) -> None:
    report = run_qc(package)
    assert report.verdict == "pass", [c for c in report.checks if not c.ok]
    checks = {c.check for c in report.checks}
    assert {
        "sha256",
        "duration",
        "resolution",
        "profile",
        "faststart",
        "loudness",
        "keyframe interval",
        "closed GOP",
        "black/frozen edges",
        "cover size",
    } <= checks


def test_tampered_file_fails_sha256(package: Path, tmp_path: Path) -> None:
    folder = copy(package, tmp_path)
    path = folder / "E002.mp4"
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    assert ("E002.mp4", "sha256") in failed(run_qc(folder))


def test_missing_file_fails(package: Path, tmp_path: Path) -> None:
    folder = copy(package, tmp_path)
    (folder / "E001.mp4").unlink()
    assert ("E001.mp4", "exists") in failed(run_qc(folder))


def test_wrong_media_fails(package: Path, tmp_path: Path) -> None:
    """Wrong size, too long, moov last, black start, too quiet: each named check fails."""
    folder = copy(package, tmp_path)
    for p in folder.glob("E*.mp4"):
        p.unlink()
    encode(folder / "E001.mp4", size="240x320", seconds=11.0)
    encode(folder / "E002.mp4", faststart=False, black_start=1.5, amp=0.05)
    write_package(folder, tiny_preset())
    bad = failed(run_qc(folder))
    assert {("E001.mp4", "resolution"), ("E001.mp4", "duration")} <= bad
    assert {
        ("E002.mp4", "faststart"),
        ("E002.mp4", "black/frozen edges"),
        ("E002.mp4", "loudness"),
    } <= bad
    assert ("E002.mp4", "resolution") not in bad


def test_cover_over_cap_fails(package: Path, tmp_path: Path) -> None:
    folder = copy(package, tmp_path)
    preset = tiny_preset()
    preset["covers"]["max_mb"] = 0.001  # 1,000 bytes; the test cover is larger
    write_package(folder, preset)
    assert failed(run_qc(folder)) == {("covers/cover.jpg", "cover file size")}
