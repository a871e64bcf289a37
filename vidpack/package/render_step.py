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
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vidpack.errors import Cancelled, UsageError, VidpackError
from vidpack.media.atomic import atomic_output, check_writable_dir
from vidpack.media.probe import MediaInfo, probe
from vidpack.media.runner import settings
from vidpack.package.renditions import Rendition
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset
from vidpack.render.croppath import CropPath
from vidpack.render.model import (
    REFRAME_MODES,
    EpisodeResult,
    EpisodeSpec,
    NullObserver,
    Observer,
    RenderOptions,
    SplitResult,
    render_key,
)
from vidpack.render.multi import MAX_OUTPUTS, shared_input_key
from vidpack.render.pool import run_all
from vidpack.render.state import SplitState


class _Stop(Exception):
    """Raised inside a progress callback to stop an ffmpeg when the run is cancelled."""


@dataclass(frozen=True, slots=True)
class _Item:
    """One stale episode file of one rendition."""

    slot: int  # the rendition's position
    spec: EpisodeSpec
    key: str  # its render key (before loudness, as split_master records it)
    name: str  # unique observer item name: <rendition label>/<file name>


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One rendition ready to render: its specs, render keys and state file."""

    rendition: Rendition
    label: str
    specs: tuple[EpisodeSpec, ...]
    keys: dict[int, str]
    state: SplitState


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
        items = _with_loudness(_stale(prepared), prepared, info, cores)
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
            units, copies = _units(items)
            threads = max(1, cores // min(render.jobs, max(1, len(units))))
            runner = _Runner(info, threads, prepared, observer, results)
            runner.run_all(units, render.jobs)
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


def _name(prep: _Prepared, spec: EpisodeSpec) -> str:
    return f"{prep.label}/{spec.output.name}"


def _stale(prepared: Sequence[_Prepared]) -> list[_Item]:
    """The episode files to make: missing or stale in their folder's state (all under dry run)."""
    items: list[_Item] = []
    for slot, prep in enumerate(prepared):
        for spec in prep.specs:
            key = prep.keys[spec.index]
            if settings.dry_run or not prep.state.is_current(spec.output, key):
                items.append(_Item(slot, spec, key, _name(prep, spec)))
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
) -> _Prepared:
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
    crop = _crop(info, preset, render, analysis, crops)
    hooks = {}
    if rendition.tracks and rendition.mode in HOOK_MODES:
        workdir = folder / WORKDIR_NAME
        workdirs.append(workdir)
        plain = build_specs(info, master_id, plan, preset, render, folder, None, crop)
        size = (preset.video.width, preset.video.height)
        hooks = subtitle_hooks(
            rendition.tracks, spans_from_specs(plain), preset, rendition.mode, size, workdir,
            on_warning=warn,
        )  # fmt: skip
    specs = build_specs(info, master_id, plan, preset, render, folder, hooks, crop)
    label = preset.name + (f"/{rendition.language}" if rendition.language else "")
    keys = {s.index: render_key(s) for s in specs}
    return _Prepared(rendition, label, tuple(specs), keys, SplitState(folder))


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
    items: list[_Item], prepared: Sequence[_Prepared], info: MediaInfo, cores: int
) -> list[_Item]:
    """Each item with its loudness plan (as ``with_loudness``), metering the master once per
    output rate and layout; spans two renditions share are decided once."""
    if not info.audio or not items:
        return items
    from vidpack.render.loudness import decide_episodes, measure

    meters: dict[tuple[int, int], Any] = {}
    jobs, slots = [], []
    for n, item in enumerate(items):
        audio = prepared[item.slot].rendition.preset.audio
        if not audio.normalize:
            continue
        rate = (audio.sample_rate, audio.channels)
        if rate not in meters:
            meters[rate] = measure(
                str(info.path), stream=info.audio[0].index, sample_rate=rate[0],
                channels=rate[1], duration=info.duration, threads=cores,
            )  # fmt: skip
        spec = item.spec
        level = meters[rate].span(spec.start, spec.start + spec.duration)
        jobs.append((spec, level, audio.loudness_lufs))
        slots.append(n)
    out = list(items)
    for n, spec in zip(slots, decide_episodes(jobs, info, cores), strict=True):
        out[n] = replace(items[n], spec=spec)
    return out


def _units(items: list[_Item]) -> tuple[list[list[_Item]], list[tuple[_Item, _Item]]]:
    """The processes to run (items sharing one input, at most ``MAX_OUTPUTS`` each, in episode
    order) and the copies (an item whose render key another item already makes: (copy, source))."""
    groups: dict[tuple[str, str, str], list[_Item]] = {}
    first: dict[tuple[int, str], _Item] = {}
    copies: list[tuple[_Item, _Item]] = []
    for item in sorted(items, key=lambda i: (i.spec.start, i.slot)):
        same = first.get((item.spec.index, item.key))
        if same is not None:
            copies.append((item, same))
            continue
        first[(item.spec.index, item.key)] = item
        groups.setdefault(shared_input_key(item.spec), []).append(item)
    units = []
    for group in groups.values():
        units += [group[k : k + MAX_OUTPUTS] for k in range(0, len(group), MAX_OUTPUTS)]
    return units, copies


class _Runner:
    """Runs the processes (in parallel with ``jobs``) and records each output's outcome."""

    def __init__(
        self,
        info: MediaInfo,
        threads: int,
        prepared: Sequence[_Prepared],
        observer: Observer,
        results: dict[tuple[int, int], EpisodeResult],
    ) -> None:
        self.info, self.threads, self.prepared = info, threads, prepared
        self.observer, self.results = observer, results
        self.stop = threading.Event()

    def run_all(self, units: list[list[_Item]], jobs: int) -> None:
        """Run every unit; a failing unit fails its outputs only."""
        run_all(self.work, units, jobs, self.stop, "vidpack-package")

    def work(self, unit: list[_Item]) -> None:
        """Render one unit's outputs in one ffmpeg process."""
        from vidpack.render.multi import render_multi

        for item in unit:
            self.observer.item_started(item.name, item.spec.duration)
            if not settings.dry_run:
                self._state(item).forget(item.spec.output)
        began = time.monotonic()

        def progress(fraction: float) -> None:
            if self.stop.is_set():
                raise _Stop()
            for item in unit:
                self.observer.item_progress(item.name, fraction)

        label = "episode " + ", ".join(
            f"{i.spec.index} ({self.prepared[i.slot].label})" for i in unit
        )
        try:
            commits = [self._state(i).recorder(i.spec.output, i.key) for i in unit]
            if len(unit) == 1:
                self._render_one(unit[0].spec, progress, label, commits[0])
            else:
                specs = [i.spec for i in unit]
                render_multi(
                    specs, self.info, self.threads, dry_run=settings.dry_run,
                    on_progress=progress, label=label, commits=commits,
                )  # fmt: skip
        except _Stop:
            return
        except Cancelled:
            raise
        except VidpackError as err:
            self._fail(unit, str(err), time.monotonic() - began)
            return
        except OSError as err:
            self._fail(unit, f"{err.strerror or err} ({err.filename or label})", 0.0)
            return
        seconds = time.monotonic() - began
        for item in unit:
            self.results[(item.slot, item.spec.index)] = EpisodeResult(
                item.spec.index, item.spec.output, "done", seconds=seconds
            )
            self.observer.item_finished(item.name, "done")

    def _render_one(
        self,
        spec: EpisodeSpec,
        progress: Callable[[float], None],
        label: str,
        commit: Callable[[Path], None],
    ) -> None:
        """The single-output command, exactly as ``vidpack split`` runs it."""
        from vidpack.media.runner import run_ffmpeg
        from vidpack.render.encode import episode_args

        if settings.dry_run:
            run_ffmpeg(episode_args(spec, self.info, str(spec.output), self.threads), label=label)
            return
        with atomic_output(spec.output, before_rename=commit) as tmp:
            run_ffmpeg(
                episode_args(spec, self.info, str(tmp), self.threads),
                duration=spec.duration,
                on_progress=progress,
                label=label,
            )

    def _fail(self, unit: list[_Item], message: str, seconds: float) -> None:
        for item in unit:
            self.results[(item.slot, item.spec.index)] = EpisodeResult(
                item.spec.index, item.spec.output, "failed", message, seconds
            )
            self.observer.item_finished(item.name, "failed", message)

    def _state(self, item: _Item) -> SplitState:
        return self.prepared[item.slot].state

    def copy(self, copies: list[tuple[_Item, _Item]]) -> None:
        """Make each copy from its identical source (failed when the source failed)."""
        for item, source in copies:
            made = self.results.get((source.slot, source.spec.index))
            where = (item.slot, item.spec.index)
            if made is None or made.status != "done":
                self.results[where] = EpisodeResult(
                    item.spec.index, item.spec.output, "failed",
                    f"its identical episode {source.name} failed",
                )  # fmt: skip
                self.observer.item_finished(item.name, "failed")
                continue
            if not settings.dry_run:
                commit = self._state(item).recorder(item.spec.output, item.key)
                with atomic_output(item.spec.output, before_rename=commit) as tmp:
                    shutil.copyfile(source.spec.output, tmp)
            self.results[where] = EpisodeResult(item.spec.index, item.spec.output, "shared")
            self.observer.item_finished(item.name, "shared")
