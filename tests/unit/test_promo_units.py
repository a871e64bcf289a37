"""Promo logic without ffmpeg: scripts, candidate times, trailer fitting, cover text boxes."""

from __future__ import annotations

import pytest

from vidpack.analyze.model import Analysis, Interval, ShotStats, Transition
from vidpack.errors import UsageError
from vidpack.presets import load_preset
from vidpack.promo.covers import text_box
from vidpack.promo.text import script_of
from vidpack.promo.thumbs import GUARD_S, candidate_times, pick
from vidpack.promo.trailer import Range, fit, select, shot_range
from vidpack.promo.trailer_run import parse_episode_range


def _analysis() -> Analysis:
    cuts = (Transition(4.0, 100, "cut", 0.9), Transition(8.0, 200, "dissolve", 0.8))
    shots = (
        ShotStats(0.0, 4.0, motion=0.1, faces=1),
        ShotStats(4.0, 8.0, motion=0.3, black=True),
        ShotStats(8.0, 14.0, motion=0.2, faces=0),
    )
    speech = (Interval(1.0, 2.5), Interval(9.2, 11.4))
    return Analysis("m.mp4", 14.0, 25.0, 350, cuts, speech, shots, 0.1, (-20.0,) * 140)


@pytest.mark.parametrize(
    ("text", "script"),
    [("Midnight Vows", "latin"), ("午夜誓言", "cjk-sc"), ("真夜中の誓い", "ja"),
     ("한밤의 맹세", "ko"), ("عهود منتصف الليل", "arabic"), ("คำสาบาน", "thai")],
)  # fmt: skip
def test_script_of(text: str, script: str) -> None:
    assert script_of(text) == script


def test_candidates_avoid_transitions_and_black_shots() -> None:
    analysis = _analysis()
    times = candidate_times(analysis)
    assert times
    assert all(shot != 1 for shot, _ in times)  # the black shot
    for _, t in times:
        assert min(abs(t - tr.time) for tr in analysis.transitions) >= GUARD_S
        assert abs(t - 8.0) >= 1.0  # a dissolve is stamped at its middle: keep further away
        assert abs(t * 25 - round(t * 25)) < 1e-9  # on the frame grid


def test_pick_takes_one_per_shot() -> None:
    from pathlib import Path

    from vidpack.promo.thumbs import Candidate

    cands = [Candidate(1.0, 0, Path("a"), 0.9), Candidate(2.0, 0, Path("b"), 0.8),
             Candidate(9.0, 2, Path("c"), 0.5)]  # fmt: skip
    assert [c.image.name for c in pick(cands, 2)] == ["a", "c"]


def test_shot_range_never_cuts_a_line() -> None:
    analysis = _analysis()
    rng = shot_range(analysis, analysis.shots[2], (0.0, 14.0), 2.0)
    assert rng is not None and rng.duration >= 1.0
    assert rng.start >= 8.5  # half a second after the dissolve
    for s in analysis.speech:
        assert not s.start < rng.start < s.end and not s.start < rng.end < s.end


def test_fit_makes_exact_frames() -> None:
    ranges = [Range(0.0, 5.0), Range(10.0, 16.0), Range(20.0, 27.0)]
    plan = fit("m.mp4", ranges, length=15, fps=25.0, crossfade_frames=6, card_frames=50)
    assert plan.total_frames == 375
    assert all(n >= 25 for n in plan.frames)


def test_select_reports_too_little_material() -> None:
    with pytest.raises(UsageError, match="--length 60"):
        select(_analysis(), length=60, fps=25.0, span=(0.0, 14.0), card=True)


def test_parse_episode_range() -> None:
    assert parse_episode_range("1-10") == (1, 10)
    assert parse_episode_range("3") == (3, 3)
    with pytest.raises(UsageError, match="--from-episodes"):
        parse_episode_range("5-2")


def test_text_box_inside_safe_area_and_grid_band() -> None:
    preset = load_preset("instagram-reels")
    box = text_box(preset, 1080, 1920)
    top, bottom, left, right = preset.safe_zone.scaled(1080, 1920)
    assert box.top >= max(top, 240) and box.bottom <= min(1920 - bottom, 1680)
    assert box.left >= left and box.right <= 1080 - right
