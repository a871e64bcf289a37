"""A tiny hand-built package for QC tests: episodes encoded with real ffmpeg at a 180x320
user preset extending tiktok, a cover, manifest.json and SHA256SUMS written by the helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidpack.media.runner import run_ffmpeg
from vidpack.package.manifest import sha256_file, write_checksums, write_manifest
from vidpack.presets import load_preset

W, H, FPS, SECONDS = 180, 320, 25, 3.0


def encode(
    out: Path,
    *,
    size: str = f"{W}x{H}",
    seconds: float = SECONDS,
    amp: float = 0.2,
    faststart: bool = True,
    black_start: float = 0.0,
) -> None:
    """A tiny episode at the tiny preset's settings (H.264 High, closed 2 s GOP, -14 LUFS)."""
    video = f"testsrc2=size={size}:rate={FPS}:duration={seconds}"
    if black_start:
        video += f",drawbox=t=fill:c=black:enable='lt(t,{black_start})'"
    tone = f"{amp}*sin(2*PI*997*t)"
    args = [
        "-f",
        "lavfi",
        "-i",
        video,
        "-f",
        "lavfi",
        "-i",
        f"aevalsrc={tone}|{tone}:s=48000:d={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-profile:v",
        "high",
        "-pix_fmt",
        "yuv420p",
        "-g",
        str(2 * FPS),
        "-bf",
        "2",
        "-x264-params",
        "open_gop=0",
        "-c:a",
        "aac",
        "-ar",
        "48000",
        "-ac",
        "2",
        "-threads",
        "1",
    ]
    if faststart:
        args += ["-movflags", "+faststart"]
    run_ffmpeg([*args, str(out)])


def tiny_preset(**limits: Any) -> dict[str, Any]:
    """tiktok at 180x320 with 1 s minimum episodes (a user preset extending tiktok)."""
    data = load_preset("tiktok").to_dict()
    data["name"] = "tiny"
    data["video"].update(width=W, height=H)
    data["limits"].update(min_episode_s=1, max_episode_s=10, **limits)
    return data


def write_package(folder: Path, preset: dict[str, Any]) -> None:
    """manifest.json + SHA256SUMS for the episodes and covers in ``folder``."""
    episodes = []
    for i, path in enumerate(sorted(folder.glob("E*.mp4")), 1):
        episodes.append(
            {
                "index": i,
                "file": path.name,
                "sha256": sha256_file(path),
                "bytes": path.stat().st_size,
                "duration": SECONDS,
                "width": W,
                "height": H,
                "start": 0.0,
                "end": SECONDS,
                "language": None,
                "subtitles": [],
            }
        )
    covers = [
        {
            "file": f"covers/{p.name}",
            "sha256": sha256_file(p),
            "bytes": p.stat().st_size,
            "episode": None,
            "width": W,
            "height": H,
        }
        for p in sorted((folder / "covers").glob("*.jpg"))
    ]
    manifest = {
        "vidpack_version": "0.1.0",
        "platform": "tiny",
        "created": "2026-11-23T10:00:00Z",
        "series": {
            "title": "T",
            "synopsis": "",
            "tagline": "",
            "license_number": None,
            "episode_count": len(episodes),
        },
        "master": {"path": "/none", "fingerprint": "x", "duration": 2 * SECONDS},
        "preset": preset,
        "episodes": episodes,
        "trailers": [],
        "covers": covers,
        "checksums": "SHA256SUMS",
        "qc": "qc.json",
        "report": "report.html",
        "warnings": [],
    }
    write_checksums(folder, manifest)
    write_manifest(folder, manifest)


def build_package(folder: Path) -> Path:
    """Two good 3 s episodes and a cover in ``folder``, with manifest and checksums."""
    (folder / "covers").mkdir(parents=True)
    encode(folder / "E001.mp4")
    encode(folder / "E002.mp4")
    run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size={W}x{H}",
            "-frames:v",
            "1",
            str(folder / "covers" / "cover.jpg"),
        ]
    )
    write_package(folder, tiny_preset())
    return folder
