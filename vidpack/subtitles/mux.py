"""ffmpeg arguments that add subtitle tracks to an episode: inputs, maps, codec and tags.

MP4 takes text only as ``mov_text``; MKV takes SRT or ASS as they are. Each track gets its
ISO 639-2/B ``language`` tag and a ``title`` (MP4 stores it as the
track's ``handler_name``); the first is the default track, the others not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vidpack.errors import UsageError
from vidpack.subtitles.languages import Language


@dataclass(frozen=True, slots=True)
class MuxTrack:
    """One subtitle file (already retimed to the episode) and its language."""

    path: Path
    language: Language


@dataclass(frozen=True, slots=True)
class MuxArgs:
    """Pieces to merge into the episode's ffmpeg command.

    ``inputs`` go after the existing inputs, ``maps`` after the video/audio maps, ``options``
    before the output name.
    """

    inputs: list[str] = field(default_factory=list)
    maps: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


def subtitle_codec(container: str, source_format: str) -> str:
    """The subtitle codec for ``container`` (``mp4``/``mov``/``mkv``/``webm``).

    Raises:
        UsageError: a container that cannot carry text subtitles.
    """
    if container in ("mp4", "mov", "m4v"):
        return "mov_text"
    if container == "mkv":
        return "ass" if source_format in ("ass", "ssa") else "srt"
    if container == "webm":
        return "webvtt"
    raise UsageError(
        f"--subs-mode mux: a .{container} file cannot carry text subtitles; use .mp4 or .mkv"
    )


def mux_args(
    tracks: Sequence[MuxTrack], *, container: str, first_input: int, first_stream: int = 0
) -> MuxArgs:
    """Arguments adding ``tracks`` as subtitle streams.

    Args:
        tracks: in order; the first becomes the default track.
        container: the output's extension without the dot.
        first_input: the ffmpeg input index the first track will have.
        first_stream: how many subtitle streams the output already has before these.
    """
    inputs: list[str] = []
    maps: list[str] = []
    options: list[str] = []
    for k, track in enumerate(tracks):
        n = first_stream + k
        fmt = track.path.suffix.lower().lstrip(".")
        inputs += ["-f", _demuxer(fmt), "-i", f"file:{Path(track.path).absolute()}"]
        maps += ["-map", f"{first_input + k}:0"]
        options += [
            f"-c:s:{n}",
            subtitle_codec(container, fmt),
            f"-metadata:s:s:{n}",
            f"language={track.language.iso639_2}",
            f"-metadata:s:s:{n}",
            f"title={track.language.name}",
            f"-metadata:s:s:{n}",
            f"handler_name={track.language.name}",  # MP4 keeps a track's name here
            f"-disposition:s:{n}",
            "default" if n == 0 else "0",
        ]
    return MuxArgs(inputs=inputs, maps=maps, options=options)


def _demuxer(fmt: str) -> str:
    return {"srt": "srt", "ass": "ass", "ssa": "ass", "vtt": "webvtt"}.get(fmt, "srt")
