"""Line breaking for burned subtitles: at most ``max_lines`` balanced lines per cue.

Per-language line limits come from ../shared/PLATFORMS.md (Netflix's timed-text figures, made
for 16:9): en 42, zh 16, ja 13, ko 16, ar 42, th 35. On a 9:16 frame the limit is what fits:
the usable width (frame width minus the side margins) divided by the font size times an average
advance per character (0.5 em Latin, Arabic and Thai; 1 em CJK; 0.9 em Hangul), capped by the
per-language figure. TikTok's style (1080 wide, margins 120+180, size 0.035 x 1920 = 67 px) gives
23 Latin characters and 11 CJK characters a line. Without a geometry the figures are scaled by
9/16 (the width ratio of the two frames at the same text height): en 24, zh 9.

Space-separated languages break at spaces. Chinese and Japanese break after punctuation when
one is near the balance point, otherwise between any two characters except before closing or
after opening punctuation. Thai breaks at spaces, else between characters but never before a
combining mark, following vowel or tone mark, nor after a leading vowel.
"""

from __future__ import annotations

import math
import unicodedata

LINE_LIMITS: dict[str, int] = {"en": 42, "zh": 16, "ja": 13, "ko": 16, "ar": 42, "th": 35}
_DEFAULT_LIMIT = 42
_ADVANCE_EM: dict[str, float] = {"zh": 1.0, "ja": 1.0, "ko": 0.9}
_NO_SPACE = frozenset({"zh", "ja", "th"})
_CJK_BREAK_AFTER = set("，。、！？；：…,.!?;:）」』】》〉")
_NO_LINE_START = set("，。、！？；：…,.!?;:）」』】》〉ー・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョ")
_NO_LINE_END = set("（「『【《〈")
_THAI_FOLLOWING = {0x0E30, 0x0E32, 0x0E33, 0x0E45, 0x0E46}
_THAI_LEADING = range(0x0E40, 0x0E45)


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


def _candidates(text: str, language: str) -> list[tuple[int, int, float]]:
    """Break positions ``(cut, resume, penalty)``: the line ends at ``cut``, the next starts at
    ``resume`` (after a space), lower penalty is better."""
    spaces = [(i, i + 1, 0.0) for i, ch in enumerate(text) if ch == " " and 0 < i < len(text) - 1]
    if language not in _NO_SPACE or (language == "th" and spaces):
        return spaces
    out: list[tuple[int, int, float]] = list(spaces)
    for i in range(1, len(text)):
        if text[i] == " " or text[i - 1] == " " or not _break_ok(text, i, language):
            continue
        out.append((i, i, 0.0 if text[i - 1] in _CJK_BREAK_AFTER else 2.0))
    return out


def wrap(text: str, language_primary: str, limit: int, max_lines: int = 2) -> str:
    """``text`` broken into balanced lines of about ``limit`` characters, at most ``max_lines``.

    Text too long for ``max_lines`` lines stays in ``max_lines`` (longer) lines: the cue's
    reading speed is the subtitler's call, not the layout's.
    """
    joiner = "" if language_primary in ("zh", "ja") else " "
    flat = joiner.join(part.strip() for part in text.split("\n") if part.strip())
    if len(flat) <= limit:
        return flat
    count = min(max_lines, math.ceil(len(flat) / limit))
    candidates = _candidates(flat, language_primary)
    lines: list[str] = []
    pos = 0
    for k in range(1, count):
        ideal = pos + (len(flat) - pos) / (count - k + 1)
        usable = [c for c in candidates if c[0] > pos]
        if not usable:
            break
        # Nearest the balance point, punctuation preferred, lines over the limit avoided.
        allowed = max(limit, math.ceil(ideal - pos))
        cut, resume, _ = min(
            usable, key=lambda c: abs(c[0] - ideal) + c[2] + 3 * max(0, c[0] - pos - allowed)
        )
        lines.append(flat[pos:cut].rstrip())
        pos = resume
    lines.append(flat[pos:].strip())
    return "\n".join(line for line in lines if line)
