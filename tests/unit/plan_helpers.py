"""Synthetic analyses for the planning tests (no ffmpeg) and checks every plan must pass."""

from __future__ import annotations

import itertools
import random

from vidpack.analyze.model import Analysis, Interval, Transition
from vidpack.plan.model import EpisodePlan, PlanOptions


def make_analysis(
    duration: float,
    cuts: list[float] | list[tuple[float, float]] | list[tuple[float, float, str]],
    speech: list[tuple[float, float]] = (),  # type: ignore[assignment]
    fps: float = 25.0,
    loudness: list[float] | None = None,
) -> Analysis:
    """An analysis with transitions at ``cuts`` (time, or (time, score), or (time, score, kind))
    snapped to frames, and speech intervals."""
    transitions = []
    for c in cuts:
        t, score, kind = (c, 0.9, "cut") if isinstance(c, float | int) else (*c, "cut")[:3]
        frame = round(float(t) * fps)
        transitions.append(Transition(time=frame / fps, frame=frame, kind=kind, score=float(score)))
    return Analysis(
        master="master.mp4",
        duration=duration,
        fps=fps,
        frame_count=round(duration * fps),
        transitions=tuple(transitions),
        speech=tuple(Interval(s, e) for s, e in speech),
        loudness=tuple(loudness or ()),
    )


def random_analysis(
    seed: int, duration: float, mean_shot: float = 4.0, talk: float = 0.6, fps: float = 25.0
) -> Analysis:
    """Random shots (1..2*mean_shot s) and dialogue covering about ``talk`` of the time."""
    rng = random.Random(seed)
    cuts: list[tuple[float, float]] = []
    t = 0.0
    while True:
        t += rng.uniform(1.0, 2 * mean_shot - 1.0)
        if t >= duration - 1:
            break
        cuts.append((t, rng.uniform(0.3, 1.0)))
    speech: list[tuple[float, float]] = []
    t = rng.uniform(0, 2)
    while t < duration:
        length = rng.uniform(0.8, 5.0)
        speech.append((t, min(t + length, duration)))
        t += length + rng.uniform(0.3, 3.0) * (1 - talk) / max(talk, 0.05) * 2
    return make_analysis(duration, cuts, speech, fps)


def inside_speech(analysis: Analysis, t: float, tol: float) -> bool:
    return any(iv.start + tol < t < iv.end - tol for iv in analysis.speech)


def check_shape(plan: EpisodePlan, analysis: Analysis) -> None:
    """Contiguous, covering [0, duration], numbered 1..n, frames consistent."""
    eps = plan.episodes
    assert eps, "a plan has at least one episode"
    assert eps[0].start == 0.0
    assert abs(eps[-1].end - plan.master.duration) < 1e-9
    for k, ep in enumerate(eps, start=1):
        assert ep.index == k
        assert ep.end > ep.start
        assert ep.start_frame == round(ep.start * analysis.fps)
    for a, b in itertools.pairwise(eps):
        assert a.end == b.start
        assert a.end_frame == b.start_frame


def check_valid(plan: EpisodePlan, analysis: Analysis, options: PlanOptions) -> None:
    """Every rule met: lengths in range, boundaries on transitions outside dialogue."""
    check_shape(plan, analysis)
    tol = 0.5 / analysis.fps
    times = {t.time for t in analysis.transitions}
    for ep in plan.episodes:
        assert options.min_s - tol <= ep.duration <= options.max_s + tol, ep
    for b in plan.boundaries:
        assert b in times, b
        assert not inside_speech(analysis, b, tol), b
    assert plan.warnings == ()
