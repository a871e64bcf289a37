"""Font coverage: which font fontconfig picks for a family and which characters it lacks.

fontTools reads the character map of the file ``fc-match`` resolves (a TrueType collection is
opened at the face index fontconfig names). A cue using characters the chosen font lacks is a
warning naming the cue and the characters, instead of silent empty boxes in the picture.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from vidpack.presets.model import SCRIPTS, Fonts
from vidpack.subtitles.model import Cue

# A few characters per script that a font for it must have (doctor's coverage check).
SCRIPT_SAMPLES: dict[str, str] = {
    "latin": "Where were you?éñ",
    "cjk-sc": "你昨晚去哪儿了这说",
    "cjk-tc": "你昨晚去哪兒了這說",
    "ja": "昨夜はどこにいたのカタカナ",
    "ko": "어젯밤에어디있었어",
    "arabic": "أين كنت الليلة الماضية؟",
    "thai": "เมื่อคืนคุณอยู่ที่ไหน",
}


@dataclass(frozen=True, slots=True)
class FontMatch:
    """The font file fontconfig picks for a family."""

    requested: str
    family: str
    path: str
    index: int

    @property
    def exact(self) -> bool:
        """True when fontconfig found the family itself, not a substitute."""
        wanted = self.requested.lower()
        return any(f.strip().lower() == wanted for f in self.family.split(","))


@functools.lru_cache(maxsize=64)
def match_font(family: str) -> FontMatch:
    """What ``fc-match`` resolves ``family`` to.

    Raises:
        VidpackError: fc-match is not installed.
    """
    from vidpack.media.runner import run_capture

    out, _ = run_capture(["fc-match", "-f", "%{family}\t%{file}\t%{index}", family])
    fam, path, index = [*out.split("\t"), "", "", "0"][:3]
    return FontMatch(family, fam, path, int(index or 0))


@functools.lru_cache(maxsize=64)
def coverage(path: str, index: int = 0) -> frozenset[int]:
    """The code points the font file at ``path`` (face ``index``) maps to glyphs."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        cmap = font.getBestCmap() or {}
    finally:
        font.close()
    return frozenset(cmap)


def _needs_glyph(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs")


def missing_chars(text: str, covered: frozenset[int]) -> str:
    """The distinct characters of ``text`` the font cannot draw, in order of appearance."""
    seen: dict[str, None] = {}
    for ch in text:
        if _needs_glyph(ch) and ord(ch) not in covered:
            seen.setdefault(ch, None)
    return "".join(seen)


def check_cues(cues: Sequence[Cue], family: str, *, name: str) -> list[str]:
    """Warnings for cues with characters the font for ``family`` lacks.

    Args:
        cues: the cues to burn (numbered from 1 in messages, with source lines when known).
        family: the fontconfig family the ASS style names.
        name: the subtitle file, put in front of each warning.
    """
    match = match_font(family)
    warnings: list[str] = []
    if not match.exact:
        warnings.append(
            f"{name}: font {family!r} is not installed; fontconfig uses {match.family!r} "
            f"({match.path})"
        )
    covered = coverage(match.path, match.index)
    for number, cue in enumerate(cues, 1):
        lacking = missing_chars(cue.text, covered)
        if lacking:
            where = f" (line {cue.line})" if cue.line else ""
            warnings.append(
                f"{name}: cue {number}{where}: font {match.family!r} has no glyph for "
                f"{lacking!r} ({', '.join(f'U+{ord(c):04X}' for c in lacking[:8])})"
            )
    return warnings


def script_coverage(family: str, script: str) -> tuple[FontMatch, str]:
    """For ``vidpack doctor``: the font ``family`` resolves to and the sample characters of
    ``script`` it lacks (empty when it covers the script)."""
    match = match_font(family)
    return match, missing_chars(SCRIPT_SAMPLES.get(script, ""), coverage(match.path, match.index))


@dataclass(frozen=True, slots=True)
class ScriptCoverage:
    """One row of ``vidpack doctor``'s font table."""

    script: str
    family: str
    match: FontMatch
    missing: str

    @property
    def ok(self) -> bool:
        """The family is installed itself and draws every sample character of its script."""
        return self.match.exact and not self.missing


def font_table(fonts: Fonts) -> list[ScriptCoverage]:
    """Coverage of every script for a preset's ``[subtitles.style.fonts]`` (``Fonts``)."""
    rows = []
    for script in SCRIPTS:
        family = fonts.for_script(script)
        match, missing = script_coverage(family, script)
        rows.append(ScriptCoverage(script, family, match, missing))
    return rows
