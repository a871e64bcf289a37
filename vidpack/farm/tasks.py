"""Running one task of a job file: :func:`run_task` is what ``vidpack task run`` calls on any
farm node, and what every executor runs.

Each task is idempotent. It computes a fingerprint of everything that shapes its outputs (the
master's identity, the options, the presets, the plan, the render key of an episode, the
fingerprints of the tasks it depends on) and skips when a stamp with the same fingerprint exists
and its outputs are present with the recorded sizes. Outputs are written to temporary names and
renamed when complete; the stamp is written last.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vidpack import __version__
from vidpack.errors import Cancelled, UsageError, VidpackError
from vidpack.farm.context import ANALYSIS, PLAN, PREP, MasterContext, load_context, load_prep
from vidpack.farm.model import Batch, MasterJob, Task, load_batch, render_id
from vidpack.farm.stamps import (
    digest,
    file_hash,
    forget,
    identity,
    is_current,
    stamp_fingerprint,
    write_stamp,
)
from vidpack.media.atomic import write_text_atomic
from vidpack.package.renditions import render_for

MASK = "hardsubs.json"  # the masking of burned-in text the analysis task resolved

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    """How a task ended: ``done`` (made its outputs) or ``skipped`` (up to date)."""

    task: str
    status: str
    seconds: float
    worker: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "worker": self.worker,
        }


def run_task(
    jobfile: Path | str, task_id: str, *, stop: threading.Event | None = None
) -> TaskOutcome:
    """Run (or skip, when up to date) one task of a job file.

    Args:
        jobfile: the batch's job file.
        task_id: the task's id (``vidpack task list JOBFILE``).
        stop: set by an in-process caller to stop a running encode (its temporary file is
            removed and :class:`~vidpack.errors.Cancelled` raised).

    Raises:
        UsageError: unknown task id, or a task whose inputs are missing.
        VidpackError: the task failed (one line saying why).
    """
    batch = load_batch(Path(jobfile))
    return run_batch_task(batch, batch.task(task_id), stop=stop)


def run_batch_task(
    batch: Batch,
    task: Task,
    *,
    stop: threading.Event | None = None,
    check_only: bool = False,
    cache: dict[Any, Any] | None = None,
) -> TaskOutcome:
    """:func:`run_task` for an already loaded batch.

    Args:
        batch: the batch.
        task: one of its tasks.
        stop: see :func:`run_task`.
        check_only: only say whether the task is current (status ``skipped``) or not
            (``stale``): a driver skips finished tasks without starting them anywhere.
        cache: keeps each master's context and probe between calls (one driver run).
    """
    began = time.monotonic()
    job = batch.master(task.master)
    worker = socket.gethostname()
    if task.kind == "analyze":
        status = _analyze(job, task, check_only)
    else:
        ctx = _context(job, cache if cache is not None else {})
        if task.kind == "render":
            status = _render(batch, ctx, task, stop, check_only)
        elif task.kind == "promo":
            status = _promo(ctx, task, check_only)
        elif task.kind == "package":
            status = _package(ctx, task, check_only)
        else:
            raise UsageError(f"task {task.id!r} has unknown kind {task.kind!r}")
    return TaskOutcome(task.id, status, time.monotonic() - began, worker)


def _context(job: MasterJob, cache: dict[Any, Any]) -> MasterContext:
    """The master's context, reused while its analysis outputs are unchanged."""
    key = (job.name, *(tuple(identity(job.work / n)[1:]) for n in (PLAN, PREP)))
    if key not in cache:
        cache[key] = load_context(job)
    ctx: MasterContext = cache[key]
    return ctx


_probes: dict[tuple[Any, ...], Any] = {}


def _probe(path: str) -> Any:
    """The master's probe facts, remembered per file identity (a driver checks many tasks)."""
    from vidpack.media.probe import probe

    key = tuple(identity(path))
    if key not in _probes:
        _probes[key] = probe(path)
    return _probes[key]


# Fingerprints and stamps -----------------------------------------------------------------------


def _master_lock(job: MasterJob) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(job.out, threading.Lock())


# The tasks -------------------------------------------------------------------------------------


def _analyze(job: MasterJob, task: Task, check_only: bool = False) -> str:
    from vidpack.farm.context import options_of
    from vidpack.package.build import load_presets

    options = options_of(job)
    presets = load_presets(options.platforms)
    fingerprint = digest(
        {
            "kind": "analyze",
            "v": __version__,
            "master": identity(job.path),
            "options": job.options,
            "presets": [p.to_dict() for p in presets],
            "files": [identity(s.path) for s in options.subs]
            + ([identity(options.plan_file)] if options.plan_file else [])
            + ([identity(options.hardsubs.source)] if _mask_file(options) else [])
            + [identity(d.path) for d in options.audio],
        }
    )
    if is_current(job, task, fingerprint):
        return "skipped"
    if check_only:
        return "stale"
    forget(job, task)
    from vidpack.media.probe import probe
    from vidpack.package.build import plan_and_analysis
    from vidpack.plan.planfile import save_plan
    from vidpack.render.split import build_specs, master_fingerprint, smart_path, with_loudness

    plan, analysis = plan_and_analysis(job.path, options)
    job.work.mkdir(parents=True, exist_ok=True)
    save_plan(plan, job.work / PLAN)
    write_text_atomic(job.work / ANALYSIS, json.dumps(analysis.to_dict()) + "\n")
    ctx = load_context(job, plan)
    info = probe(job.path)
    master_id = plan.master.fingerprint or master_fingerprint(job.path)
    threads = max(1, os.cpu_count() or 1)
    prep: dict[str, Any] = {}
    crops: dict[tuple[int, int], Any] = {}  # one tracking pass per output size
    for key, rendition in ctx.renditions.items():
        size = (rendition.preset.video.width, rendition.preset.video.height)
        if size not in crops:
            crops[size] = smart_path(info, rendition.preset, ctx.render, analysis)
        crop = crops[size]
        folder = rendition.folder(Path(job.out))
        render = render_for(ctx.render, rendition)
        specs = build_specs(info, master_id, plan, rendition.preset, render, folder)
        specs = with_loudness(specs, info, rendition.preset, threads, render.audio_infos)
        prep[key] = {
            "master_id": master_id,
            "crop": crop.to_dict() if crop is not None else None,
            "gains": {str(s.index): [s.gain_db, s.limit, s.encode.get("loudness")] for s in specs},
            "tracks": {
                str(s.index): [[t.gain_db, t.limit, t.loudness] for t in s.audio] for s in specs
            },
        }
    write_text_atomic(job.work / PREP, json.dumps(prep, indent=1) + "\n")
    _save_mask(job, info, options)
    write_stamp(job, task, fingerprint, [job.work / n for n in (PLAN, ANALYSIS, PREP, MASK)])
    return "done"


def _mask_file(options: Any) -> bool:
    return options.hardsubs.enabled and options.hardsubs.source != "auto"


def _save_mask(job: MasterJob, info: Any, options: Any) -> None:
    """Resolve ``--hardsubs`` once for every task of the master (detection or mask file)."""
    from vidpack.hardsubs.masking import resolve_masking

    mask, notes = resolve_masking(job.path, info, options.hardsubs, options.reframe)
    data = None if mask is None else {**mask.to_dict(), "size": list(mask.size)}
    write_text_atomic(job.work / MASK, json.dumps({"mask": data, "notes": notes}) + "\n")


def _render_options(ctx: MasterContext) -> tuple[Any, list[str]]:
    """The master's render options with the masking the analysis task resolved, and its notes."""
    from vidpack.hardsubs.model import Masking

    path = ctx.job.work / MASK
    if not ctx.options.hardsubs.enabled:
        return ctx.render, []
    if not path.is_file():
        raise UsageError(f"{path} is missing: rerun {ctx.job.name}/analyze")
    data = json.loads(path.read_text(encoding="utf-8"))
    mask = Masking.from_dict(data["mask"]) if data.get("mask") else None
    return replace(ctx.render, mask=mask), list(data.get("notes") or [])


def _render(
    batch: Batch,
    ctx: MasterContext,
    task: Task,
    stop: threading.Event | None,
    check_only: bool = False,
) -> str:
    from vidpack.media.atomic import atomic_output
    from vidpack.media.runner import run_ffmpeg
    from vidpack.render.croppath import CropPath
    from vidpack.render.encode import episode_args
    from vidpack.render.model import Hooks, render_key
    from vidpack.render.split import build_specs
    from vidpack.render.subs_hooks import HOOK_MODES, WORKDIR_NAME, spans_from_specs, subtitle_hooks

    job, plan = ctx.job, ctx.plan
    key, episode = str(task.params["rendition"]), int(task.params["episode"])
    rendition = ctx.rendition(key)
    if not any(e.index == episode for e in plan.episodes):
        raise UsageError(f"task {task.id}: the plan has no episode {episode}")
    prep = load_prep(job).get(key)
    if prep is None:
        raise UsageError(
            f"task {task.id}: no loudness for rendition {key}; rerun {job.name}/analyze"
        )
    info = _probe(job.path)
    folder = rendition.folder(Path(job.out))
    folder.mkdir(parents=True, exist_ok=True)
    preset, master_id = rendition.preset, str(prep["master_id"])
    render = render_for(_render_options(ctx)[0], rendition)
    hooks: dict[int, Hooks] = {}
    if rendition.tracks and rendition.mode in HOOK_MODES:
        plain = build_specs(info, master_id, plan, preset, render, folder)
        spans = [s for s in spans_from_specs(plain) if s.index == episode]
        size = (preset.video.width, preset.video.height)
        hooks = subtitle_hooks(
            rendition.tracks, spans, preset, rendition.mode, size, folder / WORKDIR_NAME,
            mask=render.mask, reframe=render.reframe,
        )  # fmt: skip
    crop = CropPath.from_dict(prep["crop"]) if prep.get("crop") else None
    specs = build_specs(info, master_id, plan, preset, render, folder, hooks, crop)
    spec = next(s for s in specs if s.index == episode)
    gain, limit, *rest = prep["gains"][str(episode)]
    spec = replace(spec, gain_db=gain, limit=bool(limit))
    if rest and rest[0]:  # the per-episode loudness decision (limiter ceiling, mode, file tag)
        spec = replace(spec, encode={**spec.encode, "loudness": rest[0]})
    planned = (prep.get("tracks") or {}).get(str(episode)) or []
    if spec.audio and len(planned) == len(spec.audio):  # each dub track's own loudness plan
        tracks = [
            replace(t, gain_db=g, limit=bool(lim), loudness=plan_)
            for t, (g, lim, plan_) in zip(spec.audio, planned, strict=True)
        ]
        spec = replace(spec, audio=tuple(tracks))
    fingerprint = digest({"render": render_key(spec), "threads": batch.threads, "v": __version__})
    if is_current(job, task, fingerprint):
        return "skipped"
    if check_only:
        return "stale"
    forget(job, task)

    def progress(_fraction: float) -> None:
        if stop is not None and stop.is_set():
            import signal

            raise Cancelled(signal.SIGINT)

    def commit(made: Path) -> None:
        write_stamp(job, task, fingerprint, [spec.output], [made])

    from vidpack.render.cards import card_file

    card_file(spec)  # the cards' script the encode reads
    with atomic_output(spec.output, before_rename=commit) as tmp:
        run_ffmpeg(
            episode_args(spec, info, str(tmp), batch.threads),
            duration=spec.duration,
            on_progress=progress,
            label=f"{job.name} episode {episode}",
        )
    return "done"


def _work_fingerprint(ctx: MasterContext, *extra: Any) -> dict[str, Any]:
    job = ctx.job
    return {
        "v": __version__,
        "plan": file_hash(job.work / PLAN),
        "prep": file_hash(job.work / PREP),
        "options": job.options,
        "extra": list(extra),
    }


def _promo(ctx: MasterContext, task: Task, check_only: bool = False) -> str:
    from vidpack.package.promo_step import make_promo

    job = ctx.job
    presets = [p for p in ctx.presets if p.trailers.lengths or p.covers.sizes]
    fingerprint = digest(_work_fingerprint(ctx, [p.to_dict() for p in presets]))
    if is_current(job, task, fingerprint):
        return "skipped"
    if check_only:
        return "stale"
    forget(job, task)
    warnings: list[str] = []
    mask = _render_options(ctx)[0].mask  # the masking the analysis task resolved
    with _master_lock(job):
        for preset in presets:
            folder = Path(job.out) / preset.name
            folder.mkdir(parents=True, exist_ok=True)
            make_promo(job.path, ctx.plan, preset, folder, ctx.options, warnings, mask)
    write_stamp(job, task, fingerprint, [])
    return "done"


def _package(ctx: MasterContext, task: Task, check_only: bool = False) -> str:
    from vidpack.farm.context import load_analysis
    from vidpack.package.assemble import assemble_platform
    from vidpack.render.model import EpisodeResult, SplitResult
    from vidpack.render.split import episode_name

    job, plan = ctx.job, ctx.plan
    platform = str(task.params["platform"])
    preset = ctx.preset(platform)
    deps = [[d, stamp_fingerprint(job, d)] for d in task.deps]
    fingerprint = digest(_work_fingerprint(ctx, preset.to_dict(), deps))
    if is_current(job, task, fingerprint):
        return "skipped"
    if check_only:
        return "stale"
    forget(job, task)
    out = Path(job.out)
    outcome: dict[str, SplitResult] = {}
    for placement in ctx.placements[platform]:
        rendition = placement.rendition
        made = []
        for ep in plan.episodes:
            path = rendition.folder(out) / episode_name(
                rendition.preset, ctx.render.series, ep.index
            )
            if not path.is_file():
                raise VidpackError(
                    f"{path} is missing: run task {render_id(job.name, rendition.key, ep.index)}"
                )
            made.append(EpisodeResult(ep.index, path, "done"))
        outcome[rendition.key] = SplitResult(tuple(made))
    folder = out / platform
    (folder / "manifest.json").unlink(missing_ok=True)
    render, notes = _render_options(ctx)
    with _master_lock(job):
        result = assemble_platform(
            job.path, plan, load_analysis(job), preset, ctx.modes[platform], ctx.tracks,
            ctx.placements[platform], outcome, ctx.options, render, [*ctx.warnings, *notes],
        )  # fmt: skip
    if result.verdict == "fail":
        raise VidpackError(f"QC failed for {platform}: see {folder / 'qc.json'}")
    write_stamp(
        job, task, fingerprint, [folder / n for n in ("manifest.json", "SHA256SUMS", "qc.json")]
    )
    return "done"
