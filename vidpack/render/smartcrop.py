"""Subject tracking for smart crop: where the main subject is over time, as a :class:`CropPath`.

One small decode (gray, 320 px wide, ~5 fps, through the runner's pipe) feeds three cues per
sampled frame: faces (OpenCV's bundled Haar frontal and profile cascades), then salient motion
(frame differences) when no face is seen, and hard cuts (mean frame difference) when no analysis
gives the shot boundaries. Per shot, the observed subject centre is filled and median-smoothed;
the crop holds still while the subject stays within a dead zone around the crop centre, and
follows a move with eased keyframes (zero speed at both ends, the subject's speed in between).
The crop re-targets (jumps) only at shot changes.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vidpack.analyze.model import Analysis
from vidpack.errors import VidpackError
from vidpack.media.runner import pipe_ffmpeg
from vidpack.render.croppath import CropPath, Keyframe, keyframe

log = logging.getLogger("vidpack.render")

SAMPLE_FPS = 5.0
SAMPLE_WIDTH = 320
CUT_DIFF = 30.0  # mean absolute gray difference (0..255) between samples that makes a cut
CUT_HIST = 0.5  # or: share of pixels whose 32-level gray histogram bin changed (0..1)
MOTION_DIFF = 18  # per-pixel gray difference counted as motion
MOTION_MIN = 0.002  # fraction of moving pixels below which a frame shows no subject
DEAD_ZONE = 0.2  # of the crop width: the subject may drift this far before the crop moves
MEDIAN_SAMPLES = 5
STILL_SPEED = 0.01  # crop widths per sample: slower than this, the subject has stopped


def _cascades() -> list[Any]:
    import cv2

    if not hasattr(cv2, "CascadeClassifier"):
        log.warning("this OpenCV has no Haar cascades (OpenCV 5): smart crop follows motion only")
        return []
    folders = [getattr(getattr(cv2, "data", None), "haarcascades", ""), "/usr/share/opencv4/"]
    found = []
    for name in ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml"):
        for folder in folders:
            path = os.path.join(folder, name)
            if folder and os.path.exists(path):
                found.append(cv2.CascadeClassifier(path))
                break
    return found


def _faces(gray: Any, cascades: Sequence[Any]) -> list[tuple[float, float]]:
    """(centre x, width) of faces in pixels, frontal then profile (both directions)."""
    import cv2

    h, w = gray.shape
    min_side = max(12, h // 12)
    boxes: list[tuple[float, float]] = []
    for i, cascade in enumerate(cascades):
        found = cascade.detectMultiScale(gray, 1.2, 4, minSize=(min_side, min_side))
        boxes += [(x + bw / 2, float(bw)) for x, _y, bw, _bh in found]
        if i > 0 and not boxes:  # profile cascades see left-facing profiles: try the mirror
            found = cascade.detectMultiScale(cv2.flip(gray, 1), 1.2, 4, minSize=(min_side,) * 2)
            boxes += [(w - x - bw / 2, float(bw)) for x, _y, bw, _bh in found]
        if boxes:
            break
    return boxes


def _subject_x(boxes: list[tuple[float, float]], w: int, crop: float) -> float:
    """Normalized subject centre: all faces when they fit in the crop, else the largest one."""
    left = min(c - s / 2 for c, s in boxes)
    right = max(c + s / 2 for c, s in boxes)
    if right - left <= crop * w * 0.9:
        return (left + right) / 2 / w
    return max(boxes, key=lambda b: b[1])[0] / w


def _motion_x(prev: Any, gray: Any) -> float | None:
    import cv2
    import numpy as np

    diff = cv2.absdiff(prev, gray)
    mask = diff > MOTION_DIFF
    if mask.mean() < MOTION_MIN:
        return None
    cols = mask.sum(axis=0).astype(np.float64)
    cum = np.cumsum(cols)
    return float(np.searchsorted(cum, cum[-1] / 2)) / gray.shape[1]  # weighted median column


def _is_cut(prev: Any, gray: Any, prev_hist: Any, hist: Any) -> bool:
    """A hard cut between two samples: the picture or its gray-level histogram changed a lot."""
    import numpy as np

    if float(np.abs(gray.astype(np.int16) - prev).mean()) > CUT_DIFF:
        return True
    return float(np.abs(hist - prev_hist).sum()) / 2 > CUT_HIST


def sample_subject(
    master: Path, src_w: int, src_h: int, crop: float, *, fps: float = SAMPLE_FPS
) -> tuple[list[float | None], list[int]]:
    """Decode ``master`` small and return (subject centre per sample or None, cut samples).

    Sample ``i`` is at ``i / fps`` seconds. A cut sample is the first sample of a new shot.
    """
    import numpy as np

    w = SAMPLE_WIDTH
    h = max(2, round(w * src_h / src_w / 2) * 2)
    cascades = _cascades()
    xs: list[float | None] = []
    cuts: list[int] = []
    prev: Any = None
    prev_hist: Any = None
    # "file:" keeps names that start with "-" or contain ":" from being read as options/protocols.
    args = ["-threads", "2", "-i", f"file:{master}", "-map", "0:v:0"]
    args += ["-vf", f"fps={fps:g},scale={w}:{h}:flags=area,format=gray"]
    args += ["-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"]
    size = w * h
    with pipe_ffmpeg(args, label="subject tracking") as stream:
        while True:
            buf = stream.read(size)
            if len(buf) < size:
                break
            gray = np.frombuffer(buf, np.uint8).reshape(h, w)
            boxes = _faces(gray, cascades) if cascades else []
            hist = np.bincount(gray.ravel() >> 3, minlength=32) / size
            is_cut = prev is not None and _is_cut(prev, gray, prev_hist, hist)
            if is_cut:
                cuts.append(len(xs))
            if boxes:
                xs.append(_subject_x(boxes, w, crop))
            elif prev is not None and not is_cut:
                xs.append(_motion_x(prev, gray))
            else:
                xs.append(None)
            prev, prev_hist = gray, hist
    if not xs:
        raise VidpackError(f"subject tracking decoded no frames from {master}")
    return xs, cuts


def _median(values: list[float], size: int) -> list[float]:
    half = size // 2
    out = []
    for i in range(len(values)):
        window = sorted(values[max(0, i - half) : i + half + 1])
        out.append(window[len(window) // 2])
    return out


def _fill(xs: Sequence[float | None]) -> list[float] | None:
    """Gaps filled by the nearest observation (None when the shot has none)."""
    n = len(xs)
    dist = [n + 1] * n
    out: list[float] = [0.0] * n
    last: tuple[int, float] | None = None
    for i, x in enumerate(xs):  # nearest on the left
        if x is not None:
            last = (i, x)
        if last is not None:
            dist[i], out[i] = i - last[0], last[1]
    if last is None:
        return None
    last = None
    for i in range(n - 1, -1, -1):  # nearer on the right?
        x = xs[i]
        if x is not None:
            last = (i, x)
        if last is not None and last[0] - i < dist[i]:
            dist[i], out[i] = last[0] - i, last[1]
    return out


def _shot_keys(
    xs: Sequence[float | None], start: float, end: float, t_first: float, fps: float, crop: float
) -> list[Keyframe]:
    """Keyframes for one shot [start, end) whose samples start at ``t_first``: hold, ease along
    moves, hold the last position."""
    lo, hi = crop / 2, 1 - crop / 2
    filled = _fill(xs)
    if filled is None:
        return [keyframe(start, 0.5), keyframe(end, 0.5)]
    path = [min(hi, max(lo, x)) for x in _median(filled, MEDIAN_SAMPLES)]
    n = len(path)
    times = [t_first + i / fps for i in range(n)]
    dead, still = DEAD_ZONE * crop, STILL_SPEED * crop
    anchor = sorted(path[: min(n, 3)])[min(n, 3) // 2]
    keys = [keyframe(start, anchor)]
    i = 0
    while i < n:
        if abs(path[i] - anchor) <= dead:
            i += 1
            continue
        sign = 1.0 if path[i] > anchor else -1.0
        a = i  # walk back to where the subject started moving this way
        while a > 0 and (path[a] - path[a - 1]) * sign > still / 2 and times[a - 1] > keys[-1].time:
            a -= 1
        b = i  # walk on while it keeps moving this way
        while b + 1 < n and (path[b + 1] - path[b]) * sign > still / 2:
            b += 1
        t_a = max(times[a], keys[-1].time)
        if t_a > keys[-1].time:
            keys.append(keyframe(t_a, anchor))
        step = max(1, round(fps))  # a keyframe a second along the move
        for j in range(a + step, b - step // 2, step):
            v = (path[min(n - 1, j + 1)] - path[max(0, j - 1)]) * fps / 2
            keys.append(keyframe(times[j], path[j], v))
        t_b = max(times[b], keys[-1].time + 1 / fps)
        keys.append(keyframe(min(t_b, end), path[b]))
        anchor = path[b]
        i = b + 1
    if keys[-1].time < end:
        keys.append(keyframe(end, keys[-1].x))
    return keys


def track_subject(
    master: Path,
    analysis: Analysis | None,
    src_w: int,
    src_h: int,
    dst_aspect: float,
    *,
    fps: float = SAMPLE_FPS,
) -> CropPath:
    """Follow the main subject of ``master`` and return the crop path for ``dst_aspect``.

    Args:
        master: the master file.
        analysis: its analysis (shot boundaries from its transitions); None detects hard cuts
            from the sampled frames.
        src_w: display width of the master.
        src_h: display height of the master.
        dst_aspect: target width / height (9/16 for vertical).
        fps: samples per second of the tracking decode.

    Returns:
        The crop centre path; a still centre path when the target is not narrower than the source.

    Raises:
        FFmpegError: the decode failed.
        VidpackError: no frame could be decoded.
    """
    crop = min(1.0, src_h * dst_aspect / src_w)
    if crop >= 0.999:
        return CropPath.still(0.5, crop_w=1.0)
    xs, cut_samples = sample_subject(master, src_w, src_h, crop, fps=fps)
    if analysis is not None:
        bounds = [tr.time for tr in analysis.transitions]
        duration = max(len(xs) / fps, analysis.duration)
    else:
        bounds = [i / fps for i in cut_samples]
        duration = len(xs) / fps
    return path_from_samples(xs, bounds, fps, crop, duration)


def path_from_samples(
    xs: Sequence[float | None], bounds: Sequence[float], fps: float, crop: float, duration: float
) -> CropPath:
    """The crop path from per-sample subject centres (sample ``i`` at ``i / fps``).

    Args:
        xs: subject centre (0..1 of the width) per sample, None where nothing was seen.
        bounds: shot change times in seconds.
        fps: samples per second.
        crop: crop window width as a fraction of the source width.
        duration: the master's duration in seconds.
    """
    inner = sorted({round(b, 6) for b in bounds if 0 < b < duration})
    edges = [0.0, *inner, duration]
    keys: list[Keyframe] = []
    for start, end in itertools.pairwise(edges):
        first = math.ceil(start * fps - 1e-6)  # first sample at or after start
        last = math.ceil(end * fps - 1e-6)
        shot = xs[first:last]
        if not shot:
            x = keys[-1].x if keys else 0.5
            keys += [keyframe(start, x), keyframe(end, x)]
            continue
        keys += _shot_keys(shot, start, end, first / fps, fps, crop)
    return CropPath(keys=_tidy(keys), crop_w=round(crop, 4))


def _tidy(keys: list[Keyframe]) -> tuple[Keyframe, ...]:
    """Sorted keys without repeated holds (a hold key between two equal holds says nothing)."""
    keys = sorted(keys, key=lambda k: k.time)
    out: list[Keyframe] = []
    for k in keys:
        if out and out[-1] == k:
            continue
        out.append(k)
    return tuple(out)
