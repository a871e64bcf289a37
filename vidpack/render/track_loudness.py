"""Loudness of episodes that carry several sound tracks or a dub: each track is metered (one
audio-only pass per source file and output rate) and decided on its own by the same rules as
the master's sound (:mod:`vidpack.render.loudness`), and its plan is kept on the track.

A track is decided through a view of its episode whose "master" is the track's file: the check
encode then seeks and cuts that file exactly as the episode's encode does (tracks are always the
first audio stream of their file: the master's, or the dub's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from vidpack.media.probe import MediaInfo
from vidpack.render.model import EpisodeSpec


def decide_tracks(
    jobs: Sequence[tuple[EpisodeSpec, float, bool]],
    info: MediaInfo,
    dub_infos: Mapping[str, MediaInfo],
    threads: int,
    meters: dict[tuple[str, int, int, int], Any] | None = None,
) -> list[EpisodeSpec]:
    """Each ``(spec, target LUFS, normalise)`` job's spec with a loudness plan on every one of
    its :attr:`~EpisodeSpec.audio` tracks (tracks of a preset that does not normalise keep
    none).

    Args:
        jobs: the specs (each with audio tracks), their targets and whether to normalise.
        info: the master's probe facts.
        dub_infos: the probe facts of every dub file, by path.
        threads: ffmpeg threads for the metering passes and workers for the checks.
        meters: readings already made, by (file, stream, rate, channels): reused and added to.

    Raises:
        FFmpegError: a metering pass or a check failed.
    """
    from vidpack.render.loudness import decide_episodes, measure

    meters = {} if meters is None else meters
    views: dict[str, list[tuple[EpisodeSpec, Any, float]]] = {}
    where: list[tuple[int, int, str, int]] = []  # (job, track, source file, view position)
    for j, (spec, target, normalise) in enumerate(jobs):
        if not normalise:
            continue
        enc = spec.encode
        for t, track in enumerate(spec.audio):
            key = (track.path, track.stream, int(enc["sample_rate"]), int(enc["channels"]))
            if key not in meters:
                source = info if track.source == "master" else dub_infos[track.path]
                meters[key] = measure(
                    track.path, stream=track.stream, sample_rate=key[2], channels=key[3],
                    duration=source.duration, threads=threads,
                )  # fmt: skip
            view = replace(spec, master=track.path, master_id=track.ident, audio=())
            level = meters[key].span(spec.start, spec.start + spec.duration)
            views.setdefault(track.path, []).append((view, level, target))
            where.append((j, t, track.path, len(views[track.path]) - 1))
    decided: dict[str, list[EpisodeSpec]] = {}
    for path, items in views.items():
        source = info if path == str(info.path) else dub_infos[path]
        decided[path] = decide_episodes(items, source, threads)
    out = [spec for spec, _, _ in jobs]
    for j, t, path, n in where:
        planned = decided[path][n]
        tracks = list(out[j].audio)
        tracks[t] = replace(
            tracks[t],
            gain_db=planned.gain_db,
            limit=planned.limit,
            loudness=planned.encode.get("loudness"),
        )
        out[j] = replace(out[j], audio=tuple(tracks))
    return out
