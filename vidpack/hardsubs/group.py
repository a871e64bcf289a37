"""From text boxes on sampled frames to regions: tracking, timing and dialogue-or-static.

Pure functions on :class:`~vidpack.hardsubs.model.Observation` lists (no decoding), so the rules
are tested without media:

- a *track* is one piece of text at one place: boxes on consecutive samples (one missed sample
  allowed) that overlap and look alike (their stroke pictures match); a box seen once is noise;
- a *band* is a horizontal stripe in the lower part of the picture holding centred tracks; a
  band is the dialogue band when its text changes (two or more tracks at different times), and
  its tracks are dialogue unless one stays longer than a line of dialogue does;
- everything else that lasts is static text (series title, watermark, filing number).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vidpack.hardsubs.model import Box, Observation, Region, Track


@dataclass(frozen=True, slots=True)
class GroupSettings:
    """Rules of grouping (fractions of the frame, seconds).

    Attributes:
        link_iou: least box overlap (intersection over union) of one text on two samples.
        link_sig: least likeness of the stroke pictures of one text on two samples.
        min_count: samples a track needs to be kept.
        band_top: dialogue is below this fraction of the height (its centre).
        centre_slack: how far (fraction of the width) a dialogue line's centre may be from the
            picture's centre.
        max_line: seconds a line of dialogue stays at most; a track staying longer is static.
        pad: margin added around each region's box, as a fraction of its median line height
            (outlines, shadows and subtitle boxes reach past the strokes).
    """

    link_iou: float = 0.5
    link_sig: float = 0.6
    min_count: int = 2
    band_top: float = 0.66
    centre_slack: float = 0.12
    max_line: float = 12.0
    pad: float = 0.35


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two ``(x, y, w, h)`` boxes."""
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union else 0.0


def likeness(a: object, b: object) -> float:
    """Intersection over union of two boolean stroke pictures (1 when both are empty)."""
    import numpy as np

    x, y = np.asarray(a, bool), np.asarray(b, bool)
    union = int(np.count_nonzero(x | y))
    return int(np.count_nonzero(x & y)) / union if union else 1.0


def union_box(boxes: Sequence[Box]) -> Box:
    """The smallest box holding every box."""
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def _same(a: Observation, b: Observation, settings: GroupSettings) -> bool:
    return iou(a.box, b.box) >= settings.link_iou and likeness(a.sig, b.sig) >= settings.link_sig


def changed(
    before: Sequence[Observation], after: Sequence[Observation], settings: GroupSettings
) -> bool:
    """Whether the text differs between two samples (something came, went or changed)."""
    if len(before) != len(after):
        return True
    return not all(any(_same(a, b, settings) for b in after) for a in before) or not all(
        any(_same(a, b, settings) for a in before) for b in after
    )


def track(
    samples: Sequence[tuple[float, Sequence[Observation]]],
    settings: GroupSettings,
    duration: float,
) -> list[Track]:
    """Follow text over the samples (``(time, observations)`` in time order).

    Each track's ``start``/``end`` is first put halfway between the last sample without it and
    the first with it (and likewise at its end); :func:`retime` may then narrow them.
    """
    open_: list[tuple[int, list[Observation]]] = []  # (index of last sample seen, observations)
    done: list[tuple[int, int, list[Observation]]] = []
    firsts: dict[int, int] = {}
    for i, (_t, found) in enumerate(samples):
        taken: set[int] = set()
        for obs in found:
            best, best_score = -1, 0.0
            for k, (last_i, chain) in enumerate(open_):
                if k in taken or i - last_i > 2:
                    continue
                if not _same(chain[-1], obs, settings):
                    continue
                overlap = iou(chain[-1].box, obs.box)
                if overlap > best_score:
                    best, best_score = k, overlap
            if best >= 0:
                open_[best][1].append(obs)
                open_[best] = (i, open_[best][1])
                taken.add(best)
            else:
                open_.append((i, [obs]))
                taken.add(len(open_) - 1)
                firsts[id(open_[-1][1])] = i
        still = []
        for last_i, chain in open_:
            if i - last_i >= 2:
                done.append((firsts[id(chain)], last_i, chain))
            else:
                still.append((last_i, chain))
        open_ = still
    done += [(firsts[id(chain)], last_i, chain) for last_i, chain in open_]
    times = [t for t, _ in samples]
    out = []
    for first_i, last_i, chain in sorted(done, key=lambda d: (d[0], d[2][0].box)):
        if len(chain) < settings.min_count:
            continue
        before = times[first_i - 1] if first_i > 0 else None
        after = times[last_i + 1] if last_i + 1 < len(times) else None
        out.append(
            Track(
                box=union_box([o.box for o in chain]),
                first=times[first_i],
                last=times[last_i],
                before=before,
                after=after,
                score=sum(o.score for o in chain) / len(chain),
                count=len(chain),
                start=0.0 if before is None else (before + times[first_i]) / 2,
                end=duration if after is None else (times[last_i] + after) / 2,
            )
        )
    return out


def retime(t: Track, start: float | None, end: float | None) -> Track:
    """``t`` with the start and end found between its samples (None keeps the estimate)."""
    return replace(t, start=t.start if start is None else start, end=t.end if end is None else end)


def _merge(ranges: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(ranges):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def _bands(tracks: Sequence[Track]) -> list[list[Track]]:
    """Tracks grouped into horizontal stripes (vertical extents that touch or overlap)."""
    bands: list[tuple[int, int, list[Track]]] = []
    for t in sorted(tracks, key=lambda t: t.box[1]):
        y0, y1 = t.box[1], t.box[1] + t.box[3]
        slack = t.box[3] // 2
        if bands and y0 - slack <= bands[-1][1]:
            top, bottom, members = bands[-1]
            bands[-1] = (top, max(bottom, y1), [*members, t])
        else:
            bands.append((y0, y1, [t]))
    return [members for _, _, members in bands]


def classify(
    tracks: Sequence[Track], size: tuple[int, int], settings: GroupSettings
) -> tuple[list[Region], list[Region]]:
    """Dialogue and static regions of ``tracks`` (detector pixels), in order of appearance."""
    w, h = size
    centred = [
        t
        for t in tracks
        if t.box[1] + t.box[3] / 2 >= settings.band_top * h
        and abs(t.box[0] + t.box[2] / 2 - w / 2) <= settings.centre_slack * w
        and t.end - t.start <= settings.max_line
    ]
    dialogue: list[Region] = []
    used: set[int] = set()
    for band in _bands(centred):
        spans = sorted((t.start, t.end) for t in band)
        changes = any(
            b[0] >= a[1] - 1e-6 or b[0] > a[0] + 0.5 for a, b in itertools.pairwise(spans)
        )
        if not changes:
            continue
        used |= {id(t) for t in band}
        dialogue.append(
            Region(
                kind="dialogue",
                box=_padded(band, settings.pad, size),
                ranges=_merge([(t.start, t.end) for t in band]),
                confidence=_confidence(band),
            )
        )
    static: list[Region] = []
    groups: list[list[Track]] = []
    for t in tracks:
        if id(t) in used:
            continue
        for g in groups:
            if iou(union_box([m.box for m in g]), t.box) >= settings.link_iou:
                g.append(t)
                break
        else:
            groups.append([t])
    for g in groups:
        static.append(
            Region(
                kind="static",
                box=_padded(g, settings.pad, size),
                ranges=_merge([(t.start, t.end) for t in g]),
                confidence=_confidence(g),
            )
        )
    dialogue.sort(key=lambda r: r.ranges[0])
    static.sort(key=lambda r: (r.ranges[0], r.box))
    return dialogue, static


def _padded(tracks: Sequence[Track], pad: float, size: tuple[int, int]) -> Box:
    """The union of the tracks' boxes grown by ``pad`` times their median line height."""
    heights = sorted(t.box[3] for t in tracks)
    m = round(pad * heights[len(heights) // 2])
    x, y, w, h = union_box([t.box for t in tracks])
    x0, y0 = max(0, x - m), max(0, y - m)
    return (x0, y0, min(size[0], x + w + m) - x0, min(size[1], y + h + m) - y0)


def _confidence(tracks: Sequence[Track]) -> float:
    """Mean text score, lowered for text seen on few samples."""
    samples = sum(t.count for t in tracks)
    score = sum(t.score * t.count for t in tracks) / samples
    return round(score * min(1.0, samples / 8), 3)


def to_master(region: Region, scale: tuple[float, float], size: tuple[int, int]) -> Region:
    """``region`` in master pixels: box scaled by ``scale`` (x, y), rounded outwards and grown
    by one pixel, kept inside ``size``; times rounded to milliseconds (as the mask file has
    them, so a result read back equals the one computed)."""
    pad = 1
    sx, sy = scale
    x, y, w, h = region.box
    x0 = max(0, int(x * sx) - pad)
    y0 = max(0, int(y * sy) - pad)
    x1 = min(size[0], round((x + w) * sx + 0.4999) + pad)
    y1 = min(size[1], round((y + h) * sy + 0.4999) + pad)
    ranges = tuple((round(a, 3), round(b, 3)) for a, b in region.ranges)
    box = (x0, y0, x1 - x0, y1 - y0)
    return replace(region, box=box, ranges=ranges, confidence=round(region.confidence, 3))
