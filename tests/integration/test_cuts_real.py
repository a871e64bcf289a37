"""Shot transitions on PySceneDetect's own real test clips, against their frame-by-frame truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.real import REALMEDIA, realmedia_missing
from vidpack.analyze import AnalysisSettings, analyze

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(realmedia_missing() is not None, reason=str(realmedia_missing())),
]


def _analyse(rel: str, tmp_path: Path) -> list[tuple[int, str]]:
    settings = AnalysisSettings(cache_dir=str(tmp_path), faces=False, voice_model="energy")
    analysis = analyze(REALMEDIA / rel, settings=settings, use_cache=False)
    return [(t.frame, t.kind) for t in analysis.transitions]


def test_testvideo_cuts_to_black_fades_and_dissolve(tmp_path: Path) -> None:
    # testvideo.mp4 (29.97 fps), checked frame by frame: a cut from the black opening at 30, a
    # cut to black at 180 (black held a second), fades in over 210-240 and 393-423, a fade out
    # over 330-360 (black held between), a dissolve over 528-558 and a fade out over 663-693
    # into the held black that ends the clip.
    found = _analyse("psd/testvideo.mp4", tmp_path)
    assert [kind for _, kind in found] == ["cut", "cut", "fade", "fade", "fade", "dissolve", "fade"]
    frames = [frame for frame, _ in found]
    assert frames[:2] == [30, 180]  # hard cuts to the frame
    for frame, middle in zip(frames[2:5], (225, 345, 408), strict=True):
        assert abs(frame - middle) <= 3, (frame, middle)
    assert 528 <= frames[5] <= 558
    assert abs(frames[6] - 678) <= 3


def test_a_steady_brightness_dip_is_one_fade_at_its_darkest(tmp_path: Path) -> None:
    # fades.mp4 (25 fps): a flat picture that dips to black twice (darkest at 83 and 166) and
    # starts and ends on a single black frame, which is no shot of its own.
    found = _analyse("psd/fades.mp4", tmp_path)
    assert [kind for _, kind in found] == ["fade", "fade"]
    assert [abs(f - m) <= 1 for (f, _), m in zip(found, (83, 166), strict=True)] == [True, True]
