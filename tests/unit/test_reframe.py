"""Reframe filter strings, the crop path's easing and its ffmpeg expression (no ffmpeg here:
the expression is evaluated by a small Python reading of ffmpeg's if/lt/clip)."""

from __future__ import annotations

import itertools
import re

import pytest

from vidpack.errors import UsageError
from vidpack.render.croppath import CropPath, keyframe, x_expression
from vidpack.render.reframe import crop_width, reframe_filter
from vidpack.render.smartcrop import path_from_samples


def _eval_expr(expr: str, t: float) -> float:
    """Evaluate an ffmpeg expression made of if/lt/clip, numbers and t, as ffmpeg would."""
    env = {
        "iff": lambda c, a, b: a if c else b,
        "lt": lambda a, b: 1.0 if a < b else 0.0,
        "clip": lambda v, lo, hi: min(max(v, lo), hi),
        "t": t,
    }
    return float(eval(expr.replace("if(", "iff("), env))


def _x_of(filter_text: str) -> str:
    match = re.search(r"x='([^']*)'", filter_text)
    assert match, filter_text
    return match.group(1)


def test_same_aspect_is_a_plain_scale() -> None:
    assert reframe_filter("smart", 720, 1280, 1080, 1920) == "scale=1080:1920,setsar=1"
    # 0.5% off 9:16 still counts as the same aspect
    assert reframe_filter("fit", 724, 1280, 1080, 1920) == "scale=1080:1920,setsar=1"


def test_crop_is_the_centre_window_of_the_target_aspect() -> None:
    text = reframe_filter("crop", 1920, 1080, 1080, 1920)
    cw = crop_width(1920, 1080, 1080, 1920)
    assert cw == 608  # 1080 * 9 / 16 = 607.5, made even
    assert text == f"crop={cw}:1080:{(1920 - cw) // 2}:0,scale=1080:1920,setsar=1"


def test_a_taller_source_is_cropped_vertically() -> None:
    assert reframe_filter("crop", 720, 1600, 1080, 1920).startswith("crop=720:1280:0:160,")


def test_fit_overlays_the_scaled_picture_centred_on_a_blurred_fill() -> None:
    text = reframe_filter("fit", 1920, 1080, 1080, 1920)
    assert text.startswith("split=2[rfbg][rffg];")
    assert "[rffg]scale=1080:608,setsar=1[rff]" in text
    assert "overlay=x=0:y=656" in text  # (1920 - 608) / 2
    assert "gblur" in text and "lutyuv=y=minval+(val-minval)*0.6" in text
    assert text.endswith("setsar=1")


def test_bad_mode_and_sizes_are_refused_naming_the_value() -> None:
    with pytest.raises(UsageError, match=r"--reframe 'zoom' is not a mode: use fit, crop or smart"):
        reframe_filter("zoom", 1920, 1080, 1080, 1920)
    with pytest.raises(UsageError, match="source 0x1080"):
        reframe_filter("fit", 0, 1080, 1080, 1920)


def test_smart_without_a_path_is_a_centre_crop() -> None:
    assert reframe_filter("smart", 1920, 1080, 1080, 1920) == reframe_filter(
        "crop", 1920, 1080, 1080, 1920
    )


def _path() -> CropPath:
    return CropPath(
        keys=(
            keyframe(0.0, 0.2),
            keyframe(4.0, 0.2),  # hold
            keyframe(6.0, 0.6),  # eased move
            keyframe(10.0, 0.6),
            keyframe(10.0, 0.8),  # cut: jump
            keyframe(12.0, 0.3, 0.0),
        ),
        crop_w=0.3164,
    )


def test_path_holds_eases_and_jumps() -> None:
    path = _path()
    assert path.x_at(-1.0) == 0.2 and path.x_at(3.9) == pytest.approx(0.2)
    assert path.x_at(5.0) == pytest.approx(0.4)  # smoothstep midpoint
    assert path.x_at(4.5) == pytest.approx(0.2 + 0.4 * 0.15625)  # u=0.25: 3u^2 - 2u^3
    assert path.x_at(9.99) == pytest.approx(0.6)
    assert path.x_at(10.0) == pytest.approx(0.8)
    assert path.x_at(99.0) == pytest.approx(0.3)
    assert CropPath.from_dict(path.to_dict()) == path


def test_expression_matches_x_at_with_an_offset_and_a_window() -> None:
    path, src_w = _path(), 1920
    cw = crop_width(1920, 1080, 1080, 1920)
    for t0, t1 in ((0.0, None), (4.5, None), (4.5, 10.0), (10.0, 11.0)):
        expr = _x_of(reframe_filter("smart", 1920, 1080, 1080, 1920, path, t0, t1=t1))
        end = t1 if t1 is not None else 13.0
        t = t0
        while t < end:
            assert _eval_expr(expr, t - t0) == pytest.approx(
                path.left_px(t, src_w, cw), abs=0.05
            ), (t0, t1, t)
            t += 0.04
    # A window after the cut needs neither the hold before it nor the move.
    assert x_expression(path, src_w, cw, t0=10.0, t1=11.0).count("if(") == 0


def test_path_from_samples_holds_a_noisy_still_subject() -> None:
    import random

    rng = random.Random(1)
    xs: list[float | None] = [0.3 + rng.uniform(-0.02, 0.02) for _ in range(50)]
    xs[10] = None  # a missed detection
    path = path_from_samples(xs, [], 5.0, 0.3164, 10.0)
    assert {k.x for k in path.keys} == {path.keys[0].x}  # one constant: no jitter
    assert abs(path.keys[0].x - 0.3) < 0.02


def test_path_from_samples_follows_a_move_smoothly_and_jumps_at_cuts() -> None:
    fps, crop = 5.0, 0.3164
    xs: list[float | None] = [0.2] * 10 + [0.2 + 0.6 * i / 20 for i in range(21)] + [0.8] * 9
    xs += [0.2] * 20  # second shot from 8 s, subject on the left
    path = path_from_samples(xs, [8.0], fps, crop, 12.0)
    samples = [path.x_at(i / 25) for i in range(300)]
    steps = [b - a for a, b in itertools.pairwise(samples)]
    within = steps[: 8 * 25 - 1]
    assert max(abs(s) for s in within) < 0.02  # no jumps inside the shot
    assert all(s >= -1e-9 for s in within)  # moves one way only: no direction changes
    assert path.x_at(7.9) == pytest.approx(0.8, abs=0.02)
    assert path.x_at(8.0) == pytest.approx(0.2, abs=0.02)  # re-targeted at the cut
    for i, x in enumerate(xs[:40]):  # the subject stays within the crop's middle
        assert abs(path.x_at(i / fps) - x) < crop / 2 - 0.08, i
