"""What the planner keeps boundaries out of: dialogue, the union of detected speech and subtitle
cues (every language), with the look-ups candidates need (inside, distance, margins, gaps), each
boundary's margin, and the note for a master without audible audio.

Subtitle cues arrive as plain intervals (:func:`cue_intervals` turns loaded tracks into them), so
planning never reads a subtitle file: the commands load their ``--subs`` once and pass them on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from vidpack.analyze.model import Interval
from vidpack.plan.model import EpisodePlan, Margin

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from vidpack.analyze.model import Analysis

# Audio whose momentary loudness never rises above this (LUFS, the EBU R128 absolute gate) is
# silent: there is nothing to find speech or pauses in.
SILENT_LUFS = -70.0


class _Cue(Protocol):
    @property
    def start(self) -> int: ...  # milliseconds

    @property
    def end(self) -> int: ...


class _Track(Protocol):
    @property
    def cues(self) -> Sequence[_Cue]: ...


def cue_intervals(tracks: Iterable[_Track]) -> tuple[Interval, ...]:
    """Every cue of every track (a :class:`vidpack.subtitles.model.Track`, times in ms) as
    intervals in seconds, in time order (overlaps across languages are kept; :class:`Spans`
    merges them)."""
    spans = {(c.start, c.end) for track in tracks for c in track.cues if c.end > c.start}
    return tuple(Interval(s / 1000, e / 1000) for s, e in sorted(spans))


@dataclass(frozen=True, slots=True)
class Spans:
    """Time intervals, merged and sorted, with fast look-ups."""

    starts: npt.NDArray[np.float64]
    ends: npt.NDArray[np.float64]

    @classmethod
    def of(cls, intervals: Iterable[Interval]) -> Spans:
        """Merge ``intervals`` (empty ones dropped, overlapping and touching ones joined)."""
        import numpy as np

        merged: list[list[float]] = []
        for iv in sorted(intervals, key=lambda i: i.start):
            if iv.end <= iv.start:
                continue
            if merged and iv.start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], iv.end)
            else:
                merged.append([iv.start, iv.end])
        arr = np.array(merged, dtype=np.float64).reshape(-1, 2)
        return cls(starts=arr[:, 0].copy(), ends=arr[:, 1].copy())

    def __len__(self) -> int:
        return len(self.starts)

    def inside(
        self, times: npt.NDArray[np.float64], tol: float
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
        """For each time: whether it falls inside a span (by more than ``tol``), and which one."""
        import numpy as np

        idx = np.searchsorted(self.starts, times, side="right") - 1
        if not len(self.starts):
            return np.zeros(len(times), dtype=bool), idx
        safe = np.clip(idx, 0, None)
        hit = (idx >= 0) & (times > self.starts[safe] + tol) & (times < self.ends[safe] - tol)
        return hit, idx

    def margins(
        self, times: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """For each time: seconds since the previous span ended and until the next one starts
        (both 0 inside a span, ``inf`` where there is none on that side)."""
        import numpy as np

        n = len(self.starts)
        if not n:
            return np.full(len(times), np.inf), np.full(len(times), np.inf)
        idx = np.searchsorted(self.starts, times, side="right") - 1
        safe = np.clip(idx, 0, None)
        has_prev = idx >= 0
        inside = has_prev & (times < self.ends[safe])
        before = np.where(has_prev, times - self.ends[safe], np.inf)
        nxt = idx + 1
        after = np.where(nxt < n, self.starts[np.clip(nxt, 0, n - 1)] - times, np.inf)
        before[inside] = 0.0
        after[inside] = 0.0
        return np.maximum(before, 0.0), np.maximum(after, 0.0)

    def distance(self, times: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Seconds from each time to the nearest span (0 inside one, inf with none at all)."""
        import numpy as np

        before, after = self.margins(times)
        return np.minimum(before, after)

    def gaps(self, lo: float, hi: float) -> list[tuple[float, float]]:
        """The stretches of [lo, hi] outside every span."""
        out: list[tuple[float, float]] = []
        cursor = lo
        for s, e in zip(self.starts.tolist(), self.ends.tolist(), strict=True):
            if e <= lo:
                continue
            if s >= hi:
                break
            if s > cursor:
                out.append((cursor, s))
            cursor = max(cursor, e)
        if cursor < hi:
            out.append((cursor, hi))
        return out


@dataclass(frozen=True, slots=True)
class Dialogue:
    """Detected speech, subtitle cues, and their union (what boundaries keep clear of)."""

    speech: Spans
    cues: Spans
    union: Spans

    @classmethod
    def of(cls, analysis: Analysis, cues: Sequence[Interval] = ()) -> Dialogue:
        """The dialogue of ``analysis``'s speech and the given subtitle cue spans."""
        return cls(
            speech=Spans.of(analysis.speech),
            cues=Spans.of(cues),
            union=Spans.of([*analysis.speech, *cues]),
        )


def margin_at(union: Spans, time: float) -> Margin:
    """The margin of a boundary at ``time`` from the dialogue ``union``."""
    import numpy as np

    before, after = union.margins(np.array([time], dtype=np.float64))
    return Margin.of(float(before[0]), float(after[0]))


def with_margins(plan: EpisodePlan, dialogue: Dialogue) -> EpisodePlan:
    """``plan`` with every boundary's margin (and ``in_dialogue``) measured against
    ``dialogue``: for a plan read from a file, which may have been edited or be older."""
    import numpy as np

    episodes = [plan.episodes[0]] if plan.episodes else []
    for ep in plan.episodes[1:]:
        hit, _ = dialogue.union.inside(np.array([ep.start]), plan.master.frame / 2)
        episodes.append(
            replace(ep, margin=margin_at(dialogue.union, ep.start), in_dialogue=bool(hit[0]))
        )
    return replace(plan, episodes=tuple(episodes))


def audio_note(analysis: Analysis, dialogue: Dialogue) -> str | None:
    """One line when the master has no audio, or silent audio, and so no speech to avoid."""
    if len(dialogue.speech):
        return None
    if not analysis.loudness:
        what = "the master has no audio"
    elif max(analysis.loudness) <= SILENT_LUFS:
        what = f"the master's audio is silent (never above {SILENT_LUFS:g} LUFS)"
    else:
        return None
    uses = "shot transitions and subtitle cues" if len(dialogue.cues) else "shot transitions"
    return f"{what}: planned on {uses} alone, with no speech to keep clear of"
