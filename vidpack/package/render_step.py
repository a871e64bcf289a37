"""Rendering a package's renditions with one decode per episode: every rendition's episode specs
are built as ``vidpack split`` builds them (same render keys, same per-folder state file, so a
rerun skips finished files), then the stale episodes that cut the same range of the master are
rendered together, one ffmpeg process per episode with one output per rendition
(:mod:`vidpack.render.multi`); an episode only one rendition needs gets the single-output command.

Episodes run in parallel with ``jobs``; a failing process fails only its outputs (the others are
kept and recorded); the master's loudness is measured once per output rate and layout.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError
from vidpack.media.atomic import check_writable_dir
from vidpack.media.probe import MediaInfo, probe
from vidpack.media.runner import settings
from vidpack.package.render_model import Item, Prepared
from vidpack.package.render_runner import Runner
from vidpack.package.renditions import Rendition, render_for
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset
from vidpack.render.croppath import CropPath
from vidpack.render.model import (
    REFRAME_MODES,
    EpisodeResult,
    EpisodeSpec,
    RenderOptions,
    SplitResult,
    picture_key,
    render_key,
)
from vidpack.render.multi import MAX_OUTPUTS, shared_input_key
from vidpack.render.observer import NullObserver, Observer
from vidpack.render.state import SplitState


def render_renditions(
    master: str,
    plan: EpisodePlan,
    analysis: Any,
    renditions: Sequence[Rendition],
    render: RenderOptions,
    out: Path,
    *,
    observer: Observer | None = None,
    warn: Callable[[str], None] | None = None,
) -> dict[str, SplitResult]:
    """Render every rendition's episodes into its work folder under ``out``.

    Args:
        master: the master's path.
        plan: the plan (already checked against every preset).
        analysis: the master's analysis (smart reframe's shot boundaries).
        renditions: the distinct renditions.
        render: reframe, jobs, encoder speed, series name.
        out: the package folder.
        observer: progress receiver.
        warn: receives subtitle glyph warnings.

    Returns:
        One split result per rendition key, like ``vidpack split`` gives for its folder.

    Raises:
        UsageError: bad options or an unwritable folder.
        KeyboardInterrupt, Cancelled: interrupted (running encodes stopped, temporaries removed).
    """
    from vidpack.render.limits import size_warnings
    from vidpack.render.split import master_fingerprint

    observer = observer or NullObserver()
    if render.reframe not in REFRAME_MODES:
        raise UsageError(f"--reframe {render.reframe!r} is not a mode: use fit, crop or smart")
    if render.jobs < 1:
        raise UsageError(f"--jobs {render.jobs} must be at least 1: use e.g. 1 or 2")
    info = probe(master)
    master_id = plan.master.fingerprint or master_fingerprint(master)
    cores = os.cpu_count() or 1
    workdirs: list[Path] = []
    crops: dict[tuple[int, int], CropPath | None] = {}
    results: dict[tuple[int, int], EpisodeResult] = {}
    try:
        prepared = [
            _prepare(r, info, master_id, plan, analysis, render, out, workdirs, crops, warn)
            for r in renditions
        ]
        dub_infos = {str(i.path): i for i in render.audio_infos}
        items = _with_loudness(_stale(prepared), prepared, info, cores, dub_infos)
        observer.begin(sum(len(p.specs) for p in prepared), sum(i.spec.duration for i in items))
        try:
            stale = {(i.slot, i.spec.index) for i in items}
            for slot, prep in enumerate(prepared):
                for spec in prep.specs:
                    if (slot, spec.index) not in stale:
                        results[(slot, spec.index)] = EpisodeResult(
                            spec.index, spec.output, "skipped"
                        )
                        observer.item_finished(_name(prep, spec), "skipped")
            units, copies, remuxes = _units(items)
            threads = max(1, cores // min(render.jobs, max(1, len(units))))
            runner = Runner(info, threads, prepared, observer, results)
            runner.run_all(units, render.jobs)
            runner.remux(remuxes, render.jobs)
            runner.copy(copies)
        finally:
            observer.end()
    finally:
        for workdir in workdirs:
            shutil.rmtree(workdir, ignore_errors=True)
    outcome: dict[str, SplitResult] = {}
    for slot, prep in enumerate(prepared):
        ordered = tuple(results[(slot, s.index)] for s in prep.specs)
        made = [r for r in ordered if r.status in ("done", "shared", "skipped")]
        warnings = () if settings.dry_run else size_warnings(made, prep.rendition.preset)
        outcome[prep.rendition.key] = SplitResult(ordered, tuple(warnings))
    return outcome


def _name(prep: Prepared, spec: EpisodeSpec) -> str:
    return f"{prep.label}/{spec.output.name}"


def _stale(prepared: Sequence[Prepared]) -> list[Item]:
    """The episode files to make: missing or stale in their folder's state (all under dry run)."""
    items: list[Item] = []
    for slot, prep in enumerate(prepared):
        for spec in prep.specs:
            key = prep.keys[spec.index]
            if settings.dry_run or not prep.state.is_current(spec.output, key):
                items.append(Item(slot, spec, key, _name(prep, spec)))
    return items


def _prepare(
    rendition: Rendition,
    info: MediaInfo,
    master_id: str,
    plan: EpisodePlan,
    analysis: Any,
    render: RenderOptions,
    out: Path,
    workdirs: list[Path],
    crops: dict[tuple[int, int], CropPath | None],
    warn: Callable[[str], None] | None,
) -> Prepared:
    """Build a rendition's specs as ``SubsRun.render`` + ``split_master`` do (hooks staged in
    ``<folder>/.vidpack-subs``, removed by the caller)."""
    from vidpack.render.split import build_specs
    from vidpack.render.subs_hooks import (
        HOOK_MODES,
        WORKDIR_NAME,
        spans_from_specs,
        subtitle_hooks,
    )

    preset = rendition.preset
    folder = rendition.folder(out)
    check_writable_dir(folder)
    render = render_for(render, rendition)
    crop = _crop(info, preset, render, analysis, crops)
    hooks = {}
    workdirs.append(folder / WORKDIR_NAME)  # staged subtitle and card scripts
    if rendition.tracks and rendition.mode in HOOK_MODES:
        workdir = folder / WORKDIR_NAME
        plain = build_specs(info, master_id, plan, preset, render, folder, None, crop)
        size = (preset.video.width, preset.video.height)
        hooks = subtitle_hooks(
            rendition.tracks, spans_from_specs(plain), preset, rendition.mode, size, workdir,
            on_warning=warn, mask=render.mask, reframe=render.reframe,
        )  # fmt: skip
    specs = build_specs(info, master_id, plan, preset, render, folder, hooks, crop)
    label = preset.name + (f"/{rendition.language}" if rendition.language else "")
    keys = {s.index: render_key(s) for s in specs}
    return Prepared(rendition, label, tuple(specs), keys, SplitState(folder))


def _crop(
    info: MediaInfo,
    preset: Preset,
    render: RenderOptions,
    analysis: Any,
    crops: dict[tuple[int, int], CropPath | None],
) -> CropPath | None:
    from vidpack.render.split import smart_path

    if render.reframe != "smart":
        return None
    size = (preset.video.width, preset.video.height)
    if size not in crops:  # tracking decodes the master: once per target size
        crops[size] = smart_path(info, preset, render, analysis)
    return crops[size]


def _with_loudness(
    items: list[Item],
    prepared: Sequence[Prepared],
    info: MediaInfo,
    cores: int,
    dub_infos: dict[str, MediaInfo],
) -> list[Item]:
    """Each item with its loudness plan (as ``with_loudness``), metering the master once per
    output rate and layout; spans two renditions share are decided once; items with sound
    tracks get a plan per track."""
    # one reading per (file, stream, rate, layout), shared with the tracks' decisions, so the
    # master's sound is metered once even when a mux set carries it as a track
    meters: dict[tuple[str, int, int, int], Any] = {}
    out = _with_track_loudness(items, prepared, info, cores, dub_infos, meters)
    if not info.audio or not items:
        return out
    from vidpack.render.loudness import decide_episodes, measure

    jobs, slots = [], []
    for n, item in enumerate(items):
        audio = prepared[item.slot].rendition.preset.audio
        if not audio.normalize or item.spec.audio:
            continue
        rate = (str(info.path), info.audio[0].index, audio.sample_rate, audio.channels)
        if rate not in meters:
            meters[rate] = measure(
                str(info.path), stream=info.audio[0].index, sample_rate=rate[2],
                channels=rate[3], duration=info.duration, threads=cores,
            )  # fmt: skip
        spec = item.spec
        level = meters[rate].span(spec.start, spec.start + spec.duration)
        jobs.append((spec, level, audio.loudness_lufs))
        slots.append(n)
    for n, spec in zip(slots, decide_episodes(jobs, info, cores), strict=True):
        out[n] = replace(items[n], spec=spec)
    return out


def _with_track_loudness(
    items: list[Item],
    prepared: Sequence[Prepared],
    info: MediaInfo,
    cores: int,
    dub_infos: dict[str, MediaInfo],
    meters: dict[tuple[str, int, int, int], Any],
) -> list[Item]:
    """The items carrying sound tracks (dubs) with a loudness plan on each track (readings
    kept in ``meters``)."""
    slots = [n for n, item in enumerate(items) if item.spec.audio]
    out = list(items)
    if not slots:
        return out
    from vidpack.render.track_loudness import decide_tracks

    jobs = []
    for n in slots:
        audio = prepared[items[n].slot].rendition.preset.audio
        jobs.append((items[n].spec, audio.loudness_lufs, audio.normalize))
    for n, spec in zip(slots, decide_tracks(jobs, info, dub_infos, cores, meters), strict=True):
        out[n] = replace(items[n], spec=spec)
    return out


def _units(
    items: list[Item],
) -> tuple[list[list[Item]], list[tuple[Item, Item]], list[tuple[Item, Item]]]:
    """The processes to run (items sharing one input, at most ``MAX_OUTPUTS`` each, in episode
    order), the copies (an item whose render key another item already makes: (copy, source)),
    and the remuxes (an item whose picture another item makes, with other sound: (item, source);
    made by copying the source's video, :mod:`vidpack.render.remux`)."""
    groups: dict[tuple[str, str, str], list[Item]] = {}
    first: dict[tuple[int, str], Item] = {}
    pictures: dict[tuple[int, str], Item] = {}
    copies: list[tuple[Item, Item]] = []
    remuxes: list[tuple[Item, Item]] = []
    for item in sorted(items, key=lambda i: (i.spec.start, i.slot)):
        same = first.get((item.spec.index, item.key))
        if same is not None:
            copies.append((item, same))
            continue
        first[(item.spec.index, item.key)] = item
        picture = (item.spec.index, picture_key(item.spec))
        if picture in pictures:
            remuxes.append((item, pictures[picture]))
            continue
        pictures[picture] = item
        groups.setdefault(shared_input_key(item.spec), []).append(item)
    units = []
    for group in groups.values():
        units += [group[k : k + MAX_OUTPUTS] for k in range(0, len(group), MAX_OUTPUTS)]
    return units, copies, remuxes
