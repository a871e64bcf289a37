"""Planning a master end to end: check outputs, probe, analyse (cached), plan, write files.

The one call the `plan` command makes; `split` and `package` use :func:`plan_master` too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vidpack.errors import UsageError
from vidpack.media.atomic import check_writable_dir
from vidpack.plan.model import EpisodePlan, MasterRef, PlanOptions

if TYPE_CHECKING:
    from vidpack.analyze.model import Analysis, Interval


@dataclass(frozen=True, slots=True)
class PlanOutputs:
    """Where to write a plan and its exports (``None``: not wanted)."""

    plan: Path | None = None
    otio: Path | None = None
    edl: Path | None = None
    png: Path | None = None

    def by_option(self) -> dict[str, Path]:
        named = {"-o": self.plan, "--otio": self.otio, "--edl": self.edl, "--png": self.png}
        return {k: v for k, v in named.items() if v is not None}


def default_plan_path(master: str | os.PathLike[str]) -> Path:
    """``<master stem>.plan.json`` in the current folder."""
    return Path(f"{Path(master).stem}.plan.json")


def check_outputs(outputs: Mapping[str, Path]) -> None:
    """Check every output path up front (folder writable, not a folder itself).

    Raises:
        UsageError: naming the option of the first bad path.
    """
    seen: dict[Path, str] = {}
    for option, path in outputs.items():
        if path.is_dir():
            raise UsageError(f"{option} {str(path)!r} is a folder: give a file name")
        check_writable_dir(path.parent if str(path.parent) else Path("."), option)
        key = path.resolve()
        if key in seen:
            raise UsageError(f"{option} and {seen[key]} both write {str(path)!r}: give two names")
        seen[key] = option


def plan_master(
    master: str | os.PathLike[str],
    options: PlanOptions,
    *,
    ref: MasterRef | None = None,
    cues: Sequence[Interval] = (),
    use_cache: bool = True,
    on_progress: Callable[[float], None] | None = None,
) -> tuple[EpisodePlan, Analysis]:
    """Probe and analyse ``master`` (the analysis is cached) and plan its episodes.

    Args:
        master: the master video file.
        options: lengths and weights.
        ref: the master's identity when the caller has probed it already (it needs the
            duration to load subtitles); probed here otherwise.
        cues: the subtitle cue spans of every ``--subs`` language, in master seconds
            (:func:`vidpack.plan.dialogue.cue_intervals` of the loaded tracks).
        use_cache: reuse a cached analysis.
        on_progress: receives the analysis pass's fraction done (0..1).

    Raises:
        UsageError: bad options or a master shorter than ``--min`` (checked before analysing).
        InputError: a missing or unusable master.
    """
    from vidpack.plan.optimize import check_long_enough, plan_episodes
    from vidpack.plan.planfile import probe_master_ref

    problems = options.problems()
    if problems:
        raise UsageError("; ".join(problems))
    ref = ref or probe_master_ref(master)
    check_long_enough(ref, options)  # before the (long) analysis pass
    from vidpack.analyze import analyze

    analysis = analyze(Path(master), use_cache=use_cache, on_progress=on_progress)
    return plan_episodes(analysis, options, ref, cues), analysis


def write_outputs(plan: EpisodePlan, analysis: Analysis, outputs: PlanOutputs) -> None:
    """Write the plan JSON and the requested exports, each atomically."""
    from vidpack.plan.planfile import save_plan

    if outputs.plan is not None:
        save_plan(plan, outputs.plan)
    if outputs.otio is not None:
        from vidpack.plan.exports import write_otio

        write_otio(plan, outputs.otio)
    if outputs.edl is not None:
        from vidpack.plan.exports import write_edl

        write_edl(plan, outputs.edl)
    if outputs.png is not None:
        from vidpack.plan.png import write_png

        write_png(plan, analysis, outputs.png)
