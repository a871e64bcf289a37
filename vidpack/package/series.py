"""Series metadata for a package: title and tagline (one default, and one per language),
synopsis, licence/filing number and the drama-app sale terms (free episodes, intro episode,
price tier), from command-line options and/or a small TOML or JSON file (options win).

A series file::

    title = "Red Thread"          # the default title (or a [title] table, see below)
    tagline = "One night. One lie."
    free_episodes = 10            # episodes 1-10 are free, the rest paid
    intro = 1                     # episode 1 is the intro (always free)
    price_tier = "standard"       # the app's price tier key for the paid episodes

    [title]                       # instead of title = "...": a title per language tag
    default = "Red Thread"        # optional; else the first language's title is the default
    en = "Red Thread"
    ko = "붉은 실"

``[tagline]`` takes a table the same way. A language without its own title uses the default
(the package warns, naming it).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError
from vidpack.problems import Problems

_TEXT_KEYS = ("synopsis", "license_number")
_TABLE_KEYS = ("title", "tagline")  # a string, or a table of language tag = string
_NUMBER_KEYS = ("free_episodes", "intro")
_KEYS = ("title", "synopsis", "tagline", "license_number", "free_episodes", "intro", "price_tier")
_TIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

Texts = tuple[tuple[str, str], ...]  # (language tag, text) in the file's order


@dataclass(frozen=True, slots=True)
class Series:
    """What a package says about its series (empty strings: not given).

    Attributes:
        title: the default title (every language without its own).
        titles: ``(language tag, title)`` pairs from a ``[title]`` table.
        taglines: ``(language tag, tagline)`` pairs from a ``[tagline]`` table.
        free_episodes: episodes ``1..free_episodes`` are free (``None``: not said).
        intro: the intro episode's number (free; ``None``: none).
        price_tier: the price tier key of the paid episodes (``None``: not said).
        source: where it was read (``--series-file 's.toml'``), for messages.
    """

    title: str = ""
    synopsis: str = ""
    tagline: str = ""
    license_number: str | None = None
    titles: Texts = ()
    taglines: Texts = ()
    free_episodes: int | None = None
    intro: int | None = None
    price_tier: str | None = None
    source: str = field(default="", compare=False)

    def to_dict(self, episode_count: int) -> dict[str, Any]:
        """The manifest's ``series`` object."""
        return {
            "title": self.title,
            "synopsis": self.synopsis,
            "tagline": self.tagline,
            "license_number": self.license_number,
            "episode_count": episode_count,
            "titles": dict(self.titles),
            "taglines": dict(self.taglines),
            "free_episodes": self.free_episodes,
            "intro": self.intro,
            "price_tier": self.price_tier,
        }

    def file_name(self) -> str | None:
        """The title made safe for file names (``None`` when no title): letters, digits, ``-_``."""
        from vidpack.presets.naming import safe_series

        return safe_series(self.title) or None

    def title_for(self, language: str | None) -> str:
        """``language``'s own title, else the default title."""
        return _pick(self.titles, language) or self.title

    def for_language(self, language: str | None) -> Series:
        """This series as ``language``'s deliveries show it: its own title and tagline."""
        return replace(
            self,
            title=self.title_for(language),
            tagline=_pick(self.taglines, language) or self.tagline,
        )

    def missing_titles(self, languages: Iterable[str]) -> list[str]:
        """A warning per delivered language the ``[title]`` table leaves out (none without a
        table: one title for every language is what was asked)."""
        if not self.titles:
            return []
        return [
            f"{self.source or 'series'}: [title] has no {tag} title: its deliveries use the "
            f'default title {self.title!r}; add {tag} = "..." to [title]'
            for tag in dict.fromkeys(languages)
            if _pick(self.titles, tag) is None
        ]

    def check_episodes(self, count: int) -> None:
        """Refuse an ``intro`` past the plan's ``count`` episodes.

        Raises:
            UsageError: one line naming the series file, the value and the valid range.
        """
        if self.intro is not None and self.intro > count:
            where = f"{self.source}: " if self.source else ""
            raise UsageError(
                f"{where}intro = {self.intro} is beyond the plan's {count} episodes: give an "
                f"episode number from 1 to {count}, or leave intro out"
            )

    def episode_terms(self, index: int) -> dict[str, Any]:
        """The drama-app terms of episode ``index``: ``access`` (``free``, ``paid``, or ``None``
        when the series file says nothing of sales), ``intro`` and ``price_tier`` (paid only).
        The intro episode is free; without ``free_episodes`` every other episode is paid."""
        if self.free_episodes is None and self.intro is None and self.price_tier is None:
            return {"access": None, "intro": False, "price_tier": None}
        intro = index == self.intro
        free = intro or index <= (self.free_episodes or 0)
        return {
            "access": "free" if free else "paid",
            "intro": intro,
            "price_tier": None if free else self.price_tier,
        }


def _pick(texts: Texts, language: str | None) -> str | None:
    """The text for ``language``: its exact tag, else its primary subtag (``zh`` for
    ``zh-Hans``), else ``None``."""
    if not language:
        return None
    by_tag = {tag.lower(): text for tag, text in texts}
    return by_tag.get(language.lower()) or by_tag.get(language.split("-")[0].lower())


def load_series(
    path: Path | None = None,
    *,
    title: str | None = None,
    synopsis: str | None = None,
    tagline: str | None = None,
    license_number: str | None = None,
    what: str = "--series-file",
) -> Series:
    """Read ``path`` (``.toml`` or ``.json``, the keys of the module docstring) and apply the
    given overrides (``title`` and ``tagline`` replace the defaults).

    Args:
        what: where ``path`` was given, for messages (``--series-file`` or a jobs file's key).

    Raises:
        UsageError: a missing, unreadable or malformed file (one line naming ``what``), or
            :class:`~vidpack.problems.Problems`: every unknown key, wrong type, bad language
            tag and bad number, one a line.
    """
    series = Series()
    if path is not None:
        series = _read(Path(path), what)
    overrides: dict[str, Any] = {
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
    problems: list[str] = []
    values: dict[str, Any] = {"source": shown}
    for key, value in data.items():
        if key not in _KEYS:
            problems.append(f"unknown key {key!r} (use {keys})")
        elif key in _TABLE_KEYS:
            _read_texts(key, value, values, problems)
        elif key in _NUMBER_KEYS:
            _read_number(key, value, values, problems)
        elif key == "price_tier":
            if isinstance(value, str) and _TIER.match(value):
                values[key] = value
            else:
                problems.append(
                    f"key 'price_tier' is {value!r}: give the app's tier key (letters, digits, "
                    '- and _), e.g. price_tier = "standard"'
                )
        elif not isinstance(value, str):
            problems.append(f"key {key!r} is {value!r}: give a string")
        else:
            values[key] = value
    if problems:
        raise Problems(problems, source=shown)
    return Series(**values)


def _read_texts(key: str, value: Any, values: dict[str, Any], problems: list[str]) -> None:
    """``title``/``tagline``: a string (the default) or a table of language tag = string (with an
    optional ``default``; else the first language's text is the default)."""
    from vidpack.subtitles.languages import is_language_tag

    if isinstance(value, str):
        values[key] = value
        return
    if not isinstance(value, dict):
        problems.append(
            f"key {key!r} is {value!r}: give a string or a [{key}] table of language = string, "
            'e.g. en = "Red Thread"'
        )
        return
    texts: list[tuple[str, str]] = []
    for tag, text in value.items():
        if not isinstance(text, str):
            problems.append(f"[{key}] {tag} is {text!r}: give a string")
        elif tag == "default":
            values[key] = text
        elif not is_language_tag(tag):
            problems.append(
                f"[{key}] key {tag!r} is not a language tag vidpack knows: use a BCP 47 tag "
                "such as en, ko, ja, zh-Hans, th or ar"
            )
        else:
            texts.append((tag, text))
    values[f"{key}s"] = tuple(texts)
    if key not in values and texts:
        values[key] = texts[0][1]


def _read_number(key: str, value: Any, values: dict[str, Any], problems: list[str]) -> None:
    """``free_episodes`` (a whole number >= 0) and ``intro`` (an episode number >= 1)."""
    least = 0 if key == "free_episodes" else 1
    whole = isinstance(value, int) and not isinstance(value, bool)
    if isinstance(value, float) and value.is_integer():  # JSON's 10.0
        value, whole = int(value), True
    if whole and value >= least:
        values[key] = value
        return
    example = "free_episodes = 10" if key == "free_episodes" else "intro = 1"
    kind = "a whole number >= 0" if least == 0 else "an episode number from 1"
    problems.append(f"key {key!r} is {value!r}: give {kind}, e.g. {example}")
