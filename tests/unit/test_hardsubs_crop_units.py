"""``--hardsubs-method crop``: when a horizontal master is cropped to 9:16 and its burned-in
dialogue can be cropped away, the run says so and offers it; taken, it is refused when it would
enlarge too much or cut static text (or a --hardsubs-keep box) away with the dialogue."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from vidpack.errors import UsageError
from vidpack.hardsubs.maskfile import dumps
from vidpack.hardsubs.masking import HardsubsOptions, resolve_masking
from vidpack.hardsubs.model import Hardsubs, Region
from vidpack.media.probe import MediaInfo, VideoStream

W, H = 640, 360
BAND = Region("dialogue", (120, 292, 400, 40), ((1.0, 3.0), (5.0, 7.0)), 0.95)
TITLE = Region("static", (200, 30, 240, 30), ((0.0, 4.0),), 1.0)


def _info(w: int = W, h: int = H) -> MediaInfo:
    video = VideoStream(
        index=0, codec="h264", profile="High", coded_width=w, coded_height=h, width=w,
        height=h, rotation=0, sar=Fraction(1), fps=Fraction(25), is_vfr=False,
        pix_fmt="yuv420p", bit_depth=8, color_space=None, color_primaries=None,
        color_transfer=None, color_range=None, frame_count=250,
    )  # fmt: skip
    return MediaInfo("m.mp4", 1000, "mov", 10.0, 0.0, None, video, (), ())


def _mask_file(tmp_path: Path, *regions: Region, size: tuple[int, int] = (W, H)) -> str:
    path = tmp_path / "m.mask.json"
    path.write_text(dumps(Hardsubs(size[0], size[1], 10.0, regions, samples=20)), "utf-8")
    return str(path)


def test_a_16_9_master_cropped_to_9_16_is_offered_the_crop(tmp_path: Path) -> None:
    options = HardsubsOptions(_mask_file(tmp_path, BAND, TITLE), "box")
    mask, notes = resolve_masking("m.mp4", _info(), options, "crop")
    assert mask is not None and mask.method == "box"
    assert notes == [
        "the burned-in dialogue (rows 292-332 of 360) can be cropped away instead of masked: "
        "--hardsubs-method crop keeps rows 0-288 (1.25x enlarged, sides trimmed) and paints "
        "nothing over the picture"
    ]
    # Nothing to offer: the whole picture shown (fit), a vertical master, no reframe said.
    low = Region("dialogue", (20, 560, 320, 40), ((1.0, 3.0),), 0.9)
    for reframe, info, band in (("fit", _info(), BAND), ("crop", _info(360, 640), low),
                                (None, _info(), BAND)):  # fmt: skip
        path = _mask_file(tmp_path, band, size=(info.width, info.height))
        assert resolve_masking("m.mp4", info, HardsubsOptions(path, "box"), reframe)[1] == []


def test_crop_taken_is_kept_and_offered_no_more(tmp_path: Path) -> None:
    options = HardsubsOptions(_mask_file(tmp_path, BAND, TITLE), "crop")
    mask, notes = resolve_masking("m.mp4", _info(), options, "crop")
    assert mask is not None and (mask.method, mask.regions) == ("crop", (BAND,))
    assert notes == []


def test_crop_that_would_cut_static_text_or_enlarge_too_much_is_refused(tmp_path: Path) -> None:
    filing = Region("static", (20, 300, 200, 20), ((0.0, 4.0),), 1.0)  # beside the band
    options = HardsubsOptions(_mask_file(tmp_path, BAND, filing), "crop")
    with pytest.raises(UsageError) as err:
        resolve_masking("m.mp4", _info(), options, "crop")
    assert str(err.value) == (
        "--hardsubs-method crop: keeping rows 0-288 would cut away the static text or "
        "--hardsubs-keep box at 20,300,200,20, which is never masked: use blur, box or inpaint"
    )
    kept = HardsubsOptions(_mask_file(tmp_path, BAND), "crop", keep=((0, 340, 80, 20),))
    with pytest.raises(UsageError, match="--hardsubs-keep box at 0,340,80,20"):
        resolve_masking("m.mp4", _info(), kept, "smart")
    middle = Region("dialogue", (120, 150, 400, 60), ((1.0, 3.0),), 0.9)  # mid-picture text
    options = HardsubsOptions(_mask_file(tmp_path, middle), "crop")
    with pytest.raises(UsageError) as err:
        resolve_masking("m.mp4", _info(), options, "crop")
    assert str(err.value) == (
        "--hardsubs-method crop: cutting the burned-in dialogue (rows 150-210 of 360) away "
        "would enlarge the picture 2.47x (at most 1.5x): use blur, box or inpaint"
    )
