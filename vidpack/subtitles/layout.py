"""Line breaking for subtitles: at most ``max_lines`` balanced lines per cue, at phrase boundaries.

Per-language line limits come from ../shared/PLATFORMS.md (Netflix's timed-text figures, made
for 16:9): en 42, zh 16, ja 13, ko 16, ar 42, th 35. On a 9:16 frame the limit is what fits:
the usable width (frame width minus the side margins) divided by the font size times an average
advance per character (0.5 em Latin, Arabic and Thai; 1 em CJK; 0.9 em Hangul), capped by the
per-language figure. TikTok's style (1080 wide, margins 120+180, size 0.035 x 1920 = 67 px) gives
23 Latin characters and 11 CJK characters a line. Without a geometry the figures are scaled by
9/16 (the width ratio of the two frames at the same text height): en 24, zh 9.

Where a line breaks (Netflix's general requirements: after punctuation, before conjunctions,
never between an article and its noun): each possible break costs its distance from the balance
point; a sentence end (``. ? !``, ``。！？``, Arabic ``؟``) near it earns a bonus of a quarter of
the text's length, a clause mark (``, ; :``, ``，、``, ``،``) a tenth, so "Don't lie to me. / Your
sister is at the hotel" wins over "Don't lie to me. Your / sister..." while "Yes. / <long line>"
does not. A break right after the first word of a sentence, after an article or preposition
(English), or that leaves a line over the limit when another would not, is avoided.

Space-separated languages break at spaces. Chinese and Japanese break after punctuation when
one is near the balance point, otherwise between any two characters except before closing or
after opening punctuation. Thai breaks at spaces (which end phrases in Thai) and at the word
boundaries of PyThaiNLP's ``newmm`` segmenter (its dictionary ships in the wheel: nothing is
downloaded), never before a combining mark, following vowel or tone mark, nor after a leading
vowel. Widths count characters, combining marks (Thai and Arabic vowel signs) as nothing.
"""

from __future__ import annotations

import functools
import math
import os
import unicodedata
from collections.abc import Sequence

LINE_LIMITS: dict[str, int] = {"en": 42, "zh": 16, "ja": 13, "ko": 16, "ar": 42, "th": 35}
_DEFAULT_LIMIT = 42
_ADVANCE_EM: dict[str, float] = {"zh": 1.0, "ja": 1.0, "ko": 0.9}
_NO_SPACE = frozenset({"zh", "ja", "th"})
SENTENCE_END = frozenset(".?!。！？؟…")
_CLAUSE_END = frozenset(",;:，、；：،؛")
_CJK_BREAK_AFTER = set("，。、！？；：…,.!?;:）」』】》〉")
_NO_LINE_START = set("，。、！？；：…,.!?;:）」』】》〉ー・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョ")
_NO_LINE_END = set("（「『【《〈")
_THAI_FOLLOWING = {0x0E30, 0x0E32, 0x0E33, 0x0E45, 0x0E46}
_THAI_LEADING = range(0x0E40, 0x0E45)
# English words a line should not end on (article, preposition, possessive: Netflix's "do not
# separate a noun from its article").
_EN_GLUE = frozenset(
    {"a", "an", "the", "to", "of", "in", "on", "at", "for", "with", "from", "by"}
    | {"my", "your", "his", "her", "our", "their", "its", "this", "that"}
)
_AVOID = 1000.0  # cost of a break the rules above forbid (taken only when nothing else fits)


def width(text: str) -> int:
    """Characters of ``text`` that take room on a line (combining marks take none)."""
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn" and ch != "\n")


def line_limit(
    language_primary: str,
    *,
    width: int | None = None,
    height: int | None = None,
    font_size_px: float | None = None,
    margins_px: int = 0,
) -> int:
    """Characters a line for ``language_primary`` on a frame (see the module docstring)."""
    base = LINE_LIMITS.get(language_primary, _DEFAULT_LIMIT)
    if width is None or font_size_px is None or font_size_px <= 0:
        return max(4, round(base * 9 / 16))
    advance = font_size_px * _ADVANCE_EM.get(language_primary, 0.5)
    fit = int((width - margins_px) / advance)
    return max(4, min(base, fit))


def _break_ok(text: str, i: int, language: str) -> bool:
    """May a line break go between ``text[i-1]`` and ``text[i]``?"""
    prev, nxt = text[i - 1], text[i]
    if language == "th":
        if unicodedata.category(nxt) == "Mn" or ord(nxt) in _THAI_FOLLOWING:
            return False
        return ord(prev) not in _THAI_LEADING
    return nxt not in _NO_LINE_START and prev not in _NO_LINE_END


@functools.lru_cache(maxsize=1024)
def _thai_boundaries(text: str) -> frozenset[int]:
    """Word boundaries of ``text`` from PyThaiNLP's newmm segmenter (offline, read-only)."""
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")  # no data folder created in $HOME
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")  # never a download
    from pythainlp.tokenize import word_tokenize

    out, pos = set(), 0
    for word in word_tokenize(text, engine="newmm", keep_whitespace=True):
        pos += len(word)
        out.add(pos)
    return frozenset(out)


def _after_first_word(text: str, cut: int) -> bool:
    """Is the text before ``cut`` ending with the first word of a sentence (space languages)?"""
    head = text[:cut].rstrip()
    start = head.rfind(" ")
    if start < 0:
        return True  # the first word of the cue
    return head[:start].rstrip()[-1:] in SENTENCE_END


def _candidates(text: str, language: str) -> list[tuple[int, int, float]]:
    """Break positions ``(cut, resume, bonus)``: the line ends at ``cut``, the next starts at
    ``resume`` (after a space); the bonus is a fraction of the text length (sentence or clause
    end), or minus :data:`_AVOID` for a break the rules forbid."""
    out: list[tuple[int, int, float]] = []
    for i, ch in enumerate(text):
        if ch != " " or not 0 < i < len(text) - 1:
            continue
        prev = text[i - 1]
        bonus = 0.25 if prev in SENTENCE_END else 0.1 if prev in _CLAUSE_END else 0.0
        if language == "th":
            bonus = max(bonus, 0.25)  # a space ends a phrase or sentence in Thai
        elif language not in _NO_SPACE and _after_first_word(text, i):
            bonus = -_AVOID
        elif language == "en" and text[:i].rsplit(" ", 1)[-1].lower() in _EN_GLUE:
            bonus = -3.0 / max(1, len(text))
        out.append((i, i + 1, bonus))
    if language not in _NO_SPACE:
        return out
    words = _thai_boundaries(text) if language == "th" else None
    for i in range(1, len(text)):
        if text[i] == " " or text[i - 1] == " " or not _break_ok(text, i, language):
            continue
        if words is not None:
            if i in words:
                out.append((i, i, 0.0))
            continue
        prev = text[i - 1]
        if prev in SENTENCE_END:
            bonus = 0.25
        elif prev in _CLAUSE_END or prev in _CJK_BREAK_AFTER:
            bonus = 0.1
        elif i >= 2 and text[i - 2] in SENTENCE_END:
            bonus = -_AVOID  # one character alone after a sentence end
        else:
            bonus = -2.0 / max(1, len(text))  # inside a phrase: allowed, not preferred
        out.append((i, i, bonus))
    return out


def _cost(
    flat: str, pos: int, c: tuple[int, int, float], ideal: float, limit: int, rest: int
) -> float:
    """How bad a break at candidate ``c`` is (lower is better)."""
    cut, resume, bonus = c
    head = width(flat[pos:cut])
    tail = width(flat[resume:])
    over = max(0, head - limit, tail - limit * rest)  # the longest line's overflow
    return abs(cut - ideal) - bonus * len(flat) + 50 * over


def wrap(text: str, language_primary: str, limit: int, max_lines: int = 2) -> str:
    """``text`` broken into balanced lines of about ``limit`` characters, at most ``max_lines``.

    Text too long for ``max_lines`` lines stays in ``max_lines`` (longer) lines: the cue's
    reading speed is the subtitler's call, not the layout's.
    """
    joiner = "" if language_primary in ("zh", "ja") else " "
    flat = joiner.join(part.strip() for part in text.split("\n") if part.strip())
    if width(flat) <= limit:
        return flat
    count = min(max_lines, math.ceil(width(flat) / limit))
    candidates = _candidates(flat, language_primary)
    lines: list[str] = []
    pos = 0
    for k in range(1, count):
        ideal = pos + (len(flat) - pos) / (count - k + 1)
        usable: Sequence[tuple[int, int, float]] = [c for c in candidates if c[0] > pos]
        if not usable:
            break
        rest = count - k
        cut, resume, _ = min(usable, key=lambda c: _cost(flat, pos, c, ideal, limit, rest))
        lines.append(flat[pos:cut].rstrip())
        pos = resume
    lines.append(flat[pos:].strip())
    return "\n".join(line for line in lines if line)
