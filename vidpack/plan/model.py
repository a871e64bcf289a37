"""The episode plan's types: options (the single source of planning defaults), the master it was
made for, the episodes and the compromises, plus the time format used in messages.

An :class:`EpisodePlan` is a plain value: :mod:`vidpack.plan.planfile` saves it as JSON an editor
may edit, :mod:`vidpack.plan.optimize` makes it from an :class:`~vidpack.analyze.model.Analysis`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

# What an episode starts on: a detected transition, or (a compromise) a pause in speech, the
# quietest point, or an arbitrary point when the master has neither cuts nor audio.
BoundaryKind = Literal["start", "cut", "dissolve", "fade", "pause", "quiet", "even"]

# Boundary kinds that are not shot transitions.
NON_CUT_KINDS: frozenset[str] = frozenset({"pause", "quiet", "even"})

# vidpack's choice, not a standard: a boundary this far (seconds) from speech and subtitle cues
# on both sides does not feel clipped (a cut 0.1 s after a word ends does). Closer boundaries are
# avoided whenever the episode lengths allow it.
MARGIN_S = 0.4


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """How to plan episodes. Lengths are seconds; weights are relative (all around 1).

    Attributes:
        min_s: shortest episode (``--min``).
        max_s: longest episode (``--max``).
        target_s: preferred length (``--target``); ``None`` means the middle of min and max.
        w_cut: cost of a weak transition: ``w_cut * ((1 - score) / 0.35)^2`` (capped at 4x),
            so a doubtful transition (score 0.65) costs ``w_cut`` and a sure one almost nothing.
        w_kind_dissolve: extra cost of ending an episode in the middle of a dissolve.
        w_kind_fade: cost (negative: a bonus) of a fade through black, the classic episode end.
        w_pause: cost of a boundary close to speech (none when the nearest speech is
            ``pause_s`` or more away).
        pause_s: how far from speech a boundary must be to count as in a full pause.
        margin_s: the margin from dialogue (speech or a subtitle cue) wanted on both sides of a
            boundary (:data:`MARGIN_S`); a shortfall is a penalty above every soft cost.
        w_target: cost of an episode's deviation from the target: ``w_target * (dev / 30 %)^2``.
        w_even: cost of an episode's deviation from the series' mean length, same scale.
    """

    min_s: float = 60.0
    max_s: float = 180.0
    target_s: float | None = None
    w_cut: float = 1.5
    w_kind_dissolve: float = 0.3
    w_kind_fade: float = -0.2
    w_pause: float = 0.5
    pause_s: float = 1.0
    margin_s: float = MARGIN_S
    w_target: float = 0.5
    w_even: float = 1.0

    @property
    def target(self) -> float:
        """The preferred episode length in seconds."""
        return self.target_s if self.target_s is not None else (self.min_s + self.max_s) / 2

    def problems(self) -> list[str]:
        """Every problem with these options, each one line naming the option (empty when fine)."""
        out: list[str] = []
        for name, value in (("--min", self.min_s), ("--max", self.max_s)):
            if not value > 0:
                out.append(f"{name} {value:g} is not a positive number of seconds: use e.g. 60")
        if self.target_s is not None and not self.target_s > 0:
            out.append(f"--target {self.target_s:g} is not a positive number of seconds")
        if out:
            return out
        if self.min_s > self.max_s:
            out.append(
                f"--min {self.min_s:g} is larger than --max {self.max_s:g}: "
                f"use a --min of at most {self.max_s:g}"
            )
        elif self.target_s is not None and not self.min_s <= self.target_s <= self.max_s:
            out.append(
                f"--target {self.target_s:g} is outside --min {self.min_s:g} .. --max "
                f"{self.max_s:g}: use a target in that range"
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """The options as saved in a plan file."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanOptions:
        """Options from a plan file's ``options`` (unknown keys ignored, missing ones default)."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass(frozen=True, slots=True)
class MasterRef:
    """The master a plan belongs to: enough to tell a different file apart.

    Attributes:
        path: the master's path as given.
        duration: seconds (the span the episodes cover).
        fps: frames per second (frame numbers are derived from it).
        size: bytes, or ``None`` when unknown.
        fingerprint: a hash of the file's size, head and tail, or ``None`` when unknown.
    """

    path: str
    duration: float
    fps: float
    size: int | None = None
    fingerprint: str | None = None

    @property
    def frame(self) -> float:
        """One frame's duration in seconds (1/25 s when the frame rate is unknown)."""
        return 1.0 / self.fps if self.fps > 0 else 0.04

    def frame_at(self, time: float) -> int:
        """The frame number whose presentation starts at (or nearest to) ``time``."""
        return round(time * self.fps) if self.fps > 0 else 0


@dataclass(frozen=True, slots=True)
class Margin:
    """How far an episode boundary lies from dialogue (speech or a subtitle cue) on each side.

    Attributes:
        before: seconds since the last dialogue before the boundary ended (0 inside dialogue,
            ``None`` when there is none before it).
        after: seconds until the next dialogue after the boundary starts (0 inside dialogue,
            ``None`` when there is none after it).
    """

    before: float | None
    after: float | None

    @classmethod
    def of(cls, before: float, after: float) -> Margin:
        """From measured distances (``inf``: no dialogue on that side), to the millisecond."""
        return cls(
            before=round(before, 3) if math.isfinite(before) else None,
            after=round(after, 3) if math.isfinite(after) else None,
        )

    @property
    def least(self) -> float | None:
        """The smaller side (``None`` when there is no dialogue on either side)."""
        sides = [v for v in (self.before, self.after) if v is not None]
        return min(sides) if sides else None

    def text(self) -> str:
        """``before/after`` in seconds (``-`` for a side without dialogue), as tables show it."""
        return "/".join("-" if v is None else f"{v:.2f}" for v in (self.before, self.after))

    def to_dict(self) -> dict[str, float | None]:
        """``{"before": s, "after": s}`` as plan files save it."""
        return {"before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class Episode:
    """One episode: the half-open span [start, end) of the master and how its start was chosen.

    Attributes:
        index: 1-based position in the series.
        start: first presentation time in seconds.
        end: the next episode's start (the master's duration for the last one).
        start_frame: frame number of ``start``.
        end_frame: frame number of ``end`` (exclusive).
        cut_kind: what the start boundary lies on (``start`` for the first episode).
        cut_score: the detector's score of that transition (``None`` for the first episode).
        in_dialogue: the start boundary falls inside speech or a subtitle cue.
        margin: the start boundary's distance from dialogue (``None`` for the first episode
            and for plans whose file has no margins).
    """

    index: int
    start: float
    end: float
    start_frame: int
    end_frame: int
    cut_kind: BoundaryKind = "start"
    cut_score: float | None = None
    in_dialogue: bool = False
    margin: Margin | None = None

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class EpisodePlan:
    """A series of contiguous episodes covering the whole master, and its compromises.

    Attributes:
        master: the master the plan is for.
        options: the options it was planned with.
        episodes: in order, contiguous from 0 to ``master.duration``.
        warnings: one line per compromise (empty for a plan that met every rule).
        notes: one line per fact worth knowing that is not a compromise (e.g. no audio).
    """

    master: MasterRef
    options: PlanOptions
    episodes: tuple[Episode, ...]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def boundaries(self) -> tuple[float, ...]:
        """The start times of episodes 2..n (the cuts an editor makes)."""
        return tuple(e.start for e in self.episodes[1:])


def fmt_time(seconds: float) -> str:
    """``MM:SS.s`` (``H:MM:SS.s`` from an hour on), as messages and tables show times."""
    sign = "-" if seconds < 0 else ""
    tenths = round(abs(seconds) * 10)
    hours, rest = divmod(tenths, 36000)
    minutes, rest = divmod(rest, 600)
    secs = rest / 10
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:04.1f}"
    return f"{sign}{minutes:02d}:{secs:04.1f}"
