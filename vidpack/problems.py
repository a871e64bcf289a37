"""Every problem of one input at once: :class:`Problems`, the usage error (exit 2) of a jobs file,
plan file, series file or set of options that has one or more things wrong.

One problem reads as one line, as every other error does. Several read as a count and then one
problem a line, each naming where (file and key, or option), the bad value and what would work::

    Error: 3 problems:
      jobs.toml: master[1].path '/work/a.mp4' does not exist: give an existing master file
      jobs.toml: master[2].max = 'long': give a number of seconds, e.g. 60
      jobs.toml: master[2].platforms 'tikok': unknown preset "tikok" (did you mean "tiktok"?) ...
"""

from __future__ import annotations

from collections.abc import Sequence

from vidpack.errors import UsageError


def format_problems(problems: Sequence[str], source: str = "") -> str:
    """One problem as it is (after ``source: ``), several as a count and one indented line each."""
    head = f"{source}: " if source else ""
    if len(problems) == 1:
        return head + problems[0]
    return f"{head}{len(problems)} problems:\n" + "\n".join(f"  {p}" for p in problems)


class Problems(UsageError):
    """A usage error listing every problem found (each once, in the order found).

    Attributes:
        problems: the problem lines, without ``source``.
        source: what they are problems of (``plan file 'a.json'``), or ``""`` when each line
            names its own file.
    """

    def __init__(self, problems: Sequence[str], source: str = "") -> None:
        self.problems = tuple(dict.fromkeys(problems))
        self.source = source
        super().__init__(format_problems(self.problems, source))


def problem_lines(err: UsageError) -> list[str]:
    """The separate problems ``err`` reports: a :class:`Problems`' lines (with its source), an
    invalid preset's problems, or its message as one line."""
    from vidpack.presets.load import PresetError

    if isinstance(err, Problems):
        head = f"{err.source}: " if err.source else ""
        return [head + p for p in err.problems]
    if isinstance(err, PresetError) and len(err.problems) > 1:
        return [f"invalid preset {p}" for p in err.problems]
    return [str(err)]


def check_choice(value: str, choices: Sequence[str], *, what: str, is_not: str) -> str:
    """``value`` when it is one of ``choices``.

    Args:
        value: the value given.
        choices: the values that work, in the order the message lists them.
        what: where it was given (``--cards`` or a jobs file's key).
        is_not: what it is not, for the message ("a choice", "a way to fit a dub").

    Raises:
        UsageError: ``"{what} {value!r} is not {is_not}: use a, b or c"``.
    """
    if value not in choices:
        listed = ", ".join(choices[:-1]) + f" or {choices[-1]}"
        raise UsageError(f"{what} {value!r} is not {is_not}: use {listed}")
    return value
