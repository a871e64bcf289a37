"""`vidpack doctor`: is this machine ready (ffmpeg features, fonts per script)?"""

from __future__ import annotations

import click

from vidpack.errors import VidpackError


@click.command()
@click.option(
    "--preset",
    default="tiktok",
    show_default=True,
    help="Check the subtitle fonts of this preset (name or TOML file).",
)
def doctor(preset: str) -> None:
    """Check ffmpeg, its features and a font for every supported script.

    Exits 1 when something required is missing, naming what to install.

    \b
    Example:
      vidpack doctor
      vidpack doctor --preset my-preset.toml
    """
    from vidpack.doctor import run_checks

    checks = run_checks(preset)
    width = max(len(c.name) for c in checks)
    for c in checks:
        mark = "ok  " if c.ok else ("MISS" if c.required else "warn")
        click.echo(f"{mark}  {c.name.ljust(width)}  {c.detail}")
    missing = [c.name for c in checks if c.required and not c.ok]
    if missing:
        raise VidpackError(f"missing: {', '.join(missing)} (see the lines marked MISS)")
    click.echo("all checks passed")
