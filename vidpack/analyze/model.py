"""The saved result of the single analysis pass: transitions, speech, loudness, per-shot stats.

Every later stage (plan, render, promo) reads an :class:`Analysis`; none decodes the master again.
Times are seconds from the master's first presentation time; frame numbers ride alongside.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

TransitionKind = Literal["cut", "dissolve", "fade"]


@dataclass(frozen=True, slots=True)
class Transition:
    """A shot change. ``time`` is the first frame of the new shot (middle of a gradual one)."""

    time: float
    frame: int
    kind: TransitionKind
    score: float  # strength in 0..1: how sure the detector is that this is a shot change


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open time range [start, end) in seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class ShotStats:
    """What promo and thumbnail stages need to know about one shot."""

    start: float
    end: float
    sharpness: float = 0.0  # variance of the Laplacian on the small frames, mean over the shot
    exposure: float = 0.0  # mean luma 0..1
    contrast: float = 0.0  # luma standard deviation 0..1
    colorfulness: float = 0.0
    motion: float = 0.0  # mean absolute frame difference 0..1
    faces: int = 0  # most faces seen on a sampled frame
    black: bool = False  # the shot is (almost) entirely black
    frozen: bool = False  # the shot does not move at all
    loudness: float | None = None  # mean momentary loudness (LUFS) over the shot, when audio


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the analysis pass learned about one master."""

    master: str
    duration: float
    fps: float
    frame_count: int
    transitions: tuple[Transition, ...] = ()
    speech: tuple[Interval, ...] = ()
    shots: tuple[ShotStats, ...] = ()
    loudness_step: float = 0.1  # seconds between momentary loudness values
    loudness: tuple[float, ...] = ()  # momentary loudness (LUFS, 400 ms window) every step
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the cache file's content)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        """The inverse of :meth:`to_dict`."""
        return cls(
            master=data["master"],
            duration=float(data["duration"]),
            fps=float(data["fps"]),
            frame_count=int(data["frame_count"]),
            transitions=tuple(Transition(**t) for t in data.get("transitions", ())),
            speech=tuple(Interval(**i) for i in data.get("speech", ())),
            shots=tuple(ShotStats(**s) for s in data.get("shots", ())),
            loudness_step=float(data.get("loudness_step", 0.1)),
            loudness=tuple(float(v) for v in data.get("loudness", ())),
            settings=dict(data.get("settings", {})),
        )
