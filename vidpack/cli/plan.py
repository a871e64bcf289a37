"""`vidpack plan`: choose episode boundaries and write the plan (plus optional exports)."""

from __future__ import annotations

from pathlib import Path

import click

from vidpack.cli.common import format_table, master_argument, timecode
from vidpack.cli.options import plan_options, plan_options_from
from vidpack.cli.options_subs import load_subs, subs_inputs_from, subs_read_options
from vidpack.plan.model import NON_CUT_KINDS, EpisodePlan

_FILE = click.Path(dir_okay=True, path_type=Path)


def _under(least: float | None, wanted: float) -> bool:
    return least is not None and least < wanted


def episode_table(plan: EpisodePlan) -> str:
    """The plan as an aligned text table (margin: seconds from dialogue before/after the
    episode's start)."""
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
        elif ep.margin is not None and _under(ep.margin.least, opts.margin_s):
            notes.append(f"under {opts.margin_s:g} s from dialogue")
        scored = ep.cut_score is not None and ep.cut_kind not in NON_CUT_KINDS
        on = f"{ep.cut_kind} {ep.cut_score:.2f}" if scored else ep.cut_kind
        rows.append(
            (
                ep.index,
                timecode(ep.start),
                timecode(ep.end),
                f"{ep.duration:.1f}",
                on,
                ep.margin.text() if ep.margin is not None else "",
                ", ".join(notes),
            )
        )
    return format_table(("#", "start", "end", "seconds", "starts on", "margin", "notes"), rows)


@click.command()
@master_argument
@click.option(
    "-o",
    "--output",
    type=_FILE,
    default=None,
    help="Plan JSON to write; - for stdout (the table then goes to stderr)  "
    "[default: <master name>.plan.json here]",
)
@plan_options
@click.option("--otio", type=_FILE, default=None, help="Also write an OpenTimelineIO timeline.")
@click.option("--edl", type=_FILE, default=None, help="Also write a CMX 3600 EDL.")
@click.option("--png", type=_FILE, default=None, help="Also draw a timeline picture (PNG).")
@click.option("--no-cache", is_flag=True, help="Analyse again even when a cached analysis exists.")
@subs_read_options
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
    subs: tuple[str, ...],
    subs_encoding: str | None,
    strict: bool,
) -> None:
    """Plan episodes: contiguous, each --min to --max seconds long, cut on shot transitions
    outside dialogue, chosen over the whole master (strong cuts, pauses, even lengths).

    Dialogue is the detected speech plus every --subs cue (any language): no boundary falls
    inside it when a valid plan avoids it, and boundaries keep 0.4 s from it on both sides
    when the lengths allow. The margin column shows the seconds to dialogue before/after each
    episode's start.

    Prints the episodes; compromises (when no plan meets every rule) go to stderr as warnings.
    The plan JSON can be edited by hand and given back to later commands with --plan.

    \b
    Examples:
      vidpack plan master.mp4 -o plan.json
      vidpack plan master.mp4 --subs master.en.srt --subs ko=ko.srt -o plan.json
      vidpack plan master.mp4 --min 90 --max 150 --target 120 --otio plan.otio --edl plan.edl
      vidpack plan master.mp4 -o - 2>/dev/null > plan.json
    """
    from vidpack.errors import UsageError
    from vidpack.plan.dialogue import cue_intervals
    from vidpack.plan.planfile import probe_master_ref
    from vidpack.plan.run import (
        PlanOutputs,
        check_outputs,
        default_plan_path,
        plan_master,
        write_outputs,
    )

    to_stdout = output == Path("-")
    for option, path in (("--otio", otio), ("--edl", edl), ("--png", png)):
        if path == Path("-"):
            raise UsageError(f"{option} -: only -o writes to stdout; give {option} a file name")
    items = subs_inputs_from(subs)
    options = plan_options_from(min_s, max_s, target_s)
    outputs = PlanOutputs(
        plan=None if to_stdout else output if output is not None else default_plan_path(master),
        otio=otio,
        edl=edl,
        png=png,
    )
    check_outputs(outputs.by_option())
    ref = probe_master_ref(master)
    tracks = load_subs(items, ref.duration, subs_encoding, strict)
    result, analysis = plan_master(
        master, options, ref=ref, cues=cue_intervals(tracks), use_cache=not no_cache
    )
    write_outputs(result, analysis, outputs)
    if to_stdout:
        from vidpack.plan.planfile import plan_json

        click.echo(plan_json(result), nl=False)
    click.echo(episode_table(result), err=to_stdout)
    total = result.master.duration
    written = ", ".join(["stdout"] * to_stdout + [str(p) for p in outputs.by_option().values()])
    summary = f"{len(result.episodes)} episodes over {timecode(total)}; wrote {written}"
    click.echo(summary, err=to_stdout)
    for note in result.notes:
        click.echo(f"Note: {note}", err=to_stdout)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
