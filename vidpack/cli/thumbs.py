"""`vidpack thumbs`: pick thumbnail frames, write a contact sheet and covers for a master."""

from __future__ import annotations

from pathlib import Path

import click

from vidpack.cli.common import (
    echo_json,
    format_table,
    master_argument,
    old_series_option,
    series_title,
    timecode,
)
from vidpack.cli.options_render import hardsubs_options


@click.command()
@master_argument
@click.option(
    "-o", "--output", "output", type=click.Path(path_type=Path), required=True,
    help="Folder for thumbnails, contact sheet and covers (created if needed).",
)  # fmt: skip
@click.option(
    "--preset", "preset_name", default="tiktok", show_default=True, metavar="NAME|FILE",
    help="Preset giving cover sizes, format, size cap, safe area and fonts.",
)  # fmt: skip
@click.option(
    "--plan", "plan_file", type=click.Path(path_type=Path), default=None,
    help="Plan JSON: one cover per episode, from a frame within it.",
)  # fmt: skip
@click.option("--count", type=int, default=3, show_default=True, help="Thumbnails to pick.")
@click.option(
    "--at", type=float, default=None, metavar="SECONDS",
    help="Force this master time as the pick (see the contact sheet).",
)  # fmt: skip
@click.option(
    "--episode", type=int, default=None, metavar="N",
    help="MASTER is episode N (its number on the cover), when there is no plan.",
)  # fmt: skip
@click.option(
    "--title", default="",
    help="Series title drawn on covers and in their file names  [default: the preset's]",
)  # fmt: skip
@old_series_option
@click.option("--no-covers", is_flag=True, help="Only thumbnails and the contact sheet.")
@hardsubs_options
@click.option("--json", "as_json", is_flag=True, help="Print the picks and covers as JSON.")
def thumbs(
    master: str,
    output: Path,
    preset_name: str,
    plan_file: Path | None,
    count: int,
    at: float | None,
    episode: int | None,
    title: str,
    old_series: str | None,
    no_covers: bool,
    hardsubs: str,
    hardsubs_method: str,
    hardsubs_keep: tuple[str, ...],
    as_json: bool,
) -> None:
    """Pick thumbnail frames of MASTER (or an EPISODE file), write covers and a contact sheet.

    With --hardsubs, burned-in dialogue text is hidden in every frame before it is scored,
    saved or drawn on, by the same filters as the episode encodes.

    \b
    Examples:
      vidpack thumbs master.mp4 --preset tiktok --plan plan.json --title "My Series" -o covers/
      vidpack thumbs episode3.mp4 --preset drama-app --episode 3 -o covers/
      vidpack thumbs master.mp4 --preset tiktok --at 12.5 --count 1 --hardsubs auto -o covers/
    """
    from vidpack.hardsubs.masking import parse_hardsubs_options
    from vidpack.presets import load_preset
    from vidpack.promo.thumbs_run import run_thumbs

    masking = parse_hardsubs_options(hardsubs, hardsubs_method, hardsubs_keep)
    preset = load_preset(preset_name)
    result = run_thumbs(
        master, output, preset=preset, plan_file=plan_file, count=count, at=at, title=title,
        series=series_title(title, old_series), episode=episode, covers=not no_covers,
        hardsubs=masking,
    )  # fmt: skip
    for note in result.notes:
        click.echo(f"Warning: {note}", err=True)
    if as_json:
        echo_json(result.to_dict())
        return
    rows = [
        (name, timecode(c.time), f"{c.score:.3f}",
         " ".join(f"{k}={v:.2f}" for k, v in c.parts.items()))
        for name, c in result.picks
    ]  # fmt: skip
    click.echo(format_table(["file", "time", "score", "parts"], rows))
    assert result.sheet is not None  # the command always asks for it
    click.echo(f"{result.candidates} candidates: {output / result.sheet.name}")
    for cover in result.covers:
        click.echo(f"cover {cover.path.name} ({cover.size_bytes} bytes)")
    for skipped in result.skipped:
        click.echo(f"Warning: cover {skipped.file} skipped: {skipped.reason}", err=True)
