"""Tracking, timing and dialogue-or-static classification of burned-in text (no media)."""

from __future__ import annotations

import numpy as np
import pytest

from vidpack.hardsubs.group import (
    GroupSettings,
    changed,
    classify,
    iou,
    likeness,
    to_master,
    track,
    union_box,
)
from vidpack.hardsubs.model import Box, Observation, Region

SIZE = (360, 640)
STEP = 0.25


def _sig(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((8, 48)) > 0.6


def _samples(
    items: list[tuple[Box, float, float, int]], end: float = 10.0
) -> list[tuple[float, list[Observation]]]:
    """Samples every STEP seconds; an item (box, start, end, sig seed) shows on start <= t < end."""
    out = []
    for i in range(int(end / STEP) + 1):
        t = i * STEP
        found = [Observation(t, box, 0.9, _sig(seed)) for box, a, b, seed in items if a <= t < b]
        out.append((t, found))
    return out


LINE = (100, 540, 160, 24)
TITLE = (60, 80, 240, 30)
FILING = (10, 130, 140, 14)
LOGO = (280, 600, 70, 20)  # bottom band, not centred: a corner logo


def test_dialogue_band_static_text_and_noise() -> None:
    items = [
        (LINE, 1.0, 3.0, 1),
        ((110, 540, 140, 24), 3.5, 5.0, 2),
        ((90, 540, 180, 24), 5.0, 7.0, 3),  # follows the previous line without a gap
        (TITLE, 0.0, 5.0, 4),
        (FILING, 0.0, 5.0, 5),
        (LOGO, 0.0, 11.0, 6),
        ((20, 300, 60, 15), 4.0, 4.1, 7),  # seen on one sample only: noise
    ]
    settings = GroupSettings()
    tracks = track(_samples(items), settings, duration=10.0)
    assert len(tracks) == 6
    dialogue, static = classify(tracks, SIZE, settings)
    assert len(dialogue) == 1
    d = dialogue[0]
    assert d.kind == "dialogue"
    # Each edge halfway between the last sample without the line and the first with it
    # (sample times are exact binary fractions, and so are the midpoints).
    assert d.ranges == ((0.875, 2.875), (3.375, 4.875), (4.875, 6.875))
    pad = round(0.35 * 24)
    assert d.box == (90 - pad, 540 - pad, 180 + 2 * pad, 24 + 2 * pad)
    assert [r.kind for r in static] == ["static"] * 3
    boxes = {r.box[:2]: r for r in static}
    assert set(boxes) == {
        (TITLE[0] - 10, TITLE[1] - 10),
        (FILING[0] - 5, FILING[1] - 5),
        (LOGO[0] - 7, LOGO[1] - 7),
    }
    assert boxes[(FILING[0] - 5, FILING[1] - 5)].ranges == ((0.0, 4.875),)
    assert boxes[(LOGO[0] - 7, LOGO[1] - 7)].ranges == ((0.0, 10.0),)


def test_unchanging_bottom_text_is_static() -> None:
    # Centred in the band, but one text the whole time: a caption or watermark, not dialogue.
    settings = GroupSettings()
    tracks = track(_samples([(LINE, 2.0, 9.0, 1)]), settings, duration=10.0)
    dialogue, static = classify(tracks, SIZE, settings)
    assert dialogue == []
    assert len(static) == 1 and static[0].ranges == ((1.875, 8.875),)


def test_text_staying_longer_than_a_line_is_static() -> None:
    settings = GroupSettings(max_line=3.0)
    items = [(LINE, 0.5, 2.0, 1), (LINE, 2.5, 4.0, 2), ((40, 560, 280, 24), 4.5, 9.5, 3)]
    dialogue, static = classify(track(_samples(items), settings, 10.0), SIZE, settings)
    assert len(dialogue) == 1 and len(dialogue[0].ranges) == 2
    assert len(static) == 1 and static[0].ranges == ((4.375, 9.375),)


def test_text_high_in_the_picture_is_never_dialogue() -> None:
    settings = GroupSettings()
    items = [((100, 200, 160, 24), 0.5, 2.0, 1), ((100, 200, 160, 24), 2.5, 4.0, 2)]
    dialogue, static = classify(track(_samples(items), settings, 10.0), SIZE, settings)
    assert dialogue == [] and len(static) == 1


def test_one_missed_sample_does_not_split_a_track() -> None:
    samples = _samples([(LINE, 1.0, 4.0, 1)])
    samples[8] = (samples[8][0], [])  # t = 2.0: the detector missed it once
    tracks = track(samples, GroupSettings(), 10.0)
    assert len(tracks) == 1 and tracks[0].count == 11


def test_dense_lines_one_after_another_are_two_tracks() -> None:
    """Two different lines of dense script at one place, one missed sample between them: their
    stroke pictures overlap by about half (as Chinese lines do), which is not the same text; the
    same line with a tenth of its strokes flickering stays one track."""
    rng = np.random.default_rng(5)
    first, second = rng.random((8, 48)) > 0.3, rng.random((8, 48)) > 0.3
    assert 0.45 < likeness(first, second) < 0.6
    flicker = first ^ (rng.random((8, 48)) > 0.9)
    assert likeness(first, flicker) > 0.75
    samples = []
    for i in range(33):
        t = i * STEP
        sig = (first if i % 2 else flicker) if t < 3.0 else second
        samples.append((t, [] if 3.0 <= t < 3.25 or t >= 6.0 else [Observation(t, LINE, 0.9, sig)]))
    samples[0] = (0.0, [])
    tracks = track(samples, GroupSettings(), 8.0)
    assert [(t.first, t.last) for t in tracks] == [(0.25, 2.75), (3.25, 5.75)]
    dialogue, _ = classify(tracks, SIZE, GroupSettings())
    assert len(dialogue) == 1 and len(dialogue[0].ranges) == 2


def test_changed_and_likeness() -> None:
    s = GroupSettings()
    a = Observation(1.0, LINE, 0.9, _sig(1))
    same = Observation(1.25, (101, 540, 160, 24), 0.9, _sig(1))
    other = Observation(1.25, LINE, 0.9, _sig(2))
    assert not changed([a], [same], s)
    assert changed([a], [other], s)
    assert changed([a], [], s) and changed([], [a], s)
    assert likeness(_sig(1), _sig(1)) == 1.0
    assert likeness(_sig(1), _sig(2)) < 0.45


def test_box_helpers() -> None:
    assert iou((0, 0, 10, 10), (5, 0, 10, 10)) == pytest.approx(50 / 150)
    assert iou((0, 0, 10, 10), (20, 20, 5, 5)) == 0.0
    assert union_box([(0, 0, 10, 10), (5, 20, 10, 5)]) == (0, 0, 15, 25)
    r = Region("dialogue", (90, 530, 181, 31), ((1.0, 2.0),), 0.9)
    # Detector frame 360x640 to a 1080x1920 master: scaled, rounded out, one pixel of margin.
    assert to_master(r, (3.0, 3.0), (1080, 1920)).box == (269, 1589, 545, 95)
    whole = Region("static", (0, 0, 360, 640), ((0, 1),), 1)
    assert to_master(whole, (3, 3), (1080, 1920)).box == (0, 0, 1080, 1920)
