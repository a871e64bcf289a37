"""One decode feeding several encodes: the episodes of several renditions that cut the same
range of the same master rendered by one ffmpeg process with one output per rendition.

The master is opened once (one seek); its picture is ``split`` and its sound ``asplit`` into one
branch per output, each with its own chain (rate, reframe, burned subtitles; gain, limiter,
fades, layout) and its own encoder settings, so every output is byte-for-byte what the
single-output command would make of it, without decoding the master again. Each output is
written to a temporary name and all of them are renamed only when the process succeeds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path

from vidpack.errors import UsageError
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
    video_chain,
)
from vidpack.render.model import EpisodeSpec

# More outputs than this in one process are split into several processes (each encoder holds
# its own lookahead frames in memory).
MAX_OUTPUTS = 8


def shared_input_key(spec: EpisodeSpec) -> tuple[str, str, str]:
    """What specs must share to be rendered from one input: master, seek point, audio skip."""
    seek, half = seek_point(spec)
    return spec.master, f"{seek:.6f}", f"{half:.6f}"


def multi_episode_args(
    specs: Sequence[EpisodeSpec], info: MediaInfo, outputs: Sequence[str], threads: int
) -> list[str]:
    """The ffmpeg arguments (after the house flags) rendering every spec from one decode.

    Args:
        specs: the episodes, all with the same :func:`shared_input_key`.
        info: the master's probe facts.
        outputs: one (temporary) output path per spec, in the same order.
        threads: decoder threads for the process (as a single-output render gets).

    Raises:
        UsageError: no spec, a different number of outputs, or specs that do not share the input.
    """
    if not specs or len(specs) != len(outputs):
        raise UsageError(
            f"multi-output render of {len(specs)} episodes into {len(outputs)} files: "
            "give one output per episode"
        )
    keys = {shared_input_key(s) for s in specs}
    if len(keys) != 1:
        raise UsageError(
            f"multi-output render of episodes that do not share one input ({len(keys)} seeks): "
            "group them by shared_input_key"
        )
    first = specs[0]
    seek, half = seek_point(first)
    count = len(specs)
    args: list[str] = ["-threads", str(threads), "-ss", f"{seek:.6f}", "-i", first.master]
    next_input = 1
    silent_at: dict[int, int] = {}  # output number -> its silent input's index
    hooks_at: list[int] = []  # output number -> the index of its first hook input
    items = [sounds(spec, info) for spec in specs]
    sources: list[list[str]] = []
    for k, spec in enumerate(specs):
        if not items[k] and spec.encode["audio_required"]:
            args += silent_input(spec.encode)
            silent_at[k] = next_input
            next_input += 1
        extra, where = dub_inputs(items[k], seek, next_input)
        args += extra
        next_input += sum(1 for item in items[k] if item.path is not None)
        sources.append(where)
        args += hook_inputs(spec)
        hooks_at.append(next_input)
        next_input += len(spec.hooks.inputs)

    video_tags = "".join(f"[s{k}]" for k in range(count))
    parts = [f"[0:v:0]split={count}{video_tags}"]
    parts += [f"[s{k}]{video_chain(spec, info)}[v{k}]" for k, spec in enumerate(specs)]
    # the master's sound split into one branch per track that reads it
    branches: dict[str, list[str]] = {}
    labels: list[list[str]] = []
    chains: list[str] = []
    for k in range(count):
        labels.append([])
        for n, (item, source) in enumerate(zip(items[k], sources[k], strict=True)):
            label = f"a{k}" if len(items[k]) == 1 else f"a{k}_{n}"
            if source.startswith("0:"):
                tag = f"m{k}" if len(items[k]) == 1 else f"m{k}_{n}"
                branches.setdefault(source, []).append(tag)
                source = tag
            chains.append(audio_chain(item.spec, source, half, label))
            labels[k].append(label)
        if k in silent_at:
            chains.append(audio_chain(specs[k], f"{silent_at[k]}:a:0", 0.0, f"a{k}"))
            labels[k] = [f"a{k}"]
    for source, tags in branches.items():
        parts.append(f"[{source}]asplit={len(tags)}" + "".join(f"[{t}]" for t in tags))
    parts += chains
    args += ["-filter_complex", ";".join(parts)]
    for k, (spec, output) in enumerate(zip(specs, outputs, strict=True)):
        args += output_args(spec, f"v{k}", labels[k] or None, hooks_at[k], output)
    return args


def render_multi(
    specs: Sequence[EpisodeSpec],
    info: MediaInfo,
    threads: int,
    *,
    dry_run: bool = False,
    on_progress: Callable[[float], None] | None = None,
    label: str = "",
    commits: Sequence[Callable[[Path], None]] = (),
) -> None:
    """Render ``specs`` (sharing one input) in one ffmpeg process into their ``output`` files.

    Every output goes through a temporary name; all are renamed only when ffmpeg succeeds, and
    all temporary files are removed when it fails or is interrupted.

    Args:
        specs: the episodes (see :func:`multi_episode_args`).
        info: the master's probe facts.
        threads: decoder threads.
        dry_run: print the command with the final names instead of running it.
        on_progress: receives the fraction done of the longest output.
        label: what is being made, for error messages.
        commits: one ``before_rename`` hook per spec (see :func:`atomic_output`).

    Raises:
        FFmpegError: ffmpeg failed (no output is kept).
    """
    from vidpack.media.runner import run_ffmpeg

    if dry_run:
        run_ffmpeg(
            multi_episode_args(specs, info, [str(s.output) for s in specs], threads), label=label
        )
        return
    with contextlib.ExitStack() as stack:
        hooks: list[Callable[[Path], None] | None] = list(commits) or [None] * len(specs)
        temps = [
            stack.enter_context(atomic_output(s.output, h))
            for s, h in zip(specs, hooks, strict=True)
        ]
        run_ffmpeg(
            multi_episode_args(specs, info, [str(t) for t in temps], threads),
            duration=max(s.duration for s in specs),
            on_progress=on_progress,
            label=label,
        )
