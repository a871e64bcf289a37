"""What every task of a master needs, rebuilt from the job file and the analysis task's files
exactly as ``vidpack package`` builds it: options, presets that fit the plan, subtitle tracks
and modes, the distinct renditions and each platform's placements."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError
from vidpack.farm.model import MasterJob
from vidpack.package.model import PackageOptions
from vidpack.package.renditions import Placement, Rendition
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset
from vidpack.render.model import RenderOptions
from vidpack.subtitles.model import Track

PLAN = "plan.json"
ANALYSIS = "analysis.json"
PREP = "prep.json"


@dataclass(frozen=True, slots=True)
class MasterContext:
    """One analysed master, ready to render and package.

    Attributes:
        job: the master job.
        options: its package options.
        plan: the episode plan (from the analysis task).
        presets: the platforms whose limits the plan meets.
        skipped: platforms skipped because the plan breaks their limits.
        tracks: the loaded subtitle tracks.
        modes: the subtitle mode of each platform.
        renditions: the distinct renditions, by key.
        placements: each platform's renditions and sub-folders.
        render: the render options.
        warnings: what the package would warn about (skips, subtitle repairs).
    """

    job: MasterJob
    options: PackageOptions
    plan: EpisodePlan
    presets: tuple[Preset, ...]
    skipped: tuple[str, ...]
    tracks: tuple[Track, ...]
    modes: dict[str, str]
    renditions: dict[str, Rendition]
    placements: dict[str, list[Placement]]
    render: RenderOptions
    warnings: tuple[str, ...]

    def preset(self, name: str) -> Preset:
        """The fitting preset called ``name``.

        Raises:
            UsageError: not a platform of this master (or skipped).
        """
        for preset in self.presets:
            if preset.name == name:
                return preset
        raise UsageError(f"platform {name!r} is not packaged for master {self.job.name}")

    def rendition(self, key: str) -> Rendition:
        """The rendition called ``key``.

        Raises:
            UsageError: no such rendition (the presets or subtitles changed since expansion).
        """
        if key not in self.renditions:
            raise UsageError(
                f"rendition {key!r} is not one of master {self.job.name}'s renditions: its "
                "presets or subtitles changed; make the batch again"
            )
        return self.renditions[key]


def options_of(job: MasterJob) -> PackageOptions:
    """The job's :class:`PackageOptions` (checked again: files may have changed)."""
    from vidpack.farm.options import package_options

    return package_options(job.options, Path(job.out), lambda k: f"{job.name}: {k}")


def load_plan(job: MasterJob) -> EpisodePlan:
    """The plan the analysis task saved.

    Raises:
        UsageError: the analysis task has not run (naming it).
    """
    from vidpack.plan.planfile import load_plan_for

    path = job.work / PLAN
    if not path.is_file():
        raise UsageError(f"{path} is missing: run task {job.name}/analyze first")
    return load_plan_for(path, job.path)


def load_analysis(job: MasterJob) -> Any:
    """The analysis the analysis task saved."""
    from vidpack.analyze.model import Analysis

    data = json.loads((job.work / ANALYSIS).read_text(encoding="utf-8"))
    return Analysis.from_dict(data)


def load_prep(job: MasterJob) -> dict[str, Any]:
    """Loudness gains and crop paths per rendition, from the analysis task."""
    data: dict[str, Any] = json.loads((job.work / PREP).read_text(encoding="utf-8"))
    return data


def load_context(job: MasterJob, plan: EpisodePlan | None = None) -> MasterContext:
    """Rebuild the master's package layout (see the module docstring).

    Raises:
        UsageError: bad options, or every platform refuses the plan.
    """
    from vidpack.package.build import fitting_presets, load_presets, subtitle_mode, subtitle_tracks
    from vidpack.package.renditions import platform_placements, share

    options = options_of(job)
    plan = plan or load_plan(job)
    options.series.check_episodes(len(plan.episodes))  # an intro past the plan: before renders
    warnings: list[str] = []
    presets = load_presets(options.platforms)
    tracks = subtitle_tracks(options, plan.master.duration, warnings.append)
    fitting, skipped = fitting_presets(presets, plan, warnings.append)
    modes = {p.name: subtitle_mode(p, options, tracks) for p in fitting}
    dubs: tuple[Any, ...] = ()
    info = None
    if options.audio:  # the dubs checked against the master (their sets depend on them)
        from vidpack.media.probe import probe
        from vidpack.render.dubs import load_dubs

        info = probe(job.path)
        dubs = load_dubs(options.audio, info, options.audio_fit, what=f"{job.name}: audio")
    wanted = {
        p.name: platform_placements(p, modes[p.name], tracks, options.reframe, dubs, info)
        for p in fitting
    }
    renditions, placements = share(wanted)
    render = RenderOptions(
        reframe=options.reframe,  # type: ignore[arg-type]
        jobs=1,
        x264_preset=options.speed,
        series=options.series.file_name(),
        license_number=options.series.license_number,
        audio_infos=tuple(d.info for d in dubs),
        cards=options.cards,
        card_title=options.series.title,
        card_titles=tuple(options.series.titles),
    )
    return MasterContext(
        job=job,
        options=options,
        plan=plan,
        presets=tuple(fitting),
        skipped=tuple(skipped),
        tracks=tuple(tracks),
        modes=modes,
        renditions={r.key: r for r in renditions},
        placements=placements,
        render=render,
        warnings=tuple(warnings),
    )
