"""`vidpack scenes`: the shot transitions of a master (table, JSON, CSV, an EDL of shots, and
PySceneDetect's scene-list CSV and HTML)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from vidpack.cli.common import echo_json, format_table, master_argument, timecode
from vidpack.cli.options import detector_option

if TYPE_CHECKING:
    from vidpack.analyze.model import Analysis

F = TypeVar("F", bound=Callable[..., Any])

STDOUT = "-"


def _file_or_stdout(name: str, metavar: str, what: str) -> Callable[[F], F]:
    """An option naming a file to write the shots into as ``what``, or ``-`` for stdout."""
    return click.option(
        name,
        type=click.Path(dir_okay=False, allow_dash=True),
        default=None,
        metavar=metavar,
        help=f"Write the shots as {what} (- for stdout).",
    )


@click.command()
@master_argument
@detector_option
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object with the cuts and the speech."
)
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV rows: time,frame,kind,score.")
@click.option(
    "--edl",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a CMX 3600 EDL with one event per shot.",
)
@_file_or_stdout("--scene-list", "FILE.csv", "PySceneDetect's scene-list CSV")
@_file_or_stdout("--html", "FILE.html", "PySceneDetect's HTML table")
@click.option("--no-cache", is_flag=True, help="Analyse again even when a cached analysis exists.")
def scenes(
    master: str,
    detector: str,
    as_json: bool,
    as_csv: bool,
    edl: Path | None,
    scene_list: str | None,
    html: str | None,
    no_cache: bool,
) -> None:
    """List the shot transitions of a master: hard cuts, dissolves and dips to black.

    SECONDS is when the new shot starts (the middle of a gradual transition), counted
    from the start of the master; SCORE is how sure the detector is (0..1). The last line
    sums up the speech the planner keeps boundaries out of (listed by --json). The analysis
    is cached beside the master, so later commands do not decode it again.

    --detector content or adaptive runs PySceneDetect's ContentDetector or AdaptiveDetector
    (default thresholds) on the frames of the same single decode: hard cuts only.
    --scene-list and --html write the shots with PySceneDetect's own writers.

    \b
    Examples:
      vidpack scenes master.mp4
      vidpack scenes master.mp4 --json
      vidpack scenes master.mp4 --csv > cuts.csv
      vidpack scenes master.mp4 --edl shots.edl
      vidpack scenes master.mp4 --detector content --scene-list scenes.csv --html scenes.html
      vidpack scenes master.mp4 --detector adaptive --scene-list -
    """
    from vidpack.analyze import AnalysisSettings, analyze
    from vidpack.analyze.report import scenes_csv, scenes_json, write_edl

    files = _check_outputs(as_json, as_csv, edl, scene_list, html)
    to_stdout = as_json or as_csv or STDOUT in (scene_list, html)
    analysis = analyze(master, settings=AnalysisSettings(detector=detector), use_cache=not no_cache)
    if edl is not None:
        write_edl(analysis, edl)
    written = _write_psd(analysis, scene_list, html)
    if as_json:
        echo_json(scenes_json(analysis))
    elif as_csv:
        click.echo(scenes_csv(analysis), nl=False)
    elif not to_stdout and (not files or analysis.transitions):
        rows = [
            (n, timecode(t.time), f"{t.time:.3f}", t.frame, t.kind, f"{t.score:.2f}")
            for n, t in enumerate(analysis.transitions, start=1)
        ]
        click.echo(format_table(("#", "at", "seconds", "frame", "kind", "score"), rows))
        shots = len(analysis.transitions) + 1
        click.echo(
            f"{len(analysis.transitions)} transitions, {shots} shots in "
            f"{analysis.duration:.1f} s at {analysis.fps:g} fps (detector: {detector})"
        )
        talk = sum(i.duration for i in analysis.speech)
        click.echo(
            f"speech: {len(analysis.speech)} stretches, {talk:.1f} s "
            f"({100 * talk / max(analysis.duration, 1e-9):.0f} % of the master)"
        )
    # With stdout taken by machine output, what was written to files is said on stderr.
    if edl is not None:
        written.insert(0, f"EDL written: {edl}")
    for line in written:
        click.echo(line, err=to_stdout)


def _check_outputs(
    as_json: bool, as_csv: bool, edl: Path | None, scene_list: str | None, html: str | None
) -> list[Path]:
    """Refuse clashing outputs before the analysis runs; the output files, folders checked.

    Raises:
        UsageError: two outputs on stdout or in one file, or a folder that cannot be written.
    """
    from vidpack.errors import UsageError
    from vidpack.media.atomic import check_writable_dir

    on_stdout = [
        name
        for name, used in (
            ("--json", as_json),
            ("--csv", as_csv),
            ("--scene-list -", scene_list == STDOUT),
            ("--html -", html == STDOUT),
        )
        if used
    ]
    if len(on_stdout) > 1:
        names = ", ".join(on_stdout[:-1]) + f" and {on_stdout[-1]}"
        both = "both" if len(on_stdout) == 2 else "all"
        raise UsageError(f"{names} {both} given: choose one output format")
    files: dict[Path, str] = {}
    for option, value in (("--edl", edl), ("--scene-list", scene_list), ("--html", html)):
        if value is None or str(value) == STDOUT:
            continue
        path = Path(value)
        other = files.get(path.resolve())
        if other is not None:
            raise UsageError(f"{other} and {option} both write {str(path)!r}: give each its own")
        files[path.resolve()] = option
        check_writable_dir(path.parent if str(path.parent) else Path("."), option)
    return list(files)


def _write_psd(analysis: Analysis, scene_list: str | None, html: str | None) -> list[str]:
    """Write (or print) PySceneDetect's scene list and HTML; the lines saying what was written."""
    from vidpack.analyze.psd import scene_list_csv, scene_list_html
    from vidpack.media.atomic import write_text_atomic

    written: list[str] = []
    for value, render, what in (
        (scene_list, scene_list_csv, "Scene list"),
        (html, scene_list_html, "HTML scene list"),
    ):
        if value is None:
            continue
        text = render(analysis)
        if value == STDOUT:
            click.echo(text, nl=False)
        else:
            write_text_atomic(Path(value), text)
            written.append(f"{what} written: {value}")
    return written
