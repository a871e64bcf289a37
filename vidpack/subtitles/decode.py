"""Decoding subtitle files as translation vendors deliver them.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without a BOM (NUL bytes in every
other position); strict UTF-8; then legacy codecs ordered by the language hint and scored by how
plausible the decoded text is for the language's script (letters of that script, common
characters, no private-use or control characters). ``--subs-encoding`` skips detection.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from vidpack.errors import UsageError

# Candidate legacy codecs per primary language (supersets first: cp949 reads EUC-KR, cp932
# reads Shift-JIS, gb18030 reads GBK and GB2312, cp874 reads TIS-620).
_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "zh": ("gb18030", "big5"),
    "ja": ("cp932", "euc_jp"),
    "ko": ("cp949",),
    "ar": ("cp1256",),
    "fa": ("cp1256",),
    "ur": ("cp1256",),
    "th": ("tis-620", "cp874"),
}
_ALL = ("gb18030", "big5", "cp932", "euc_jp", "cp949", "cp1256", "tis-620", "cp874", "cp1252")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Very common characters: decoded text of the right codec is full of them, mojibake is not.
_COMMON_HANS = set("的一是不了人我在有他这中大来上个们到说你么就那要她和也为什没好还吗")
_COMMON_HANT = set("的一是不了人我在有他這中大來上個們到說你麼就那要她和也為什沒好還嗎")
_SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "han": ((0x3400, 0x9FFF), (0x3000, 0x303F), (0xFF00, 0xFFEF)),
    "kana": ((0x3040, 0x30FF),),
    "hangul": ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F)),
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "thai": ((0x0E00, 0x0E7F),),
    "latin": ((0x00C0, 0x024F),),
}
_LANG_SCRIPTS: dict[str, tuple[str, ...]] = {
    "zh": ("han",),
    "ja": ("kana", "han"),
    "ko": ("hangul",),
    "ar": ("arabic",),
    "fa": ("arabic",),
    "ur": ("arabic",),
    "th": ("thai",),
}
_CODEC_SCRIPTS: dict[str, tuple[str, ...]] = {
    "gb18030": ("han",),
    "big5": ("han",),
    "cp932": ("kana", "han"),
    "euc_jp": ("kana", "han"),
    "cp949": ("hangul",),
    "cp1256": ("arabic",),
    "tis-620": ("thai",),
    "cp874": ("thai",),
    "cp1252": ("latin",),
}


def _in(cp: int, scripts: tuple[str, ...]) -> bool:
    return any(lo <= cp <= hi for s in scripts for lo, hi in _SCRIPT_RANGES[s])


def plausibility(text: str, scripts: tuple[str, ...], primary: str | None = None) -> float:
    """How plausible ``text`` is as subtitles in ``scripts``: the share of its non-ASCII
    characters that belong to them, plus a bonus for common Chinese characters, minus heavy
    penalties for control and private-use characters (the marks of a wrong codec)."""
    non_ascii = [c for c in text if ord(c) > 0x7F]
    bad = sum(
        1
        for c in text
        if (unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\r\n\t") or c == "\ufffd"
    )
    if not non_ascii:
        return 1.0 - bad
    share = sum(1 for c in non_ascii if _in(ord(c), scripts)) / len(non_ascii)
    bonus = 0.0
    if "han" in scripts:
        common = _COMMON_HANT if primary == "zh-hant" else _COMMON_HANS | _COMMON_HANT
        bonus = min(0.5, 5 * sum(1 for c in non_ascii if c in common) / len(non_ascii))
    return share + bonus - 10 * bad / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _candidates(language_tag: str | None) -> tuple[str, ...]:
    if language_tag is None:
        return _ALL
    parts = language_tag.lower().split("-")
    primary = parts[0]
    own = _BY_LANGUAGE.get(primary, ("cp1252",))
    if primary == "zh" and ("hant" in parts or any(p in ("tw", "hk", "mo") for p in parts)):
        own = ("big5", "gb18030")
    return own


def _check_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UsageError(
            f"--subs-encoding {encoding!r} is not an encoding Python knows: use e.g. utf-8, "
            "utf-16, gb18030, big5, shift_jis, euc-kr, cp1256 or tis-620"
        ) from None


def decode_text(
    data: bytes, *, name: str, language_tag: str | None = None, encoding: str | None = None
) -> tuple[str, str]:
    """Decode a subtitle file's bytes.

    Args:
        data: the file's content.
        name: the file name, for messages.
        language_tag: the file's BCP 47 language, to order and score the candidates.
        encoding: a codec to use instead of detection (``--subs-encoding``).

    Returns:
        ``(text, encoding used)``; the text has no BOM.

    Raises:
        UsageError: the bytes do not decode (naming the file and ``--subs-encoding``).
    """
    if encoding is not None:
        codec = _check_name(encoding)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as err:
            raise UsageError(
                f"subtitles {name!r} do not decode as {encoding} (byte {err.start}): "
                "give the file's real encoding with --subs-encoding"
            ) from None
        return text.lstrip("\ufeff"), codec
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff"), codec
            except UnicodeDecodeError:
                break
    wide = _utf16_without_bom(data)  # first: UTF-16 of Thai or ASCII is also valid UTF-8
    if wide:
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    primary = language_tag.lower().split("-")[0] if language_tag else None
    hint = "zh-hant" if _candidates(language_tag)[0] == "big5" else primary
    best: tuple[float, str, str] | None = None
    for codec in _candidates(language_tag):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scripts = _LANG_SCRIPTS.get(primary or "", _CODEC_SCRIPTS[codec])
        score = plausibility(text, scripts, hint)
        if primary is None and "han" in scripts and "kana" not in scripts:
            score -= 0.1  # no hint: Han-only codecs read any double-byte text as rare Han

        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is None or best[0] < 0.6:
        tried = ", ".join(("utf-8", "utf-16", *_candidates(language_tag)))
        raise UsageError(
            f"subtitles {name!r} are not readable as {tried}: give the encoding with "
            "--subs-encoding (e.g. --subs-encoding gb18030)"
        )
    return best[1], best[2]


def read_text(path: Path, *, language_tag: str | None, encoding: str | None) -> tuple[str, str]:
    """:func:`decode_text` on the file at ``path``."""
    return decode_text(
        path.read_bytes(), name=str(path), language_tag=language_tag, encoding=encoding
    )
