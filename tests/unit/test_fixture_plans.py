"""The fixture generator's plans (no ffmpeg): shot layout, dialogue placement, the script."""

from __future__ import annotations

import itertools
import random

import pytest

from fixtures import script, speech
from fixtures.generate import orient
from fixtures.sources import SOURCES
from fixtures.timeline import plan_timeline

CASES = [(1500, 25, 0), (900, 25, 1), (1800, 30, 5), (4 * 60 * 24, 24, 9), (75, 25, 2)]


@pytest.mark.parametrize(("frames", "fps", "seed"), CASES)
def test_timeline_fills_the_master_exactly(frames: int, fps: int, seed: int) -> None:
    tl = plan_timeline(frames, fps, sorted(SOURCES), seed)
    assert tl.frame_count == frames
    assert len(tl.joins) == len(tl.shots) - 1
    assert tl.shots[0].out_start == 0
    for shot, nxt, join in zip(tl.shots, tl.shots[1:], tl.joins, strict=False):
        assert shot.source != nxt.source
        end = shot.out_start + shot.padded_frames
        if join.kind == "dissolve":
            assert join.length % 2 == 0 and 0.6 * fps - 1 <= join.length <= 1.2 * fps + 1
            assert (join.start, join.end) == (end - join.length, end) == (nxt.out_start, end)
            assert join.frame == join.start + join.length // 2
        elif join.kind == "fade":
            assert shot.fade_out and shot.pad_out and nxt.fade_in and nxt.pad_in
            assert join.frame == end == nxt.out_start
            assert join.end - join.frame == join.frame - join.start == nxt.pad_in + nxt.fade_in
        else:
            assert join.frame == join.start == join.end == end == nxt.out_start
    # Every shot keeps at least a clean second, and clips stay within 2-12 s.
    bounds = [0, *(j.end for j in tl.joins)]
    ends = [*(j.start for j in tl.joins), frames]
    assert all(e - s >= fps for s, e in zip(bounds, ends, strict=True))
    assert all(s.frames <= 12 * fps for s in tl.shots)
    assert all(s.frames >= 2 * fps for s in tl.shots) or len(tl.shots) == 1
    if len(tl.joins) >= 3:
        assert {j.kind for j in tl.joins} == {"cut", "dissolve", "fade"}


def test_timeline_depends_on_the_seed_only() -> None:
    a = plan_timeline(1500, 25, sorted(SOURCES), 3)
    assert a == plan_timeline(1500, 25, sorted(SOURCES), 3)
    assert a != plan_timeline(1500, 25, sorted(SOURCES), 4)


@pytest.mark.parametrize("seed", range(6))
def test_dialogue_placement_respects_cuts_and_pauses(seed: int) -> None:
    rng = random.Random(seed)
    durations = [rng.uniform(1.0, 3.2) for _ in range(16)]
    tl = plan_timeline(1500, 25, sorted(SOURCES), seed)
    gaps = [speech.Gap(j.start / 25, j.end / 25) for j in tl.joins]
    placed = speech.place(durations, gaps, 60.0, seed)
    spans = [(start, start + durations[k % 16], across) for k, start, across in placed]
    assert len(spans) >= 10
    assert spans[0][0] >= 0.3 and spans[-1][1] <= 60.0 - 0.5 + 1e-9
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        assert start - end >= speech.MIN_PAUSE - 1e-9
    across = {a for _, _, a in spans if a is not None}
    for i, gap in enumerate(gaps):
        if i in across:
            s, e, _ = next(sp for sp in spans if sp[2] == i)
            assert s <= gap.start - speech.CUT_MARGIN + 1e-9
            assert e >= gap.end + speech.CUT_MARGIN - 1e-9
    assert across, "no line runs across a transition"
    quiet = [
        g
        for g in gaps
        if all(
            e <= g.start - speech.PAUSE_MARGIN or s >= g.end + speech.PAUSE_MARGIN
            for s, e, _ in spans
        )
    ]
    assert quiet, "no transition falls in a pause"


def test_script_fits_every_vendor_encoding() -> None:
    for line in range(len(script.LINES)):
        script.text(line, "zh-Hans").encode("gb18030")
        script.text(line, "ko").encode("euc-kr")
        script.text(line, "ar").encode("cp1256")
        for lang in script.LANGUAGES:
            assert script.text(line, lang).strip()
    assert len({script.text(i, "th") for i in range(len(script.LINES))}) == len(script.LINES)


def test_orientation_orders_the_sides() -> None:
    assert orient((180, 320), False) == (180, 320)
    assert orient((180, 320), True) == (320, 180)
    assert orient((1920, 1080), False) == (1080, 1920)


def test_tone_bursts_stand_in_for_espeak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speech.shutil, "which", lambda _name: None)
    clips, engine = speech.synthesize(["Where were you last night?", "Open the door."], seed=1)
    assert engine == "tones"
    assert clips[0].size > clips[1].size > speech.SAMPLE_RATE // 2
    for clip in clips:
        assert abs(clip[0]) > 0.01 and abs(clip[-1]) > 0.01  # trimmed to its sound
        assert 0.05 < float((clip**2).mean()) ** 0.5 < 0.5
