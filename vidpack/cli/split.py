"""`vidpack split`: render a master's episodes at a preset's spec (plan first unless --plan)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from vidpack.cli.common import master_argument, old_series_option, series_title
from vidpack.cli.options import plan_options, plan_options_from, refuse_plan_options_with_plan
from vidpack.cli.options_render import (
    audio_options,
    cards_option,
    hardsubs_options,
    jobs_or_default,
    render_option_problems,
    render_options,
)
from vidpack.cli.options_subs import load_subs, subs_inputs_from, subs_options
from vidpack.cli.progress import progress_option


@click.command()
@master_argument
@click.option(
    "-o", "--output", "output", type=click.Path(path_type=Path), required=True,
    help="Folder for the episode files (created if needed).",
)  # fmt: skip
@click.option(
    "--preset", "preset_name", required=True, metavar="NAME|FILE",
    help="Built-in preset name (see `vidpack presets list`) or a preset TOML file.",
)  # fmt: skip
@click.option(
    "--plan", "plan_file", type=click.Path(path_type=Path), default=None,
    help="Plan JSON from `vidpack plan` (else the master is planned with --min/--max/--target).",
)  # fmt: skip
@plan_options
@render_options
@hardsubs_options
@audio_options
@cards_option
@click.option(
    "--title", "series", default=None, metavar="TITLE",
    help="Series title: in file names and on the cards  [default: the preset's naming.series]",
)  # fmt: skip
@old_series_option
@click.option(
    "--license-number", default=None,
    help="Licence/filing number shown on the opening slate (presets that require it: douyin).",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Print the ffmpeg commands instead of running them.")
@subs_options
@progress_option
@click.option(
    "--json", "as_json", is_flag=True,
    help="Print one JSON object (each folder's episodes and their status, warnings) at the end.",
)  # fmt: skip
def split(
    master: str,
    output: Path,
    preset_name: str,
    plan_file: Path | None,
    min_s: float,
    max_s: float,
    target_s: float | None,
    reframe: str,
    hardsubs: str,
    hardsubs_method: str,
    hardsubs_keep: tuple[str, ...],
    audio: tuple[str, ...],
    audio_fit: str,
    cards: str,
    series: str | None,
    old_series: str | None,
    license_number: str | None,
    jobs: int | None,
    speed: str,
    dry_run: bool,
    subs: tuple[str, ...],
    subs_mode: str | None,
    subs_encoding: str | None,
    strict: bool,
    progress: str,
    as_json: bool,
) -> None:
    """Render the episodes of MASTER into -o DIR, frame-exact, at the preset's spec.

    Episodes are named by the preset's naming template. A rerun renders only episodes that are
    missing or stale (including changed subtitles); a failed episode does not stop the others
    (exit 1 lists them).

    Subtitles (--subs, default mode from the preset): mux adds every language as a track, sidecar
    writes files beside the episodes, burn draws one language into the picture; with several
    --subs files in burn mode each language is rendered into its own folder DIR/<lang>/.

    Dubs (--audio LANG=FILE): a burned language's episodes carry its dub; a dubbed language
    without burned subtitles gets DIR/<lang>/ (the textless picture with its dub); in mux mode
    every episode carries the master's sound (default) and every dub, tagged.

    \b
    Examples:
      vidpack split master.mp4 --preset tiktok -o out/
      vidpack split master.mp4 --plan plan.json --preset my.toml --jobs 2 -o out/
      vidpack split master.mp4 --preset tiktok --subs master.en.srt --subs ko=ko.srt -o out/
      vidpack split master.mp4 --preset tiktok --hardsubs auto --hardsubs-method box -o out/
      vidpack split master.mp4 --preset tiktok --audio en=dub.en.wav --subs master.en.srt -o out/
      vidpack split master.mp4 --preset tiktok -o out/ --json > result.json
    """
    from vidpack.cli.progress import ProgressReporter
    from vidpack.errors import UsageError, VidpackError

    series = series_title(series, old_series)
    from vidpack.media.runner import settings
    from vidpack.presets import load_preset
    from vidpack.render import RenderOptions
    from vidpack.render.limits import check_plan_limits

    problems = render_option_problems(jobs, speed)
    if as_json and dry_run:
        problems.append("--json and --dry-run: give one (a dry run prints commands, not results)")
    if problems:
        raise UsageError("; ".join(problems))
    from vidpack.hardsubs.masking import parse_hardsubs_options, resolve_masking

    masking = parse_hardsubs_options(hardsubs, hardsubs_method, hardsubs_keep)
    refuse_plan_options_with_plan(plan_file is not None)
    items = subs_inputs_from(subs)  # bad --subs values fail before any analysis
    from vidpack.render.dubs import check_fit, parse_audio_args

    dub_items = parse_audio_args(audio)
    check_fit(audio_fit)
    from vidpack.render.cards import check_cards

    check_cards(cards)
    preset = load_preset(preset_name)
    from vidpack.render.split import episode_name

    episode_name(preset, series, 1)  # an unusable --series fails before -o is made
    from vidpack.render.slate import check_license

    check_license([preset], license_number, hint="give --license-number")
    mode = subs_mode or preset.subtitles.mode
    if items and mode == "none":
        click.echo("Warning: --subs-mode none: the --subs files are ignored", err=True)
        items = []
    from vidpack.media.probe import probe, require_video
    from vidpack.plan.planfile import load_plan, master_ref

    options = plan_options_from(min_s, max_s, target_s)
    if plan_file is None and options.problems():  # bad lengths fail before the master is read
        raise UsageError("; ".join(options.problems()))
    info = probe(master)  # once: subtitles need its duration, the planner its identity, the mask
    ref = master_ref(master, info.duration, float(require_video(info).fps))
    mask = None
    if masking.enabled:  # a bad mask file or keep box fails before any analysis
        mask, notes = resolve_masking(master, info, masking, reframe)
        for note in notes:
            click.echo(f"Warning: {note}", err=True)
    from vidpack.render.dubs import load_dubs

    dubs = load_dubs(dub_items, info, audio_fit)  # a dub of the wrong length fails before work
    tracks = load_subs(items, ref.duration, subs_encoding, strict)  # read once, used twice
    analysis = None
    if plan_file is not None:
        plan = load_plan(plan_file, ref)
    else:
        from vidpack.plan.dialogue import cue_intervals
        from vidpack.plan.run import plan_master

        plan, analysis = plan_master(master, options, ref=ref, cues=cue_intervals(tracks))
        for note in plan.notes:
            click.echo(f"Note: {note}", err=True)
    check_plan_limits(plan, preset)
    render = RenderOptions(
        reframe=reframe,  # type: ignore[arg-type]
        jobs=jobs_or_default(jobs),
        x264_preset=speed,
        series=series,
        license_number=license_number,
        mask=mask,
        cards=cards,
        card_title=series or "",
    )
    from vidpack.media.dryrun import staged
    from vidpack.render.dubs import audio_runs
    from vidpack.render.subs_hooks import SubsRun, plan_subs_runs

    reporter = ProgressReporter("none" if dry_run else progress)  # type: ignore[arg-type]
    previous, settings.dry_run = settings.dry_run, dry_run or settings.dry_run
    failed: list[tuple[Path, Any]] = []
    total = 0
    made_runs: list[dict[str, Any]] = []
    warned: list[str] = []

    def _warn(text: str) -> None:
        warned.append(text)
        click.echo(f"Warning: {text}", err=True)

    try:
        with contextlib.ExitStack() as stack:
            work = stack.enter_context(staged(output)) if dry_run else output
            runs: list[SubsRun] = plan_subs_runs(tracks, mode, work)
            for run, sound in audio_runs(runs, mode, work, info, dubs):
                result = run.render(
                    master, plan, preset, replace(render, **sound), observer=reporter,
                    analysis=analysis,
                    on_warning=_warn,
                )  # fmt: skip
                total += len(result.episodes)
                for warning in result.warnings:
                    _warn(warning)
                if dry_run:
                    continue
                made = sum(1 for e in result.episodes if e.status in ("done", "shared"))
                skipped = sum(1 for e in result.episodes if e.status == "skipped")
                made_runs.append(_run_record(run.out_dir, result, made, skipped))
                if not as_json:
                    click.echo(
                        f"{len(result.episodes)} episodes in {run.out_dir}: {made} rendered, "
                        f"{skipped} up to date, {len(result.failed)} failed"
                    )
                failed += [(run.out_dir, ep) for ep in result.failed]
        reporter.close(True)
    finally:
        settings.dry_run = previous
    if as_json:
        import json

        verdict = "failed" if failed else "ok"
        data = {"folders": made_runs, "warnings": warned, "verdict": verdict}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    if failed:
        for folder, ep in failed:
            click.echo(f"  episode {ep.index} ({folder / ep.output.name}): {ep.error}", err=True)
        listed = ", ".join(str(ep.index) for _, ep in failed)
        raise VidpackError(
            f"{len(failed)} of {total} episodes failed ({listed}); "
            "the others are complete: fix the cause and run the same command again"
        )


def _run_record(folder: Path, result: Any, made: int, skipped: int) -> dict[str, Any]:
    """One output folder's part of ``split --json``: its episodes, their status, the counts."""
    episodes = [
        {"index": e.index, "file": str(e.output), "status": e.status, "error": e.error or None}
        for e in result.episodes
    ]
    return {"folder": str(folder), "episodes": episodes, "rendered": made,
            "up_to_date": skipped, "failed": len(result.failed)}  # fmt: skip
