"""`vidpack package` end to end: one analysis and one plan, the distinct renditions rendered once
(resumable; the renditions of an episode from one decode, see :mod:`vidpack.package.render_step`),
then per platform a folder with the episodes placed by hard link, subtitle files, covers and
trailers, checksums, the manifest (written last), the QC verdict and the report.

A platform whose episode limit the plan breaks is skipped with a warning (unless it is the only
one). A failing encode stops before any manifest is written; finished files are kept and reused
by the next run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError, VidpackError
from vidpack.hardsubs.masking import HardsubsOptions
from vidpack.hardsubs.model import Masking
from vidpack.media.atomic import check_writable_dir, remove_stale_partials
from vidpack.media.lock import check_free, folder_lock
from vidpack.media.probe import MediaInfo
from vidpack.package.model import PackageOptions, PackageResult, PlatformResult
from vidpack.package.renditions import WORK_DIR, Placement, Rendition, platform_placements, share
from vidpack.plan.model import EpisodePlan, MasterRef
from vidpack.presets.model import Preset
from vidpack.render.dubs import load_dubs
from vidpack.render.model import RenderOptions
from vidpack.render.observer import Observer
from vidpack.subtitles.model import Track

Warn = Callable[[str], None]


def load_presets(names: Sequence[str], *, what: str = "--platform") -> list[Preset]:
    """Load every --platform preset; every problem is reported at once.

    Args:
        what: where the names were given, for messages (a jobs file's key).

    Raises:
        UsageError: no platform, or Problems: each unknown name, problem of a bad file, and
            platform given twice, one a line naming ``what`` and the value.
    """
    from vidpack.presets import list_presets, load_preset
    from vidpack.problems import Problems, problem_lines

    if not names:
        raise UsageError(
            f"no --platform given: name one or more of {', '.join(list_presets())} or a TOML file"
        )
    problems: list[str] = []
    presets: list[Preset] = []
    seen: set[str] = set()
    for name in names:
        try:
            preset = load_preset(name)
        except UsageError as err:
            problems += [f"{what} {name!r}: {line}" for line in problem_lines(err)]
            continue
        if preset.name in seen:
            problems.append(f"{what} {name!r}: platform {preset.name} is given twice")
            continue
        seen.add(preset.name)
        presets.append(preset)
    if problems:
        raise Problems(problems)
    return presets


def fitting_presets(
    presets: Sequence[Preset], plan: EpisodePlan, warn: Warn
) -> tuple[list[Preset], list[str]]:
    """The presets whose episode limits the plan meets; the others are skipped with a warning.

    Raises:
        UsageError: the only platform (or every platform) refuses the plan.
    """
    from vidpack.render.limits import check_plan_limits

    ok: list[Preset] = []
    skipped: list[str] = []
    problems: list[str] = []
    for preset in presets:
        try:
            check_plan_limits(plan, preset)
        except UsageError as err:
            problems.append(str(err))
            skipped.append(preset.name)
            continue
        ok.append(preset)
    if not ok:
        raise UsageError("; ".join(problems))
    for name, problem in zip(skipped, problems, strict=True):
        warn(f"platform {name} skipped: {problem}; or leave out --platform {name}")
    return ok, skipped


def build_package(
    master: str,
    options: PackageOptions,
    *,
    observer: Observer | None = None,
    warn: Warn | None = None,
) -> PackageResult:
    """Make every platform's package of ``master`` in ``options.out``.

    Under a dry run nothing is written to ``-o`` (or beside the master): the run holds its lock
    and stages its retimed subtitle files in a scratch folder that is removed at the end, and
    prints every command with ``-o``'s real paths; measurements (analysis, loudness) run, so the
    printed encodes carry their real gains.

    Raises:
        UsageError: bad options, platforms or subtitles (before any work); an unwritable -o.
        VidpackError: episodes that failed to render (finished ones kept; no manifest written).
    """
    import dataclasses

    from vidpack.media.dryrun import staged
    from vidpack.media.runner import settings

    if not settings.dry_run:
        return _build(master, options, observer, warn)
    with staged(options.out) as scratch:
        return _build(master, dataclasses.replace(options, out=scratch), observer, warn)


def _build(
    master: str, options: PackageOptions, observer: Observer | None, warn: Warn | None
) -> PackageResult:
    from vidpack.media.probe import probe, require_video
    from vidpack.media.runner import settings
    from vidpack.plan.planfile import master_ref, probe_master_ref
    from vidpack.render.observer import NullObserver

    warnings: list[str] = []
    watch = observer or NullObserver()

    def _warn(text: str) -> None:
        warnings.append(text)
        if warn is not None:
            warn(text)

    presets = load_presets(options.platforms)
    from vidpack.render.slate import check_license

    check_license(presets, options.series.license_number)  # before any analysis or encode
    check_writable_dir(options.out, create=False)  # cheap refusals first: -o, its lock
    check_free(options.out, "package")
    if not Path(master).is_file():  # missing: its one-line error before -o is made
        probe_master_ref(master)
    watch.phase("probe")
    info = probe(master)  # once: subtitles need its duration, the plan its identity, the mask
    # Bad dubs or subtitle files: refused before -o exists (nothing left behind for them).
    dubs = load_dubs(options.audio, info, options.audio_fit)
    ref = master_ref(master, info.duration, float(require_video(info).fps))
    tracks = subtitle_tracks(options, ref.duration, _warn)  # read once: plan and delivery
    check_writable_dir(options.out)
    # a dry run stages subtitle files in the rendition folders too: it holds the folder as well
    with folder_lock(options.out, "package"):
        if not settings.dry_run:
            remove_stale_partials(options.out, recursive=True)
        # a bad mask fails before the analysis
        mask = _masking(master, info, options.hardsubs, _warn, options.reframe)
        watch.phase("analysis")
        plan, analysis = plan_and_analysis(master, options, ref, tracks, watch.phase_progress)
        options.series.check_episodes(len(plan.episodes))  # an intro past the plan: before renders
        for note in plan.notes:
            _warn(note)
        presets, skipped = fitting_presets(presets, plan, _warn)
        modes = {p.name: subtitle_mode(p, options, tracks) for p in presets}
        wanted = {
            p.name: platform_placements(p, modes[p.name], tracks, options.reframe, dubs, info)
            for p in presets
        }
        renditions, placements = share(wanted)
        if not settings.dry_run:
            for preset in presets:  # a package being remade is not complete until its manifest
                with contextlib.suppress(FileNotFoundError):
                    (options.out / preset.name / "manifest.json").unlink()
        render = RenderOptions(
            reframe=options.reframe,  # type: ignore[arg-type]
            jobs=options.jobs,
            x264_preset=options.speed,
            series=options.series.file_name(),
            license_number=options.series.license_number,
            mask=mask,
            audio_infos=tuple(d.info for d in dubs),
            cards=options.cards,
            card_title=options.series.title,
            card_titles=tuple(options.series.titles),
        )
        watch.phase("renders")
        outcome = _render_all(master, plan, analysis, renditions, render, options.out, watch, _warn)
        rendered = sum(
            1 for r in outcome.values() for e in r.episodes if e.status in ("done", "shared")
        )
        reused = sum(1 for r in outcome.values() for e in r.episodes if e.status == "skipped")
        if settings.dry_run:
            return PackageResult((), tuple(skipped), tuple(warnings), len(renditions), 0, 0)
        from vidpack.package.assemble import assemble_platform

        results = []
        for preset in presets:
            results.append(
                assemble_platform(
                    master, plan, analysis, preset, modes[preset.name], tracks,
                    placements[preset.name], outcome, options, render, list(warnings), watch,
                )
            )  # fmt: skip
        return PackageResult(
            tuple(results), tuple(skipped), tuple(warnings), len(renditions), rendered, reused
        )


def _masking(
    master: str, info: MediaInfo, choice: HardsubsOptions, warn: Warn, reframe: str
) -> Masking | None:
    """``--hardsubs`` resolved against the master, its notes warned; with masking off, one line
    when a cached detection of the master found dialogue text (no detection is run for it)."""
    from vidpack.hardsubs.masking import resolve_masking, unmasked_note

    if not choice.enabled:
        note = unmasked_note(master, info)
        if note:
            warn(note)
        return None
    mask, notes = resolve_masking(master, info, choice, reframe)
    for note in notes:
        warn(note)
    return mask


def plan_and_analysis(
    master: str,
    options: PackageOptions,
    ref: MasterRef | None = None,
    tracks: Sequence[Track] | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> tuple[EpisodePlan, Any]:
    """The plan (``--plan`` file validated against the master, else planned now, with the
    subtitle cues as dialogue) and the cached analysis; every boundary's margin measured against
    the speech and the cues. ``ref`` and ``tracks`` are probed and loaded here when not given
    (the track's repair warnings are then left to whoever loads them for delivery);
    ``on_progress`` receives the analysis pass's fraction done."""
    from vidpack.analyze import analyze
    from vidpack.plan.dialogue import Dialogue, cue_intervals, with_margins
    from vidpack.plan.planfile import probe_master_ref

    ref = ref or probe_master_ref(master)
    if tracks is None:
        tracks = subtitle_tracks(options, ref.duration, lambda _: None)
    cues = cue_intervals(tracks)
    if options.plan_file is not None:
        from vidpack.plan.planfile import load_plan

        plan = load_plan(options.plan_file, ref)
        analysis = analyze(Path(master), on_progress=on_progress)
        return with_margins(plan, Dialogue.of(analysis, cues)), analysis
    from vidpack.plan.run import plan_master

    return plan_master(master, options.plan_options, ref=ref, cues=cues, on_progress=on_progress)


def subtitle_tracks(options: PackageOptions, duration: float, warn: Warn) -> list[Track]:
    """The --subs files loaded (decoded, repaired or refused), or none under --subs-mode none;
    each delivered language without its own series title is warned of here as well."""
    if not options.subs or options.subs_mode == "none":
        if options.subs:
            warn("--subs-mode none: the --subs files are ignored")
        _title_warnings(options, warn)
        return []
    from vidpack.subtitles.run import load_tracks

    tracks = load_tracks(
        list(options.subs),
        master_duration=duration,
        encoding=options.subs_encoding,
        strict=options.strict,
    )
    for track in tracks:
        for warning in track.warnings:
            warn(warning)
    _title_warnings(options, warn)
    return tracks


def _title_warnings(options: PackageOptions, warn: Warn) -> None:
    """A delivered language missing from the series file's [title]: the default stands in."""
    from vidpack.package.promo_step import delivered_languages

    for warning in options.series.missing_titles(delivered_languages(options)):
        warn(warning)


def subtitle_mode(preset: Preset, options: PackageOptions, tracks: Sequence[Track]) -> str:
    """burn, mux or sidecar: --subs-mode, else the preset's; none without subtitles."""
    if not tracks:
        return "none"
    return options.subs_mode or preset.subtitles.mode


def _render_all(
    master: str,
    plan: EpisodePlan,
    analysis: Any,
    renditions: Sequence[Rendition],
    render: RenderOptions,
    out: Path,
    observer: Observer | None,
    warn: Warn,
) -> dict[str, Any]:
    from vidpack.package.render_step import render_renditions

    outcome = render_renditions(
        master, plan, analysis, renditions, render, out, observer=observer, warn=warn
    )
    failed: list[str] = []
    total = 0
    for rendition in renditions:
        result = outcome[rendition.key]
        total += len(result.episodes)
        label = rendition.preset.name + (f"/{rendition.language}" if rendition.language else "")
        failed += [f"{label} episode {e.index}: {e.error}" for e in result.failed]
    if failed:
        raise VidpackError(
            f"{len(failed)} of {total} episode renders failed ({'; '.join(failed[:3])}); "
            f"finished files are kept in {out / WORK_DIR}: fix the cause and run the same "
            "command again (no manifest was written)"
        )
    return outcome


__all__ = [
    "PackageOptions",
    "PackageResult",
    "Placement",
    "PlatformResult",
    "build_package",
    "fitting_presets",
    "load_presets",
]
