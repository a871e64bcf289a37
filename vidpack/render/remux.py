"""An episode file made from another one's picture: the coded video stream copied from a file of
the same picture (equal :func:`~vidpack.render.model.picture_key`), the sound tracks rendered
anew (a dubbed language's episodes, sharing the textless picture, cost an audio encode and a
copy instead of a second video encode), with the spec's muxed subtitle tracks.

The picture is copied, not re-encoded, so it is bit-identical to its source; the sound goes
through the same chains (seek, cut, loudness plan, fades) as a full render of the spec.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from vidpack.media.atomic import atomic_output
from vidpack.media.probe import MediaInfo
from vidpack.render.encode import (
    audio_chain,
    dub_inputs,
    hook_inputs,
    output_args,
    seek_point,
    silent_input,
    sounds,
)
from vidpack.render.model import EpisodeSpec


def remux_args(spec: EpisodeSpec, picture: str, info: MediaInfo, tmp_output: str) -> list[str]:
    """The ffmpeg arguments (after the house flags) making ``spec`` from the file ``picture``.

    Args:
        spec: the episode to make.
        picture: an episode file with the same picture (its video stream is copied).
        info: the master's probe facts.
        tmp_output: the (temporary) output path.
    """
    seek, half = seek_point(spec)
    # the master's own sound is read from the master (input 0 is the picture's file)
    items = [replace(s, path=s.path or spec.master) for s in sounds(spec, info)]
    args: list[str] = ["-threads", "1", "-i", picture]
    next_input = 1
    silent = not items and spec.encode["audio_required"]
    if silent:
        args += silent_input(spec.encode)
        next_input = 2
    extra, sources = dub_inputs(items, seek, next_input)
    args += extra
    next_input += len(items)
    args += hook_inputs(spec)
    chains = []
    labels = []
    for k, (item, source) in enumerate(zip(items, sources, strict=True)):
        labels.append(f"a{k}")
        chains.append(audio_chain(item.spec, source, half, labels[-1]))
    if silent:
        chains.append(audio_chain(spec, "1:a:0", 0.0, "a0"))
        labels = ["a0"]
    if chains:
        args += ["-filter_complex", ";".join(chains)]
    args += output_args(spec, "0:v:0", labels or None, next_input, tmp_output, copy_video=True)
    return args


def render_remux(
    spec: EpisodeSpec,
    picture: Path,
    info: MediaInfo,
    *,
    dry_run: bool = False,
    on_progress: Callable[[float], None] | None = None,
    label: str = "",
    commit: Callable[[Path], None] | None = None,
) -> None:
    """Make ``spec``'s file from ``picture`` (see :func:`remux_args`) through a temporary name.

    Raises:
        FFmpegError: ffmpeg failed (nothing is kept).
    """
    from vidpack.media.runner import run_ffmpeg

    if dry_run:
        run_ffmpeg(remux_args(spec, str(picture), info, str(spec.output)), label=label)
        return
    with atomic_output(spec.output, before_rename=commit) as tmp:
        run_ffmpeg(
            remux_args(spec, str(picture), info, str(tmp)),
            duration=spec.duration,
            on_progress=on_progress,
            label=label,
        )
