"""Probing media files into frozen facts (:class:`MediaInfo`) with ffprobe.

Display size accounts for rotation metadata and non-square pixels; the frame rate, constant or
variable, comes from the packet timestamps (:mod:`vidpack.media.rates`).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidpack.errors import FFmpegError, InputError, UsageError
from vidpack.media.rates import frame_rate, int_or_none, ratio
from vidpack.media.runner import run_ffprobe


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


def _float(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _rotation(stream: dict[str, Any]) -> int:
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            return round(-_float(side["rotation"])) % 360
    return int(_float(stream.get("tags", {}).get("rotate", 0))) % 360


def _bit_depth(stream: dict[str, Any]) -> int:
    raw = int_or_none(stream.get("bits_per_raw_sample"))
    if raw:
        return raw
    fmt = stream.get("pix_fmt", "")
    for depth in (16, 14, 12, 10, 9):
        if f"p{depth}" in fmt:
            return depth
    return 8


def _video(path: Path, s: dict[str, Any], start: float, duration: float) -> VideoStream:
    coded_w, coded_h = int(s.get("width", 0)), int(s.get("height", 0))
    sar = ratio(s.get("sample_aspect_ratio"), Fraction(1)) or Fraction(1)
    rotation = _rotation(s)
    disp_w, disp_h = coded_w, coded_h
    if sar != 1:
        disp_w = round(coded_w * sar / 2) * 2
    if rotation in (90, 270):
        disp_w, disp_h = disp_h, disp_w
    fps, is_vfr = frame_rate(path, s, start, duration)
    index = int(s["index"])
    frames = int_or_none(s.get("nb_frames")) or (round(duration * float(fps)) if fps else 0)
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
            bit_rate=int_or_none(s.get("bit_rate")),
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
        bit_rate=int_or_none(fmt.get("bit_rate")),
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
