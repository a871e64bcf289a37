"""Trailers on generated masters: exact length, no black frames, loudness on target, ranges
file round trip, and a 16:9 master reframed."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from fixtures.generate import MasterFixture
from vidpack.presets import load_preset
from vidpack.promo.trailer_run import run_trailer

pytestmark = pytest.mark.integration

TINY = """
extends = "tiktok"
name = "tiny"
[video]
width = 180
height = 320
[trailers]
lengths = [15]
end_card = true
call_to_action = "Watch now"
"""


def _facts(path: Path) -> tuple[int, float, float, str]:
    """(video frames, audio duration, integrated loudness, blackdetect output)."""
    frames = json.loads(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-of",
                "json",
                "-show_entries",
                "stream=nb_read_frames,width,height",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )["streams"][0]
    adur = float(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "a:0",
                "-of",
                "csv=p=0",
                "-show_entries",
                "stream=duration",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    err = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-i",
            str(path),
            "-vf",
            "blackdetect=d=0.04",
            "-af",
            "ebur128",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    loud = float(re.findall(r"I:\s+(-?[\d.]+) LUFS", err)[-1])
    black = "\n".join(line for line in err.splitlines() if "black_start" in line)
    assert (frames["width"], frames["height"]) == (180, 320)
    return int(frames["nb_read_frames"]), adur, loud, black


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("preset") / "tiny.toml"
    path.write_text(TINY)
    return path


def test_trailer_exact_clean_and_on_target(
    vertical_master: MasterFixture, tiny: Path, tmp_path: Path
) -> None:
    preset = load_preset(str(tiny))
    out = tmp_path / "t15.mp4"
    result = run_trailer(str(vertical_master.path), out, preset=preset, length=15, title="Vows")
    frames, adur, loud, black = _facts(out)
    assert frames == 15 * 25
    assert abs(adur - 15.0) < 1 / 25
    assert black == ""
    assert abs(loud - preset.audio.loudness_lufs) <= 1.0
    ranges = json.loads(result.ranges_path.read_text())
    cuts = [c["time"] for c in vertical_master.truth["cuts"]]
    for r in ranges["ranges"]:
        assert r["end"] - r["start"] >= 1.0
        assert not any(r["start"] < c < r["end"] for c in cuts)  # whole shots or parts of one
    # An editor drops a range and lengthens another: the re-render still lasts exactly 15 s.
    ranges["ranges"] = ranges["ranges"][:-1]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(ranges))
    again = tmp_path / "t15b.mp4"
    run_trailer(str(vertical_master.path), again, preset=preset, length=15, ranges_file=edited)
    assert _facts(again)[0] == 15 * 25


def test_trailer_from_horizontal_master(
    horizontal_master: MasterFixture, tiny: Path, tmp_path: Path
) -> None:
    preset = load_preset(str(tiny))
    out = tmp_path / "h.mp4"
    run_trailer(str(horizontal_master.path), out, preset=preset, length=15, reframe="fit")
    frames, _, loud, black = _facts(out)
    assert frames == 375 and black == ""
    assert abs(loud - preset.audio.loudness_lufs) <= 1.0
