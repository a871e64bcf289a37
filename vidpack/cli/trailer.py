"""`vidpack trailer`: cut a 15/30/60 s trailer from a master's early episodes."""

from __future__ import annotations

from pathlib import Path

import click

from vidpack.cli.common import echo_json, master_argument, old_series_option, series_title
from vidpack.cli.options_render import (
    hardsubs_options,
    reframe_option,
    render_option_problems,
    speed_option,
)


@click.command()
@master_argument
@click.option(
    "-o", "--output", "output", type=click.Path(path_type=Path), required=True,
    help="Trailer file (.mp4), or a folder to write it into named by the preset's "
    "naming.trailer; the chosen ranges go beside it as <name>.ranges.json.",
)  # fmt: skip
@click.option(
    "--preset", "preset_name", required=True, metavar="NAME|FILE",
    help="Built-in preset name or a preset TOML file (encode, loudness, end card).",
)  # fmt: skip
@click.option("--length", type=int, required=True, help="Seconds: one of the preset's lengths.")
@click.option(
    "--plan", "plan_file", type=click.Path(path_type=Path), default=None,
    help="Plan JSON: episodes for --from-episodes.",
)  # fmt: skip
@click.option(
    "--from-episodes", default=None, metavar="N-M",
    help="Episodes to draw from  [default: the first third]",
)  # fmt: skip
@click.option(
    "--ranges", "ranges_file", type=click.Path(path_type=Path), default=None,
    help="Render from an (edited) ranges JSON instead of choosing.",
)  # fmt: skip
@reframe_option("fit")  # the same defaults as split and package (fit, medium)
@click.option(
    "--title", default="",
    help="Series title on the end card and in the file name when -o is a folder  "
    "[default: the preset's]",
)  # fmt: skip
@old_series_option
@speed_option("medium")
@hardsubs_options
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def trailer(
    master: str,
    output: Path,
    preset_name: str,
    length: int,
    plan_file: Path | None,
    from_episodes: str | None,
    ranges_file: Path | None,
    reframe: str,
    title: str,
    old_series: str | None,
    speed: str,
    hardsubs: str,
    hardsubs_method: str,
    hardsubs_keep: tuple[str, ...],
    as_json: bool,
) -> None:
    """Cut a trailer of exactly --length seconds from MASTER into -o FILE (or FOLDER).

    With --hardsubs, burned-in dialogue text is masked inside the trailer's own encode, each
    range by the master's mask at its own times.

    \b
    Examples:
      vidpack trailer master.mp4 --plan plan.json --preset tiktok --length 15 -o trailers/
      vidpack trailer master.mp4 --preset tiktok --length 30 --from-episodes 1-5 -o t30.mp4
      vidpack trailer master.mp4 --preset tiktok --length 15 --ranges t15.ranges.json -o t15.mp4
    """
    from vidpack.errors import UsageError
    from vidpack.hardsubs.masking import parse_hardsubs_options
    from vidpack.presets import load_preset
    from vidpack.promo.trailer_run import run_trailer

    problems = render_option_problems(None, speed)
    try:
        masking = parse_hardsubs_options(hardsubs, hardsubs_method, hardsubs_keep)
    except UsageError as err:
        problems.append(str(err))
    if problems:
        raise UsageError("; ".join(problems))
    preset = load_preset(preset_name)
    result = run_trailer(
        master, output, preset=preset, length=length, plan_file=plan_file,
        from_episodes=from_episodes, ranges_file=ranges_file, reframe=reframe, title=title,
        speed=speed, series=series_title(title, old_series), hardsubs=masking,
    )  # fmt: skip
    for note in result.notes:
        click.echo(f"Warning: {note}", err=True)
    if as_json:
        echo_json(result.to_dict())
        return
    plan = result.plan
    click.echo(
        f"{result.path}: {plan.total_frames} frames ({plan.total_frames / plan.fps:.3f} s) from "
        f"{len(plan.ranges)} ranges, gain {result.gain_db:+.1f} dB; ranges: {result.ranges_path}"
    )
