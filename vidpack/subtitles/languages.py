"""Language facts for subtitles: BCP 47 tags to ISO 639-2/B codes, scripts, direction, locales.

A small table covers the languages micro-dramas are subtitled in; unknown but well-formed tags
still work (Latin script, left to right, the tag's first three letters are not guessed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# primary subtag -> (ISO 639-2/B, English name, script, right-to-left, default region)
_TABLE: dict[str, tuple[str, str, str, bool, str]] = {
    "en": ("eng", "English", "latin", False, "US"),
    "zh": ("chi", "Chinese", "cjk-sc", False, "CN"),
    "ja": ("jpn", "Japanese", "ja", False, "JP"),
    "ko": ("kor", "Korean", "ko", False, "KR"),
    "ar": ("ara", "Arabic", "arabic", True, "AR"),
    "th": ("tha", "Thai", "thai", False, "TH"),
    "es": ("spa", "Spanish", "latin", False, "ES"),
    "pt": ("por", "Portuguese", "latin", False, "BR"),
    "fr": ("fre", "French", "latin", False, "FR"),
    "de": ("ger", "German", "latin", False, "DE"),
    "it": ("ita", "Italian", "latin", False, "IT"),
    "id": ("ind", "Indonesian", "latin", False, "ID"),
    "ms": ("may", "Malay", "latin", False, "MY"),
    "vi": ("vie", "Vietnamese", "latin", False, "VN"),
    "tr": ("tur", "Turkish", "latin", False, "TR"),
    "ru": ("rus", "Russian", "latin", False, "RU"),
    "pl": ("pol", "Polish", "latin", False, "PL"),
    "nl": ("dut", "Dutch", "latin", False, "NL"),
    "tl": ("tgl", "Tagalog", "latin", False, "PH"),
    "fil": ("fil", "Filipino", "latin", False, "PH"),
    "hi": ("hin", "Hindi", "latin", False, "IN"),
    "fa": ("per", "Persian", "arabic", True, "IR"),
    "ur": ("urd", "Urdu", "arabic", True, "PK"),
    "he": ("heb", "Hebrew", "latin", True, "IL"),
}

_TRADITIONAL_REGIONS = frozenset({"TW", "HK", "MO"})
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class Language:
    """What vidpack needs to know about a subtitle language.

    Attributes:
        tag: the BCP 47 tag as given (``zh-Hans``, ``en``, ``pt-BR``).
        iso639_2: the ISO 639-2/B code for container tags (``chi``, ``eng``); ``und`` if unknown.
        name: English name for track titles.
        script: the preset font key (``latin``, ``cjk-sc``, ``cjk-tc``, ``ja``, ``ko``,
            ``arabic``, ``thai``).
        rtl: written right to left.
        locale: ``ll_CC`` as platforms name sidecars (``en_US``, ``ar_AR``, ``zh_CN``).
    """

    tag: str
    iso639_2: str
    name: str
    script: str
    rtl: bool
    locale: str

    @property
    def primary(self) -> str:
        """The primary language subtag in lower case (``zh`` for ``zh-Hans``)."""
        return self.tag.split("-")[0].lower()


def is_language_tag(text: str) -> bool:
    """True when ``text`` is a language vidpack knows (its primary subtag is in the table)."""
    return bool(_TAG.match(text)) and text.split("-")[0].lower() in _TABLE


def language(tag: str) -> Language:
    """The :class:`Language` of BCP 47 ``tag``.

    Raises:
        ValueError: ``tag`` is not shaped like a language tag.
    """
    if not _TAG.match(tag):
        raise ValueError(f"not a language tag: {tag!r}")
    parts = tag.split("-")
    primary = parts[0].lower()
    subtags = [p.lower() for p in parts[1:]]
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    iso, name, script, rtl, default_region = _TABLE.get(
        primary, ("und", primary, "latin", False, primary.upper())
    )
    if primary == "zh" and ("hant" in subtags or region in _TRADITIONAL_REGIONS):
        script = "cjk-tc"
        default_region = "TW"
    return Language(
        tag=tag,
        iso639_2=iso,
        name=name,
        script=script,
        rtl=rtl,
        locale=f"{primary}_{region or default_region}",
    )


def tag_of_iso639_2(code: str) -> str | None:
    """The primary language subtag of a container's ISO 639-2/B tag (``eng`` -> ``en``), the
    code itself when vidpack does not know it, None for ``und``."""
    if code in ("", "und"):
        return None
    return next((tag for tag, row in _TABLE.items() if row[0] == code), code)
