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
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import replace
from pathlib import Path

from vidpack.errors import Cancelled, UsageError, VidpackError
from vidpack.media.atomic import atomic_output, check_writable_dir
from vidpack.media.probe import MediaInfo, probe, require_video
from vidpack.media.runner import settings
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset
from vidpack.render.encode import encode_settings, episode_args
from vidpack.render.model import (
    REFRAME_MODES,
    EpisodeResult,
    EpisodeSpec,
    Hooks,
    NullObserver,
    Observer,
    RenderOptions,
    SplitResult,
    render_key,
)
from vidpack.render.state import SplitState


class _Stop(Exception):
    """Raised inside a worker's progress callback to stop its ffmpeg when the run is cancelled."""


def check_plan_limits(plan: EpisodePlan, preset: Preset) -> None:
    """Refuse a plan with episodes longer than the preset allows, naming them and the fix.

    Raises:
        UsageError: one line naming the episodes, the preset key and the options that fix it.
    """
    limit = preset.limits.max_episode_s
    tol = plan.master.frame / 2
    long = [e for e in plan.episodes if e.duration > limit + tol]
    if not long:
        return
    shown = ", ".join(f"{e.index} ({e.duration:.1f} s)" for e in long[:8])
    more = f" and {len(long) - 8} more" if len(long) > 8 else ""
    noun = "episode" if len(long) == 1 else "episodes"
    raise UsageError(
        f"{noun} {shown}{more} longer than preset {preset.name}'s limits.max_episode_s "
        f"{limit:g} s: plan with --max {limit:g} (or less), or give a --plan whose episodes "
        f"are at most {limit:g} s"
    )


def episode_name(preset: Preset, series: str | None, index: int) -> str:
    """The episode's file name from the preset's naming template (``.mp4`` added)."""
    name = preset.naming.episode.format(
        series=series or preset.naming.series, index=index, platform=preset.name
    )
    return f"{name}.mp4"


def build_specs(
    info: MediaInfo,
    master_id: str,
    plan: EpisodePlan,
    preset: Preset,
    options: RenderOptions,
    out_dir: Path,
    hooks: dict[int, Hooks] | None = None,
) -> list[EpisodeSpec]:
    """One spec per plan episode (loudness gain not yet filled in).

    Args:
        info: the master's probe facts.
        master_id: the master's fingerprint.
        plan: the episode plan.
        preset: the resolved preset.
        options: render options.
        out_dir: the output folder.
        hooks: per-episode additions (subtitles), by episode index.
    """
    video = require_video(info)
    src_fps = float(video.fps) or plan.master.fps
    out_fps = preset.video.pick_fps(src_fps)
    resample = video.is_vfr or abs(out_fps - src_fps) > 1e-3
    settings_ = encode_settings(preset, out_fps, options.x264_preset)
    key = preset.encode_key()
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
            )
        )
    return specs


def _with_loudness(
    specs: list[EpisodeSpec], info: MediaInfo, preset: Preset, threads: int
) -> list[EpisodeSpec]:
    audio = preset.audio
    if not audio.normalize or not info.audio or not specs:
        return specs
    from vidpack.render.loudness import gain_for, measure

    meter = measure(
        str(info.path),
        stream=info.audio[0].index,
        sample_rate=audio.sample_rate,
        channels=audio.channels,
        duration=info.duration,
        threads=threads,
    )
    out = []
    for spec in specs:
        level = meter.span(spec.start, spec.start + spec.duration)
        gain, limit = gain_for(level, audio.loudness_lufs, audio.true_peak_dbtp)
        out.append(replace(spec, gain_db=gain, limit=limit))
    return out


def _render_one(
    spec: EpisodeSpec, info: MediaInfo, threads: int, observer: Observer, stop: threading.Event
) -> None:
    name = spec.output.name

    def progress(fraction: float) -> None:
        if stop.is_set():
            raise _Stop()
        observer.item_progress(name, fraction)

    from vidpack.media.runner import run_ffmpeg

    if settings.dry_run:
        run_ffmpeg(episode_args(spec, info, str(spec.output), threads), label=f"episode {name}")
        return
    with atomic_output(spec.output) as tmp:
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
) -> SplitResult:
    """Render every episode of ``plan`` from ``master`` into ``out_dir`` with ``preset``.

    Args:
        master: the master's path.
        plan: the plan (checked against the preset's episode limit first).
        preset: the resolved preset.
        out_dir: the output folder (created if needed).
        options: reframe, jobs, encoder speed, series name.
        observer: progress receiver.
        hooks: per-episode subtitle additions, by episode index.

    Returns:
        One result per episode; failed ones carry their one-line reason.

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
    check_writable_dir(out_dir)
    info = probe(master)
    master_id = plan.master.fingerprint or _fingerprint(master)
    specs = build_specs(info, master_id, plan, preset, options, out_dir, hooks)
    state = SplitState(out_dir)
    keys = {spec.index: render_key(spec) for spec in specs}
    todo = [s for s in specs if settings.dry_run or not state.is_current(s.output, keys[s.index])]
    cores = os.cpu_count() or 1
    threads = max(1, cores // min(options.jobs, max(1, len(todo))))
    results: dict[int, EpisodeResult] = {}
    observer.begin(len(specs), sum(s.duration for s in todo))
    try:
        for spec in specs:
            if spec not in todo:
                results[spec.index] = EpisodeResult(spec.index, spec.output, "skipped")
                observer.item_finished(spec.output.name, "skipped")
        if todo:
            todo = _with_loudness(todo, info, preset, cores)
            _run_all(todo, keys, info, threads, options.jobs, state, observer, results)
    finally:
        observer.end()
    return SplitResult(tuple(results[s.index] for s in specs))


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
            _render_one(spec, info, threads, observer, stop)
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
        if not settings.dry_run:
            state.record(spec.output, keys[spec.index])
        results[spec.index] = EpisodeResult(
            spec.index, spec.output, "done", seconds=time.monotonic() - began
        )
        observer.item_finished(name, "done")

    if jobs <= 1 or len(unique) <= 1:
        for spec in unique:
            work(spec)
    else:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="vidpack-split") as pool:
            futures: list[Future[None]] = [pool.submit(work, s) for s in unique]
            try:
                while futures:
                    done, pending = wait(futures, timeout=0.2)
                    for fut in done:
                        fut.result()
                    futures = list(pending)
            except BaseException:
                stop.set()
                for fut in futures:
                    fut.cancel()
                wait(futures)
                raise
    for spec in copies:
        source = first_by_key[keys[spec.index]]
        if results.get(source.index) is None or results[source.index].status != "done":
            results[spec.index] = EpisodeResult(
                spec.index, spec.output, "failed", f"its identical episode {source.index} failed"
            )
            continue
        if not settings.dry_run:
            with atomic_output(spec.output) as tmp:
                shutil.copyfile(source.output, tmp)
            state.record(spec.output, keys[spec.index])
        results[spec.index] = EpisodeResult(spec.index, spec.output, "shared")
        observer.item_finished(spec.output.name, "shared")


def _fingerprint(master: str) -> str:
    from vidpack.plan.planfile import fingerprint

    with contextlib.suppress(OSError):
        return fingerprint(master)
    return "unknown"
