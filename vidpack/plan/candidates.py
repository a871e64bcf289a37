"""Candidate episode boundaries and what each costs: shot transitions first, and (only when they
cannot give a valid plan) pauses and quiet points in between.

A candidate's cost is the sum of a soft part (weak transition, closeness to dialogue, kind of
transition) and penalties that rank compromises: a margin from dialogue short of
``options.margin_s`` costs more than the soft costs of an ordinary plan, a boundary inside
dialogue (speech or a subtitle cue) more than any sum of those, a boundary off a shot transition
more than any number of dialogue boundaries. :mod:`vidpack.plan.optimize` adds the per-episode
costs and picks the cheapest path.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vidpack.plan.dialogue import Spans
from vidpack.plan.model import NON_CUT_KINDS, MasterRef, PlanOptions

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from vidpack.analyze.model import Analysis

# Penalty scale: each one outweighs every possible sum of the ones below it (M_TIGHT: the soft
# costs of any plan of up to a few dozen episodes, which stay below about 20 per episode).
M_TIGHT = 1e3  # per side of a boundary with no margin from dialogue (scaled by the shortfall)
M_DIALOGUE = 1e5  # one boundary inside dialogue (speech or a subtitle cue)
M_NOCUT = 1e7  # one boundary that is not on a shot transition
M_LEN_OVER = 2e8  # per second above --max (platform limits make this the worst)
M_LEN_UNDER = 1e8  # per second below --min
M_LEN = 1e9  # per episode outside --min..--max

# A transition this far below a perfect score (1 - 0.35 = 0.65) is doubtful: it costs w_cut.
_SURE = 0.35

# A pause shorter than this is not worth splitting at.
_MIN_PAUSE = 0.2


@dataclass(frozen=True, slots=True)
class Candidates:
    """Boundary candidates sorted by time; index 0 is the master's start, the last its end."""

    times: npt.NDArray[np.float64]
    frames: npt.NDArray[np.int64]
    kinds: tuple[str, ...]
    scores: npt.NDArray[np.float64]
    cost: npt.NDArray[np.float64]  # soft cost plus penalties; 0 at both ends
    in_dialogue: npt.NDArray[np.bool_]
    margin_before: npt.NDArray[np.float64]  # seconds from dialogue before (inf: none)
    margin_after: npt.NDArray[np.float64]  # seconds to dialogue after (inf: none)


def _build(
    times: list[float],
    frames: list[int],
    kinds: list[str],
    scores: list[float],
    dialogue: Spans,
    options: PlanOptions,
    tol: float,
) -> Candidates:
    import numpy as np

    t = np.asarray(times, dtype=np.float64)
    sc = np.clip(np.asarray(scores, dtype=np.float64), 0.0, 1.0)
    hit, _ = dialogue.inside(t, tol)
    before, after = dialogue.margins(t)
    dist = np.minimum(before, after)
    pause = options.pause_s if options.pause_s > 0 else 1.0
    closeness = 1.0 - np.minimum(dist, pause) / pause
    kind_cost = np.array(
        [
            options.w_kind_dissolve
            if k == "dissolve"
            else options.w_kind_fade
            if k == "fade"
            else 0.0
            for k in kinds
        ]
    )
    weakness = np.minimum(((1.0 - sc) / _SURE) ** 2, 4.0)
    cost = options.w_cut * weakness + kind_cost + options.w_pause * closeness
    cost = cost - min(0.0, float(cost.min(initial=0.0)))  # keep every soft cost >= 0
    off_cut = np.array([k in NON_CUT_KINDS for k in kinds], dtype=bool)
    cost += M_TIGHT * (_shortfall(before, options.margin_s) + _shortfall(after, options.margin_s))
    # Off a transition AND inside dialogue is the worst boundary: worse than two at pauses.
    cost += M_DIALOGUE * hit + M_NOCUT * off_cut * (1 + hit)
    cost[0] = cost[-1] = 0.0
    hit[0] = hit[-1] = False
    return Candidates(
        times=t,
        frames=np.asarray(frames, dtype=np.int64),
        kinds=tuple(kinds),
        scores=sc,
        cost=cost,
        in_dialogue=hit,
        margin_before=before,
        margin_after=after,
    )


def _shortfall(margin: npt.NDArray[np.float64], wanted: float) -> npt.NDArray[np.float64]:
    """How much of the wanted margin is missing, 0..1 (0 when nothing is wanted)."""
    import numpy as np

    if wanted <= 0:
        return np.zeros(len(margin))
    return 1.0 - np.minimum(margin, wanted) / wanted


def cut_candidates(
    analysis: Analysis, master: MasterRef, options: PlanOptions, dialogue: Spans
) -> Candidates:
    """The master's start and end plus every shot transition strictly between them.

    Two transitions on the same frame count once (the stronger).
    """
    tol = master.frame / 2
    duration = master.duration
    by_frame: dict[int, tuple[float, str, float]] = {}
    for tr in analysis.transitions:
        if not tol < tr.time < duration - tol:
            continue
        frame = tr.frame if tr.frame > 0 else master.frame_at(tr.time)
        old = by_frame.get(frame)
        if old is None or tr.score > old[2]:
            by_frame[frame] = (tr.time, tr.kind, tr.score)
    inner = sorted(by_frame.items(), key=lambda kv: kv[1][0])
    times = [0.0, *(v[0] for _, v in inner), duration]
    frames = [0, *(f for f, _ in inner), master.frame_at(duration)]
    kinds = ["start", *(v[1] for _, v in inner), "end"]
    scores = [1.0, *(v[2] for _, v in inner), 1.0]
    return _build(times, frames, kinds, scores, dialogue, options, tol)


def fallback_step(options: PlanOptions, master: MasterRef) -> float:
    """The spacing of fallback points in long stretches without transitions."""
    return max(4 * master.frame, options.min_s / 4)


def with_fallbacks(
    cands: Candidates,
    analysis: Analysis,
    master: MasterRef,
    options: PlanOptions,
    dialogue: Spans,
) -> Candidates:
    """``cands`` plus, in every stretch longer than the fallback step with no transition, one
    point per step: the middle of the longest pause in dialogue, else the quietest moment, else
    the middle of the step (no audio at all)."""
    import numpy as np

    step = fallback_step(options, master)
    has_speech = len(dialogue) > 0
    loud = np.asarray(analysis.loudness, dtype=np.float64)
    lstep = analysis.loudness_step if analysis.loudness_step > 0 else 0.1
    times = cands.times.tolist()
    rows: list[tuple[float, int, str, float]] = [
        (t, int(f), k, float(s))
        for t, f, k, s in zip(
            times, cands.frames.tolist(), cands.kinds, cands.scores.tolist(), strict=True
        )
    ]
    for a, b in itertools.pairwise(times):
        bins = int((b - a) // step)
        if bins < 2:
            continue
        width = (b - a) / bins
        for k in range(1, bins):
            x0, x1 = a + (k - 0.5) * width, a + (k + 0.5) * width
            rows.append(_quiet_point(x0, x1, dialogue, has_speech, loud, lstep, master))
    rows.sort(key=lambda r: r[0])
    return _build(
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        dialogue,
        options,
        master.frame / 2,
    )


def _quiet_point(
    x0: float,
    x1: float,
    speech: Spans,
    has_speech: bool,
    loud: npt.NDArray[np.float64],
    lstep: float,
    master: MasterRef,
) -> tuple[float, int, str, float]:
    import numpy as np

    kind = "even"
    t = (x0 + x1) / 2
    gaps = speech.gaps(x0, x1) if has_speech else []
    longest = max(gaps, key=lambda g: g[1] - g[0], default=None)
    if longest is not None and longest[1] - longest[0] >= _MIN_PAUSE:
        t, kind = (longest[0] + longest[1]) / 2, "pause"
    elif len(loud):
        i0, i1 = int(np.ceil(x0 / lstep)), int(x1 // lstep) + 1
        window = loud[max(i0, 0) : min(i1, len(loud))]
        if len(window):
            t, kind = (max(i0, 0) + int(window.argmin())) * lstep, "quiet"
    t = min(max(t, x0), x1)
    frame = master.frame_at(t)
    return (frame / master.fps if master.fps > 0 else t, frame, kind, 0.0)
