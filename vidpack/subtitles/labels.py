"""Episode labels as each language says them, on covers ("EP 2", "第2集", "2화", "الحلقة 2") and
on the "next episode" card ("Next: EP 3"), and the script of a title (which preset font draws
it). The labels follow the platforms' own Chinese, Japanese, Korean, Thai and Arabic listings;
the "next" wording is vidpack's choice.
"""

from __future__ import annotations

# The episode label per primary language subtag; any other language (or none) gets "EP {n}".
LABELS: dict[str, str] = {
    "en": "EP {n}",
    "zh": "第{n}集",
    "ja": "第{n}話",
    "ko": "{n}화",
    "th": "ตอนที่ {n}",
    "ar": "الحلقة {n}",
}
DEFAULT_LABEL = "EP {n}"

# "Next episode" per primary language subtag ({label} is the episode label): vidpack's choice.
NEXT: dict[str, str] = {
    "en": "Next: {label}",
    "zh": "下一集：{label}",
    "ja": "次回：{label}",
    "ko": "다음 화: {label}",
    "th": "ตอนต่อไป: {label}",
    "ar": "التالي: {label}",
}
DEFAULT_NEXT = "Next: {label}"


def _primary(language: str | None) -> str:
    return (language or "").split("-")[0].lower()


def label_template(language: str | None) -> str:
    """The episode label template of ``language`` (a BCP 47 tag; ``None``: the default)."""
    return LABELS.get(_primary(language), DEFAULT_LABEL)


def episode_label(number: int, language: str | None = None) -> str:
    """Episode ``number`` as ``language``'s covers say it: ``EP 2``, ``第2集``, ``2화``, ..."""
    return label_template(language).format(n=number)


def next_label(number: int, language: str | None = None) -> str:
    """The "next episode" line for episode ``number``: ``Next: EP 3``, ``下一集：第3集``, ..."""
    template = NEXT.get(_primary(language), DEFAULT_NEXT)
    return template.format(label=episode_label(number, language))


_RANGES: tuple[tuple[int, int, str], ...] = (
    (0xAC00, 0xD7AF, "ko"),
    (0x1100, 0x11FF, "ko"),
    (0x3130, 0x318F, "ko"),
    (0x3040, 0x30FF, "ja"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0E00, 0x0E7F, "thai"),
    (0x4E00, 0x9FFF, "cjk-sc"),
    (0x3400, 0x4DBF, "cjk-sc"),
)


def font_script(text: str, language: str | None = None) -> str:
    """The preset font key for ``text`` shown to ``language``'s audience: the language's own
    script when it has one (kanji-only Japanese gets the Japanese font, not Chinese), else
    :func:`script_of` the text."""
    if language:
        from vidpack.subtitles.languages import is_language_tag
        from vidpack.subtitles.languages import language as language_of

        if is_language_tag(language) and language_of(language).script != "latin":
            return language_of(language).script
    return script_of(text)


def script_of(text: str) -> str:
    """The preset font key for ``text``: the first non-Latin script found, else ``latin``.

    Kana anywhere makes Japanese (its kanji are CJK ideographs too); Han alone gives ``cjk-sc``.
    """
    found = "latin"
    for char in text:
        cp = ord(char)
        for lo, hi, script in _RANGES:
            if lo <= cp <= hi:
                if script in ("ja", "ko"):
                    return script
                if found == "latin":
                    found = script
    return found
