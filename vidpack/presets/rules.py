"""Rules attached to preset fields: ranges, choices, TOML key names and value checkers.

A preset section is a frozen dataclass; each of its fields carries a :class:`Rule` in its
metadata (made with :func:`spec`). The schema (``schema.py``) reads the field's type and rule to
check a value from a TOML file. Checkers here return ``None`` when a value is fine, or a short
phrase saying what would work ("use an even integer from 16 to 8192").
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Collection
from dataclasses import MISSING, dataclass, field
from typing import Any

Checker = Callable[[Any], "str | None"]


@dataclass(frozen=True, slots=True)
class Rule:
    """Constraints on one preset key beyond its Python type.

    Attributes:
        lo: Smallest allowed number (for lists: of each item).
        hi: Largest allowed number (for lists: of each item).
        even: Numbers must be even (frame sizes).
        choices: The allowed values (for lists: of each item).
        key: The TOML key when it differs from the attribute name (``cjk-sc``).
        check: A custom checker for the whole value (for lists: for each item).
        nonempty: Strings and lists must not be empty.
        optional: The key may be left out; the dataclass default applies.
        doc: One line for documentation and ``presets show`` comments.
    """

    lo: float | None = None
    hi: float | None = None
    even: bool = False
    choices: tuple[Any, ...] = ()
    key: str | None = None
    check: Checker | None = None
    nonempty: bool = False
    optional: bool = False
    doc: str = ""


def spec(default: Any = MISSING, **kwargs: Any) -> Any:
    """A dataclass field carrying a :class:`Rule`; a ``default`` makes the key optional."""
    rule = Rule(optional=default is not MISSING, **kwargs)
    if default is MISSING:
        return field(metadata={"rule": rule})
    return field(default=default, metadata={"rule": rule})


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_SIZE = re.compile(r"(\d+)x(\d+)")
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def check_name(value: str) -> str | None:
    """Preset names become folder names: letters, digits, ``.``, ``_`` and ``-``."""
    if _NAME.fullmatch(value):
        return None
    return "use letters, digits, '.', '_' or '-' (up to 64, e.g. \"my-tiktok\")"


def check_date(value: str) -> str | None:
    """The ``checked`` date: ``YYYY-MM`` or ``YYYY-MM-DD``."""
    match = _DATE.fullmatch(value)
    if match and 1 <= int(match[2]) <= 12 and (match[3] is None or 1 <= int(match[3]) <= 31):
        return None
    return 'use a date as YYYY-MM or YYYY-MM-DD (e.g. "2026-11")'


def check_fps(value: float | str) -> str | None:
    """The frame-rate policy: ``"source"`` (keep the master's rate) or a fixed rate."""
    if value == "source" or (isinstance(value, float) and 1.0 <= value <= 240.0):
        return None
    return 'use "source" or a number from 1 to 240'


def check_size(value: str) -> str | None:
    """A picture size ``WIDTHxHEIGHT`` with each side from 16 to 8192."""
    match = _SIZE.fullmatch(value)
    if match and all(16 <= int(side) <= 8192 for side in match.groups()):
        return None
    return 'use "WIDTHxHEIGHT" with sides from 16 to 8192 (e.g. "1080x1920")'


def check_color(value: str) -> str | None:
    """An RGB colour ``#RRGGBB``."""
    return None if _COLOR.fullmatch(value) else 'use "#RRGGBB" (e.g. "#FFFFFF")'


def parse_size(value: str) -> tuple[int, int]:
    """``"1080x1920"`` -> ``(1080, 1920)`` (the value has passed :func:`check_size`)."""
    width, height = value.split("x")
    return int(width), int(height)


# Sample values used to try a template: every placeholder a template may use, in each kind.
TEMPLATE_SAMPLES: dict[str, object] = {
    "series": "series",
    "index": 1,
    "platform": "tiktok",
    "length": 30,
    "size": "1080x1920",
    "stem": "series_E001",
    "lang": "en",
    "locale": "en_US",
    "ext": "srt",
}


def template_checker(
    allowed: Collection[str], required: Collection[Collection[str]] = ()
) -> Checker:
    """A checker for a file-name template in ``str.format`` syntax.

    Args:
        allowed: The placeholder names the template may use.
        required: Groups of names; the template must use at least one name of each group.
    """
    names = sorted(allowed)
    hint = ", ".join("{" + n + "}" for n in names)

    def check(value: str) -> str | None:
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
        except ValueError as err:
            return f"fix the braces ({err}); placeholders: {hint}"
        bad = sorted(used - set(allowed))
        if bad:
            return f"unknown placeholder {{{bad[0]}}}; use {hint}"
        for group in required:
            if not used & set(group):
                need = " or ".join("{" + g + "}" for g in sorted(group))
                return f"include {need} so every file gets its own name"
        try:
            sample = value.format(**TEMPLATE_SAMPLES)
        except (ValueError, TypeError, IndexError, KeyError) as err:
            return f"fix the format spec ({err}); e.g. {{index:03d}}"
        if "/" in sample or "\\" in sample or not sample.strip(". "):
            return 'give a plain file name (no folders), e.g. "{series}_E{index:03d}"'
        return None

    return check
