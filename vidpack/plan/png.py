"""A timeline picture of a plan for a quick look: shots, dialogue, loudness and episodes.

Lanes from top to bottom: shots (alternating shades, a tick per transition, its height the
score, its colour the kind), dialogue (speech intervals), loudness, episodes (numbered blocks).
Episode boundaries are vertical lines through every lane: red on a clean cut, magenta where the
boundary is a compromise (inside dialogue or off a shot transition).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING

from vidpack.errors import VidpackError
from vidpack.media.atomic import atomic_output
from vidpack.plan.model import NON_CUT_KINDS, EpisodePlan, fmt_time

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from vidpack.analyze.model import Analysis

WIDTH = 1600
_MARGIN = 60
_BG = (24, 24, 24)  # BGR
_TEXT = (230, 230, 230)
_KIND_COLOUR = {"cut": (255, 255, 255), "dissolve": (255, 200, 0), "fade": (0, 220, 255)}
_EPISODE_COLOURS = ((160, 110, 40), (60, 140, 60))
_CLEAN = (40, 40, 230)
_COMPROMISE = (220, 60, 220)

# (top, bottom) of each lane in pixels.
_SHOTS = (44, 124)
_SPEECH = (140, 170)
_LOUD = (186, 246)
_EPISODES = (262, 312)
_AXIS = 330
HEIGHT = 356


def render_timeline(plan: EpisodePlan, analysis: Analysis) -> npt.NDArray[np.uint8]:
    """The timeline picture as a BGR image (``HEIGHT`` x ``WIDTH``)."""
    import cv2
    import numpy as np

    img = np.full((HEIGHT, WIDTH, 3), _BG, dtype=np.uint8)
    duration = max(plan.master.duration, 1e-6)
    span = WIDTH - 2 * _MARGIN

    def x(t: float) -> int:
        return _MARGIN + round(min(max(t, 0.0), duration) / duration * span)

    def text(
        s: str, at: tuple[int, int], scale: float = 0.45, colour: tuple[int, ...] = _TEXT
    ) -> None:
        cv2.putText(img, s, at, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, 1, cv2.LINE_AA)

    title = (
        f"{Path(plan.master.path).name}  {fmt_time(duration)}  {len(plan.episodes)} episodes  "
        f"{len(analysis.transitions)} transitions  {len(plan.warnings)} warnings"
    )
    text(title, (_MARGIN, 26), 0.55)
    for label, (top, bottom) in (
        ("shots", _SHOTS),
        ("speech", _SPEECH),
        ("loud", _LOUD),
        ("eps", _EPISODES),
    ):
        text(label, (6, (top + bottom) // 2 + 5), 0.4)

    # Shots: alternating shades between transitions, then a tick per transition.
    edges = [0.0, *sorted(t.time for t in analysis.transitions), duration]
    for k, (a, b) in enumerate(itertools.pairwise(edges)):
        shade = 70 if k % 2 else 100
        cv2.rectangle(img, (x(a), _SHOTS[0]), (x(b), _SHOTS[1]), (shade, shade, shade), -1)
    for tr in analysis.transitions:
        height = int((_SHOTS[1] - _SHOTS[0]) * min(max(tr.score, 0.15), 1.0))
        colour = _KIND_COLOUR.get(tr.kind, _TEXT)
        cv2.line(img, (x(tr.time), _SHOTS[1]), (x(tr.time), _SHOTS[1] - height), colour, 1)

    for iv in analysis.speech:
        cv2.rectangle(
            img,
            (x(iv.start), _SPEECH[0]),
            (max(x(iv.end), x(iv.start) + 1), _SPEECH[1]),
            (0, 170, 255),
            -1,
        )

    if analysis.loudness:
        values = np.clip(np.asarray(analysis.loudness, dtype=np.float64), -60.0, 0.0)
        times = np.arange(len(values)) * analysis.loudness_step
        ys = _LOUD[1] - (values + 60.0) / 60.0 * (_LOUD[1] - _LOUD[0])
        xs = _MARGIN + np.clip(times / duration, 0, 1) * span
        pts = np.stack([xs, ys], axis=1).round().astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(img, [pts], False, (120, 220, 120), 1, cv2.LINE_AA)
    else:
        text("no loudness data", (_MARGIN + 4, (_LOUD[0] + _LOUD[1]) // 2 + 5), 0.4)

    for ep in plan.episodes:
        colour = _EPISODE_COLOURS[ep.index % 2]
        cv2.rectangle(img, (x(ep.start), _EPISODES[0]), (x(ep.end), _EPISODES[1]), colour, -1)
        label = f"{ep.index}  {ep.duration:.0f}s"
        if x(ep.end) - x(ep.start) < 11 * len(label):
            label = str(ep.index)
        if x(ep.end) - x(ep.start) > 11 * len(label):
            text(label, (x(ep.start) + 4, _EPISODES[1] - 16), 0.5)
    for ep in plan.episodes[1:]:
        bad = ep.in_dialogue or ep.cut_kind in NON_CUT_KINDS
        cv2.line(
            img,
            (x(ep.start), _SHOTS[0] - 4),
            (x(ep.start), _EPISODES[1] + 4),
            _COMPROMISE if bad else _CLEAN,
            2,
        )

    # Time axis: about ten ticks at a round step.
    step = next(
        (
            s
            for s in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)
            if duration / s <= 12
        ),
        7200,
    )
    cv2.line(img, (_MARGIN, _AXIS - 8), (WIDTH - _MARGIN, _AXIS - 8), (150, 150, 150), 1)
    t = 0.0
    while t <= duration + 1e-9:
        cv2.line(img, (x(t), _AXIS - 12), (x(t), _AXIS - 4), (150, 150, 150), 1)
        text(fmt_time(t)[:-2] if step >= 1 else fmt_time(t), (x(t) - 18, _AXIS + 12), 0.38)
        t += step
    return img


def write_png(plan: EpisodePlan, analysis: Analysis, path: str | os.PathLike[str]) -> None:
    """Draw the plan's timeline picture into a PNG file, atomically."""
    import cv2

    img = render_timeline(plan, analysis)
    with atomic_output(Path(path)) as tmp:
        if not cv2.imwrite(str(tmp), img):
            raise VidpackError(f"cannot write PNG {str(path)!r}: OpenCV failed to encode it")
