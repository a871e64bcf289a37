"""Small pieces shared by the command modules: argument types and output helpers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

# The core checks existence itself, so every command reports a missing file the same way.
master_argument = click.argument("master", type=click.Path(path_type=str))


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table (no colours, safe to pipe)."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def timecode(seconds: float) -> str:
    """``MM:SS.s`` (or ``H:MM:SS.s``) for tables."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{int(hours)}:{int(minutes):02d}:{secs:04.1f}"
    return f"{sign}{int(minutes):02d}:{secs:04.1f}"
