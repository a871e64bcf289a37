"""Series metadata for a package: title, synopsis, tagline and licence/filing number, from
command-line options and/or a small TOML or JSON file (options win)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError
from vidpack.problems import Problems

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
    what: str = "--series-file",
) -> Series:
    """Read ``path`` (``.toml`` or ``.json``, keys title/synopsis/tagline/license_number) and apply
    the given overrides.

    Args:
        what: where ``path`` was given, for messages (``--series-file`` or a jobs file's key).

    Raises:
        UsageError: a missing, unreadable or malformed file (one line naming ``what``), or
            :class:`~vidpack.problems.Problems`: every unknown key and non-string value, one a
            line.
    """
    series = Series()
    if path is not None:
        series = _read(Path(path), what)
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


def _read(path: Path, what: str) -> Series:
    shown = f"{what} {str(path)!r}"
    keys = ", ".join(_KEYS)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file; give a TOML or JSON file of {keys}") from None
    except IsADirectoryError:
        raise UsageError(f"{shown} is a folder: give a TOML or JSON file of {keys}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{shown} is not UTF-8 text: save it as UTF-8") from None
    except OSError as err:
        raise UsageError(f"{shown}: {err.strerror}; give a readable TOML or JSON file") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"{shown} is not valid: {err}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{shown}: expected a table of {keys}")
    problems = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _KEYS:
            problems.append(f"unknown key {key!r} (use {keys})")
        elif not isinstance(value, str):
            problems.append(f"key {key!r} is {value!r}: give a string")
        else:
            values[key] = value
    if problems:
        raise Problems(problems, source=shown)
    return Series(**values)
