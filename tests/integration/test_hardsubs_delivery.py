"""Masked burned-in dialogue text through the rest of a delivery, on the synthetic text master
(fixtures/hardsubs.py: 360x640, 10 s, three known Chinese cues in a bottom band and a series
title at the top for 4 s):

- promo material: ``--hardsubs`` on ``trailer`` and ``thumbs``, and the covers ``package``
  makes. Presets keep the master's size, so output pixels compare one to one with the
  master's: the band's ink (edge energy) is gone where a cue shows, the static title is
  untouched, and outside the band the masked trailer is the unmasked one (PSNR >= 45 dB);
- burned translations sit on the masked band (the new text's ink, against the same masked
  split without subtitles, lies in the band's rows), or at the preset's place with one warning
  when the band is outside the safe area.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from fixtures.hardsubs import SYNTHETIC_CUES, build_text_master, gray_frames, plain_preset
from tests.integration.test_hardsubs_mask import _PRESET as SAME_SIZE
from vidpack.cli.main import cli

pytestmark = pytest.mark.integration

W, H = 360, 640
BAND = (80, 530, 200, 50)  # around the cues (x, y, w, h): the detection finds 93,542,166,31
TITLE = (60, 70, 240, 50)  # around the static title (shown 0-4 s)
INK = 5.0  # mean edge energy above this: text is there (the gradients alone: under 1)
# the masking tests' preset (the master's own size, no loudness passes) with promo material
_PRESET = (
    SAME_SIZE
    + """
[trailers]
lengths = [6]
end_card = false
[covers]
sizes = ["360x640"]
"""
)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hardsubs_promo")
    preset = folder / "mask-test.toml"
    preset.write_text(_PRESET, encoding="utf-8")
    ranges = folder / "ranges.json"  # cue 1 and the title, then cue 3 and after it
    ranges.write_text(
        json.dumps(
            {
                "crossfade_frames": 2,
                "ranges": [{"start": 0.0, "end": 2.6}, {"start": 5.6, "end": 9.6}],
            }
        ),
        encoding="utf-8",
    )
    return {"master": build_text_master(folder), "preset": preset, "ranges": ranges}


def _frames(path: Path, size: tuple[int, int] = (W, H)) -> np.ndarray:
    return gray_frames(path, size)


def ink(frame: np.ndarray, box: tuple[int, int, int, int] = BAND) -> float:
    """Mean edge energy inside ``box``: text strokes are sharp, the gradients are smooth."""
    import cv2

    x, y, w, h = box
    part = frame[y : y + h, x : x + w]
    return float(np.abs(part - cv2.blur(part, (5, 5))).mean())


def _image(path: Path) -> np.ndarray:
    import cv2

    return cv2.imread(str(path), cv2.IMREAD_GRAYSCALE).astype(np.float32)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_bad_values_are_one_line_errors_and_nothing_is_made(
    made: dict[str, Path], tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"size": [1080, 1920], "regions": []}), encoding="utf-8")
    master, preset = str(made["master"]), str(made["preset"])
    cases = {
        ("--hardsubs", "auto", "--hardsubs-method", "smudge"): (
            "Error: --hardsubs-method 'smudge' is not a method: use one of blur, box, inpaint, "
            "crop\n"
        ),
        ("--hardsubs", "sometimes"): (
            "Error: --hardsubs 'sometimes' is neither auto, off nor a mask file: give auto, "
            "off, or a file made by `vidpack hardsubs MASTER -o mask.json`\n"
        ),
        ("--hardsubs", "auto", "--hardsubs-keep", "300,0,100,50"): (
            "Error: --hardsubs-keep 300,0,100,50 reaches outside the 360x640 master: keep "
            "x + w <= 360 and y + h <= 640\n"
        ),
        ("--hardsubs", str(other)): (
            f"Error: --hardsubs {str(other)!r}: size: [1080, 1920] does not match the master's "
            "360x640: make the mask file from this master (vidpack hardsubs MASTER -o FILE)\n"
        ),
    }
    out = tmp_path / "out"
    for extra, message in cases.items():
        trailer = ["trailer", master, "--preset", preset, "--length", "6", "-o", str(out / "t.mp4")]
        assert _run(*trailer, *extra) == (2, message), extra
        assert _run("thumbs", master, "--preset", preset, "-o", str(out), *extra) == (2, message)
        assert not out.exists()


def test_the_trailer_masks_each_range_at_its_own_times(
    made: dict[str, Path], tmp_path: Path
) -> None:
    base = ["trailer", str(made["master"]), "--preset", str(made["preset"]), "--length", "6",
            "--ranges", str(made["ranges"]), "--speed", "ultrafast"]  # fmt: skip
    code, output = _run(*base, "--hardsubs", "auto", "--json", "-o", str(tmp_path / "m.mp4"))
    assert code == 0, output
    result = json.loads(output)
    assert result["hardsubs"]["method"] == "box"
    assert [r["kind"] for r in result["hardsubs"]["regions"]] == ["dialogue"]
    assert _run(*base, "-o", str(tmp_path / "p.mp4"))[0] == 0
    masked, plain = _frames(tmp_path / "m.mp4"), _frames(tmp_path / "p.mp4")
    assert len(masked) == len(plain) == 150  # 6 s at 25 fps
    ranges = result["ranges"]
    second = ranges[0]["frames"] - 2  # the second range's first trailer frame (2-frame fade)

    def master_time(k: int) -> float:
        return k / 25 if k < second else ranges[1]["start"] + (k - second) / 25

    checked = 0
    for k in range(0, 150, 5):
        t = master_time(k)
        if second - 1 <= k <= second + 2:  # at the crossfade: both ranges mixed
            continue
        showing = any(a + 0.1 < t < b - 0.1 for a, b, _ in SYNTHETIC_CUES)
        if showing:  # the burned line is there without masking, gone with it
            assert ink(plain[k]) > INK and ink(masked[k]) < 1.0, (k, t)
            checked += 1
        assert ink(masked[k], TITLE) == pytest.approx(ink(plain[k], TITLE), abs=0.3)
        outside = np.ones((H, W), bool)
        x, y, w, h = BAND
        outside[y : y + h, x : x + w] = False
        mse = float(((masked[k] - plain[k])[outside] ** 2).mean())
        assert 10 * np.log10(255**2 / max(mse, 1e-9)) >= 45, (k, t)
    assert checked >= 15  # frames of cue 1 (range 1) and of cue 3 (range 2)


def test_thumbnails_and_covers_come_from_masked_frames(
    made: dict[str, Path], tmp_path: Path
) -> None:
    base = ["thumbs", str(made["master"]), "--preset", str(made["preset"]), "--at", "2.0",
            "--count", "1", "--episode", "1"]  # fmt: skip
    code, output = _run(*base, "--hardsubs", "auto", "--json", "-o", str(tmp_path / "m"))
    assert code == 0, output
    assert json.loads(output)["hardsubs"]["regions"][0]["kind"] == "dialogue"
    assert _run(*base, "-o", str(tmp_path / "p"))[0] == 0
    names = ["thumb_01.jpg", "series_360x640.jpg", "series_E001_360x640.jpg"]
    for name in names:
        masked, plain = _image(tmp_path / "m" / name), _image(tmp_path / "p" / name)
        assert ink(plain) > INK and ink(masked) < 1.0, name  # cue 1 shows at 2.0 s
        assert ink(masked, TITLE) == pytest.approx(ink(plain, TITLE), abs=1.0), name
    # every method (blur's overlay picks a format with alpha: the still is made 4:2:0)
    for method in ("blur", "inpaint"):
        out = tmp_path / method
        code, output = _run(
            *base, "--hardsubs", "auto", "--hardsubs-method", method, "-o", str(out)
        )
        assert code == 0 and "skipped" not in output, output
        assert ink(_image(out / names[1])) < 2.0, method
    fmt = ["ffprobe", "-v", "error", "-show_entries", "stream=pix_fmt", "-of", "csv=p=0"]
    for name in names[1:]:  # a cover drawn on a masked still is encoded as the unmasked one
        facts = [subprocess.run([*fmt, str(tmp_path / d / name)], capture_output=True,
                                text=True, check=True).stdout for d in ("m", "p")]  # fmt: skip
        assert facts[0] == facts[1]


def test_package_covers_and_report_show_the_masking(made: dict[str, Path], tmp_path: Path) -> None:
    base = ["package", str(made["master"]), "--platform", str(made["preset"]), "--min", "4",
            "--max", "6", "--speed", "ultrafast", "--progress", "none"]  # fmt: skip
    for name, extra in (("m", ["--hardsubs", "auto"]), ("p", [])):
        code, output = _run(*base, *extra, "-o", str(tmp_path / name))
        assert code in (0, 1), output  # QC may judge the silent master
    covers = json.loads((tmp_path / "m" / "mask-test" / "manifest.json").read_text())["covers"]
    assert len(covers) == 3  # a series cover and one per episode
    for cover in covers:
        masked = _image(tmp_path / "m" / "mask-test" / cover["file"])
        plain = _image(tmp_path / "p" / "mask-test" / cover["file"])
        assert ink(plain) > INK and ink(masked) < 1.0, cover["file"]
    # the report: per masked episode, the master's frame and the delivered one, embedded
    import base64
    import re

    import cv2

    manifest = json.loads((tmp_path / "m" / "mask-test" / "manifest.json").read_text())
    page = (tmp_path / "m" / "mask-test" / "report.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr class='masked'>(.*?)</tr>", page)
    assert len(rows) == len(manifest["episodes"]) == 2
    for row, ep in zip(rows, manifest["episodes"], strict=True):
        assert f"<td>{ep['file']}</td><td>box</td>" in row
        pictures = dict(re.findall(r"class='cover (before|after)' [^>]*base64,([^']*)'", row))
        small = {
            k: cv2.imdecode(np.frombuffer(base64.b64decode(v), np.uint8), cv2.IMREAD_GRAYSCALE)
            for k, v in pictures.items()
        }
        scale = small["before"].shape[1] / W
        x, y, w, h = (round(v * scale) for v in (80, 530, 200, 50))
        assert ink(small["before"].astype(np.float32), (x, y, w, h)) > INK
        assert ink(small["after"].astype(np.float32), (x, y, w, h)) < 1.0
    qc = json.loads((tmp_path / "m" / "mask-test" / "qc.json").read_text())
    listing = [c for c in qc["checks"] if "listed" in str(c.get("check"))]
    assert listing and all(c["ok"] for c in listing)  # no unlisted file: pictures are inline
    plain_page = (tmp_path / "p" / "mask-test" / "report.html").read_text(encoding="utf-8")
    assert "class='masked'" not in plain_page


_SRT = """1
00:00:01,100 --> 00:00:02,900
What are you doing here?

2
00:00:03,600 --> 00:00:05,400
I waited three years.

3
00:00:05,600 --> 00:00:07,900
Let's get divorced.
"""
# a small safe bottom band (Snapchat's) and a preset position well above the master's band
_LOW_SAFE = plain_preset(
    "low", "snapchat-spotlight", (180, 320), "[subtitles.style]\nmargin_v = 600\n"
)


def test_burned_subtitles_sit_on_the_masked_band(made: dict[str, Path], tmp_path: Path) -> None:
    from tests.integration.test_package import write_tiny_preset

    srt = tmp_path / "en.srt"
    srt.write_text(_SRT, encoding="utf-8")
    low = tmp_path / "low.toml"
    low.write_text(_LOW_SAFE, encoding="utf-8")
    base = ["split", str(made["master"]), "--min", "4", "--max", "6", "--speed", "ultrafast",
            "--progress", "none", "--hardsubs", "auto"]  # fmt: skip
    burn = ["--subs", f"en={srt}", "--subs-mode", "burn"]
    runs = {"subs": [*burn], "bare": [], "plain": [*burn, "--hardsubs", "off"]}
    for name, extra in runs.items():
        code, output = _run(*base, "--preset", str(low), *extra, "-o", str(tmp_path / name))
        assert code == 0, output
        assert "safe area" not in output
    w, h = 180, 320
    band = (542 * h / 640, 573 * h / 640)  # the detected band's rows, in output pixels
    k = 50  # 2.0 s into episode 1: cue 1 shows, burned and translated

    def new_ink(name: str) -> np.ndarray:
        frames = _frames(tmp_path / name / "series_E001.mp4", (w, h))
        bare = _frames(tmp_path / "bare" / "series_E001.mp4", (w, h))
        return np.nonzero(np.abs(frames[k] - bare[k]) > 40)[0]  # rows of the new text's ink

    rows = new_ink("subs")
    assert len(rows) > 100
    assert band[0] - 2 <= rows.min() and rows.max() <= band[1] + 2
    assert rows.mean() == pytest.approx(sum(band) / 2, abs=3)
    unmasked = new_ink("plain")  # no masking: the preset's own place, well above the band
    assert np.count_nonzero(unmasked < band[0] - 20) > 100

    tiny = write_tiny_preset(tmp_path, "tiny", "tiktok")  # 180x320, TikTok's tall bottom band
    code, output = _run(*base, "--preset", str(tiny), *burn, "-o", str(tmp_path / "tiny"))
    assert code == 0, output
    said = [line for line in output.splitlines() if "masked band" in line]
    assert said == [
        "Warning: burned en subtitles stay at the preset's position, not over the masked band: "
        "its centre, 279 px from the top of the 180x320 output, is outside the preset's safe "
        "area (top 37 px, bottom 83 px)"
    ]
