"""Click options shared by commands that plan episodes (`plan`, `split`, `package`), and the
analysis pass's ``--detector``.

Usage::

    @click.command()
    @plan_options
    def split(..., min_s: float, max_s: float, target_s: float | None) -> None:
        options = plan_options_from(min_s, max_s, target_s)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from vidpack.cli.common import Seconds
from vidpack.errors import UsageError
from vidpack.plan.model import PlanOptions

F = TypeVar("F", bound=Callable[..., Any])

_DEFAULTS = PlanOptions()


def plan_options(func: F) -> F:
    """Add ``--min``, ``--max`` and ``--target`` (seconds) as ``min_s``, ``max_s``, ``target_s``.

    Each is a finite number of seconds (:class:`~vidpack.cli.common.Seconds`): ``inf`` and
    ``nan`` are refused while parsing; zero and negative values by :func:`plan_options_from`,
    every problem at once.
    """
    decorators = [
        click.option(
            "--min",
            "min_s",
            type=Seconds(_DEFAULTS.min_s, positive=False),
            default=_DEFAULTS.min_s,
            show_default=True,
            metavar="SECONDS",
            help="Shortest episode.",
        ),
        click.option(
            "--max",
            "max_s",
            type=Seconds(_DEFAULTS.max_s, positive=False),
            default=_DEFAULTS.max_s,
            show_default=True,
            metavar="SECONDS",
            help="Longest episode.",
        ),
        click.option(
            "--target",
            "target_s",
            type=Seconds((_DEFAULTS.min_s + _DEFAULTS.max_s) / 2, positive=False),
            default=None,
            metavar="SECONDS",
            help="Preferred episode length  [default: halfway between --min and --max]",
        ),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


# AnalysisSettings' DETECTORS (a test holds them equal), spelt out here because importing
# vidpack.analyze at start-up would load the whole analysis package (~0.1 s) for every --help.
DETECTOR_CHOICES = ("vidpack", "content", "adaptive")


def detector_option(func: F) -> F:
    """Add ``--detector vidpack|content|adaptive`` as ``detector`` (``AnalysisSettings``)."""
    return click.option(
        "--detector",
        type=click.Choice(DETECTOR_CHOICES),
        default=DETECTOR_CHOICES[0],
        show_default=True,
        help="What finds the shot changes: vidpack's detector (cuts, dissolves, dips to black), "
        "or PySceneDetect's ContentDetector or AdaptiveDetector (hard cuts only) fed with the "
        "same decode.",
    )(func)


def plan_options_from(min_s: float, max_s: float, target_s: float | None) -> PlanOptions:
    """Build :class:`PlanOptions` from the parsed options.

    Raises:
        UsageError: every problem at once (non-positive values, --min above --max, --target out
            of range), each naming the option.
    """
    options = PlanOptions(min_s=min_s, max_s=max_s, target_s=target_s)
    problems = options.problems()
    if problems:
        raise UsageError("; ".join(problems))
    return options


def refuse_plan_options_with_plan(plan_given: bool) -> None:
    """Refuse --min/--max/--target given together with --plan (they would be silently ignored).

    Raises:
        UsageError: naming the options given and the two ways out.
    """
    if not plan_given:
        return
    ctx = click.get_current_context()
    given = [
        f"--{name[:-2]}"
        for name in ("min_s", "max_s", "target_s")
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    ]
    if given:
        raise UsageError(
            f"{'/'.join(given)} cannot be used with --plan (the plan file fixes the episodes): "
            "drop --plan to plan again, or drop " + "/".join(given)
        )
