"""`vidpack plan`: choose episode boundaries and write the plan (plus optional exports)."""

from __future__ import annotations

from pathlib import Path

import click

from vidpack.cli.common import format_table, master_argument, timecode
from vidpack.cli.options import plan_options, plan_options_from
from vidpack.plan.model import NON_CUT_KINDS, EpisodePlan

_FILE = click.Path(dir_okay=True, path_type=Path)


def episode_table(plan: EpisodePlan) -> str:
    """The plan as an aligned text table."""
    opts = plan.options
    tol = plan.master.frame / 2
    rows = []
    for ep in plan.episodes:
        notes = []
        if ep.duration > opts.max_s + tol:
            notes.append("above --max")
        elif ep.duration < opts.min_s - tol:
            notes.append("below --min")
        if ep.cut_kind in NON_CUT_KINDS:
            notes.append("not on a cut")
        if ep.in_dialogue:
            notes.append("in dialogue")
        scored = ep.cut_score is not None and ep.cut_kind not in NON_CUT_KINDS
        on = f"{ep.cut_kind} {ep.cut_score:.2f}" if scored else ep.cut_kind
        rows.append(
            (
                ep.index,
                timecode(ep.start),
                timecode(ep.end),
                f"{ep.duration:.1f}",
                on,
                ", ".join(notes),
            )
        )
    return format_table(("#", "start", "end", "seconds", "starts on", "notes"), rows)


@click.command()
@master_argument
@click.option(
    "-o",
    "--output",
    type=_FILE,
    default=None,
    help="Plan JSON to write  [default: <master name>.plan.json here]",
)
@plan_options
@click.option("--otio", type=_FILE, default=None, help="Also write an OpenTimelineIO timeline.")
@click.option("--edl", type=_FILE, default=None, help="Also write a CMX 3600 EDL.")
@click.option("--png", type=_FILE, default=None, help="Also draw a timeline picture (PNG).")
@click.option("--no-cache", is_flag=True, help="Analyse again even when a cached analysis exists.")
def plan(
    master: str,
    output: Path | None,
    min_s: float,
    max_s: float,
    target_s: float | None,
    otio: Path | None,
    edl: Path | None,
    png: Path | None,
    no_cache: bool,
) -> None:
    """Plan episodes: contiguous, each --min to --max seconds long, cut on shot transitions
    outside dialogue, chosen over the whole master (strong cuts, pauses, even lengths).

    Prints the episodes; compromises (when no plan meets every rule) go to stderr as warnings.
    The plan JSON can be edited by hand and given back to later commands with --plan.

    \b
    Examples:
      vidpack plan master.mp4 -o plan.json
      vidpack plan master.mp4 --min 90 --max 150 --target 120 --otio plan.otio --edl plan.edl
    """
    from vidpack.plan.run import (
        PlanOutputs,
        check_outputs,
        default_plan_path,
        plan_master,
        write_outputs,
    )

    options = plan_options_from(min_s, max_s, target_s)
    outputs = PlanOutputs(
        plan=output if output is not None else default_plan_path(master),
        otio=otio,
        edl=edl,
        png=png,
    )
    check_outputs(outputs.by_option())
    result, analysis = plan_master(master, options, use_cache=not no_cache)
    write_outputs(result, analysis, outputs)
    click.echo(episode_table(result))
    total = result.master.duration
    written = ", ".join(str(p) for p in outputs.by_option().values())
    click.echo(f"{len(result.episodes)} episodes over {timecode(total)}; wrote {written}")
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
