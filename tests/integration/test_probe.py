"""probe() against the expected facts of the generated odd inputs (fixtures.bad)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from fixtures.bad import EXPECTED
from vidpack.errors import InputError
from vidpack.media.probe import probe, require_video

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_probe_matches_truth(
    key: str, bad_inputs: dict[str, Path], bad_inputs_truth: dict[str, dict[str, Any]]
) -> None:
    truth = bad_inputs_truth[key]
    path = bad_inputs[key]
    if not truth["probe_ok"]:
        with pytest.raises(InputError, match=r"empty|not a media file"):
            probe(path)
        return
    info = probe(path)
    if not truth.get("has_video", True):
        assert info.video is None
        with pytest.raises(InputError, match="has no video stream"):
            require_video(info)
    else:
        v = require_video(info)
        assert (v.width, v.height) == (truth["width"], truth["height"])
        assert (v.coded_width, v.coded_height) == (truth["coded_width"], truth["coded_height"])
        assert v.rotation == truth["rotation"]
        assert v.sar == Fraction(truth["sar"].replace(":", "/"))
        assert v.is_vfr is truth["vfr"]
        if truth["fps"]:
            assert v.fps == Fraction(truth["fps"])
        for fact in ("pix_fmt", "bit_depth", "profile"):
            if fact in truth:
                assert getattr(v, fact) == truth[fact]
        if "video_codec" in truth:
            assert v.codec == truth["video_codec"]
    assert len(info.audio) == (1 if truth["has_audio"] else 0)
    if info.audio:
        assert info.audio[0].channels == truth["audio_channels"]
        if "audio_codec" in truth:
            assert info.audio[0].codec == truth["audio_codec"]
    start = truth.get("start_time", 0.0)
    expected = truth.get("end_time", start + truth["duration"]) - start
    assert info.start_time == pytest.approx(start, abs=0.05)
    assert info.duration == pytest.approx(expected, abs=0.05)
