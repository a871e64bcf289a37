"""`vidpack package`: per-platform delivery folders from one master in one command."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from vidpack.cli.common import InputPath, format_table, master_argument
from vidpack.cli.options import plan_options, plan_options_from, refuse_plan_options_with_plan
from vidpack.cli.options_render import (
    audio_options,
    cards_option,
    hardsubs_options,
    jobs_or_default,
    render_option_problems,
    render_options,
)
from vidpack.cli.options_subs import subs_inputs_from, subs_options
from vidpack.cli.progress import ProgressReporter, progress_option

if TYPE_CHECKING:
    from vidpack.package.model import PackageResult


@click.command()
@master_argument
@click.option(
    "--platform", "platforms", multiple=True, metavar="NAME|FILE",
    help="A built-in preset name or a preset TOML file; repeat for each platform.",
)  # fmt: skip
@click.option(
    "-o", "--output", "output", type=click.Path(path_type=Path), required=True,
    help="Package folder (one sub-folder per platform; created if needed).",
)  # fmt: skip
@click.option(
    "--plan", "plan_file", type=click.Path(path_type=Path), default=None,
    help="Plan JSON from `vidpack plan` (else the master is planned with --min/--max/--target).",
)  # fmt: skip
@plan_options
@subs_options
@click.option(
    "--title", default=None, help="Series title (covers, trailers, manifest, file names)."
)
@click.option("--synopsis", default=None, help="Series synopsis for the manifest.")
@click.option("--tagline", default=None, help="Series tagline for the manifest.")
@click.option("--license-number", default=None, help="Licence/filing number (Chinese platforms).")
@click.option(
    "--series-file", type=InputPath(), default=None,
    help="TOML or JSON file with title, synopsis, tagline, license_number (options win).",
)  # fmt: skip
@render_options
@hardsubs_options
@audio_options
@cards_option
@click.option("--no-promo", is_flag=True, help="Skip covers and trailers.")
@click.option("--dry-run", is_flag=True, help="Print the ffmpeg commands instead of running them.")
@progress_option
@click.option(
    "--json", "as_json", is_flag=True,
    help="Print one JSON object (folders, QC verdicts, counts, warnings) instead of the table.",
)  # fmt: skip
def package(
    master: str,
    platforms: tuple[str, ...],
    output: Path,
    plan_file: Path | None,
    min_s: float,
    max_s: float,
    target_s: float | None,
    subs: tuple[str, ...],
    subs_mode: str | None,
    subs_encoding: str | None,
    strict: bool,
    title: str | None,
    synopsis: str | None,
    tagline: str | None,
    license_number: str | None,
    series_file: Path | None,
    reframe: str,
    hardsubs: str,
    hardsubs_method: str,
    hardsubs_keep: tuple[str, ...],
    audio: tuple[str, ...],
    audio_fit: str,
    cards: str,
    jobs: int | None,
    speed: str,
    no_promo: bool,
    dry_run: bool,
    progress: str,
    as_json: bool,
) -> None:
    """Package MASTER for every --platform into -o DIR/<platform>/.

    One analysis and one plan; each distinct encode is rendered once and hard-linked into every
    platform folder that uses it. Burned-subtitle platforms get one episode set per --subs
    language (DIR/tiktok/en/); file-taking platforms a textless set plus subtitle files. Each
    folder gets covers, trailers, SHA256SUMS, manifest.json (written last), qc.json and
    report.html. A rerun reuses every finished file.

    Dubs (--audio LANG=FILE): a language's episodes carry its dub; a dubbed language without
    burned subtitles gets DIR/<platform>/<lang>/ (the textless picture, copied, with its dub);
    mux platforms get the master's sound (default) and every dub as tagged tracks.

    \b
    Examples:
      vidpack package master.mp4 --platform tiktok --platform drama-app -o out/
      vidpack package master.mp4 --platform tiktok --subs master.en.srt --subs ar=ar.srt \\
          --title "My Series" --min 60 --max 120 -o out/
      vidpack package master.mp4 --platform drama-app --audio en=dub.en.wav -o out/
      vidpack package master.mp4 --platform tiktok -o out/ --json > result.json
    """
    from vidpack.errors import UsageError
    from vidpack.media.runner import settings
    from vidpack.package.build import build_package
    from vidpack.package.model import PackageOptions
    from vidpack.package.series import load_series

    refuse_plan_options_with_plan(plan_file is not None)
    problems = render_option_problems(jobs, speed)
    if not platforms:
        problems.append("--platform is required: give a preset name (see `vidpack presets list`)")
    from vidpack.hardsubs.masking import HardsubsOptions, parse_hardsubs_options

    masking = HardsubsOptions()
    try:
        masking = parse_hardsubs_options(hardsubs, hardsubs_method, hardsubs_keep)
    except UsageError as err:
        problems.append(str(err))
    from vidpack.problems import problem_lines
    from vidpack.render.dubs import check_fit, parse_audio_args

    dubs = []
    try:
        check_fit(audio_fit)
    except UsageError as err:
        problems.append(str(err))
    try:
        dubs = parse_audio_args(audio)
    except UsageError as err:
        problems += problem_lines(err)
    from vidpack.render.cards import check_cards

    try:
        check_cards(cards)
    except UsageError as err:
        problems.append(str(err))
    if as_json and dry_run:
        problems.append("--json and --dry-run: give one (a dry run prints commands, not results)")
    if problems:
        raise UsageError("; ".join(problems))
    options = PackageOptions(
        platforms=platforms,
        out=output,
        plan_file=plan_file,
        plan_options=plan_options_from(min_s, max_s, target_s),
        subs=tuple(subs_inputs_from(subs)),
        subs_mode=subs_mode,
        subs_encoding=subs_encoding,
        strict=strict,
        series=load_series(
            series_file,
            title=title,
            synopsis=synopsis,
            tagline=tagline,
            license_number=license_number,
        ),
        reframe=reframe,
        jobs=jobs_or_default(jobs),
        speed=speed,
        promo=not no_promo,
        hardsubs=masking,
        audio=tuple(dubs),
        audio_fit=audio_fit,
        cards=cards,
    )
    reporter = ProgressReporter("none" if dry_run else progress)  # type: ignore[arg-type]
    previous, settings.dry_run = settings.dry_run, dry_run or settings.dry_run
    ok = False
    try:
        result = build_package(
            master, options, observer=reporter,
            warn=lambda w: _warn(reporter, w),
        )  # fmt: skip
        ok = True
    finally:
        settings.dry_run = previous
        reporter.close(ok)
    if dry_run:
        return
    if as_json:
        import json

        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_summary(result)
    for pkg in result.platforms:  # what a platform's steps warned of (promo) reaches the summary
        for warning in pkg.warnings:
            if warning not in result.warnings:
                click.echo(f"Warning: {pkg.platform}: {warning}", err=True)
    failed = [p.platform for p in result.platforms if p.verdict == "fail"]
    if failed:
        from vidpack.errors import VidpackError

        raise VidpackError(
            f"QC failed for {', '.join(failed)}: see qc.json in each folder "
            "(or run `vidpack qc DIR/<platform>`)"
        )


def _print_summary(result: PackageResult) -> None:
    """The table of packages, the encode counts, the reports and the platforms' warnings."""
    rows = []
    for pkg in result.platforms:
        for language, count in pkg.sets:
            folder = pkg.folder / language if language else pkg.folder
            rows.append([pkg.platform, language or "-", count, pkg.verdict, folder])
    for name in result.skipped:
        rows.append([name, "-", 0, "skipped", "-"])
    click.echo(format_table(["platform", "language", "episodes", "qc", "folder"], rows))
    click.echo(
        f"{result.renditions} distinct renditions: {result.rendered} episode files rendered, "
        f"{result.reused} reused"
    )
    for pkg in result.platforms:
        if pkg.report is not None:
            click.echo(f"report: {pkg.report}")


def _warn(reporter: ProgressReporter, text: str) -> None:
    """A warning of the run: on stderr at once, and as a ``warning`` event under --progress json."""
    reporter.warning(text)
    click.echo(f"Warning: {text}", err=True)
