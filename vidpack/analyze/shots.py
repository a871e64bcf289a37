"""Per-shot statistics (:class:`~vidpack.analyze.model.ShotStats`) and face counting.

Shot statistics are aggregated from the per-frame measurements the analysis pass already made
(luma, spread, colourfulness, sharpness, frame-to-frame change), so they cost nothing extra.
Faces are counted with OpenCV's bundled Haar cascade on gray frames sampled at a fixed interval
by the same decode; a shot's count is the most faces seen on any of its samples.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from vidpack.analyze.model import ShotStats

if TYPE_CHECKING:
    from vidpack.analyze.features import FrameFeatures

log = logging.getLogger("vidpack.analyze")

CASCADE = "haarcascade_frontalface_default.xml"
BLACK_LUMA = 0.1
FROZEN_CHANGE = 0.002  # frame-to-frame change below this is "not moving"
NEW_PICTURE = 15.0  # mean change (0-255) of a 16x16 thumbnail that calls for a new face count


def face_cascade() -> Any | None:
    """OpenCV's frontal-face Haar cascade, or None when this OpenCV build has none."""
    import cv2

    make = getattr(cv2, "CascadeClassifier", None)
    folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if make is None or not folder or not os.path.exists(os.path.join(folder, CASCADE)):
        return None
    cascade = make(os.path.join(folder, CASCADE))
    return None if cascade.empty() else cascade


class FaceCounter:
    """Counts faces on sampled gray frames as they arrive.

    The cascade runs only on samples that differ from the last one it ran on (a new shot, or
    movement) or after ``recheck`` seconds; other samples inherit the last count. So the cost
    follows the number of shots, not the length of the master.
    """

    def __init__(self, cascade: Any, width: int, height: int, recheck: float = 10.0) -> None:
        self._cascade = cascade
        self.width, self.height = width, height
        self.recheck = recheck
        self.samples: list[tuple[float, int]] = []
        self.runs = 0
        self._min = max(20, min(width, height) // 8)
        self._last_sig: Any = None
        self._last_time = -1e9
        self._last_count = 0

    def add(self, time: float, gray: bytes | memoryview) -> None:
        """Count faces on one sampled frame shown at ``time``."""
        import cv2
        import numpy as np

        img = np.frombuffer(gray, dtype=np.uint8).reshape(self.height, self.width)
        sig = cv2.resize(img, (16, 16), interpolation=cv2.INTER_AREA)
        changed = (
            self._last_sig is None
            or time - self._last_time >= self.recheck
            or cv2.norm(sig, self._last_sig, cv2.NORM_L1) / sig.size > NEW_PICTURE
        )
        if changed:
            found = self._cascade.detectMultiScale(
                img, scaleFactor=1.25, minNeighbors=4, minSize=(self._min, self._min)
            )
            self.runs += 1
            self._last_sig, self._last_time, self._last_count = sig, time, len(found)
        self.samples.append((time, self._last_count))


def _nanmean(values: Any) -> float:
    import numpy as np

    finite = values[np.isfinite(values)]
    return round(float(finite.mean()), 3) if finite.size else 0.0


def shot_stats(
    bounds: Sequence[float],
    f: FrameFeatures,
    faces: Sequence[tuple[float, int]],
    loudness: Sequence[float],
    loudness_step: float,
) -> tuple[ShotStats, ...]:
    """Statistics of each shot ``[bounds[k], bounds[k + 1])``.

    Args:
        bounds: shot boundaries in seconds: 0, every transition time, the duration.
        f: per-frame measurements of the analysis pass.
        faces: (time, count) face samples.
        loudness: momentary loudness every ``loudness_step`` seconds (may be empty).
        loudness_step: seconds between loudness values.
    """
    import numpy as np

    out: list[ShotStats] = []
    times = f.times
    d1 = f.diff[:, 0] if f.count else np.zeros(0)
    loud = np.asarray(loudness, dtype=np.float64)
    for start, end in itertools.pairwise(bounds):
        sel = (times >= start - 1e-6) & (times < end - 1e-6)
        idx = np.flatnonzero(sel)
        if idx.size == 0:  # a shot shorter than the frame spacing: take the nearest frame
            idx = np.asarray([int(np.argmin(np.abs(times - start)))]) if f.count else idx
        if idx.size == 0:
            out.append(ShotStats(start=round(start, 6), end=round(end, 6)))
            continue
        moving = d1[idx[1:]] if idx.size > 1 else np.zeros(1)
        black = bool(np.mean(f.luma[idx] <= BLACK_LUMA) >= 0.9)
        frozen = bool(idx.size > 1 and np.percentile(moving, 95) < FROZEN_CHANGE)
        counts = [c for t, c in faces if start - 1e-6 <= t < end - 1e-6]
        value: float | None = None
        if loud.size:
            a = max(0, math.ceil(start / loudness_step))
            b = min(loud.size, max(a + 1, math.ceil(end / loudness_step)))
            part = loud[a:b]
            if part.size:
                energy = float(np.mean(10.0 ** (part / 10.0)))
                value = round(10.0 * math.log10(energy), 2) if energy > 0 else None
        out.append(
            ShotStats(
                start=round(start, 6),
                end=round(end, 6),
                sharpness=_nanmean(f.sharpness[idx]),
                exposure=round(float(f.luma[idx].mean()), 4),
                contrast=round(float(f.spread[idx].mean()), 4),
                colorfulness=round(float(f.chroma[idx].mean()), 4),
                motion=round(float(moving.mean()), 5),
                faces=max(counts, default=0),
                black=black,
                frozen=frozen,
                loudness=value,
            )
        )
    return tuple(out)
