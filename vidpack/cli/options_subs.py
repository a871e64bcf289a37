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


GUIDES = ("netflix", "none")


def guide_options(func: F) -> F:
    """Add ``--guide`` (the style guide cues are checked against) and ``--fix``."""
    return _apply(
        func,
        [
            click.option(
                "--guide",
                type=click.Choice(GUIDES),
                default="netflix",
                show_default=True,
                help="Check every cue against this style guide (Netflix's Timed Text Style "
                "Guide: characters a line and a second per language, 2 lines, 5/6 s, 2-frame "
                "gaps, shot cuts); warnings name the cue.",
            ),
            click.option(
                "--fix",
                "fix",
                is_flag=True,
                help="Fix what the guide's rules allow mechanically (re-break lines, extend "
                "short cues into the gap, open small gaps, snap onto shot cuts) and list it.",
            ),
        ],
    )


def check_guide_options(guide: str, fix: bool) -> None:
    """Refuse ``--fix`` without a guide, before any work.

    Raises:
        UsageError: ``--fix`` with ``--guide none``.
    """
    from vidpack.errors import UsageError

    if fix and guide == "none":
        raise UsageError("--fix needs a style guide: give --guide netflix (or drop --fix)")


def review_subs(
    tracks: Sequence[Any],
    *,
    guide: str,
    fix: bool,
    fps: float,
    cuts: Sequence[float],
    duration: float,
) -> list[Any]:
    """Check ``tracks`` against ``guide`` (fixing first with ``fix``): changes are echoed on
    stdout as ``Fixed: ...``, what is left on stderr as ``Warning: ...``.

    """
    if guide == "none":
        return list(tracks)
    from vidpack.subtitles.guide import review_tracks

    fixed, changes, left = review_tracks(
        tracks,
        fps=fps,
        cuts_ms=[t * 1000 for t in cuts],
        end_ms=duration * 1000,
        apply_fixes=fix,
    )
    for line in changes:
        click.echo(f"Fixed: {line}")
    for line in left:
        click.echo(f"Warning: {line}", err=True)
    return fixed
