"""`vidpack split --reframe smart` on a 16:9 master whose face sits off centre: the episodes show
the face (found by OpenCV's face detector in the output frames) where a centre crop loses it, the
crop path is tracked once and cached beside the analysis cache, and a rerun reuses it."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from reframe_media import FaceShot, face_box, make_face_master

from tests.integration.test_split import PRESET_TOML  # the tiny 180x320 tiktok preset
from vidpack.cli.main import cli
from vidpack.media.runner import pipe_ffmpeg
from vidpack.plan.planfile import probe_master_ref
from vidpack.render.croppath import CropPath
from vidpack.render.reframe import crop_width

pytestmark = pytest.mark.integration

SRC_W, SRC_H, FPS = 640, 360, 25
W, H = 180, 320
SHOTS = [
    FaceShot(3.0, 0.2, bg="0x203040"),  # left, still
    FaceShot(3.0, 0.8, bg="0xc0a080"),  # cut: right, still
]


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("split-smart")
    master = folder / "faces.mp4"
    face_w, _ = make_face_master(master, SHOTS, size=(SRC_W, SRC_H), fps=FPS)
    preset = folder / "tiny.toml"
    preset.write_text(PRESET_TOML, encoding="utf-8")
    ref = probe_master_ref(master)
    times = [0.0, 3.0, ref.duration]
    plan = {
        "vidpack_plan": 1,
        "master": {
            "path": ref.path,
            "size": ref.size,
            "duration": ref.duration,
            "fps": ref.fps,
            "fingerprint": ref.fingerprint,
        },
        "episodes": [{"start": a, "end": b} for a, b in itertools.pairwise(times)],
    }
    plan_path = folder / "plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    return {"folder": folder, "master": master, "preset": preset, "plan": plan_path, "fw": face_w}


def split(media: dict[str, Any], out: Path, reframe: str) -> str:
    args = ["split", str(media["master"]), "--plan", str(media["plan"])]
    args += ["--preset", str(media["preset"]), "--reframe", reframe, "--speed", "ultrafast"]
    result = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result.output


def face_found(path: Path) -> list[bool]:
    """Per sampled frame (5 per second) of ``path``: does the frontal face detector find a face?"""
    import cv2
    import numpy as np

    folder = cv2.data.haarcascades  # type: ignore[attr-defined]
    cascade = cv2.CascadeClassifier(str(Path(folder) / "haarcascade_frontalface_default.xml"))
    args = ["-i", str(path), "-vf", "fps=5", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"]
    with pipe_ffmpeg(args) as stream:
        data = stream.read()
    frames = np.frombuffer(data, np.uint8).reshape(-1, H, W)
    return [len(cascade.detectMultiScale(f, 1.1, 4, minSize=(40, 40))) > 0 for f in frames]


def test_smart_crop_keeps_the_off_centre_face_in_frame(media: dict[str, Any]) -> None:
    smart, centre = media["folder"] / "smart", media["folder"] / "crop"
    split(media, smart, "smart")
    split(media, centre, "crop")
    smart_files, centre_files = sorted(smart.glob("*.mp4")), sorted(centre.glob("*.mp4"))
    assert len(smart_files) == len(centre_files) == 2
    for s_file, c_file in zip(smart_files, centre_files, strict=True):
        found = face_found(s_file)
        assert sum(found) >= 0.95 * len(found), (s_file.name, found)
        assert not any(face_found(c_file)), "the centre crop misses the off-centre face"


def test_crop_path_is_cached_and_keeps_the_face_inside(media: dict[str, Any]) -> None:
    out = media["folder"] / "smart-cache"
    split(media, out, "smart")
    cached = list((media["master"].parent / ".vidpack-cache").glob("faces.*.crop.json"))
    assert len(cached) == 1
    path = CropPath.from_dict(json.loads(cached[0].read_text())["path"])
    crop_px = crop_width(SRC_W, SRC_H, W, H)
    inside = []
    for k in range(int(6.0 * FPS)):
        t = k / FPS
        left, right, _ = face_box(SHOTS, t, SRC_W, media["fw"])
        x0 = path.left_px(t, SRC_W, crop_px)
        inside.append(x0 - 1 <= left and right <= x0 + crop_px + 1)
    assert sum(inside) >= 0.95 * len(inside)
    # A rerun uses the cache (same file, untouched) and re-renders nothing.
    stamp = cached[0].stat().st_mtime_ns
    again = split(media, out, "smart")
    assert "0 rendered, 2 up to date" in again
    assert cached[0].stat().st_mtime_ns == stamp
