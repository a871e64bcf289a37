"""Value types of the burned-in text stage: what one sample showed, and the regions found.

A :class:`Region` is what the user sees and may edit (``vidpack hardsubs --json``); a
:class:`Hardsubs` is the whole result for one master, cached beside it and accepted back from an
edited mask file; a :class:`Masking` is what one encode hides. Boxes are ``(x, y, w, h)`` in
master pixels, times in master seconds (a masking cut to an episode: episode seconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("dialogue", "static")
FORMAT = 1

Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Observation:
    """One text box seen on one sampled frame (detector pixels).

    Attributes:
        time: the frame's presentation time.
        box: (x, y, w, h) of the text line.
        score: how text-like it is, 0..1 (stroke density and stability).
        sig: a fixed-size boolean picture of its strokes (same content looks the same).
    """

    time: float
    box: Box
    score: float
    sig: Any = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Track:
    """One piece of text at one place, followed over consecutive samples.

    Attributes:
        box: union of its boxes (detector pixels).
        first, last: times of the first and last samples that showed it.
        before, after: times of the samples just before and after (None at the ends).
        score: mean observation score.
        count: samples that showed it.
        start, end: when it appears and goes (seconds; ``end`` is the first moment without it).
    """

    box: Box
    first: float
    last: float
    before: float | None
    after: float | None
    score: float
    count: int
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Region:
    """Burned-in text at one place over one or more time ranges.

    Attributes:
        kind: ``dialogue`` (the subtitle band, changing with the speech) or ``static`` (series
            title, watermark, filing number: kept unless asked).
        box: (x, y, w, h) in master pixels, covering the text of every range.
        ranges: ``(start, end)`` seconds, in order, not overlapping.
        confidence: 0..1.
    """

    kind: str
    box: Box
    ranges: tuple[tuple[float, float], ...]
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """The mask-file form: ``{"kind", "box": [x, y, w, h], "ranges", "confidence"}``."""
        return {
            "kind": self.kind,
            "box": list(self.box),
            "ranges": [[round(a, 3), round(b, 3)] for a, b in self.ranges],
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True, slots=True)
class Hardsubs:
    """Every burned-in text region of one master.

    Attributes:
        width, height: the master's display size (the boxes' frame).
        duration: the master's duration in seconds.
        regions: dialogue regions first, then static ones, each group by first appearance.
        samples: how many frames were looked at.
    """

    width: int
    height: int
    duration: float
    regions: tuple[Region, ...]
    samples: int = 0

    @property
    def dialogue(self) -> tuple[Region, ...]:
        return tuple(r for r in self.regions if r.kind == "dialogue")

    def to_dict(self) -> dict[str, Any]:
        """The mask file: ``{"format", "size", "duration", "samples", "regions": [...]}``."""
        return {
            "format": FORMAT,
            "size": [self.width, self.height],
            "duration": round(self.duration, 3),
            "samples": self.samples,
            "regions": [r.to_dict() for r in self.regions],
        }


@dataclass(frozen=True, slots=True)
class Masking:
    """What one encode hides: the method and the dialogue regions to mask.

    Attributes:
        method: ``blur``, ``box``, ``inpaint`` or ``crop`` (see :mod:`vidpack.hardsubs.filters`).
        size: the master's display size (the boxes' frame).
        regions: the dialogue regions, protected text already left out; their ranges are in
            master seconds for a whole master, in episode seconds once :meth:`window` cut them.
    """

    method: str
    size: tuple[int, int]
    regions: tuple[Region, ...] = ()

    def window(self, start: float, end: float) -> Masking:
        """The regions shown between ``start`` and ``end`` (master seconds), with their ranges
        cut to that window and shifted so ``start`` is 0 (an episode's own time); under the
        ``crop`` method every region, shown or not (the framing holds for the whole master)."""
        out: list[Region] = []
        for r in self.regions:
            ranges = tuple(
                (max(a, start) - start, min(b, end) - start)
                for a, b in r.ranges
                if a < end and b > start
            )
            if ranges or self.method == "crop":
                out.append(Region(r.kind, r.box, ranges, r.confidence))
        return Masking(self.method, self.size, tuple(out))

    def to_dict(self) -> dict[str, Any]:
        """The manifest's record: ``{"method", "regions": [{"kind", "box", "ranges", ...}]}``."""
        return {"method": self.method, "regions": [r.to_dict() for r in self.regions]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Masking:
        """A masking from :meth:`to_dict` plus its ``size`` (as a batch's analysis saves it)."""
        regions = tuple(
            Region(
                str(r["kind"]),
                (int(r["box"][0]), int(r["box"][1]), int(r["box"][2]), int(r["box"][3])),
                tuple((float(a), float(b)) for a, b in r["ranges"]),
                float(r.get("confidence", 1.0)),
            )
            for r in data.get("regions") or []
        )
        w, h = data["size"]
        return cls(str(data["method"]), (int(w), int(h)), regions)
