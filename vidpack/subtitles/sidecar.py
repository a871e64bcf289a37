"""Sidecar subtitle files beside an episode: SRT, WebVTT or ASS, named by the preset."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vidpack.media.atomic import write_text_atomic
from vidpack.subtitles.languages import Language
from vidpack.subtitles.model import Cue

DEFAULT_NAMING = "{stem}.{lang}.{ext}"


def sidecar_name(naming: str, *, stem: str, language: Language, ext: str) -> str:
    """The file name for one episode's subtitles in one language.

    ``naming`` is a preset's ``sidecar_naming`` (``{stem}.{lang}.{ext}`` or
    ``{stem}.{locale}.{ext}``):
    ``lang`` is the BCP 47 tag (``zh-Hans``), ``locale`` the ``ll_CC`` form (``zh_CN``).
    """
    return naming.format(stem=stem, lang=language.tag, locale=language.locale, ext=ext)


def subtitle_text(cues: Sequence[Cue], fmt: str) -> str:
    """``cues`` as a ``srt``, ``vtt`` or ``ass`` document (pysubs2 writes it)."""
    import pysubs2

    subs = pysubs2.SSAFile()
    for cue in cues:
        text = cue.text.replace("\n", "\\N")
        subs.append(pysubs2.SSAEvent(start=cue.start, end=cue.end, text=text))
    return str(subs.to_string(fmt))


def write_sidecar(cues: Sequence[Cue], path: Path, fmt: str) -> Path:
    """Write ``cues`` to ``path`` in ``fmt`` (UTF-8, written to a temporary name, then renamed)."""
    write_text_atomic(path, subtitle_text(cues, fmt))
    return path


def check_naming(naming: str) -> None:
    """Check a sidecar naming template.

    Raises:
        UsageError: unknown field or missing ``{ext}``/language field, naming ``--naming``.
    """
    import string

    from vidpack.errors import UsageError

    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(naming) if f is not None}
    except ValueError as err:
        raise UsageError(f"--naming {naming!r}: {err}; use e.g. {DEFAULT_NAMING!r}") from None
    unknown = fields - {"stem", "lang", "locale", "ext"}
    if unknown or "ext" not in fields or not fields & {"lang", "locale"}:
        raise UsageError(
            f"--naming {naming!r} must use {{ext}} and {{lang}} or {{locale}} (and may use "
            f"{{stem}}) only: use e.g. {DEFAULT_NAMING!r}"
        )
