"""Small pieces shared by the command modules: argument types and output helpers.

Inputs are checked at this boundary, so every command refuses them the same way, as a usage
error (exit 2) naming the option: numbers that are not finite or out of range
(:class:`Seconds`), paths that are missing, unreadable or of the wrong kind
(:class:`InputPath`, :data:`master_argument`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from vidpack.errors import UsageError


def _name(param: click.Parameter | None) -> str:
    if param is None:
        return "value"
    if isinstance(param, click.Argument):
        return (param.name or "value").upper()
    return max(param.opts, key=len)


class Seconds(click.ParamType):
    """A finite number of seconds (and, with ``positive``, above 0).

    ``--max inf`` and ``--min nan`` are refused while parsing, as one line naming the option,
    the value and ``example``. Without ``positive``, zero and negative values pass on, to be
    reported together with the option's other problems (``PlanOptions.problems``).
    """

    name = "seconds"

    def __init__(self, example: float, *, positive: bool = True) -> None:
        self.example = example
        self.positive = positive

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value is None:
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or (self.positive and number <= 0):
            above = " above 0" if self.positive else ""
            raise UsageError(
                f"{_name(param)} {value}: give a finite number of seconds{above}, "
                f"e.g. {self.example:g}"
            )
        return number


def check_input_path(
    path: str | Path, what: str, *, kind: str = "file", noun: str = "a file"
) -> None:
    """Refuse an input path that is missing, unreadable or of the wrong kind.

    Args:
        path: the path given.
        what: the option or argument, for the message (``--series-file``, ``MASTER``).
        kind: ``"file"`` or ``"folder"``.
        noun: what to give instead of a folder (``"a media file"``).

    Raises:
        UsageError: one line naming ``what`` and the path.
    """
    p = Path(path)
    shown = repr(str(p))
    if not p.exists():
        raise UsageError(f"file not found: {shown}: check the path")
    if kind == "file" and p.is_dir():
        raise UsageError(f"{what} {shown} is a folder: give {noun}")
    if kind == "folder" and not p.is_dir():
        raise UsageError(f"{what} {shown} is not a folder: give a folder")
    if not os.access(p, os.R_OK):
        raise UsageError(f"{what} {shown} is not readable: fix its permissions")


class InputPath(click.ParamType):
    """An existing, readable file (or folder with ``kind="folder"``), as a :class:`Path`."""

    name = "path"

    def __init__(self, kind: str = "file") -> None:
        self.kind = kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value is None:
            return None
        check_input_path(value, _name(param), kind=self.kind)
        return Path(value)


def _check_master(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    # A missing master is left to the core (probe), which says so as a usage error after the
    # command's own option checks; a folder or an unreadable file is refused here.
    if value is not None and Path(value).exists():
        check_input_path(value, "MASTER", noun="a media file")
    return value


# Every command refuses a folder or unreadable master the same way, as a usage error.
master_argument = click.argument("master", type=click.Path(path_type=str), callback=_check_master)


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


# `--series` was the series' name in split, subs, thumbs and trailer, `--title` in package: one
# name now, `--title`; the old spelling is still taken, hidden, for the scripts that use it.
old_series_option = click.option("--series", "old_series", default=None, hidden=True)


def series_title(title: str | None, old_series: str | None) -> str | None:
    """``--title``, or the old ``--series`` spelling of it.

    Raises:
        UsageError: both given, with different values.
    """
    from vidpack.errors import UsageError

    if old_series is not None and title not in (None, "", old_series):
        raise UsageError(
            f"--series {old_series!r} and --title {title!r}: --series is --title now; give "
            "--title only"
        )
    return title if title not in (None, "") else old_series
