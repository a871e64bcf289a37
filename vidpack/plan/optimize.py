"""Episode planning: a global optimisation of episode boundaries over the whole master.

Dynamic programming over candidate boundaries (see :mod:`vidpack.plan.candidates`): the cost of a
plan is the sum of its boundaries' costs (weak transition, closeness to dialogue, a margin from
dialogue short of ``margin_s``, dialogue itself: speech and subtitle cues) and its
episodes' costs (deviation from the target length and from the series' mean length). The mean
depends on the number of episodes, so the programme runs once per plausible count and the best
plan under the common objective wins.

First only valid plans are searched (every episode within min..max, every boundary on a
transition). When none exists, a second search allows compromises, each ranked by a penalty
(lengths first, then boundaries off transitions, then dialogue), and every compromise the chosen
plan makes becomes a warning (:mod:`vidpack.plan.explain`).

Candidates are visited in blocks shorter than the shortest episode: no boundary in a block can
precede another in the same block, so a whole block is solved with one vectorised step. The cost
is O(candidates x window) with numpy doing the inner loop.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vidpack.errors import UsageError
from vidpack.plan.candidates import (
    M_LEN,
    M_LEN_OVER,
    M_LEN_UNDER,
    Candidates,
    cut_candidates,
    fallback_step,
    with_fallbacks,
)
from vidpack.plan.dialogue import Dialogue, audio_note
from vidpack.plan.model import Episode, EpisodePlan, Margin, MasterRef, PlanOptions

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from vidpack.analyze.model import Analysis, Interval

# A length deviation of this fraction (of the target, or of the series' mean) costs its weight.
_DEV_UNIT = 0.3
# Relative deviations are clipped here so that a compromise's soft cost stays bounded.
_DEV_CLIP = 3.0


@dataclass(frozen=True, slots=True)
class _Lengths:
    """Episode length rules for one search."""

    lo: float  # shortest length considered
    hi: float  # longest length considered
    min_s: float
    max_s: float
    strict: bool  # lengths outside min..max are excluded (True) or penalised (False)


def plan_episodes(
    analysis: Analysis,
    options: PlanOptions | None = None,
    master: MasterRef | None = None,
    cues: Sequence[Interval] = (),
) -> EpisodePlan:
    """Choose episode boundaries for a whole master.

    Args:
        analysis: the master's analysis (transitions, speech, loudness).
        options: lengths and weights; defaults to :class:`PlanOptions()`.
        master: the master's identity; by default taken from ``analysis`` (path, duration, fps).
            Its ``duration`` is the span the episodes cover.
        cues: subtitle cue spans in master seconds, every language
            (:func:`vidpack.plan.dialogue.cue_intervals`): dialogue like speech.

    Returns:
        Contiguous episodes covering [0, duration], each boundary with its margin from
        dialogue. When no plan meets every rule, the least bad plan, with one warning per
        compromise; a note when the master has no audible audio.

    Raises:
        UsageError: bad options, or a master shorter than ``options.min_s``.
    """
    from vidpack.plan.explain import explain

    options = options or PlanOptions()
    problems = options.problems()
    if problems:
        raise UsageError("; ".join(problems))
    if master is None:
        master = MasterRef(path=analysis.master, duration=analysis.duration, fps=analysis.fps)
    duration = master.duration
    tol = master.frame / 2
    check_long_enough(master, options)

    dialogue = Dialogue.of(analysis, cues)
    cands = cut_candidates(analysis, master, options, dialogue.union)
    strict = _Lengths(
        lo=options.min_s - tol,
        hi=options.max_s + tol,
        min_s=options.min_s,
        max_s=options.max_s,
        strict=True,
    )
    path = _search(cands, strict, options, duration) if _divisible(duration, options, tol) else None
    if path is None:
        cands = with_fallbacks(cands, analysis, master, options, dialogue.union)
        relaxed = _Lengths(
            lo=max(options.min_s / 2, 2 * tol),
            hi=2 * options.max_s + fallback_step(options, master),
            min_s=options.min_s,
            max_s=options.max_s,
            strict=False,
        )
        path = _search(cands, relaxed, options, duration) or _even_path(cands, options, duration)
    episodes = _episodes(cands, path)
    plan = EpisodePlan(master=master, options=options, episodes=episodes)
    note = audio_note(analysis, dialogue)
    return EpisodePlan(
        master=master,
        options=options,
        episodes=episodes,
        warnings=tuple(explain(plan, analysis, dialogue)),
        notes=(note,) if note else (),
    )


def check_long_enough(master: MasterRef, options: PlanOptions) -> None:
    """Raise :class:`UsageError` when the master is shorter than one episode may be."""
    duration = master.duration
    if duration < options.min_s - master.frame / 2:
        shorter = math.floor(duration * 10) / 10
        if shorter < 0.1:  # no --min of 0.1 or more fits: advice that works, or none
            raise UsageError(
                f"the master is {duration:.2f} s long: too short to split into episodes; "
                "give a longer master"
            )
        raise UsageError(
            f"the master is {duration:.1f} s long, shorter than --min {options.min_s:g}: "
            f"use --min {shorter:g} or less"
        )


def feasible_counts(duration: float, options: PlanOptions, tol: float) -> range:
    """The episode counts whose lengths can all lie within min..max."""
    lo = max(1, math.ceil(duration / (options.max_s + tol) - 1e-9))
    hi = math.floor(duration / max(options.min_s - tol, 1e-9) + 1e-9)
    return range(lo, hi + 1)


def _divisible(duration: float, options: PlanOptions, tol: float) -> bool:
    return len(feasible_counts(duration, options, tol)) > 0


def _counts_to_try(duration: float, options: PlanOptions, tol: float) -> list[int]:
    ideal = duration / options.target
    counts = feasible_counts(duration, options, tol)
    pool = list(counts) if counts else [max(1, round(ideal))]
    pool.sort(key=lambda n: (abs(duration / n - options.target), n))
    return sorted(pool[:3])


def _segment_cost(
    lengths: npt.NDArray[np.float64], mean: float, rules: _Lengths, options: PlanOptions
) -> npt.NDArray[np.float64]:
    import numpy as np

    dev_t = np.clip(
        (lengths - options.target) / (_DEV_UNIT * options.target), -_DEV_CLIP, _DEV_CLIP
    )
    dev_m = np.clip((lengths - mean) / (_DEV_UNIT * mean), -_DEV_CLIP, _DEV_CLIP)
    cost = options.w_target * dev_t**2 + options.w_even * dev_m**2
    if not rules.strict:
        tol = 1e-6
        over = np.maximum(lengths - rules.max_s - tol, 0.0)
        under = np.maximum(rules.min_s - tol - lengths, 0.0)
        cost = cost + M_LEN_OVER * over + M_LEN_UNDER * under + M_LEN * ((over > 0) | (under > 0))
    return cost


def _dp(cands: Candidates, rules: _Lengths, mean: float, options: PlanOptions) -> list[int] | None:
    """The cheapest path of candidate indices from the first to the last, or None."""
    import numpy as np

    t = cands.times
    n = len(t)
    best = np.full(n, np.inf)
    parent = np.full(n, -1, dtype=np.int64)
    best[0] = 0.0
    width = max(rules.lo, 1e-9)  # a block narrower than the shortest episode
    j0 = 1
    while j0 < n:
        j1 = max(int(np.searchsorted(t, t[j0] + width, side="left")), j0 + 1)
        i0 = int(np.searchsorted(t, t[j0] - rules.hi, side="left"))
        if i0 < j0:
            lengths = t[j0:j1, None] - t[None, i0:j0]
            total = best[None, i0:j0] + _segment_cost(lengths, mean, rules, options)
            total[(lengths < rules.lo) | (lengths > rules.hi)] = np.inf
            k = total.argmin(axis=1)
            value = total[np.arange(j1 - j0), k]
            best[j0:j1] = value + cands.cost[j0:j1]
            parent[j0:j1] = np.where(np.isfinite(value), i0 + k, -1)
        j0 = j1
    if not np.isfinite(best[-1]):
        return None
    path = [n - 1]
    while path[-1] != 0:
        path.append(int(parent[path[-1]]))
    return path[::-1]


def _objective(cands: Candidates, path: list[int], rules: _Lengths, options: PlanOptions) -> float:
    import numpy as np

    t = cands.times[path]
    lengths = np.diff(t)
    mean = float(t[-1] - t[0]) / len(lengths)
    return float(cands.cost[path].sum() + _segment_cost(lengths, mean, rules, options).sum())


def _search(
    cands: Candidates, rules: _Lengths, options: PlanOptions, duration: float
) -> list[int] | None:
    best: tuple[float, list[int]] | None = None
    tol = (rules.hi - rules.max_s) if rules.strict else 0.0
    for count in _counts_to_try(duration, options, tol):
        path = _dp(cands, rules, duration / count, options)
        if path is None:
            continue
        score = _objective(cands, path, rules, options)
        if best is None or score < best[0]:
            best = (score, path)
    return best[1] if best else None


def _even_path(cands: Candidates, options: PlanOptions, duration: float) -> list[int]:
    """Last resort: the candidates nearest to an even split (never expected in practice)."""
    import numpy as np

    count = max(1, round(duration / options.target))
    path = [0]
    for k in range(1, count):
        i = int(np.abs(cands.times - duration * k / count).argmin())
        if path[-1] < i < len(cands.times) - 1:
            path.append(i)
    path.append(len(cands.times) - 1)
    return path


def _episodes(cands: Candidates, path: list[int]) -> tuple[Episode, ...]:
    out: list[Episode] = []
    for number, (a, b) in enumerate(itertools.pairwise(path), start=1):
        first = number == 1
        out.append(
            Episode(
                index=number,
                start=float(cands.times[a]),
                end=float(cands.times[b]),
                start_frame=int(cands.frames[a]),
                end_frame=int(cands.frames[b]),
                cut_kind="start" if first else cands.kinds[a],  # type: ignore[arg-type]
                cut_score=None if first else round(float(cands.scores[a]), 4),
                in_dialogue=bool(cands.in_dialogue[a]),
                margin=None if first else _margin(cands, a),
            )
        )
    return tuple(out)


def _margin(cands: Candidates, i: int) -> Margin:
    return Margin.of(float(cands.margin_before[i]), float(cands.margin_after[i]))
