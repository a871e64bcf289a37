"""Shot-change decisions on synthetic frame sequences (numpy frames, no ffmpeg).

The frames go through the same per-frame measurements as a real pass (FrameAnalyzer), so the
traps are real pixels: a camera flash, a two-frame flash, a fast pan, a dissolve and a dip to
black, with exact truth.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vidpack.analyze.features import FrameAnalyzer, FrameFeatures
from vidpack.analyze.settings import AnalysisSettings
from vidpack.analyze.transitions import detect

W, H, FPS = 90, 160, 25.0
RNG = np.random.default_rng(3)


def _texture(colour: tuple[int, int, int], width: int = W) -> np.ndarray:
    """A blurred noise texture (Y plane) wider than the frame, plus flat chroma values."""
    noise = RNG.integers(0, 255, size=(H, width), dtype=np.uint8)
    y = cv2.GaussianBlur(noise, (0, 0), 3)
    y = cv2.normalize(y, None, 30, 220, cv2.NORM_MINMAX)
    return np.stack([y, np.full_like(y, colour[1]), np.full_like(y, colour[2])])


def _frame(tex: np.ndarray, shift: int = 0, gain: float = 1.0) -> np.ndarray:
    y = np.roll(tex[0], -shift, axis=1)[:, :W].astype(np.float32)
    y = np.clip(16 + (y - 16) * gain, 0, 255)
    u = np.full((H // 2, W // 2), 128 + (tex[1, 0, 0] - 128.0) * gain)
    v = np.full((H // 2, W // 2), 128 + (tex[2, 0, 0] - 128.0) * gain)
    return np.concatenate([y.ravel(), u.ravel(), v.ravel()]).astype(np.uint8)


def _white() -> np.ndarray:
    return np.concatenate(
        [np.full(W * H, 235), np.full(W * H // 4, 128), np.full(W * H // 4, 128)]
    ).astype(np.uint8)


def _features(frames: list[np.ndarray], lags: int = 5) -> FrameFeatures:
    analyzer = FrameAnalyzer(W, H, lags=lags, window=0.5, fps=FPS)
    for n, frame in enumerate(frames):
        analyzer.add(n / FPS, frame.tobytes())
    return analyzer.finish()


def _movie() -> tuple[list[np.ndarray], dict[str, int]]:
    a, b = _texture((0, 100, 150)), _texture((0, 160, 90))
    c, d, e = _texture((0, 128, 128), width=W * 8), _texture((0, 90, 100)), _texture((0, 150, 170))
    frames = [_frame(a, n // 4) for n in range(50)]  # slow drift
    frames += [_frame(b, n // 4) for n in range(50, 120)]  # hard cut at 50
    frames[80] = _white()  # one-frame camera flash
    frames[100] = frames[101] = _white()  # two-frame flash
    frames += [_frame(c, 6 * (n - 120)) for n in range(120, 200)]  # cut, then a fast pan
    for n in range(200, 220):  # dissolve pan -> d, middle at 210
        alpha = (n - 200 + 0.5) / 20
        mix = (1 - alpha) * _frame(c, 6 * (n - 120)).astype(np.float32)
        frames.append((mix + alpha * _frame(d).astype(np.float32)).round().astype(np.uint8))
    frames += [_frame(d, (n - 220) // 5) for n in range(220, 260)]
    frames += [_frame(d, 8, gain=1 - (n - 259) / 11) for n in range(260, 270)]  # fade out
    frames += [_frame(d, 0, gain=0.0) for _ in range(270, 276)]  # black
    frames += [_frame(e, 0, gain=(n - 275) / 11) for n in range(276, 286)]  # fade in
    frames += [_frame(e, (n - 286) // 5) for n in range(286, 330)]
    return frames, {"cut": 50, "cut2": 120, "dissolve": 210, "fade": 273}


@pytest.fixture(scope="module")
def found() -> list[tuple[int, str]]:
    frames, _ = _movie()
    f = _features(frames)
    items = detect(f, AnalysisSettings())
    return [(round(float(f.times[x.index]) * FPS), x.kind) for x in items]


def test_every_transition_is_found_once(found: list[tuple[int, str]]) -> None:
    kinds = [k for _, k in found]
    assert kinds == ["cut", "cut", "dissolve", "fade"], found


def test_hard_cut_is_frame_exact(found: list[tuple[int, str]]) -> None:
    assert (50, "cut") in found and (120, "cut") in found


def test_gradual_transitions_at_their_middle(found: list[tuple[int, str]]) -> None:
    _, truth = _movie()
    got = dict((k, n) for n, k in found)
    assert abs(got["dissolve"] - truth["dissolve"]) <= FPS / 2
    assert abs(got["fade"] - truth["fade"]) <= 2


def test_flashes_and_fast_pan_are_not_cuts(found: list[tuple[int, str]]) -> None:
    for frame, _ in found:
        assert not 75 <= frame <= 106, f"a flash read as a transition at {frame}"
        assert not 121 <= frame <= 199, f"the fast pan read as a transition at {frame}"


def test_flash_check_needs_lags() -> None:
    """With no look-back beyond one frame the flash test cannot work: the flash is a cut."""
    frames, _ = _movie()
    f = _features(frames[:120], lags=1)
    items = detect(f, AnalysisSettings(flash_frames=1))
    assert any(76 <= round(f.times[x.index] * FPS) <= 82 for x in items)


def test_static_shot_with_pulsing_has_no_cut() -> None:
    """Encoder keyframe pulsing: every 12th frame slightly sharper and brighter."""
    tex = _texture((0, 120, 140))
    frames = []
    for n in range(150):
        frame = _frame(tex).astype(np.int16)
        if n % 12 == 0:
            frame[: W * H] += 3
        frames.append(np.clip(frame, 0, 255).astype(np.uint8))
    assert detect(_features(frames), AnalysisSettings()) == []


def test_too_few_frames_gives_nothing() -> None:
    assert detect(_features([_white(), _white()]), AnalysisSettings()) == []


def test_a_change_that_goes_on_for_frames_is_not_a_cut() -> None:
    """A hand sweeping out of shot while the exposure steps up: the picture changes over three
    frames, each as much as a cut's threshold, and stays the same scene."""
    tex = _texture((0, 120, 140))
    frames = [_frame(tex, gain=1.0) for _ in range(60)]
    frames += [_frame(tex, 1, gain=g) for g in (1.25, 1.5, 1.75)]
    frames += [_frame(tex, 2, gain=2.0) for _ in range(60)]
    f = _features(frames)
    assert float(f.diff[61, 0]) >= AnalysisSettings().cut_threshold  # big enough to be one
    assert "cut" not in [x.kind for x in detect(f, AnalysisSettings())]


def test_black_held_is_a_shot_cut_into_and_faded_out_of() -> None:
    a, b = _texture((0, 100, 150)), _texture((0, 160, 90))
    frames = [_frame(a) for _ in range(50)]
    frames += [_frame(a, gain=0.0) for _ in range(50, 75)]  # cut to black, held 1 s
    frames += [_frame(b, gain=(n - 74) / 11) for n in range(75, 85)]  # fade in, middle ~80
    frames += [_frame(b) for _ in range(85, 130)]
    f = _features(frames)
    found = [(round(float(f.times[x.index]) * FPS), x.kind) for x in detect(f, AnalysisSettings())]
    assert [k for _, k in found] == ["cut", "fade"], found
    assert found[0][0] == 50 and abs(found[1][0] - 80) <= 2


def test_light_over_part_of_the_picture_is_no_transition() -> None:
    """A hand leaving the lamp: light sweeps down over the top half of the picture in three
    frames (each step under a cut's threshold) and stays. The colour histogram moves a lot, the
    pixels little and nothing mixes: no cut and no dissolve (as in
    psd/issue-195-aspect-ratio.mp4 at 18.5 s)."""
    tex = _texture((0, 120, 140))
    dark = _frame(tex, gain=0.55)
    bright = _frame(tex, gain=1.3)

    def lit(rows: int) -> np.ndarray:
        frame = dark.copy()
        frame[: W * rows] = bright[: W * rows]
        return frame

    frames = [lit(0) for _ in range(60)]
    frames += [lit(H * k // 6) for k in (1, 2)]
    frames += [lit(H // 2) for _ in range(60)]
    f = _features(frames)
    assert float(f.diff[:, 0].max()) < AnalysisSettings().cut_threshold
    assert float(f.hspan.max()) >= 0.3  # the histogram test alone would call it a dissolve
    assert detect(f, AnalysisSettings()) == []
