"""Click options shared by commands that take subtitles (`subs`, `split`, `package`, and
`plan`, which reads them as dialogue only), and loading them once for the command.

Usage::

    @click.command()
    @subs_options              # or @subs_read_options: no --subs-mode (`plan`)
    def split(..., subs: tuple[str, ...], subs_mode: str | None, subs_encoding: str | None,
              strict: bool) -> None:
        items = subs_inputs_from(subs)   # UsageError naming --subs
        tracks = load_subs(items, duration, subs_encoding, strict)  # warnings echoed
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

SUBS_MODES = ("burn", "mux", "sidecar", "none")


_SUBS_HELP = (
    "Subtitles for the whole master (SRT/ASS/VTT); repeat per language. The language comes "
    "from the name (master.en.srt) or is given as ko=FILE."
)


def _decorators(with_mode: bool, subs_help: str) -> list[Callable[[Any], Any]]:
    out = [
        click.option("--subs", "subs", multiple=True, metavar="[LANG=]FILE", help=subs_help),
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
    return out if with_mode else [out[0], *out[2:]]


def _apply(func: F, decorators: Sequence[Callable[[Any], Any]]) -> F:
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def subs_options(func: F) -> F:
    """Add ``--subs`` (repeatable), ``--subs-mode``, ``--subs-encoding`` and ``--strict``."""
    return _apply(func, _decorators(True, _SUBS_HELP))


def subs_read_options(func: F) -> F:
    """Add ``--subs`` (repeatable), ``--subs-encoding`` and ``--strict``: subtitles read as
    dialogue evidence only (``plan``)."""
    help_ = (
        "Subtitles for the whole master (SRT/ASS/VTT), read as dialogue: no boundary inside a "
        "cue of any language; repeat per language (master.en.srt or ko=FILE)."
    )
    return _apply(func, _decorators(False, help_))


def subs_inputs_from(values: Sequence[str]) -> list[Any]:
    """Parse the ``--subs`` values into :class:`vidpack.subtitles.inputs.SubtitleInput` items.

    Raises:
        UsageError: every bad value at once, each naming --subs.
    """
    from vidpack.subtitles.inputs import parse_subs_args

    return parse_subs_args(values)


def load_subs(
    items: Sequence[Any], master_duration: float, encoding: str | None, strict: bool
) -> list[Any]:
    """Read every parsed ``--subs`` file once (:func:`vidpack.subtitles.run.load_tracks`) and
    echo each repair as a warning on stderr.

    Raises:
        UsageError: every unreadable (or, with ``strict``, malformed) file at once.
    """
    if not items:
        return []
    from vidpack.subtitles.run import load_tracks

    tracks = load_tracks(
        list(items), master_duration=master_duration, encoding=encoding, strict=strict
    )
    for track in tracks:
        for warning in track.warnings:
            click.echo(f"Warning: {warning}", err=True)
    return tracks
