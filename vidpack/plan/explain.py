"""The warnings of a plan: one line per compromise, saying what was given up and why."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from vidpack.plan.model import NON_CUT_KINDS, EpisodePlan, fmt_time

if TYPE_CHECKING:
    from vidpack.analyze.model import Analysis
    from vidpack.plan.dialogue import Dialogue, Spans

_SPLIT_AT = {
    "pause": "a pause in speech",
    "quiet": "the quietest moment",
    "even": "an even point (no audio to find a pause in)",
}


def explain(plan: EpisodePlan, analysis: Analysis, dialogue: Dialogue) -> list[str]:
    """One warning per compromise of ``plan``: lengths outside --min/--max, boundaries that are
    not on a shot transition, boundaries inside dialogue (speech or a subtitle cue)."""
    from vidpack.plan.optimize import feasible_counts

    opts = plan.options
    duration = plan.master.duration
    tol = plan.master.frame / 2
    cuts = sorted(t.time for t in analysis.transitions if tol < t.time < duration - tol)
    divisible = len(feasible_counts(duration, opts, tol)) > 0
    out: list[str] = []
    if not divisible:
        out.append(
            f"the master's {duration:.1f} s cannot be divided into episodes of "
            f"{opts.min_s:g}-{opts.max_s:g} s: the plan below is the closest"
        )

    def no_cut_after(start: float) -> bool:
        lo, hi = start + opts.min_s - tol, min(start + opts.max_s + tol, duration)
        i = bisect.bisect_left(cuts, lo)
        return i >= len(cuts) or cuts[i] > hi

    def why(start: float) -> str:
        if not divisible:
            return (
                f"{duration:.1f} s does not divide into episodes of {opts.min_s:g}-{opts.max_s:g} s"
            )
        if no_cut_after(start):
            return (
                f"no shot transition between {opts.min_s:g} s and {opts.max_s:g} s after "
                f"{fmt_time(start)}"
            )
        return (
            f"no transition {opts.min_s:g}-{opts.max_s:g} s after {fmt_time(start)} "
            "leads to a valid plan"
        )

    episodes = plan.episodes
    for i, ep in enumerate(episodes):
        length = ep.duration
        if length > opts.max_s + tol:
            out.append(
                f"episode {ep.index} is {length:.1f} s, above --max {opts.max_s:g}: {why(ep.start)}"
            )
        elif length < opts.min_s - tol:
            out.append(
                f"episode {ep.index} is {length:.1f} s, below --min {opts.min_s:g}: {why(ep.start)}"
            )
        if i == 0:
            continue
        where = f"boundary at {fmt_time(ep.start)} (start of episode {ep.index})"
        if ep.cut_kind in NON_CUT_KINDS:
            prev = episodes[i - 1].start
            reason = (
                f"no shot transition between {opts.min_s:g} s and {opts.max_s:g} s after "
                f"{fmt_time(prev)}"
                if no_cut_after(prev)
                else "no shot transition there allows a valid plan"
            )
            out.append(
                f"{where} is not on a shot transition: {reason}; split at "
                f"{_SPLIT_AT.get(ep.cut_kind, 'a point in between')} instead"
            )
        if ep.in_dialogue:
            out.append(
                f"{where} falls inside {_inside(dialogue, ep.start, tol)}: "
                "no cut outside dialogue allows a valid plan"
            )
    return out


def _inside(dialogue: Dialogue, time: float, tol: float) -> str:
    """``dialogue (span)``, ``a subtitle cue (span)`` or both, for a time inside dialogue."""
    import numpy as np

    def span(spans: Spans) -> str | None:
        hit, idx = spans.inside(np.array([time]), tol)
        if not hit[0]:
            return None
        k = int(idx[0])
        return f"({fmt_time(float(spans.starts[k]))}-{fmt_time(float(spans.ends[k]))})"

    said, cue = span(dialogue.speech), span(dialogue.cues)
    if said and cue:
        return f"dialogue {said} and a subtitle cue {cue}"
    if cue:
        return f"a subtitle cue {cue}"
    return f"dialogue {said}" if said else "dialogue"
