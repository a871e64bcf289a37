"""The classical text detector on drawn frames (no media): strokes, stability, lines."""

from __future__ import annotations

import cv2
import numpy as np

from vidpack.hardsubs.detect import DetectSettings, boxes, stable, strokes, widen

S = DetectSettings()


def _frame(seed: int) -> np.ndarray:
    """A 360x640 frame of smooth random picture (no text), different per seed."""
    rng = np.random.default_rng(seed)
    small = rng.integers(40, 200, (20, 12), dtype=np.uint8)
    return cv2.resize(small, (360, 640), interpolation=cv2.INTER_CUBIC)


def _burn(frame: np.ndarray, text: str, org: tuple[int, int]) -> np.ndarray:
    out = frame.copy()
    for colour, thick in ((0, 5), (255, 2)):  # black outline, then the white glyphs
        cv2.putText(out, text, org, cv2.FONT_HERSHEY_SIMPLEX, 0.8, colour, thick, cv2.LINE_AA)
    return out


def test_outlined_text_gives_strokes_and_a_bright_area_does_not() -> None:
    frame = _frame(0)
    cv2.rectangle(frame, (20, 100), (200, 220), 250, -1)  # a bright patch, no strokes inside
    mask = strokes(_burn(frame, "WHERE WERE YOU", (60, 560)), S)
    assert np.count_nonzero(mask[530:575, 50:310]) > 300
    assert np.count_nonzero(mask[110:210, 30:190]) == 0


def test_text_still_on_two_samples_is_one_line_and_moving_picture_is_dropped() -> None:
    a = _burn(_frame(1), "WE WAITED  THREE YEARS", (30, 560))  # a double space inside the line
    b = _burn(_frame(2), "WE WAITED  THREE YEARS", (30, 560))
    ma, mb = strokes(a, S), strokes(b, S)
    found = boxes(stable(ma, [widen(mb)]), 1.0, S)
    assert len(found) == 1
    x, y, w, h = found[0].box
    # The whole drawn line (cv2.getTextSize: 327x18 from x=30, baseline 560), one box.
    assert 28 <= x <= 36 and 350 <= x + w <= 358 and 538 <= y <= 544 and 560 <= y + h <= 566
    assert found[0].sig.shape == (8, 48) and found[0].sig.any()
    # The same text moved between the samples is not stable: nothing is found.
    moved = strokes(_burn(_frame(2), "WE WAITED  THREE YEARS", (30, 600)), S)
    assert boxes(stable(ma, [widen(moved)]), 1.0, S) == []
