"""A timeline picture of a plan for a quick look: shots, dialogue, loudness and episodes.

Lanes from top to bottom: shots (alternating shades, a tick per transition, its height the
score, its colour the kind), dialogue (speech intervals), loudness, episodes (numbered blocks
with their start timecode). Episode boundaries are vertical lines through every lane: red on a
clean cut, magenta where the boundary is a compromise (inside dialogue or off a shot
transition). Under the time axis (timecodes ``HH:MM:SS:FF`` at the master's frame rate, see
:mod:`vidpack.media.timecode`) a legend names every mark in its colour.

The shapes are drawn with OpenCV; the text by libass in the subtitle fonts
(:mod:`vidpack.subtitles.overlay`), so a master named in Chinese, Arabic or Thai is named as
itself.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vidpack.errors import VidpackError
from vidpack.media.atomic import atomic_output
from vidpack.media.timecode import frame_timecode, nominal_rate, rate_label, timecode
from vidpack.plan.model import NON_CUT_KINDS, EpisodePlan
from vidpack.subtitles.overlay import Label, default_fonts, draw_labels, fit_text, text_width

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from vidpack.analyze.model import Analysis
    from vidpack.presets.model import Fonts

WIDTH = 1600
_MARGIN = 60
_BG = (24, 24, 24)  # BGR
_TEXT = (230, 230, 230)
_DIM = (170, 170, 170)
KIND_COLOUR = {"cut": (255, 255, 255), "dissolve": (255, 200, 0), "fade": (0, 220, 255)}
_SHADES = ((100, 100, 100), (70, 70, 70))
SPEECH_COLOUR = (0, 170, 255)
LOUDNESS_COLOUR = (120, 220, 120)
EPISODE_COLOURS = ((160, 110, 40), (60, 140, 60))
CLEAN = (40, 40, 230)
COMPROMISE = (220, 60, 220)
_AXIS_COLOUR = (150, 150, 150)

# (top, bottom) of each lane in pixels.
_SHOTS = (44, 124)
_SPEECH = (140, 170)
_LOUD = (186, 246)
_EPISODES = (262, 312)
_AXIS = 322  # the axis line; tick labels hang below it
LEGEND = (354, 372)  # the legend row's swatches
HEIGHT = 384
_SIZE = 17  # label font size (libass pixels)
_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)  # seconds between ticks


@dataclass(frozen=True, slots=True)
class LegendItem:
    """One legend entry: its name, how its swatch is drawn (``tick``, ``block``, ``blocks``,
    ``line``, ``boundary`` or ``none``) in which colour(s), and where swatch and name start."""

    name: str
    swatch: str
    colours: tuple[tuple[int, int, int], ...]
    x: int
    text_x: int


def legend(fonts: Fonts) -> list[LegendItem]:
    """The legend entries laid out left to right on the legend row."""
    entries = (
        *((kind, "tick", (colour,)) for kind, colour in KIND_COLOUR.items()),
        ("shots", "blocks", _SHADES),
        ("speech", "block", (SPEECH_COLOUR,)),
        ("loudness, -60 to 0 LUFS", "line", (LOUDNESS_COLOUR,)),
        ("episodes", "blocks", EPISODE_COLOURS),
        ("clean boundary", "boundary", (CLEAN,)),
        ("compromise: in dialogue or off a cut", "boundary", (COMPROMISE,)),
        ("tick height: the detector's score", "none", ()),
    )
    items, x = [], _MARGIN
    for name, swatch, colours in entries:
        text_x = x + {"blocks": 26, "none": 0}.get(swatch, 16)
        items.append(LegendItem(name, swatch, colours, x, text_x))
        x = text_x + round(text_width(name, _SIZE, fonts)) + 26
    return items


def _draw_swatch(img: npt.NDArray[np.uint8], item: LegendItem) -> None:
    import cv2

    top, bottom = LEGEND
    if not item.colours:
        return
    x, colour = item.x, item.colours[0]
    if item.swatch == "tick":
        cv2.line(img, (x + 5, bottom), (x + 5, top), colour, 2)
    elif item.swatch == "boundary":
        cv2.line(img, (x + 5, bottom + 2), (x + 5, top - 2), colour, 2)
    elif item.swatch == "line":
        cv2.line(img, (x, bottom - 3), (x + 11, top + 3), colour, 1)
    else:
        for k, c in enumerate(item.colours):
            cv2.rectangle(img, (x + 10 * k, top), (x + 10 * k + 9, bottom), c, -1)


def timeline_layers(
    plan: EpisodePlan, analysis: Analysis, fonts: Fonts
) -> tuple[npt.NDArray[np.uint8], list[Label]]:
    """The timeline's shapes as a BGR image (``HEIGHT`` x ``WIDTH``) and the labels that go on
    it (drawn by :func:`render_timeline`)."""
    import cv2
    import numpy as np

    img = np.full((HEIGHT, WIDTH, 3), _BG, dtype=np.uint8)
    labels: list[Label] = []
    duration = max(plan.master.duration, 1e-6)
    fps = plan.master.fps
    span = WIDTH - 2 * _MARGIN

    def x(t: float) -> int:
        return _MARGIN + round(min(max(t, 0.0), duration) / duration * span)

    stats = (
        f"{timecode(duration, fps)} at {rate_label(fps)} fps  ·  {len(plan.episodes)} episodes"
        f"  ·  {len(analysis.transitions)} transitions  ·  {len(plan.warnings)} warnings"
    )
    room = span - text_width(stats, _SIZE, fonts) - 30
    labels.append(Label(stats, WIDTH - _MARGIN, 10, _SIZE, _DIM, "top-right"))
    name = fit_text(Path(plan.master.path).name, _SIZE + 5, room, fonts)
    labels.append(Label(name, _MARGIN, 6, _SIZE + 5, _TEXT, bold=True))
    for lane, (top, bottom) in (
        ("shots", _SHOTS),
        ("speech", _SPEECH),
        ("loud", _LOUD),
        ("eps", _EPISODES),
    ):
        labels.append(Label(lane, 6, (top + bottom) // 2, _SIZE - 2, _TEXT, "left"))

    # Shots: alternating shades between transitions, then a tick per transition.
    edges = [0.0, *sorted(t.time for t in analysis.transitions), duration]
    for k, (a, b) in enumerate(itertools.pairwise(edges)):
        cv2.rectangle(img, (x(a), _SHOTS[0]), (x(b), _SHOTS[1]), _SHADES[k % 2], -1)
    for tr in analysis.transitions:
        height = int((_SHOTS[1] - _SHOTS[0]) * min(max(tr.score, 0.15), 1.0))
        colour = KIND_COLOUR.get(tr.kind, _TEXT)
        cv2.line(img, (x(tr.time), _SHOTS[1]), (x(tr.time), _SHOTS[1] - height), colour, 1)

    for iv in analysis.speech:
        end = max(x(iv.end), x(iv.start) + 1)
        cv2.rectangle(img, (x(iv.start), _SPEECH[0]), (end, _SPEECH[1]), SPEECH_COLOUR, -1)

    if analysis.loudness:
        values = np.clip(np.asarray(analysis.loudness, dtype=np.float64), -60.0, 0.0)
        times = np.arange(len(values)) * analysis.loudness_step
        ys = _LOUD[1] - (values + 60.0) / 60.0 * (_LOUD[1] - _LOUD[0])
        xs = _MARGIN + np.clip(times / duration, 0, 1) * span
        pts = np.stack([xs, ys], axis=1).round().astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(img, [pts], False, LOUDNESS_COLOUR, 1, cv2.LINE_AA)
    else:
        middle = (_LOUD[0] + _LOUD[1]) // 2
        labels.append(Label("no loudness data", _MARGIN + 4, middle, _SIZE - 2, _DIM, "left"))

    for ep in plan.episodes:
        left, right = x(ep.start), x(ep.end)
        colour = EPISODE_COLOURS[ep.index % 2]
        cv2.rectangle(img, (left, _EPISODES[0]), (right, _EPISODES[1]), colour, -1)
        lines = (f"{ep.index}  {ep.duration:.1f} s", timecode(ep.start, fps))
        for row, text in enumerate(lines):
            if row == 0 and text_width(text, _SIZE, fonts) > right - left - 10:
                text = str(ep.index)
            if text_width(text, _SIZE, fonts) <= right - left - 10:
                labels.append(Label(text, left + 6, _EPISODES[0] + 3 + 23 * row, _SIZE, _TEXT))
    for ep in plan.episodes[1:]:
        bad = ep.in_dialogue or ep.cut_kind in NON_CUT_KINDS
        upper, lower = (x(ep.start), _SHOTS[0] - 4), (x(ep.start), _EPISODES[1] + 4)
        cv2.line(img, upper, lower, COMPROMISE if bad else CLEAN, 2)

    # Time axis: about ten ticks at whole seconds of timecode (frame k * step * nominal rate).
    nominal = nominal_rate(fps)
    rate = fps if fps > 0 else float(nominal)
    step = next((s for s in _STEPS if duration / s <= 12), 7200)
    cv2.line(img, (_MARGIN, _AXIS), (WIDTH - _MARGIN, _AXIS), _AXIS_COLOUR, 1)
    for frames in itertools.count(0, step * nominal):
        if frames / rate > duration + 1e-9:
            break
        tick = x(frames / rate)
        cv2.line(img, (tick, _AXIS - 4), (tick, _AXIS + 4), _AXIS_COLOUR, 1)
        labels.append(Label(frame_timecode(frames, nominal), tick, _AXIS + 7, _SIZE - 2,
                            _TEXT, "top-centre"))  # fmt: skip

    for item in legend(fonts):
        _draw_swatch(img, item)
        labels.append(Label(item.name, item.text_x, sum(LEGEND) // 2, _SIZE - 1, _TEXT, "left"))
    return img, labels


def render_timeline(
    plan: EpisodePlan, analysis: Analysis, fonts: Fonts | None = None
) -> npt.NDArray[np.uint8]:
    """The timeline picture as a BGR image (``HEIGHT`` x ``WIDTH``), its text in ``fonts``
    (default: the default preset's subtitle fonts)."""
    fonts = fonts if fonts is not None else default_fonts()
    img, labels = timeline_layers(plan, analysis, fonts)
    return draw_labels(img, labels, fonts)


def write_png(
    plan: EpisodePlan,
    analysis: Analysis,
    path: str | os.PathLike[str],
    fonts: Fonts | None = None,
) -> None:
    """Draw the plan's timeline picture into a PNG file, atomically."""
    import cv2

    img = render_timeline(plan, analysis, fonts)
    with atomic_output(Path(path)) as tmp:
        if not cv2.imwrite(str(tmp), img):
            raise VidpackError(f"cannot write PNG {str(path)!r}: OpenCV failed to encode it")
