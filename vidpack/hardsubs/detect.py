"""The classical burned-in text detector: text boxes on one sampled gray frame.

Burned subtitles, titles and filing numbers are bright strokes (white, yellow) edged by dark
(a black outline, a shadow or a dark box) that stay *pixel-still* while the picture moves. A
pixel is a stroke pixel when it is bright and has a much darker pixel within two pixels; a stroke
pixel counts only where the neighbouring sample (before or after, a quarter second away) has a
stroke pixel too, which removes almost all of the picture's own highlights. The stable strokes
are summed over 4x4 blocks, the blocks joined along the line, and each connected group of
blocks whose shape is a line of text becomes a box. The measurements that chose this detector
over an OCR network are in bench/RESULTS.md (``bench_hardsubs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vidpack.hardsubs.model import Box, Observation

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Gray = npt.NDArray[np.uint8]

SIG_SIZE = (48, 8)  # (width, height) of an observation's stroke picture


@dataclass(frozen=True, slots=True)
class DetectSettings:
    """Thresholds of the detector (detector pixels, 8-bit luma).

    Attributes:
        bright: least luma of a stroke pixel.
        contrast: least drop from a stroke pixel to the darkest pixel within two pixels.
        block: side of the blocks stroke pixels are summed over.
        min_block_strokes: stable stroke pixels that make a block part of a text line.
        min_height, max_height: height of a text line, as fractions of the frame height.
        min_strokes: least stable stroke pixels in one box.
    """

    bright: int = 165
    contrast: int = 90
    block: int = 4
    min_block_strokes: int = 2
    min_height: float = 0.012
    max_height: float = 0.12
    min_strokes: int = 40


def strokes(gray: Gray, settings: DetectSettings) -> Gray:
    """255 where a pixel is a stroke pixel (bright with a much darker pixel near), else 0."""
    import cv2
    import numpy as np

    kernel = np.ones((5, 5), np.uint8)
    # White top-hat: what an opening removes, i.e. bright structures thinner than the kernel
    # standing above a darker surround (strokes in an outline), not the edges of bright areas.
    thin = cv2.subtract(gray, cv2.dilate(cv2.erode(gray, kernel), kernel))
    _, bright = cv2.threshold(gray, settings.bright - 1, 255, cv2.THRESH_BINARY)
    _, edged = cv2.threshold(thin, settings.contrast - 1, 255, cv2.THRESH_BINARY)
    return np.asarray(cv2.bitwise_and(bright, edged), np.uint8)


def widen(mask: Gray) -> Gray:
    """``mask`` grown by one pixel (what "a neighbour has it too" is checked against)."""
    import cv2
    import numpy as np

    return np.asarray(cv2.dilate(mask, np.ones((3, 3), np.uint8)), np.uint8)


def stable(current: Gray, neighbours: list[Gray]) -> Gray:
    """Stroke pixels of ``current`` that a neighbouring sample also has: ``neighbours`` are the
    other samples' stroke masks already passed through :func:`widen`."""
    import cv2
    import numpy as np

    if not neighbours:
        return current
    near = neighbours[0]
    for other in neighbours[1:]:
        near = np.asarray(cv2.bitwise_or(near, other), np.uint8)
    return np.asarray(cv2.bitwise_and(current, near), np.uint8)


def boxes(mask: Gray, time: float, settings: DetectSettings) -> list[Observation]:
    """The text lines of a stable stroke mask, as observations at ``time``."""
    import cv2
    import numpy as np

    h, w = mask.shape
    b = settings.block
    bw, bh = w // b, h // b
    counts = cv2.resize(mask[: bh * b, : bw * b], (bw, bh), interpolation=cv2.INTER_AREA)
    # INTER_AREA averages: a block of n stroke pixels out of b*b has value 255 * n / (b*b).
    level = 255 * settings.min_block_strokes / (b * b) - 1
    _, on = cv2.threshold(counts, level, 255, cv2.THRESH_BINARY)
    # Join glyphs and words along the line (up to 3 blocks apart), not across lines.
    joined = cv2.morphologyEx(on, cv2.MORPH_CLOSE, np.ones((1, 4), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    pieces: list[list[int]] = []
    for i in range(1, n):
        x, y, cw, ch, _ = (int(v) for v in stats[i])
        x0, y0, x1, y1 = x * b, y * b, (x + cw) * b, (y + ch) * b
        crop = mask[y0:y1, x0:x1]
        rows = np.flatnonzero(crop.any(axis=1))
        cols = np.flatnonzero(crop.any(axis=0))
        if len(rows):
            pieces.append([x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1,
                           y0 + int(rows[-1]) + 1])  # fmt: skip
    found: list[Observation] = []
    lo_h, hi_h = settings.min_height * h, settings.max_height * h
    for x0, y0, x1, y1 in _lines(pieces):
        height, width = y1 - y0, x1 - x0
        count = int(np.count_nonzero(mask[y0:y1, x0:x1]))
        if not (lo_h <= height <= hi_h) or width < 1.5 * height or count < settings.min_strokes:
            continue
        density = count / (width * height)
        if density < 0.04:
            continue
        sig = cv2.resize(mask[y0:y1, x0:x1], SIG_SIZE, interpolation=cv2.INTER_AREA) > 40
        score = min(1.0, density / 0.12)
        found.append(Observation(time, (x0, y0, width, height), score, sig))
    return found


def _lines(pieces: list[list[int]]) -> list[list[int]]:
    """Pieces ``[x0, y0, x1, y1]`` of one line joined: they share most of their height and the
    gap between them is under one and a half line heights (a full-width comma, a word space)."""
    pieces = sorted(pieces)
    merged = True
    while merged:
        merged = False
        out: list[list[int]] = []
        for p in pieces:
            for q in out:
                overlap = min(p[3], q[3]) - max(p[1], q[1])
                tall = max(p[3] - p[1], q[3] - q[1])
                gap = max(p[0], q[0]) - min(p[2], q[2])
                if overlap >= 0.5 * min(p[3] - p[1], q[3] - q[1]) and gap <= 1.5 * tall:
                    q[:] = [min(p[0], q[0]), min(p[1], q[1]), max(p[2], q[2]), max(p[3], q[3])]
                    merged = True
                    break
            else:
                out.append(list(p))
        pieces = out
    return pieces


def box_change(frames: list[tuple[float, Gray]], box: Box) -> list[float]:
    """For frames ``A, f1, ..., fn, B``: per inner frame, its distance to B minus its distance
    to A inside ``box`` (negative: it already looks like B)."""
    import numpy as np

    x, y, w, h = box
    first = frames[0][1][y : y + h, x : x + w].astype(np.int16)
    last = frames[-1][1][y : y + h, x : x + w].astype(np.int16)
    out = []
    for _, f in frames[1:-1]:
        crop = f[y : y + h, x : x + w].astype(np.int16)
        out.append(float(np.abs(crop - last).mean() - np.abs(crop - first).mean()))
    return out
