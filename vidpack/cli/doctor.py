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
@click.option(
    "--json", "as_json", is_flag=True,
    help='Print {"checks": [{"name", "ok", "required", "detail"}], "ok"} instead of lines.',
)  # fmt: skip
@click.option(
    "--subs", multiple=True, metavar="[LANG=]FILE",
    help="Also check that the preset's font for the file's language has every character of it.",
)  # fmt: skip
def doctor(preset: str, as_json: bool, subs: tuple[str, ...]) -> None:
    """Check ffmpeg, its features and a font for every supported script.

    Exits 1 when something required is missing, naming what to install.

    \b
    Example:
      vidpack doctor
      vidpack doctor --preset my-preset.toml
      vidpack doctor --json
      vidpack doctor --preset tiktok --subs master.th.srt
    """
    from vidpack.doctor import run_checks

    checks = run_checks(preset)
    if subs:
        from vidpack.doctor import subtitle_checks

        checks += subtitle_checks(preset, subs)
    missing = [c.name for c in checks if c.required and not c.ok]
    if as_json:
        import json

        rows = [
            {"name": c.name, "ok": c.ok, "required": c.required, "detail": c.detail} for c in checks
        ]
        click.echo(json.dumps({"checks": rows, "ok": not missing}, indent=2, ensure_ascii=False))
    else:
        width = max(len(c.name) for c in checks)
        for c in checks:
            mark = "ok  " if c.ok else ("MISS" if c.required else "warn")
            click.echo(f"{mark}  {c.name.ljust(width)}  {c.detail}")
    if missing:
        where = "the checks whose ok is false" if as_json else "the lines marked MISS"
        raise VidpackError(f"missing: {', '.join(missing)} (see {where})")
    if not as_json:
        click.echo("all checks passed")
