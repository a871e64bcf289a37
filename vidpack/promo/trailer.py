"""Trailer selection: which source ranges make a trailer, from the cached analysis alone.

Each usable shot (not black, not frozen, inside the allowed span) offers one clean range: away
from its transitions (half a second from dissolves and fades), at most a few seconds long, with
edges moved so no spoken line is cut in the middle, and never under :data:`MIN_RANGE_S`. Ranges
are scored by loudness, speech, motion and faces; the best are taken until the trailer is full,
put in story order (the best one moved first when the opening would be weak) and trimmed so the
cut lasts exactly the requested number of frames. The result is a :class:`TrailerPlan`, saved
as JSON beside the trailer so an editor can change it and render again.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vidpack.analyze.model import Analysis, Interval, ShotStats
from vidpack.errors import InputError, UsageError

MIN_RANGE_S = 1.0
GRADUAL_PAD_S = 0.5
CROSSFADE_S = 0.24
WEIGHTS = {"loudness": 0.3, "speech": 0.25, "motion": 0.2, "faces": 0.25}


@dataclass(frozen=True, slots=True)
class Range:
    """One source range [start, end) of the master, with its score and parts."""

    start: float
    end: float
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class TrailerPlan:
    """Everything the renderer needs: ranges in play order, frame counts, the end card."""

    master: str
    length: int
    fps: float
    ranges: tuple[Range, ...]
    frames: tuple[int, ...]  # output frames of each range (crossfades included)
    crossfade_frames: int
    card_frames: int  # 0: no end card
    title: str = ""
    call_to_action: str = ""

    @property
    def total_frames(self) -> int:
        joints = len(self.frames) - 1 + (1 if self.card_frames else 0)
        return sum(self.frames) + self.card_frames - joints * self.crossfade_frames

    def to_dict(self) -> dict[str, Any]:
        """The ranges file content."""
        return {
            "version": 1,
            "master": self.master,
            "length": self.length,
            "fps": self.fps,
            "crossfade_frames": self.crossfade_frames,
            "end_card": {
                "frames": self.card_frames,
                "title": self.title,
                "call_to_action": self.call_to_action,
            },
            "ranges": [
                {
                    "start": round(r.start, 4),
                    "end": round(r.end, 4),
                    "frames": n,
                    "score": round(r.score, 4),
                    "parts": {k: round(v, 4) for k, v in r.parts.items()},
                }
                for r, n in zip(self.ranges, self.frames, strict=True)
            ],
        }


def card_seconds(length: int) -> float:
    """End-card duration for a trailer of ``length`` seconds."""
    return 2.0 if length <= 15 else 3.0


def _mean_loudness(analysis: Analysis, start: float, end: float) -> float:
    step = analysis.loudness_step or 0.1
    values = analysis.loudness[int(start / step) : max(int(start / step) + 1, int(end / step))]
    kept = [v for v in values if v > -70]
    return statistics.fmean(kept) if kept else -70.0


def _speech_in(speech: tuple[Interval, ...], start: float, end: float) -> float:
    covered = sum(max(0.0, min(end, s.end) - max(start, s.start)) for s in speech)
    return covered / (end - start) if end > start else 0.0


def _clean_edges(
    speech: tuple[Interval, ...], lo: float, hi: float, start: float, end: float
) -> tuple[float, float]:
    """Move ``start``/``end`` (within [lo, hi]) off the middle of spoken lines."""
    for s in speech:
        if s.start < start < s.end:  # starts mid-line: back up to the line, or skip past it
            start = s.start if s.start >= lo else min(s.end, hi)
        if s.start < end < s.end:  # ends mid-line: run to its end, or stop before it
            end = s.end if s.end <= hi else max(s.start, lo)
    return start, end


def shot_range(
    analysis: Analysis, shot: ShotStats, span: tuple[float, float], max_s: float
) -> Range | None:
    """The clean range a shot offers (unscored), or None when under :data:`MIN_RANGE_S`."""
    frame = 1.0 / (analysis.fps or 25.0)
    lo, hi = max(shot.start, span[0]), min(shot.end, span[1])
    for tr in analysis.transitions:
        pad = GRADUAL_PAD_S if tr.kind != "cut" else frame
        if abs(tr.time - shot.start) < 2 * GRADUAL_PAD_S:
            lo = max(lo, tr.time + pad)
        if abs(tr.time - shot.end) < 2 * GRADUAL_PAD_S:
            hi = min(hi, tr.time - pad)
    if hi - lo < MIN_RANGE_S:
        return None
    # The window with the most speech that fits max_s, edges cleaned.
    starts = [lo] + [s.start for s in analysis.speech if lo < s.start < hi - MIN_RANGE_S]
    best: tuple[float, float, float] | None = None
    for st in starts:
        a, b = _clean_edges(analysis.speech, lo, hi, st, min(hi, st + max_s))
        if b - a < MIN_RANGE_S or b - a > max_s * 1.6:
            continue
        value = _speech_in(analysis.speech, a, b) * (b - a)
        if best is None or value > best[0] + 1e-6:
            best = (value, a, b)
    if best is None:
        a, b = lo, min(hi, lo + max_s)
        return Range(a, b) if b - a >= MIN_RANGE_S else None
    return Range(best[1], best[2])


def score_range(analysis: Analysis, shot: ShotStats, rng: Range, top_motion: float) -> Range:
    """``rng`` with its score: loudness (-50..-10 LUFS to 0..1), speech share, motion (relative
    to the busiest shot) and faces."""
    loud = (_mean_loudness(analysis, rng.start, rng.end) + 50.0) / 40.0
    parts = {
        "loudness": max(0.0, min(1.0, loud)),
        "speech": _speech_in(analysis.speech, rng.start, rng.end),
        "motion": min(1.0, shot.motion / top_motion) if top_motion > 0 else 0.0,
        "faces": 1.0 if shot.faces > 0 else 0.0,
    }
    return replace(rng, score=sum(WEIGHTS[k] * v for k, v in parts.items()), parts=parts)


def select(
    analysis: Analysis,
    *,
    length: int,
    fps: float,
    span: tuple[float, float],
    card: bool,
    title: str = "",
    call_to_action: str = "",
) -> TrailerPlan:
    """Choose the ranges of a ``length``-second trailer from ``span`` of the master.

    Raises:
        UsageError: the span has too little clean material for the length.
    """
    max_s = max(1.5, min(4.0, length / 5))
    shots = [s for s in analysis.shots if not (s.black or s.frozen)]
    top_motion = max((s.motion for s in shots), default=0.0)
    offers = []
    for shot in shots:
        rng = shot_range(analysis, shot, span, max_s)
        if rng is not None:
            offers.append(score_range(analysis, shot, rng, top_motion))
    xf = max(1, round(CROSSFADE_S * fps))
    card_frames = round(card_seconds(length) * fps) if card else 0
    target = round(length * fps)
    chosen: list[Range] = []
    for rng in sorted(offers, key=lambda r: -r.score):
        chosen.append(rng)
        if _total(chosen, fps, xf, card_frames) >= target:
            break
    if _total(chosen, fps, xf, card_frames) < target:
        have = _total(chosen, fps, xf, card_frames) / fps
        raise UsageError(
            f"--length {length}: only {have:.1f} s of clean shots in {span[0]:.1f}-{span[1]:.1f} s "
            "of the master; widen --from-episodes or choose a shorter --length"
        )
    chosen.sort(key=lambda r: r.start)
    if len(chosen) > 1 and chosen[0].score < statistics.median(r.score for r in chosen):
        best = max(chosen, key=lambda r: r.score)  # open on a strong shot (a cold open)
        chosen.remove(best)
        chosen.insert(0, best)
    return fit(
        analysis.master, chosen, length=length, fps=fps, crossfade_frames=xf,
        card_frames=card_frames, title=title, call_to_action=call_to_action,
    )  # fmt: skip


def _total(ranges: list[Range], fps: float, xf: int, card_frames: int) -> int:
    frames = [int(r.duration * fps + 1e-6) for r in ranges]
    joints = len(frames) - 1 + (1 if card_frames else 0)
    return sum(frames) + card_frames - max(0, joints) * xf


def fit(
    master: str,
    ranges: list[Range],
    *,
    length: int,
    fps: float,
    crossfade_frames: int,
    card_frames: int,
    title: str = "",
    call_to_action: str = "",
) -> TrailerPlan:
    """Frame counts for ``ranges`` making exactly ``length`` seconds: the surplus is taken from
    the last range (then earlier ones), never below :data:`MIN_RANGE_S`; a shortfall is
    added to the last range.

    Raises:
        UsageError: the ranges cannot make the length.
    """
    if not ranges:
        raise UsageError("the trailer has no ranges: add at least one range")
    frames = [int(r.duration * fps + 1e-6) for r in ranges]
    joints = len(frames) - 1 + (1 if card_frames else 0)
    surplus = sum(frames) + card_frames - joints * crossfade_frames - round(length * fps)
    floor = max(crossfade_frames * 2 + 1, round(MIN_RANGE_S * fps))
    for i in reversed(range(len(frames))):
        if surplus <= 0:
            break
        take = min(surplus, frames[i] - floor)
        if take > 0:
            frames[i] -= take
            surplus -= take
    if surplus > 0:
        raise UsageError(f"--length {length}: the ranges are too many to fit; remove some")
    frames[-1] -= surplus  # surplus <= 0: lengthen the last range
    last = ranges[-1]
    trimmed = [
        replace(r, end=r.start + n / fps) for r, n in zip(ranges[:-1], frames[:-1], strict=True)
    ]
    trimmed.append(replace(last, end=last.start + frames[-1] / fps))
    return TrailerPlan(
        master, length, fps, tuple(trimmed), tuple(frames), crossfade_frames, card_frames,
        title, call_to_action,
    )  # fmt: skip


def load_ranges(path: Path, master: str, duration: float, length: int, fps: float) -> TrailerPlan:
    """Read an edited ranges file and fit it to ``length`` seconds.

    Raises:
        InputError: unreadable JSON or ranges outside the master, naming the entry.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        items = data["ranges"]
        card = data.get("end_card") or {}
        xf = int(data.get("crossfade_frames", max(1, round(CROSSFADE_S * fps))))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InputError(
            f"--ranges {path}: not a ranges file ({err}); use one vidpack wrote"
        ) from err
    problems, ranges = [], []
    for n, item in enumerate(items, 1):
        try:
            start, end = float(item["start"]), float(item["end"])
        except (KeyError, TypeError, ValueError):
            problems.append(f"range {n}: needs numeric start and end")
            continue
        if not 0 <= start < end <= duration + 1e-6 or end - start < MIN_RANGE_S / 2:
            problems.append(
                f"range {n}: {start:g}-{end:g} s must lie in 0-{duration:.2f} s and last "
                f"at least {MIN_RANGE_S / 2:g} s"
            )
            continue
        ranges.append(Range(start, end, float(item.get("score", 0.0)), dict(item.get("parts", {}))))
    if problems:
        raise InputError(f"--ranges {path}: " + "; ".join(problems))
    plan = fit(
        master, ranges, length=length, fps=fps, crossfade_frames=xf,
        card_frames=int(card.get("frames", 0)), title=str(card.get("title", "")),
        call_to_action=str(card.get("call_to_action", "")),
    )  # fmt: skip
    if plan.ranges[-1].end > duration + 1e-6:
        raise InputError(
            f"--ranges {path}: the last range must run to {plan.ranges[-1].end:.2f} s to make "
            f"{length} s, past the master's end ({duration:.2f} s); move it earlier"
        )
    return plan
