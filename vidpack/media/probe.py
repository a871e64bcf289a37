"""Probing media files into frozen facts (:class:`MediaInfo`) with ffprobe.

Display size accounts for rotation metadata and non-square pixels. Constant or variable frame
rate is decided from the timestamps of a bounded sample of video packets (one extra ffprobe call,
no decoding), not from the header: Matroska/WebM store whole milliseconds, so their steps
jitter by a tick and their avg_frame_rate can disagree with r_frame_rate on a constant-rate
file, while an MP4 with dropped frames (psd/goldeneye-vfr-drop3.mp4) has a clean header. A
constant rate is kept as an exact rational (r_frame_rate when the packets agree with it, else
the nearest standard rate, for Matroska files whose header rate is a guess).

mp/fire2.mp4 (a phone clip) reports r_frame_rate 90000/1, which is its time base, not a rate:
its 25 frames step by 80 to 100 ms in runs of two to six, so it is variable (mean 10.5 fps).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidpack.errors import FFmpegError, InputError, UsageError
from vidpack.media.runner import run_ffprobe

# Video packets read for the frame-rate verdict: the first ones, and more from the middle of
# files longer than both samples (one ffprobe call, no decoding).
_HEAD_PACKETS = 500
_MID_PACKETS = 200
# A constant-rate grid may wobble by this many ticks of the time base: each of two timestamps
# can be rounded by up to one tick (Matroska: whole milliseconds).
_GRID_TICKS = 2
# Share of a constant-rate grid's frame slots that may be empty (dropped frames).
_MAX_EMPTY_SLOTS = 0.01
# A measured rate within this share of a header or standard rate is taken as that rate.
_SNAP = Fraction(1, 1000)
_STANDARD_RATES = (
    *map(Fraction, (8, 10, 12, 15, 16, 18, 20, 24, 25, 30, 48, 50, 60, 72, 90, 100, 120, 240)),
    Fraction(25, 2),
    *(Fraction(rate * 1000, 1001) for rate in (24, 30, 48, 60, 120)),  # NTSC rates
)


def rate_text(fps: float) -> str:
    """A frame rate for a filter graph: a standard rate as its exact rational (``30000/1001``),
    anything else with six decimals. Filters given the same text get the same time base, which
    ``xfade`` and ``concat`` demand of their inputs (``29.970030`` is not ``30000/1001``)."""
    for rate in _STANDARD_RATES:
        if abs(fps - float(rate)) <= 1e-5 * float(rate):
            return f"{rate.numerator}/{rate.denominator}"
    return f"{fps:.6f}"


@dataclass(frozen=True, slots=True)
class AudioStream:
    """One audio stream of a file."""

    index: int
    codec: str
    sample_rate: int
    channels: int
    channel_layout: str
    language: str | None
    bit_rate: int | None = None


@dataclass(frozen=True, slots=True)
class SubtitleStream:
    """One subtitle stream of a file."""

    index: int
    codec: str
    language: str | None
    title: str | None = None
    default: bool = False


@dataclass(frozen=True, slots=True)
class VideoStream:
    """The first video stream of a file, with display geometry resolved."""

    index: int
    codec: str
    profile: str | None
    coded_width: int
    coded_height: int
    width: int  # display width: after rotation and sample aspect ratio
    height: int  # display height
    rotation: int  # degrees, 0/90/180/270, as the player applies it
    sar: Fraction
    fps: Fraction  # exact when constant (30000/1001, 24/1); the mean rate when variable
    is_vfr: bool  # from the packet timestamps: see _cadence
    pix_fmt: str
    bit_depth: int
    color_space: str | None
    color_primaries: str | None
    color_transfer: str | None
    color_range: str | None
    frame_count: int  # exact when the container says so, else estimated from duration and fps


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What vidpack needs to know about a media file."""

    path: str
    size_bytes: int
    format_name: str
    duration: float
    start_time: float
    bit_rate: int | None
    video: VideoStream | None
    audio: tuple[AudioStream, ...]
    subtitles: tuple[SubtitleStream, ...]

    @property
    def width(self) -> int:
        return self.video.width if self.video else 0

    @property
    def height(self) -> int:
        return self.video.height if self.video else 0

    @property
    def fps(self) -> Fraction:
        return self.video.fps if self.video else Fraction(0)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: ``fps`` is the exact rational as text (``"30000/1001"``, the mean
        rate when ``is_vfr``), ``fps_float`` the same as a number."""
        data = asdict(self)
        data["width"], data["height"] = self.width, self.height
        data["fps"] = f"{self.fps.numerator}/{self.fps.denominator}"
        data["fps_float"] = round(float(self.fps), 6)
        data["is_vfr"] = bool(self.video and self.video.is_vfr)
        data["frame_count"] = self.video.frame_count if self.video else 0
        if self.video:
            v = data["video"]
            v["fps"] = f"{self.video.fps.numerator}/{self.video.fps.denominator}"
            v["sar"] = f"{self.video.sar.numerator}:{self.video.sar.denominator}"
        return data


def _ratio(text: str | None, default: Fraction = Fraction(0)) -> Fraction:
    if not text:
        return default
    num, _, den = text.replace(":", "/").partition("/")
    try:
        n, d = int(num), int(den or 1)
    except ValueError:
        return default
    return Fraction(n, d) if d else default


def _float(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _rotation(stream: dict[str, Any]) -> int:
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            return round(-_float(side["rotation"])) % 360
    return int(_float(stream.get("tags", {}).get("rotate", 0))) % 360


def _bit_depth(stream: dict[str, Any]) -> int:
    raw = _int(stream.get("bits_per_raw_sample"))
    if raw:
        return raw
    fmt = stream.get("pix_fmt", "")
    for depth in (16, 14, 12, 10, 9):
        if f"p{depth}" in fmt:
            return depth
    return 8


def _sample(path: Path, index: int, mid: float | None) -> list[list[dict[str, Any]]]:
    """Video packets (``pts``, ``dts`` in ticks), in decode order, read in one ffprobe call:
    the first :data:`_HEAD_PACKETS`, and :data:`_MID_PACKETS` from ``mid`` seconds on when
    given. Each run of packets read without a seek is returned as its own list."""
    intervals = f"%+#{_HEAD_PACKETS}" + (f",{mid:.3f}%+#{_MID_PACKETS}" if mid else "")
    data = run_ffprobe(
        [
            *("-select_streams", str(index), "-read_intervals", intervals),
            *("-show_entries", "packet=pts,dts", "--", str(path)),
        ],
        label=f"timestamps of {path.name}",
    )
    packets = [p for p in data.get("packets", []) if isinstance(p, dict)]
    return [packets[:_HEAD_PACKETS], packets[_HEAD_PACKETS:]]


def _steps(run: list[dict[str, Any]]) -> list[int]:
    """Display-order steps, in ticks, between the frames of one run of packets.

    Only frames shown no later than the last decoded one count: with B-frames a decode-order
    run has holes at its end in display order, which would look like a changing frame rate.
    """
    pts = [v for v in (_int(p.get("pts")) for p in run) if v is not None]
    dts = [v for v in (_int(p.get("dts")) for p in run) if v is not None]
    if not pts:
        return []
    last = max(dts) if dts else max(pts)
    shown = sorted({t for t in pts if t <= last})
    return [b - a for a, b in itertools.pairwise(shown)]


def _cadence(runs: list[list[int]], tick: Fraction) -> tuple[bool, Fraction | None]:
    """``(variable, measured frames per second)`` from the steps of the sampled runs.

    Constant rate means every sampled frame sits on one grid of frame periods: each timestamp
    within the container's timestamp resolution of it (Matroska and WebM round times to whole
    milliseconds, so their steps jitter by a tick; the grid does not drift) and at most
    :data:`_MAX_EMPTY_SLOTS` of the grid's slots empty (a dropped frame here and there). The
    rate is measured over whole runs, so millisecond rounding does not bias it.
    """
    steps = sorted(d for run in runs for d in run)
    if len(steps) < 3:
        return False, None
    usual = steps[len(steps) // 2]
    regular = [d for d in steps if abs(d - usual) <= 1]
    guess = Fraction(sum(regular), len(regular))
    slots = [[round(d / guess) for d in run] for run in runs]
    total_slots = sum(sum(s) for s in slots)
    if total_slots == 0 or any(k == 0 for s in slots for k in s):
        return True, Fraction(len(steps), 1) / (sum(steps) * tick)
    period = Fraction(sum(steps), total_slots)
    drift = Fraction(0)
    for run, run_slots in zip(runs, slots, strict=True):
        offsets = [Fraction(0)]
        at, slot = 0, 0
        for d, k in zip(run, run_slots, strict=True):
            at, slot = at + d, slot + k
            offsets.append(at - slot * period)
        drift = max(drift, max(offsets) - min(offsets))
    empty = total_slots - len(steps)
    variable = drift > _GRID_TICKS or empty > _MAX_EMPTY_SLOTS * total_slots
    if variable:
        return True, Fraction(len(steps), 1) / (sum(steps) * tick)
    return False, 1 / (period * tick)


def _exact_rate(measured: Fraction, header: tuple[Fraction, ...]) -> Fraction:
    """The rational frame rate for a measured constant rate: the header's rate when it agrees
    within :data:`_SNAP` (Matroska's r_frame_rate is often a guess), else the nearest standard
    rate within that, else the measurement itself as a small fraction."""
    for rate in header:
        if rate > 0 and abs(rate - measured) <= _SNAP * measured:
            return rate
    nearest = min(_STANDARD_RATES, key=lambda r: abs(r - measured))
    if abs(nearest - measured) <= _SNAP * measured:
        return nearest
    return measured.limit_denominator(1001)


def _frame_rate(
    path: Path, s: dict[str, Any], start: float, duration: float
) -> tuple[Fraction, bool]:
    """``(fps, is_vfr)`` of video stream ``s``, decided from its packet timestamps.

    A constant rate is exact (30000/1001, 24/1); a variable rate is the mean rate.
    """
    avg, real = _ratio(s.get("avg_frame_rate")), _ratio(s.get("r_frame_rate"))
    tick = _ratio(s.get("time_base"))
    nominal = avg if avg > 0 else real
    frames = _int(s.get("nb_frames")) or (duration * float(nominal) if nominal else 0)
    mid = start + duration / 2 if frames > _HEAD_PACKETS + _MID_PACKETS else None
    if tick <= 0:
        return nominal, False
    runs = [_steps(run) for run in _sample(path, int(s["index"]), mid)]
    variable, measured = _cadence(runs, tick)
    if measured is None:
        return nominal, False
    if variable:
        return (avg if avg > 0 else measured.limit_denominator(1001)), True
    return _exact_rate(measured, (real, avg)), False


def _video(path: Path, s: dict[str, Any], start: float, duration: float) -> VideoStream:
    coded_w, coded_h = int(s.get("width", 0)), int(s.get("height", 0))
    sar = _ratio(s.get("sample_aspect_ratio"), Fraction(1)) or Fraction(1)
    rotation = _rotation(s)
    disp_w, disp_h = coded_w, coded_h
    if sar != 1:
        disp_w = round(coded_w * sar / 2) * 2
    if rotation in (90, 270):
        disp_w, disp_h = disp_h, disp_w
    fps, is_vfr = _frame_rate(path, s, start, duration)
    index = int(s["index"])
    frames = _int(s.get("nb_frames")) or (round(duration * float(fps)) if fps else 0)
    return VideoStream(
        index=index,
        codec=s.get("codec_name", "unknown"),
        profile=s.get("profile"),
        coded_width=coded_w,
        coded_height=coded_h,
        width=disp_w,
        height=disp_h,
        rotation=rotation,
        sar=sar,
        fps=fps,
        is_vfr=is_vfr,
        pix_fmt=s.get("pix_fmt", "unknown"),
        bit_depth=_bit_depth(s),
        color_space=s.get("color_space"),
        color_primaries=s.get("color_primaries"),
        color_transfer=s.get("color_transfer"),
        color_range=s.get("color_range"),
        frame_count=frames,
    )


def _content_duration(streams: list[dict[str, Any]], fmt_duration: float, start: float) -> float:
    """Seconds from the first presentation time to the end of the longest stream.

    A container's duration can include an initial empty edit (a delayed start); the content
    is what episodes are cut from, so that is what vidpack calls the duration.
    """
    ends = [
        _float(s.get("start_time")) + _float(s.get("duration"))
        for s in streams
        if s.get("codec_type") in ("video", "audio") and _float(s.get("duration")) > 0
    ]
    if ends and start >= 0:
        return max(0.0, max(ends) - start)
    return fmt_duration


def probe(path: str | os.PathLike[str]) -> MediaInfo:
    """Read a media file's facts with ffprobe.

    Raises:
        InputError: the file is missing, empty, or not media ffprobe can read.
    """
    p = Path(path)
    if not p.exists():
        raise UsageError(f"file not found: {str(p)!r}: check the path")
    if p.is_dir():
        raise InputError(f"{str(p)!r} is a folder: give a media file")
    size = p.stat().st_size
    if size == 0:
        raise InputError(f"{str(p)!r} is empty (0 bytes): give a complete media file")
    try:
        data = run_ffprobe(
            ["-show_format", "-show_streams", "--", str(p)], label=f"probing {p.name}"
        )
    except FFmpegError as err:
        detail = str(err).split(": ", 1)[-1]
        raise InputError(f"{str(p)!r} is not a media file ffprobe can read ({detail})") from None
    fmt = data.get("format", {})
    streams = data.get("streams", [])
    if not streams:
        raise InputError(f"{str(p)!r} has no audio or video streams: give a media file")
    start_time = _float(fmt.get("start_time"))
    duration = _content_duration(streams, _float(fmt.get("duration")), start_time)
    video = next(
        (
            _video(p, s, start_time, duration)
            for s in streams
            if s.get("codec_type") == "video"
            and not s.get("disposition", {}).get("attached_pic", 0)
        ),
        None,
    )
    audio = tuple(
        AudioStream(
            index=int(s["index"]),
            codec=s.get("codec_name", "unknown"),
            sample_rate=int(_float(s.get("sample_rate"))),
            channels=int(s.get("channels", 0)),
            channel_layout=s.get("channel_layout", ""),
            language=s.get("tags", {}).get("language"),
            bit_rate=_int(s.get("bit_rate")),
        )
        for s in streams
        if s.get("codec_type") == "audio"
    )
    subtitles = tuple(
        SubtitleStream(
            index=int(s["index"]),
            codec=s.get("codec_name", "unknown"),
            language=s.get("tags", {}).get("language"),
            title=s.get("tags", {}).get("title"),
            default=bool(s.get("disposition", {}).get("default", 0)),
        )
        for s in streams
        if s.get("codec_type") == "subtitle"
    )
    return MediaInfo(
        path=str(p),
        size_bytes=size,
        format_name=fmt.get("format_name", "unknown"),
        duration=duration,
        start_time=start_time,
        bit_rate=_int(fmt.get("bit_rate")),
        video=video,
        audio=audio,
        subtitles=subtitles,
    )


def require_video(info: MediaInfo) -> VideoStream:
    """The video stream of ``info``.

    Raises:
        InputError: the file has no video stream.
    """
    if info.video is None:
        raise InputError(f"{info.path!r} has no video stream: give a master with picture")
    if info.duration <= 0:
        raise InputError(f"{info.path!r} has no duration (truncated?): give a complete master")
    return info.video
