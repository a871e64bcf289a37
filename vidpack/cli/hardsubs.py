"""`vidpack hardsubs`: where burned-in text is in a master, as a table, JSON or a mask file."""

from __future__ import annotations

from pathlib import Path

import click

from vidpack.cli.common import format_table, master_argument


@click.command()
@master_argument
@click.option("--json", "as_json", is_flag=True, help="Print the regions as one JSON object.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the regions to this mask file (editable; give it back with --hardsubs FILE).",
)
def hardsubs(master: str, as_json: bool, output: str | None) -> None:
    """Find burned-in text: the dialogue subtitle band and static text (titles, watermarks,
    the filing number), with where and when each appears.

    \b
    Boxes are x y w h in master pixels, times in seconds.
    Example:
      vidpack hardsubs master.mp4 -o master.mask.json
    """
    from vidpack.hardsubs.maskfile import dumps
    from vidpack.hardsubs.run import find_hardsubs
    from vidpack.media.atomic import check_writable_dir, write_text_atomic
    from vidpack.media.probe import probe, require_video

    if output is not None:
        check_writable_dir(Path(output).parent if Path(output).parent != Path("") else Path("."))
    info = probe(master)
    require_video(info)
    result = find_hardsubs(Path(master), info)
    if output is not None:
        write_text_atomic(Path(output), dumps(result))
    if as_json:
        click.echo(dumps(result), nl=False)
        return
    rows = []
    for i, r in enumerate(result.regions, start=1):
        x, y, w, h = r.box
        first, last = r.ranges[0][0], r.ranges[-1][1]
        shown = sum(b - a for a, b in r.ranges)
        rows.append(
            (i, r.kind, x, y, w, h, f"{first:.2f}", f"{last:.2f}", len(r.ranges),
             f"{shown:.1f}", f"{r.confidence:.2f}")
        )  # fmt: skip
    headers = ("#", "kind", "x", "y", "w", "h", "from", "to", "ranges", "seconds", "confidence")
    if rows:
        click.echo(format_table(headers, rows))
    n_dia = len(result.dialogue)
    click.echo(
        f"{len(result.regions)} regions ({n_dia} dialogue, {len(result.regions) - n_dia} static) "
        f"in {result.width}x{result.height}, {result.duration:.1f} s; "
        f"{result.samples} frames sampled"
    )
    if output is not None:
        click.echo(f"mask file: {output}")
