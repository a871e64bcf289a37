"""``--subs`` arguments: ``FILE`` (language from the name) or ``LANG=FILE``, checked up front."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vidpack.errors import UsageError
from vidpack.problems import Problems
from vidpack.subtitles.languages import Language, is_language_tag, language

FORMATS = ("srt", "ass", "ssa", "vtt")


@dataclass(frozen=True, slots=True)
class SubtitleInput:
    """A subtitle file to use and its language."""

    path: Path
    language: Language

    @property
    def format(self) -> str:
        """``srt``, ``ass``, ``ssa`` or ``vtt`` from the file extension."""
        return self.path.suffix.lower().lstrip(".")


def language_from_name(path: Path) -> str | None:
    """The language tag in a file name like ``master.en.srt`` or ``master.zh-Hans.gb18030.srt``.

    The dot-separated parts before the extension are read from right to left and the first one
    that is a known language tag wins (so an encoding infix is skipped).
    """
    parts = path.name.split(".")[1:-1]
    for part in reversed(parts):
        if is_language_tag(part):
            return part
    return None


def parse_subs_arg(text: str, *, what: str = "--subs") -> SubtitleInput:
    """One ``--subs`` value: ``FILE`` or ``LANG=FILE``.

    ``LANG=`` is read as a language whenever the whole value is not an existing file and the part
    before ``=`` is not a path: a bad tag there is said to be one, not taken for a file name.

    Args:
        text: the value.
        what: where it was given, for messages (``--subs`` or a jobs file's key).

    Raises:
        UsageError: bad language tag, missing file, unknown extension or no language, naming
            ``what`` and the value.
    """
    tag: str | None = None
    raw = text
    head, sep, rest = text.partition("=")
    if sep and "/" not in head and os.sep not in head and not Path(text).exists():
        if not is_language_tag(head):
            raise UsageError(
                f"{what} {text!r}: bad language tag {head!r}; use one vidpack knows, such as "
                f"en, zh-Hans, ko, ar or pt-BR (e.g. en={rest})"
            )
        tag, raw = head, rest
    path = Path(raw)
    if not path.is_file():
        raise UsageError(f"{what} {text!r}: no such file; give an existing SRT, ASS or VTT file")
    if path.suffix.lower().lstrip(".") not in FORMATS:
        raise UsageError(
            f"{what} {text!r}: unknown subtitle format {path.suffix or '(no extension)'!r}; "
            "use a .srt, .ass, .ssa or .vtt file"
        )
    tag = tag or language_from_name(path)
    if tag is None:
        raise UsageError(
            f"{what} {text!r}: no language in the file name; name it like master.en.srt or "
            f"give it as {what + ' ' if what.startswith('--') else ''}en={raw}"
        )
    return SubtitleInput(path=path, language=language(tag))


def parse_subs_args(values: Sequence[str], *, what: str = "--subs") -> list[SubtitleInput]:
    """All ``--subs`` values; every problem is reported at once.

    Raises:
        Problems: one line for each bad value and each language given twice.
    """
    problems: list[str] = []
    out: list[SubtitleInput] = []
    seen: dict[str, str] = {}
    for value in values:
        try:
            item = parse_subs_arg(value, what=what)
        except UsageError as err:
            problems.append(str(err))
            continue
        tag = item.language.tag
        if tag in seen:
            problems.append(
                f"{what} {value!r}: language {tag} is already given by {seen[tag]!r}; "
                "give one file per language"
            )
            continue
        seen[tag] = value
        out.append(item)
    if problems:
        raise Problems(problems)
    return out
