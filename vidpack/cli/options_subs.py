"""Click options shared by commands that take subtitles (`subs`, `split`, `package`).

Usage::

    @click.command()
    @subs_options
    def split(..., subs: tuple[str, ...], subs_mode: str | None, subs_encoding: str | None,
              strict: bool) -> None:
        items = subs_inputs_from(subs)   # UsageError naming --subs
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

SUBS_MODES = ("burn", "mux", "sidecar", "none")


def subs_options(func: F) -> F:
    """Add ``--subs`` (repeatable), ``--subs-mode``, ``--subs-encoding`` and ``--strict``."""
    decorators = [
        click.option(
            "--subs",
            "subs",
            multiple=True,
            metavar="[LANG=]FILE",
            help="Subtitles for the whole master (SRT/ASS/VTT); repeat per language. The "
            "language comes from the name (master.en.srt) or is given as ko=FILE.",
        ),
        click.option(
            "--subs-mode",
            type=click.Choice(SUBS_MODES),
            default=None,
            help="burn into the picture, mux as tracks, or write sidecar files  "
            "[default: the preset's]",
        ),
        click.option(
            "--subs-encoding",
            default=None,
            metavar="ENC",
            help="Encoding of every --subs file (e.g. gb18030, cp1256)  [default: detect]",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Refuse malformed subtitles instead of repairing them with warnings.",
        ),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def subs_inputs_from(values: Sequence[str]) -> list[Any]:
    """Parse the ``--subs`` values into :class:`vidpack.subtitles.inputs.SubtitleInput` items.

    Raises:
        UsageError: every bad value at once, each naming --subs.
    """
    from vidpack.subtitles.inputs import parse_subs_args

    return parse_subs_args(values)
