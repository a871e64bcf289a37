"""`vidpack probe`: the facts of a media file."""

from __future__ import annotations

import click

from vidpack.cli.common import echo_json, master_argument


@click.command()
@master_argument
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def probe(master: str, as_json: bool) -> None:
    """Show a media file's duration, display size, frame rate and streams.

    \b
    Example:
      vidpack probe master.mp4 --json
    """
    from vidpack.media.probe import probe as probe_file

    info = probe_file(master)
    if as_json:
        echo_json(info.to_json())
        return
    v = info.video
    click.echo(f"file       {info.path}")
    click.echo(f"format     {info.format_name}, {info.size_bytes / 1e6:.1f} MB")
    click.echo(f"duration   {info.duration:.3f} s (starts at {info.start_time:.3f} s)")
    if v:
        if v.is_vfr:
            rate = f"variable rate, mean {float(v.fps):.3f} fps"
        else:
            rate = f"{v.fps.numerator}/{v.fps.denominator} ({float(v.fps):.3f} fps)"
        click.echo(f"video      {v.codec} {v.profile or ''} {v.width}x{v.height} display".rstrip())
        coded = f"{v.coded_width}x{v.coded_height}, rotation {v.rotation}, SAR {v.sar}"
        click.echo(f"           coded {coded}")
        click.echo(f"           {rate}, {v.frame_count} frames")
        colour = "/".join(str(c) for c in (v.color_space, v.color_primaries, v.color_transfer))
        click.echo(f"           {v.pix_fmt}, {v.bit_depth}-bit, colour {colour}")
    else:
        click.echo("video      none")
    for a in info.audio:
        lang = a.language or "und"
        layout = a.channel_layout or f"{a.channels} ch"
        click.echo(f"audio #{a.index:<3} {a.codec} {a.sample_rate} Hz {layout} [{lang}]")
    for s in info.subtitles:
        click.echo(
            f"subs  #{s.index:<3} {s.codec} [{s.language or 'und'}] {s.title or ''}".rstrip()
        )
