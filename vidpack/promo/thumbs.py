"""Thumbnail candidates: where to look (from the cached analysis), the frames themselves (a few
fast input seeks, no second full decode), their scores and the picks.

Candidate times lie inside shots that are neither black nor frozen, at least
:data:`GUARD_S` from every transition (more for dissolves and fades, whose ``time`` is their
middle). Each candidate frame is extracted small with ``-ss T -i MASTER -frames:v 1`` and scored
on the frame itself with OpenCV: sharpness, exposure, colour, faces, and its distance from the
nearest transition. Picks are the best candidates, one per shot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.analyze.model import Analysis, ShotStats
from vidpack.media.runner import run_ffmpeg

if TYPE_CHECKING:
    from vidpack.hardsubs.model import Masking

GUARD_S = 0.5  # never pick a frame this close to a cut, a dissolve or a fade
GRADUAL_EXTRA_S = 0.5  # dissolves and fades are stamped at their middle: keep further away
SAMPLE_LONG_SIDE = 320  # candidate frames are scored at this size
WEIGHTS = {"sharpness": 0.3, "exposure": 0.25, "colour": 0.1, "faces": 0.25, "distance": 0.1}
DARK_LUMA = 0.08
BATCH = (
    16  # candidate frames extracted per ffmpeg run  # a frame darker than this is treated as black
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate frame: its master time, shot, small image and score with its parts."""

    time: float
    shot: int
    image: Path
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``file`` is filled in by the caller for picks)."""
        return {
            "time": round(self.time, 3),
            "shot": self.shot,
            "score": round(self.score, 4),
            "parts": {k: round(v, 4) for k, v in self.parts.items()},
        }


def _guards(analysis: Analysis) -> list[tuple[float, float]]:
    """Time ranges no candidate may fall in: around every transition."""
    out = []
    for tr in analysis.transitions:
        pad = GUARD_S + (GRADUAL_EXTRA_S if tr.kind != "cut" else 0.0)
        out.append((tr.time - pad, tr.time + pad))
    return out


def transition_distance(analysis: Analysis, time: float) -> float:
    """Seconds from ``time`` to the nearest transition (or the master's ends)."""
    ends = [time, analysis.duration - time]
    return min([*(abs(tr.time - time) for tr in analysis.transitions), *ends])


def candidate_times(
    analysis: Analysis,
    span: tuple[float, float] | None = None,
    *,
    per_shot: int = 3,
) -> list[tuple[int, float]]:
    """``(shot index, time)`` pairs to look at, each on the frame grid, inside ``span``.

    Args:
        analysis: the master's analysis.
        span: ``(start, end)`` seconds to stay within (an episode); default the whole master.
        per_shot: candidates spread over each usable shot.
    """
    lo, hi = span if span is not None else (0.0, analysis.duration)
    guards = _guards(analysis)
    fps = analysis.fps or 25.0
    out: list[tuple[int, float]] = []
    for index, shot in enumerate(analysis.shots):
        if shot.black or shot.frozen:
            continue
        start = max(shot.start, lo) + GUARD_S
        end = min(shot.end, hi) - GUARD_S
        if end <= start:
            continue
        seen: set[int] = set()
        for k in range(per_shot):
            t = start + (end - start) * (k + 1) / (per_shot + 1)
            frame = round(t * fps)
            time = frame / fps
            if frame in seen or not start <= time <= end:
                continue
            if any(a < time < b for a, b in guards):
                continue
            seen.add(frame)
            out.append((index, time))
    return out


def sample_size(width: int, height: int, long_side: int = SAMPLE_LONG_SIDE) -> tuple[int, int]:
    """An even-sided size with the long side at most ``long_side`` and the same aspect."""
    scale = min(1.0, long_side / max(width, height))
    return max(2, 2 * round(width * scale / 2)), max(2, 2 * round(height * scale / 2))


def still_mask(
    mask: Masking | None, time: float, source: str, output: str, tag: str = "st"
) -> str | None:
    """The graph fragment from ``[source]`` to ``[output]`` masking the one frame input-seeked
    to ``time`` (master seconds) with the encodes' own chain
    (:func:`vidpack.hardsubs.filters.mask_chain`): the regions shown at ``time``, enabled on
    that frame (its timestamps rebased to 0); ``None`` when no region shows then."""
    if mask is None:
        return None
    from vidpack.hardsubs.filters import mask_chain
    from vidpack.hardsubs.model import Region

    shown = tuple(
        Region(r.kind, r.box, ((0.0, 1.0),), r.confidence)
        for r in mask.regions
        if mask.method == "crop" or any(a <= time < b for a, b in r.ranges)
    )  # crop: the encodes' framing, whatever is shown at that time
    if not shown:
        return None
    fragment = mask_chain(shown, mask.method, mask.size, source=f"{tag}r", output=output, tag=tag)
    return f"[{source}]setpts=PTS-STARTPTS[{tag}r];{fragment}"


def extract_frame(
    master: str,
    time: float,
    out: Path,
    *,
    size: tuple[int, int] | None = None,
    mask: Masking | None = None,
    pix_fmt: str | None = None,
) -> None:
    """Write the frame shown at ``time`` to ``out`` (PNG or JPEG by suffix), optionally scaled,
    masked (``mask``: the master's, in master seconds; see :func:`still_mask`) and converted
    to ``pix_fmt``.

    A fast input seek: ffmpeg jumps to the keyframe before ``time`` and decodes from there, so
    the cost is one GOP, not the master.
    """
    args = ["-threads", "1", "-ss", f"{time:.6f}", "-i", master, "-frames:v", "1", "-an", "-sn"]
    scale = f"scale={size[0]}:{size[1]},setsar=1" if size is not None else "null"
    masked = still_mask(mask, time, "0:v:0", "stm")
    if masked is not None:
        args += ["-filter_complex", f"{masked};[stm]{scale}[stv]", "-map", "[stv]"]
    elif size is not None:
        args += ["-vf", scale]
    if pix_fmt is not None:
        args += ["-pix_fmt", pix_fmt]
    if out.suffix.lower() in (".jpg", ".jpeg"):
        args += ["-q:v", "2"]
    args.append(str(out))
    run_ffmpeg(args, label=f"frame at {time:.3f} s")


def extract_frames(
    master: str,
    times: Sequence[float],
    outs: Sequence[Path],
    size: tuple[int, int],
    mask: Masking | None = None,
) -> None:
    """Write the frames at ``times`` to ``outs`` (scaled to ``size``, masked by ``mask`` as
    :func:`extract_frame` does) in ONE ffmpeg run: one fast-seeked input per time, one
    single-frame output per input."""
    if not times:
        return
    args = ["-threads", "1"]
    for time in times:
        args += ["-ss", f"{time:.6f}", "-i", master]
    scale = f"scale={size[0]}:{size[1]},setsar=1"
    graph: list[str] = []
    outputs: list[list[str]] = []
    for n, (time, out) in enumerate(zip(times, outs, strict=True)):
        masked = still_mask(mask, time, f"{n}:v:0", f"st{n}m", tag=f"st{n}")
        if masked is None:
            outputs.append(["-map", f"{n}:v:0", "-vf", scale])
        else:
            graph.append(f"{masked};[st{n}m]{scale}[st{n}v]")
            outputs.append(["-map", f"[st{n}v]"])
        outputs[-1] += ["-frames:v", "1", "-update", "1", str(out)]
    if graph:
        args += ["-filter_complex", ";".join(graph)]
    for output in outputs:
        args += output
    run_ffmpeg(args, label=f"{len(times)} candidate frames")


def frame_metrics(image: Path, cascade: Any | None) -> dict[str, float]:
    """Raw measurements of one frame: Laplacian variance, mean luma, clipped fraction,
    colourfulness (Hasler-Suesstrunk) and faces found."""
    import cv2
    import numpy as np

    bgr = cv2.imread(str(image), cv2.IMREAD_COLOR)
    if bgr is None:
        return {"laplacian": 0.0, "luma": 0.0, "clipped": 1.0, "colourful": 0.0, "faces": 0.0}
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    luma = gray.astype(np.float32) / 255.0
    b, g, r = (bgr[:, :, i].astype(np.float32) for i in range(3))
    rg, yb = np.abs(r - g), np.abs(0.5 * (r + g) - b)
    colourful = float(
        math.hypot(float(rg.std()), float(yb.std()))
        + 0.3 * math.hypot(float(rg.mean()), float(yb.mean()))
    )
    faces = 0
    if cascade is not None:
        side = max(20, min(gray.shape) // 8)
        found = cascade.detectMultiScale(
            gray, scaleFactor=1.1, minNeighbors=4, minSize=(side, side)
        )
        faces = len(found)
    return {
        "laplacian": float(cv2.Laplacian(gray, cv2.CV_64F).var()),
        "luma": float(luma.mean()),
        "clipped": float(((luma < 0.02) | (luma > 0.98)).mean()),
        "colourful": colourful,
        "faces": float(faces),
    }


def score_candidates(
    analysis: Analysis, raw: Sequence[tuple[int, float, Path, dict[str, float]]]
) -> list[Candidate]:
    """Turn raw frame measurements into scores in 0..1 with their parts.

    Sharpness and colour are relative to the best candidate of the set; exposure rewards a mean
    luma near 0.45 and penalises clipping; faces use the frame's detection or the shot's count;
    distance saturates 2 s from the nearest transition. Dark frames are dropped.
    """
    kept = [r for r in raw if r[3]["luma"] >= DARK_LUMA]
    if not kept:
        return []
    top_sharp = max(r[3]["laplacian"] for r in kept) or 1.0
    top_colour = max(r[3]["colourful"] for r in kept) or 1.0
    out = []
    for shot_index, time, image, m in kept:
        shot: ShotStats | None = (
            analysis.shots[shot_index] if shot_index < len(analysis.shots) else None
        )
        exposure = max(0.0, 1.0 - abs(m["luma"] - 0.45) / 0.4) * (1.0 - min(1.0, m["clipped"] * 2))
        has_face = m["faces"] > 0 or (shot is not None and shot.faces > 0)
        parts = {
            "sharpness": min(1.0, m["laplacian"] / top_sharp),
            "exposure": exposure,
            "colour": min(1.0, m["colourful"] / top_colour),
            "faces": 1.0 if has_face else 0.0,
            "distance": min(1.0, transition_distance(analysis, time) / 2.0),
        }
        score = sum(WEIGHTS[k] * v for k, v in parts.items())
        out.append(Candidate(time, shot_index, image, score, parts))
    return out


def pick(candidates: Sequence[Candidate], count: int) -> list[Candidate]:
    """The ``count`` best candidates, at most one per shot, best first."""
    chosen: list[Candidate] = []
    shots: set[int] = set()
    for cand in sorted(candidates, key=lambda c: (-c.score, c.time)):
        if cand.shot in shots:
            continue
        chosen.append(cand)
        shots.add(cand.shot)
        if len(chosen) >= count:
            break
    return chosen


def shot_at(analysis: Analysis, time: float) -> int:
    """Index of the shot containing ``time`` (the last one past the end)."""
    for index, shot in enumerate(analysis.shots):
        if shot.start <= time < shot.end:
            return index
    return max(0, len(analysis.shots) - 1)


def find_candidates(
    master: str,
    analysis: Analysis,
    workdir: Path,
    *,
    size: tuple[int, int],
    span: tuple[float, float] | None = None,
    at: float | None = None,
    per_shot: int = 3,
    mask: Masking | None = None,
) -> list[Candidate]:
    """Extract and score the candidate frames of ``span`` (or only the frame at ``at``).

    Args:
        master: the master file.
        analysis: its analysis (cached; nothing else is decoded but the candidate frames).
        workdir: folder for the small candidate images.
        size: the small size frames are scored at (see :func:`sample_size`).
        span: ``(start, end)`` of the master to look in.
        at: a forced time (an editor's choice): the only candidate.
        per_shot: candidates per shot.
        mask: burned-in text hidden before scoring (the master's masking, master seconds):
            picks are judged on the picture the deliveries show.
    """
    from vidpack.analyze.shots import face_cascade

    if at is not None:
        fps = analysis.fps or 25.0
        times = [(shot_at(analysis, at), round(at * fps) / fps)]
    else:
        times = candidate_times(analysis, span, per_shot=per_shot)
    cascade = face_cascade()
    raw = []
    images = [workdir / f"cand_{n:04d}.png" for n in range(1, len(times) + 1)]
    for lo in range(0, len(times), BATCH):
        extract_frames(
            master, [t for _, t in times[lo : lo + BATCH]], images[lo : lo + BATCH], size, mask
        )
    for (shot_index, time), image in zip(times, images, strict=True):
        if image.exists():
            raw.append((shot_index, time, image, frame_metrics(image, cascade)))
    if at is not None and raw:  # an editor's forced time is kept even when dark
        raw = [(s, t, i, {**m, "luma": max(m["luma"], DARK_LUMA)}) for s, t, i, m in raw]
    return score_candidates(analysis, raw)
