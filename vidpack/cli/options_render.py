"""Click options shared by the commands that encode episodes (`split`, `package`) and trailers.

Usage::

    @click.command()
    @render_options
    def split(..., reframe: str, jobs: int | None, speed: str) -> None:
        problems = render_option_problems(jobs, speed)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

X264_SPEEDS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
               "slower", "veryslow")  # fmt: skip


def reframe_option(default: str) -> Callable[[F], F]:
    """``--reframe fit|crop|smart``."""
    return click.option(
        "--reframe", type=click.Choice(["fit", "crop", "smart"]), default=default,
        show_default=True, help="How a master that is not 9:16 becomes vertical.",
    )  # fmt: skip


def speed_option(default: str) -> Callable[[F], F]:
    """``--speed X264_PRESET`` (checked by :func:`render_option_problems`)."""
    return click.option(
        "--speed", default=default, show_default=True, metavar="X264_PRESET",
        help="Encoder speed preset (ultrafast .. veryslow).",
    )  # fmt: skip


def render_options(func: F) -> F:
    """Add ``--reframe`` (default fit), ``--jobs/-j`` and ``--speed`` (default medium)."""
    jobs = click.option(
        "--jobs", "-j", type=int, default=None, metavar="N",
        help="Episodes rendered at once  [default: half the cores, at least 1]",
    )  # fmt: skip
    for decorate in (speed_option("medium"), jobs, reframe_option("fit")):
        func = decorate(func)
    return func


def render_option_problems(jobs: int | None, speed: str) -> list[str]:
    """One line per bad ``--jobs``/``--speed`` value, naming the fix."""
    problems = []
    if speed not in X264_SPEEDS:
        problems.append(
            f"--speed {speed!r} is not an x264 preset: use one of {', '.join(X264_SPEEDS)}"
        )
    if jobs is not None and jobs < 1:
        problems.append(f"--jobs {jobs} must be at least 1: use e.g. 1 or 2")
    return problems


def jobs_or_default(jobs: int | None) -> int:
    """``--jobs``, else half the cores (at least 1)."""
    return jobs or max(1, (os.cpu_count() or 1) // 2)


def hardsubs_options(func: F) -> F:
    """Add ``--hardsubs auto|off|FILE``, ``--hardsubs-method`` and ``--hardsubs-keep``
    (checked by :func:`vidpack.hardsubs.masking.parse_hardsubs_options`)."""
    from vidpack.hardsubs.filters import METHODS
    from vidpack.hardsubs.masking import DEFAULT_METHOD

    decorators = [
        click.option(
            "--hardsubs", "hardsubs", default="off", show_default=True, metavar="auto|off|FILE",
            help="Mask burned-in dialogue subtitles inside the episode encode: auto detects "
            "them (cached), FILE is a mask file from `vidpack hardsubs -o`. Only dialogue "
            "regions are masked; static text (titles, the filing number) never.",
        ),
        click.option(
            "--hardsubs-method", "hardsubs_method", default=DEFAULT_METHOD, show_default=True,
            metavar="|".join(METHODS),
            help="blur the band, fill it with the colours around it (box), inpaint it, or crop "
            "its rows away (the picture enlarged to fill them).",
        ),
        click.option(
            "--hardsubs-keep", "hardsubs_keep", multiple=True, metavar="X,Y,W,H",
            help="A box (master pixels) never masked; repeatable. A dialogue region touching "
            "one is left unmasked (not clipped).",
        ),
    ]  # fmt: skip
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def audio_options(func: F) -> F:
    """Add ``--audio LANG=FILE`` (repeatable) and ``--audio-fit exact|pad|trim`` (checked by
    :func:`vidpack.render.dubs.parse_audio_args` and :func:`vidpack.render.dubs.load_dubs`)."""
    decorators = [
        click.option(
            "--audio", "audio", multiple=True, metavar="LANG=FILE",
            help="A dubbed mix of the whole master in language LANG; repeatable. That "
            "language's deliveries use it as their sound; platforms that take several tracks "
            "get the master's sound and every dub, tagged.",
        ),
        click.option(
            "--audio-fit", "audio_fit", default="exact", show_default=True,
            metavar="exact|pad|trim",
            help="A dub whose length differs from the master's by more than 2 frames is an "
            "error (exact), padded with silence (pad: shorter dubs) or cut (trim: longer ones).",
        ),
    ]  # fmt: skip
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def cards_option(func: F) -> F:
    """Add ``--cards none|title|next|both`` (checked by
    :func:`vidpack.render.cards.check_cards`)."""
    return click.option(
        "--cards", "cards", default="none", show_default=True, metavar="none|title|next|both",
        help="Draw a title card (series title and episode label) over each episode's opening "
        "and/or a 'next episode' card over its ending, in the set's language.",
    )(func)  # fmt: skip
