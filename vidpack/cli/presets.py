"""`vidpack presets`: list, show and validate platform presets."""

from __future__ import annotations

import click

from vidpack.cli.common import echo_json, format_table


@click.group()
def presets() -> None:
    """List, show and check platform presets (built-in names or your own TOML files).

    \b
    Examples:
      vidpack presets list
      vidpack presets show tiktok --json
      vidpack presets validate my-tiktok.toml
    """


def _seconds(value: float) -> str:
    return f"{value:g}"


@presets.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list.")
def list_command(as_json: bool) -> None:
    """List the built-in presets with their size, limits and subtitle mode.

    \b
    Example:
      vidpack presets list
    """
    from vidpack.presets import load_builtin_presets

    loaded = load_builtin_presets()
    if as_json:
        echo_json(
            [
                {
                    "name": p.name,
                    "description": p.description,
                    "width": p.video.width,
                    "height": p.video.height,
                    "min_episode_s": p.limits.min_episode_s,
                    "max_episode_s": p.limits.max_episode_s,
                    "max_file_mb": p.limits.max_file_mb,
                    "subtitles": p.subtitles.mode,
                    "checked": p.checked,
                    "unverified": p.unverified,
                }
                for p in loaded
            ]
        )
        return
    rows = []
    for p in loaded:
        lo, hi = p.limits.min_episode_s, p.limits.max_episode_s
        episode = f"{_seconds(lo)}-{_seconds(hi)} s" if lo else f"<= {_seconds(hi)} s"
        size_cap = f"{p.limits.max_file_mb} MB" if p.limits.max_file_mb else "-"
        checked = p.checked + (" (unverified)" if p.unverified else "")
        size = f"{p.video.width}x{p.video.height}"
        rows.append([p.name, size, episode, size_cap, p.subtitles.mode, checked])
    headers = ["NAME", "SIZE", "EPISODE", "MAX FILE", "SUBTITLES", "CHECKED"]
    click.echo(format_table(headers, rows))


@presets.command()
@click.argument("preset", metavar="NAME|FILE")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def show(preset: str, as_json: bool) -> None:
    """Print a preset with its extends chain resolved (TOML, or JSON with --json).

    \b
    Examples:
      vidpack presets show facebook-reels
      vidpack presets show my-tiktok.toml --json
    """
    from vidpack.presets import dumps_toml, load_preset

    resolved = load_preset(preset)
    if as_json:
        echo_json(resolved.to_dict())
        return
    origin = resolved.path or f"built-in preset {resolved.name}"
    header = f"{origin}" + (f" (extends {resolved.extends})" if resolved.extends else "")
    click.echo(dumps_toml(resolved.to_dict(), header=f"{header}, resolved"), nl=False)


@presets.command()
@click.argument("preset", metavar="FILE")
def validate(preset: str) -> None:
    """Check a preset file; list every problem (exit 2) or print ok.

    \b
    Example:
      vidpack presets validate my-tiktok.toml
    """
    from vidpack.presets import load_preset

    resolved = load_preset(preset)
    extends = f" (extends {resolved.extends})" if resolved.extends else ""
    click.echo(f"ok: {preset}{extends}")
