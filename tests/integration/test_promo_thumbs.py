"""Thumbnails and covers on a generated master whose shots differ in sharpness, exposure and
faces: the picks must come from the sharp, bright, face-bearing shots, away from the cuts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from fixtures.sources import face_sprite
from vidpack.presets import load_preset
from vidpack.promo.thumbs_run import run_thumbs

pytestmark = pytest.mark.integration

W, H, FPS, SHOT = 180, 320, 25, 3.0
CUTS = (3.0, 6.0, 9.0)
# shot: (source, extra filters, face): sharp+face, blurred, dark, sharp+face
SHOTS = (
    ("testsrc2", "", True),
    ("mandelbrot", ",gblur=sigma=10", False),
    ("testsrc2", ",vflip,lutyuv=y=val*0.3", False),
    ("testsrc2", ",hflip,hue=h=120", True),
)
GOOD = (0, 3)


@pytest.fixture(scope="module")
def graded_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("promo") / "graded.mp4"
    chains, labels = [], []
    fw, fh = 60, 76
    chains.append(f"{face_sprite(fw, fh)},split=2[f0][f3]")
    for i, (src, extra, face) in enumerate(SHOTS):
        base = (
            f"{src}=s={W}x{H}:r={FPS}:d={SHOT}"
            if src != "mandelbrot"
            else (f"mandelbrot=s={W}x{H}:r={FPS},trim=duration={SHOT}")
        )
        chain = f"{base},format=yuv420p{extra},setsar=1"
        if face:
            chains.append(f"{chain}[b{i}]")
            chains.append(f"[b{i}][f{i}]overlay=x=60:y=120:format=auto,format=yuv420p[s{i}]")
        else:
            chains.append(f"{chain}[s{i}]")
        labels.append(f"[s{i}]")
    chains.append("".join(labels) + f"concat=n={len(SHOTS)}:v=1:a=0[v]")
    total = SHOT * len(SHOTS)
    graph = ";".join(chains)
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error",
         "-filter_complex", graph, "-f", "lavfi", "-i", f"sine=f=440:d={total}:sample_rate=48000",
         "-map", "[v]", "-map", "0:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-t", str(total), str(out)],
        check=True,
    )  # fmt: skip
    return out


def test_picks_come_from_good_shots_away_from_cuts(graded_master: Path, tmp_path: Path) -> None:
    toml = tmp_path / "capped.toml"
    toml.write_text('extends = "instagram-reels"\nname = "capped"\n[covers]\nmax_mb = 0.06\n')
    preset = load_preset(str(toml))
    out = tmp_path / "out"
    result = run_thumbs(str(graded_master), out, preset=preset, count=2, title="Vows",
                        episode=1)  # fmt: skip
    assert len(result.picks) == 2
    shots = set()
    for name, cand in result.picks:
        assert min(abs(cand.time - c) for c in CUTS) >= 0.5
        shots.add(int(cand.time // SHOT))
        probe = json.loads(
            subprocess.run(
                [
                    "ffprobe",
                    "-v",
                    "error",
                    "-of",
                    "json",
                    "-show_entries",
                    "stream=width,height",
                    str(out / name),
                ],
                capture_output=True,
                check=True,
                text=True,
            ).stdout
        )
        assert (probe["streams"][0]["width"], probe["streams"][0]["height"]) == (W, H)
    assert shots == set(GOOD)
    assert (out / "contact_sheet.jpg").stat().st_size > 1000
    cap = preset.covers.max_mb * 1_000_000
    names = {c.path.name for c in result.covers}
    assert names == {"series_1080x1920.jpg", "series_E001_1080x1920.jpg"}
    for cover in result.covers:
        assert cover.path.stat().st_size <= cap
        assert cover.quality is not None and cover.quality > 2  # lowered to fit the cap


def test_cover_text_stays_in_grid_band(graded_master: Path, tmp_path: Path) -> None:
    import cv2
    import numpy as np

    from vidpack.promo.covers import make_cover, text_box

    preset = load_preset("instagram-reels")
    size = (540, 960)
    plain = make_cover(str(graded_master), 1.0, tmp_path / "a.png", src_size=(W, H), size=size,
                       preset=preset)  # fmt: skip
    text = make_cover(str(graded_master), 1.0, tmp_path / "b.png", src_size=(W, H), size=size,
                      preset=preset, title="Midnight Vows 午夜", number=7)  # fmt: skip
    a = cv2.imread(str(plain.path)).astype(int)
    b = cv2.imread(str(text.path)).astype(int)
    ys, xs = np.nonzero(np.abs(a - b).max(axis=2) > 40)
    assert len(ys) > 500  # the text was drawn
    box = text_box(preset, *size)
    slack = 6  # outline and shadow
    assert ys.min() >= box.top - slack and ys.max() < box.bottom + slack
    assert xs.min() >= box.left - slack and xs.max() < box.right + slack
