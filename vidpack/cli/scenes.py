"""`vidpack scenes`: the shot transitions of a master (table, JSON, CSV or an EDL of shots)."""

from __future__ import annotations

from pathlib import Path

import click

from vidpack.cli.common import echo_json, format_table, master_argument, timecode


@click.command()
@master_argument
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
@click.option("--no-cache", is_flag=True, help="Analyse again even when a cached analysis exists.")
def scenes(master: str, as_json: bool, as_csv: bool, edl: Path | None, no_cache: bool) -> None:
    """List the shot transitions of a master: hard cuts, dissolves and dips to black.

    SECONDS is when the new shot starts (the middle of a gradual transition), counted
    from the start of the master; SCORE is how sure the detector is (0..1). The last line
    sums up the speech the planner keeps boundaries out of (listed by --json). The analysis
    is cached beside the master, so later commands do not decode it again.

    \b
    Examples:
      vidpack scenes master.mp4
      vidpack scenes master.mp4 --json
      vidpack scenes master.mp4 --csv > cuts.csv
      vidpack scenes master.mp4 --edl shots.edl
    """
    from vidpack.errors import UsageError

    if as_json and as_csv:
        raise UsageError("--json and --csv both given: choose one output format")
    if edl is not None:
        from vidpack.media.atomic import check_writable_dir

        check_writable_dir(edl.parent if str(edl.parent) else Path("."), "--edl")
    from vidpack.analyze import analyze
    from vidpack.analyze.report import scenes_csv, scenes_json, write_edl

    analysis = analyze(master, use_cache=not no_cache)
    if edl is not None:
        write_edl(analysis, edl)
    if as_json:
        echo_json(scenes_json(analysis))
    elif as_csv:
        click.echo(scenes_csv(analysis), nl=False)
    elif edl is None or analysis.transitions:
        rows = [
            (n, timecode(t.time), f"{t.time:.3f}", t.frame, t.kind, f"{t.score:.2f}")
            for n, t in enumerate(analysis.transitions, start=1)
        ]
        click.echo(format_table(("#", "at", "seconds", "frame", "kind", "score"), rows))
        shots = len(analysis.transitions) + 1
        click.echo(
            f"{len(analysis.transitions)} transitions, {shots} shots in "
            f"{analysis.duration:.1f} s at {analysis.fps:g} fps"
        )
        talk = sum(i.duration for i in analysis.speech)
        click.echo(
            f"speech: {len(analysis.speech)} stretches, {talk:.1f} s "
            f"({100 * talk / max(analysis.duration, 1e-9):.0f} % of the master)"
        )
    if edl is not None and not as_json and not as_csv:
        click.echo(f"EDL written: {edl}")
