"""Splitting a master into episode files: check the plan against the preset, build one
:class:`EpisodeSpec` per episode, skip what is up to date, measure loudness once, and render the
rest (in parallel with ``jobs``), each through a temporary file renamed when complete.

A failing episode does not stop the others; the result lists what failed and why.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from vidpack.analyze.model import Analysis
from vidpack.errors import Cancelled, UsageError, VidpackError
from vidpack.hardsubs.model import Masking
from vidpack.media.atomic import atomic_output, check_writable_dir, remove_stale_partials
from vidpack.media.lock import folder_lock
from vidpack.media.probe import MediaInfo, probe, require_video
from vidpack.media.runner import settings
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset
from vidpack.render.croppath import CropPath
from vidpack.render.encode import encode_settings, episode_args
from vidpack.render.limits import check_plan_limits, size_warnings
from vidpack.render.model import (
    REFRAME_MODES,
    EpisodeResult,
    EpisodeSpec,
    Hooks,
    RenderOptions,
    SplitResult,
    render_key,
)
from vidpack.render.observer import NullObserver, Observer
from vidpack.render.pool import run_all
from vidpack.render.state import SplitState


class _Stop(Exception):
    """Raised inside a worker's progress callback to stop its ffmpeg when the run is cancelled."""


def episode_name(preset: Preset, series: str | None, index: int) -> str:
    """The episode's file name from the preset's naming template (``.mp4`` added), by
    :func:`vidpack.presets.naming.episode_file` (the name every command uses)."""
    from vidpack.presets.naming import episode_file

    return episode_file(preset.naming, series, index, platform=preset.name)


def build_specs(
    info: MediaInfo,
    master_id: str,
    plan: EpisodePlan,
    preset: Preset,
    options: RenderOptions,
    out_dir: Path,
    hooks: dict[int, Hooks] | None = None,
    crop_path: CropPath | None = None,
) -> list[EpisodeSpec]:
    """One spec per plan episode (loudness gain not yet filled in), with the compliance slate
    when the preset requires one and ``options`` carries the licence number.

    Args:
        info: the master's probe facts.
        master_id: the master's fingerprint.
        plan: the episode plan.
        preset: the resolved preset.
        options: render options.
        out_dir: the output folder.
        hooks: per-episode additions (subtitles), by episode index.
        crop_path: the master's smart-crop path (``smart`` reframe only).
    """
    video = require_video(info)
    src_fps = float(video.fps) or plan.master.fps
    out_fps = preset.video.pick_fps(src_fps)
    resample = video.is_vfr or abs(out_fps - src_fps) > 1e-3
    settings_ = encode_settings(preset, out_fps, options.x264_preset)
    key = preset.encode_key()
    from vidpack.render.cards import episode_cards
    from vidpack.render.slate import slate_for

    slate = slate_for(preset, options.license_number)
    last = len(plan.episodes)
    specs: list[EpisodeSpec] = []
    for ep in plan.episodes:
        if resample:
            first = round(ep.start * out_fps)
            frames = round(ep.end * out_fps) - first
            start = first / out_fps
            start_frame = first
        else:
            start_frame = ep.start_frame
            frames = ep.end_frame - ep.start_frame
            if ep.index == last and video.frame_count > start_frame:
                frames = min(frames, video.frame_count - start_frame)
            start = start_frame / src_fps
        cards = episode_cards(
            preset, options.cards, index=ep.index, count=last, duration=max(1, frames) / out_fps,
            title=options.card_title, language=options.card_language,
        )  # fmt: skip
        specs.append(
            EpisodeSpec(
                index=ep.index,
                output=out_dir / episode_name(preset, options.series, ep.index),
                master=str(info.path),
                master_id=master_id,
                start=start,
                frames=max(1, frames),
                src_fps=src_fps,
                out_fps=out_fps,
                resample=resample,
                start_frame=start_frame,
                encode_key=key,
                encode=settings_,
                reframe=options.reframe,
                hooks=(hooks or {}).get(ep.index, Hooks()),
                crop_path=crop_path if options.reframe == "smart" else None,
                slate=slate,
                mask=_episode_mask(options, start, max(1, frames) / out_fps),
                audio=options.audio,
                cards=cards,
            )
        )
    return specs


def _episode_mask(options: RenderOptions, start: float, duration: float) -> Masking | None:
    """The master's masking cut to one episode (ranges in episode seconds), or None when off."""
    return None if options.mask is None else options.mask.window(start, start + duration)


def with_loudness(
    specs: list[EpisodeSpec],
    info: MediaInfo,
    preset: Preset,
    threads: int,
    audio_infos: tuple[MediaInfo, ...] = (),
) -> list[EpisodeSpec]:
    """``specs`` with each episode's loudness plan (:func:`vidpack.render.loudness.settle`):
    one audio-only pass over the master, then an audio-only check of each episode that needs a
    limiter. Specs with sound tracks (dubs) get a plan per track
    (:func:`vidpack.render.track_loudness.decide_tracks`)."""
    audio = preset.audio
    if specs and specs[0].audio:  # one set of deliveries: every spec has the same tracks
        from vidpack.render.track_loudness import decide_tracks

        dub_infos = {str(i.path): i for i in audio_infos}
        tracks = [(s, audio.loudness_lufs, audio.normalize) for s in specs]
        return decide_tracks(tracks, info, dub_infos, threads)
    if not audio.normalize or not info.audio or not specs:
        return specs
    from vidpack.render.loudness import decide_episodes, measure

    meter = measure(
        str(info.path),
        stream=info.audio[0].index,
        sample_rate=audio.sample_rate,
        channels=audio.channels,
        duration=info.duration,
        threads=threads,
    )
    jobs = [
        (spec, meter.span(spec.start, spec.start + spec.duration), audio.loudness_lufs)
        for spec in specs
    ]
    return decide_episodes(jobs, info, threads)


def _render_one(
    spec: EpisodeSpec,
    info: MediaInfo,
    threads: int,
    observer: Observer,
    stop: threading.Event,
    commit: Callable[[Path], None],
) -> None:
    name = spec.output.name

    def progress(fraction: float) -> None:
        if stop.is_set():
            raise _Stop()
        observer.item_progress(name, fraction)

    from vidpack.media.runner import run_ffmpeg
    from vidpack.render.cards import card_file

    card_file(spec)  # the cards' script the encode reads (staged beside the episodes)
    if settings.dry_run:
        run_ffmpeg(episode_args(spec, info, str(spec.output), threads), label=f"episode {name}")
        return
    with atomic_output(spec.output, before_rename=commit) as tmp:
        run_ffmpeg(
            episode_args(spec, info, str(tmp), threads),
            duration=spec.duration,
            on_progress=progress,
            label=f"episode {spec.index}",
        )


def split_master(
    master: str,
    plan: EpisodePlan,
    preset: Preset,
    out_dir: Path,
    options: RenderOptions | None = None,
    *,
    observer: Observer | None = None,
    hooks: dict[int, Hooks] | None = None,
    analysis: Analysis | None = None,
) -> SplitResult:
    """Render every episode of ``plan`` from ``master`` into ``out_dir`` with ``preset``.

    Args:
        master: the master's path.
        plan: the plan (checked against the preset's episode limit first).
        preset: the resolved preset.
        out_dir: the output folder (created if needed).
        options: reframe, jobs, encoder speed, series name.
        observer: progress receiver.
        hooks: per-episode subtitle additions, by episode index (see
            :func:`vidpack.render.subs_hooks.subtitle_hooks`).
        analysis: the master's analysis; with ``smart`` reframe its shot boundaries are where
            the crop re-targets (None: hard cuts are detected while tracking).

    Returns:
        One result per episode; failed ones carry their one-line reason; ``warnings`` names
        files over the preset's size cap.

    Raises:
        UsageError: bad options, a plan the preset refuses, an unwritable folder.
        KeyboardInterrupt, Cancelled: interrupted; running encodes are stopped and their
            temporary files removed.
    """
    options = options or RenderOptions()
    observer = observer or NullObserver()
    if options.reframe not in REFRAME_MODES:
        raise UsageError(f"--reframe {options.reframe!r} is not a mode: use fit, crop or smart")
    if options.jobs < 1:
        raise UsageError(f"--jobs {options.jobs} must be at least 1: use e.g. 1 or 2")
    check_plan_limits(plan, preset)
    if not settings.dry_run:  # a dry run leaves the disk as it was
        check_writable_dir(out_dir)
    with folder_lock(out_dir, "split", enabled=not settings.dry_run):
        if not settings.dry_run:
            remove_stale_partials(out_dir)
        info = probe(master)
        master_id = plan.master.fingerprint or master_fingerprint(master)
        crop = smart_path(info, preset, options, analysis)
        specs = build_specs(info, master_id, plan, preset, options, out_dir, hooks, crop)
        state = SplitState(out_dir)
        keys = {spec.index: render_key(spec) for spec in specs}
        todo = [
            s for s in specs if settings.dry_run or not state.is_current(s.output, keys[s.index])
        ]
        cores = os.cpu_count() or 1
        threads = max(1, cores // min(options.jobs, max(1, len(todo))))
        results: dict[int, EpisodeResult] = {}
        observer.phase("renders")
        observer.begin(len(specs), sum(s.duration for s in todo))
        try:
            for spec in specs:
                if spec not in todo:
                    results[spec.index] = EpisodeResult(spec.index, spec.output, "skipped")
                    observer.item_finished(spec.output.name, "skipped")
            if todo:
                todo = with_loudness(todo, info, preset, cores, options.audio_infos)
                _run_all(todo, keys, info, threads, options.jobs, state, observer, results)
        finally:
            observer.end()
        ordered = tuple(results[s.index] for s in specs)
        made = [r for r in ordered if r.status in ("done", "shared", "skipped")]
        warnings = () if settings.dry_run else tuple(size_warnings(made, preset))
        return SplitResult(ordered, warnings)


def smart_path(
    info: MediaInfo, preset: Preset, options: RenderOptions, analysis: Analysis | None
) -> CropPath | None:
    """The master's tracked crop path when ``smart`` reframe will crop it, else None."""
    if options.reframe != "smart":
        return None
    video = require_video(info)
    dst_w, dst_h = preset.video.width, preset.video.height
    if video.width * dst_h <= video.height * dst_w * 1.01:  # not wider than the target
        return None
    if settings.dry_run:
        return None  # tracking decodes the master; a dry run prints a centre crop instead
    from vidpack.render.track import master_crop_path

    return master_crop_path(Path(info.path), video.width, video.height, dst_w, dst_h, analysis)


def _run_all(
    todo: list[EpisodeSpec],
    keys: dict[int, str],
    info: MediaInfo,
    threads: int,
    jobs: int,
    state: SplitState,
    observer: Observer,
    results: dict[int, EpisodeResult],
) -> None:
    stop = threading.Event()
    # Identical renditions (equal render keys) are encoded once and copied.
    first_by_key: dict[str, EpisodeSpec] = {}
    copies: list[EpisodeSpec] = []
    unique: list[EpisodeSpec] = []
    for spec in todo:
        key = keys[spec.index]
        if key in first_by_key:
            copies.append(spec)
        else:
            first_by_key[key] = spec
            unique.append(spec)

    def work(spec: EpisodeSpec) -> None:
        name = spec.output.name
        observer.item_started(name, spec.duration)
        began = time.monotonic()
        if not settings.dry_run:
            state.forget(spec.output)
        try:
            commit = state.recorder(spec.output, keys[spec.index])
            _render_one(spec, info, threads, observer, stop, commit)
        except _Stop:
            return
        except Cancelled:
            raise
        except VidpackError as err:
            results[spec.index] = EpisodeResult(
                spec.index, spec.output, "failed", str(err), time.monotonic() - began
            )
            observer.item_finished(name, "failed", str(err))
            return
        except OSError as err:
            message = f"{err.strerror or err} ({err.filename or spec.output})"
            results[spec.index] = EpisodeResult(spec.index, spec.output, "failed", message)
            observer.item_finished(name, "failed", message)
            return
        results[spec.index] = EpisodeResult(
            spec.index, spec.output, "done", seconds=time.monotonic() - began
        )
        observer.item_finished(name, "done")

    run_all(work, unique, jobs, stop, "vidpack-split")
    for spec in copies:
        source = first_by_key[keys[spec.index]]
        if results.get(source.index) is None or results[source.index].status != "done":
            results[spec.index] = EpisodeResult(
                spec.index, spec.output, "failed", f"its identical episode {source.index} failed"
            )
            continue
        if not settings.dry_run:
            commit = state.recorder(spec.output, keys[spec.index])
            with atomic_output(spec.output, before_rename=commit) as tmp:
                shutil.copyfile(source.output, tmp)
        results[spec.index] = EpisodeResult(spec.index, spec.output, "shared")
        observer.item_finished(spec.output.name, "shared")


def master_fingerprint(master: str) -> str:
    """The master file's identity (as plan files record it), or 'unknown'."""
    from vidpack.plan.planfile import fingerprint

    with contextlib.suppress(OSError):
        return fingerprint(master)
    return "unknown"
