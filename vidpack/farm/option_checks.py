"""Checks of package options that name the key they are about, for
:mod:`vidpack.farm.options`: the plan lengths in the key names of a jobs file, and the subtitle
encoding.

A label turns an option key into the name the user wrote: ``--platform`` on the command line,
``jobs.toml: master[2].platforms`` in a jobs file.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vidpack.plan.model import PlanOptions

Label = Callable[[str], str]


def plan_problems(options: PlanOptions, label: Label, skip: Collection[str] = ()) -> list[str]:
    """:meth:`PlanOptions.problems`, each named by ``label``: ``--min 0 is ...`` on the command
    line, ``jobs.toml: master[2].min = 0 is ...`` (other keys by their plain names) in a file.

    A problem that involves a key of ``skip`` (already reported as a bad value, so its default
    stood in) is left out.
    """
    out: list[str] = []
    for text in options.problems():
        if any(f"--{key}" in text for key in skip):
            continue
        option, _, rest = text.partition(" ")
        key = option.removeprefix("--")
        if label(key) == option:
            out.append(text)
        else:
            for other in ("min", "max", "target"):
                rest = rest.replace(f"--{other}", other)
            out.append(f"{label(key)} = {rest}")
    return out


def encoding_problem(encoding: str, label: Label) -> str | None:
    """The problem with a subtitle encoding Python does not know, or None."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        return (
            f"{label('subs_encoding')} = {encoding!r}: not an encoding Python knows; use e.g. "
            "utf-8, gb18030, big5, shift_jis, euc-kr, cp1256 or tis-620"
        )
    return None
