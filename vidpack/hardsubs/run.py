"""Finding burned-in text in a master: one sampling decode, detection, grouping, the cache.

:func:`find_hardsubs` is the one entry point: it probes nothing itself (the caller hands it the
:class:`~vidpack.media.probe.MediaInfo` it already has), runs the sampling decode of
:mod:`vidpack.media.sample` (one process, no second full-size decode), looks for text on the
detection samples, follows it from sample to sample, places each appearance and disappearance
on the decoded frame where it happens (from the every-frame track), sorts dialogue from static
text and keeps the result in ``<master dir>/.vidpack-cache/<stem>.<key>.hardsubs.json``.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.analyze.mkv import read_blocks
from vidpack.errors import InputError
from vidpack.hardsubs import detect, group
from vidpack.hardsubs.maskfile import from_dict
from vidpack.hardsubs.model import Hardsubs, Observation, Track
from vidpack.media.atomic import write_text_atomic
from vidpack.media.runner import pipe_ffmpeg
from vidpack.media.sample import SAMPLE_TRACK, TINY_TRACK, SamplePlan, sample_argv

if TYPE_CHECKING:
    from vidpack.media.probe import MediaInfo

log = logging.getLogger("vidpack.hardsubs")

ALGORITHM_VERSION = 1
CACHE_DIR_NAME = ".vidpack-cache"


@dataclass(frozen=True, slots=True)
class HardsubSettings:
    """Options of the burned-in text search (every default lives here).

    Attributes:
        width: detector frame width in pixels (the height follows the display aspect).
        interval: seconds between detection samples.
        skip: frames the decoder may skip: ``auto`` (all B-frames on a constant-rate master,
            none on a variable-rate one), ``none``, ``noref`` or ``bidir``.
        threads: decoder threads.
        cache: read and write the cache.
        detect: detector thresholds.
        group: grouping rules.
    """

    width: int = 360
    interval: float = 0.25
    skip: str = "auto"
    threads: int = 2
    cache: bool = True
    detect: detect.DetectSettings = field(default_factory=detect.DetectSettings)
    group: group.GroupSettings = field(default_factory=group.GroupSettings)

    def key(self) -> dict[str, Any]:
        """What changes the result (not threads or caching)."""
        d = asdict(self)
        for name in ("threads", "cache"):
            d.pop(name)
        return d


def sample_sizes(info: MediaInfo, width: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(detection size, tiny size) for a master: ``width`` wide at most, sides multiples of 4."""
    w = min(width, info.width) // 4 * 4
    h = max(16, round(info.height * w / info.width / 4) * 4)
    return (w, h), (w // 4, h // 4)


def _cache_path(master: Path, settings: HardsubSettings) -> list[Path]:
    st = master.stat()
    ident = {"path": str(master.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    text = json.dumps({"m": ident, "s": settings.key(), "v": ALGORITHM_VERSION}, sort_keys=True)
    name = f"{master.stem}.{hashlib.sha1(text.encode()).hexdigest()[:16]}.hardsubs.json"
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vidpack"
    return [master.parent / CACHE_DIR_NAME / name, user / name]


def _load(paths: list[Path], info: MediaInfo) -> Hardsubs | None:
    for path in paths:
        if path.is_file():
            try:
                return from_dict(json.loads(path.read_text("utf-8")), info, source=str(path))
            except Exception as err:  # an unreadable cache is only a reason to look again
                log.warning("ignoring unreadable hardsubs cache %s: %s", path, err)
    return None


def _save(paths: list[Path], result: Hardsubs) -> None:
    text = json.dumps(result.to_dict(), separators=(",", ":"))
    for path in paths:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, text)
            return
        except Exception as err:
            log.debug("cannot write hardsubs cache %s: %s", path, err)


def _retime(t: Track, tiny: list[tuple[float, Any]], times: list[float], scale: int) -> Track:
    """Place the track's start and end on the decoded frames between its samples."""
    x, y, w, h = t.box
    box = (x // scale, y // scale, max(1, -(-w // scale)), max(1, -(-h // scale)))

    def between(a: float, b: float) -> list[tuple[float, Any]]:
        i = bisect.bisect_left(times, a - 1e-4)
        j = bisect.bisect_right(times, b + 1e-4)
        return tiny[i:j]

    def edge(a: float | None, b: float) -> float | None:
        if a is None:
            return None
        frames = between(a, b)
        if len(frames) < 2:
            return None
        change = detect.box_change(frames, box)
        for k, value in enumerate(change):
            if value < 0:
                return (frames[k][0] + frames[k + 1][0]) / 2
        return (frames[-2][0] + frames[-1][0]) / 2

    start = edge(t.before, t.first)
    end = edge(t.last, t.after) if t.after is not None else None
    return group.retime(t, start, end)


class _Scan:
    """The streaming side of the search: detection on each sample as soon as its neighbours
    are in, and the every-frame track kept only between two samples whose text differs."""

    def __init__(self, size: tuple[int, int], tiny: tuple[int, int], settings: HardsubSettings):
        self.size, self.tiny_size, self.settings = size, tiny, settings
        self.window: list[tuple[float, Any, Any]] = []  # (time, strokes, widened strokes)
        self.recent: list[tuple[float, Any]] = []  # tiny frames since the sample before last
        self.kept: list[tuple[float, Any]] = []
        self.samples: list[tuple[float, list[Observation]]] = []

    def sample(self, time: float, data: memoryview) -> None:
        import numpy as np

        w, h = self.size
        if len(data) != w * h:
            return
        mask = detect.strokes(np.frombuffer(data, np.uint8).reshape(h, w), self.settings.detect)
        self.window.append((time, mask, detect.widen(mask)))
        if len(self.window) >= 2:
            self._observe(len(self.window) - 2)
        if len(self.window) > 3:
            self.window.pop(0)

    def tiny(self, time: float, data: memoryview) -> None:
        import numpy as np

        tw, th = self.tiny_size
        if len(data) == tw * th:
            self.recent.append((time, np.frombuffer(data, np.uint8).reshape(th, tw).copy()))

    def finish(self) -> None:
        if self.window:
            self._observe(len(self.window) - 1)

    def _observe(self, k: int) -> None:
        """Detect on window sample ``k`` and keep the tiny frames before it if text changed."""
        t, mask, _ = self.window[k]
        near = [self.window[j][2] for j in (k - 1, k + 1) if 0 <= j < len(self.window)]
        found = detect.boxes(detect.stable(mask, near), t, self.settings.detect)
        if self.samples:
            t0, before = self.samples[-1]
            if group.changed(before, found, self.settings.group):
                self.kept += [f for f in self.recent if t0 - 1e-4 <= f[0] <= t + 1e-4]
            self.recent = [f for f in self.recent if f[0] >= t - 1e-4]
        self.samples.append((t, found))


def cached_hardsubs(
    master: Path, info: MediaInfo, settings: HardsubSettings | None = None
) -> Hardsubs | None:
    """The cached result of :func:`find_hardsubs` for ``master``, or None (nothing decoded)."""
    return _load(_cache_path(master, settings or HardsubSettings()), info)


def find_hardsubs(
    master: Path, info: MediaInfo, settings: HardsubSettings | None = None
) -> Hardsubs:
    """The burned-in text regions of ``master`` (cached beside it).

    Args:
        master: the master file.
        info: its probe result.
        settings: options (defaults: :class:`HardsubSettings`).

    Raises:
        InputError: the master has no video stream.
        vidpack.errors.FFmpegError: the sampling decode failed.
    """
    settings = settings or HardsubSettings()
    if info.video is None:
        raise InputError(f"{master.name} has no video stream: give a video master")
    paths = _cache_path(master, settings)
    if settings.cache:
        cached = _load(paths, info)
        if cached is not None:
            return cached
    size, tiny_size = sample_sizes(info, settings.width)
    skip = settings.skip
    if skip == "auto":
        skip = "none" if info.video.is_vfr else "bidir"
    plan = SamplePlan(size, tiny_size, settings.interval, skip, settings.threads)
    scan = _Scan(size, tiny_size, settings)
    with pipe_ffmpeg(sample_argv(master, info.video.index, plan), label="text search") as out:
        for block in read_blocks(out):
            if block.track == SAMPLE_TRACK:
                scan.sample(block.time, block.data)
            elif block.track == TINY_TRACK:
                scan.tiny(block.time, block.data)
    scan.finish()
    samples, tiny = scan.samples, sorted(scan.kept, key=lambda item: item[0])
    times = [t for t, _ in tiny]
    w, h = size
    tracks = group.track(samples, settings.group, info.duration)
    tracks = [_retime(t, tiny, times, w // tiny_size[0]) for t in tracks]
    dialogue, static = group.classify(tracks, size, settings.group)
    scale = (info.width / w, info.height / h)
    size_m = (info.width, info.height)
    regions = tuple(group.to_master(r, scale, size_m) for r in dialogue + static)
    result = Hardsubs(info.width, info.height, info.duration, regions, len(samples))
    if settings.cache:
        _save(paths, result)
    return result
