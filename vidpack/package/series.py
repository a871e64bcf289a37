"""Series metadata for a package: title, synopsis, tagline and licence/filing number, from
command-line options and/or a small TOML or JSON file (options win)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vidpack.errors import InputError, UsageError

_KEYS = ("title", "synopsis", "tagline", "license_number")


@dataclass(frozen=True, slots=True)
class Series:
    """What a package says about its series (empty strings: not given)."""

    title: str = ""
    synopsis: str = ""
    tagline: str = ""
    license_number: str | None = None

    def to_dict(self, episode_count: int) -> dict[str, Any]:
        """The manifest's ``series`` object."""
        return {
            "title": self.title,
            "synopsis": self.synopsis,
            "tagline": self.tagline,
            "license_number": self.license_number,
            "episode_count": episode_count,
        }

    def file_name(self) -> str | None:
        """The title made safe for file names (``None`` when no title): letters, digits, ``-_``."""
        if not self.title:
            return None
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in self.title.strip())
        return safe.strip("_") or None


def load_series(
    path: Path | None = None,
    *,
    title: str | None = None,
    synopsis: str | None = None,
    tagline: str | None = None,
    license_number: str | None = None,
) -> Series:
    """Read ``path`` (``.toml`` or ``.json``, keys title/synopsis/tagline/license_number) and apply
    the given overrides.

    Raises:
        InputError: unreadable or malformed file.
        UsageError: unknown keys or non-string values, naming --series-file and the key.
    """
    series = Series()
    if path is not None:
        series = _read(path)
    overrides = {
        k: v
        for k, v in (
            ("title", title),
            ("synopsis", synopsis),
            ("tagline", tagline),
            ("license_number", license_number),
        )
        if v is not None
    }
    return replace(series, **overrides)


def _read(path: Path) -> Series:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(
            f"--series-file {str(path)!r}: {err.strerror}; give a readable TOML or JSON file"
        ) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"--series-file {str(path)!r} is not valid: {err}") from None
    if not isinstance(data, dict):
        raise UsageError(f"--series-file {str(path)!r}: expected a table of {', '.join(_KEYS)}")
    problems = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _KEYS:
            problems.append(f"unknown key {key!r} (use {', '.join(_KEYS)})")
        elif not isinstance(value, str):
            problems.append(f"key {key!r} is {value!r}: give a string")
        else:
            values[key] = value
    if problems:
        raise UsageError(f"--series-file {str(path)!r}: " + "; ".join(problems))
    return Series(**values)
