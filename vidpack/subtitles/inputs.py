"""``--subs`` arguments: ``FILE`` (language from the name) or ``LANG=FILE``, checked up front."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vidpack.errors import UsageError
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


def parse_subs_arg(text: str) -> SubtitleInput:
    """One ``--subs`` value: ``FILE`` or ``LANG=FILE``.

    Raises:
        UsageError: missing file, unknown extension or no language, naming ``--subs``.
    """
    tag: str | None = None
    raw = text
    head, sep, rest = text.partition("=")
    if sep and is_language_tag(head) and not Path(text).exists():
        tag, raw = head, rest
    path = Path(raw)
    if not path.is_file():
        raise UsageError(f"--subs {text!r}: no such file; give an existing SRT, ASS or VTT file")
    if path.suffix.lower().lstrip(".") not in FORMATS:
        raise UsageError(
            f"--subs {text!r}: unknown subtitle format {path.suffix or '(no extension)'!r}; "
            "use a .srt, .ass, .ssa or .vtt file"
        )
    tag = tag or language_from_name(path)
    if tag is None:
        raise UsageError(
            f"--subs {text!r}: no language in the file name; name it like master.en.srt or "
            f"give it as --subs en={raw}"
        )
    return SubtitleInput(path=path, language=language(tag))


def parse_subs_args(values: Sequence[str]) -> list[SubtitleInput]:
    """All ``--subs`` values; every problem is reported at once.

    Raises:
        UsageError: one message joining each bad value's problem, or a language given twice.
    """
    problems: list[str] = []
    out: list[SubtitleInput] = []
    seen: dict[str, str] = {}
    for value in values:
        try:
            item = parse_subs_arg(value)
        except UsageError as err:
            problems.append(str(err))
            continue
        tag = item.language.tag
        if tag in seen:
            problems.append(
                f"--subs {value!r}: language {tag} is already given by {seen[tag]!r}; "
                "give one file per language"
            )
            continue
        seen[tag] = value
        out.append(item)
    if problems:
        raise UsageError("; ".join(problems))
    return out
