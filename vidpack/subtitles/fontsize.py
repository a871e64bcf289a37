"""Equal apparent size across scripts: a font-size factor per script from the fonts' own metrics.

libass sizes a font so that its line box (OS/2 winAscent + winDescent, as GDI does; hhea
ascender - descender when those are zero) equals the style's font size. Fonts for different
scripts put very different ink in that box: Noto Naskh Arabic reserves room for stacked marks,
so its letters come out visibly smaller than Noto Sans's at the same size. The factor for a
script is the Latin font's ink ratio over the script's own, where the ink ratio is the height
from the lowest to the highest ink of a sample line (glyph bounds read with fontTools,
shaping ignored) divided by the line box. An Arabic, Thai, CJK and Latin line in one style then
draw text of about the same height (held within 10 % by rendering each with libass in
tests/integration/test_subs_sizes.py). Factors are clamped to 0.7-1.6.
"""

from __future__ import annotations

import functools
from typing import Any

# A typical line of each script (tests render these).
INK_SAMPLES: dict[str, str] = {
    "latin": "Where were you last night?",
    "cjk-sc": "你昨晚去哪儿了？",
    "cjk-tc": "你昨晚去哪裡了？",
    "ja": "昨夜はどこにいたの？",
    "ko": "어젯밤에 어디 있었어?",
    "arabic": "أين كنت الليلة الماضية؟",
    "thai": "เมื่อคืนคุณไปอยู่ที่ไหนมา",
}
# The characters whose unshaped glyphs span a shaped line's ink, where the line itself would
# not: an isolated yeh's tail (U+064A) reaches far below a joined one, so Arabic is measured on
# alef with hamza (the top), lam and noon (whose bowl keeps its depth when joined).
_METRIC_TEXT: dict[str, str] = {"arabic": "\u0623\u0644\u0646"}
_CLAMP = (0.7, 1.6)


def line_box(font: Any) -> int:
    """The height libass sizes an open fontTools ``TTFont`` to, in font units: OS/2 winAscent
    + winDescent, hhea ascender - descender when those are zero."""
    os2 = font.get("OS/2")
    box = (os2.usWinAscent + os2.usWinDescent) if os2 is not None else 0
    if not box:
        hhea = font["hhea"]
        box = hhea.ascent - hhea.descent
    return int(box)


@functools.lru_cache(maxsize=64)
def ink_ratio(path: str, index: int, text: str) -> float | None:
    """Ink height of ``text`` in the font at ``path`` over libass's line box (None: no glyphs)."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        cmap = font.getBestCmap() or {}
        glyphs = font.getGlyphSet()
        low, high = None, None
        for ch in text:
            name = cmap.get(ord(ch))
            if name is None or ch.isspace():
                continue
            pen = BoundsPen(glyphs)
            glyphs[name].draw(pen)
            if pen.bounds is None:
                continue
            low = pen.bounds[1] if low is None else min(low, pen.bounds[1])
            high = pen.bounds[3] if high is None else max(high, pen.bounds[3])
        box = line_box(font)
    finally:
        font.close()
    if low is None or high is None or box <= 0:
        return None
    return (high - low) / box


def size_factor(family: str, script: str, latin_family: str) -> float:
    """What to multiply a style's font size by for ``script`` drawn in ``family`` so its text is
    as tall as Latin text in ``latin_family`` (1.0 when either cannot be measured)."""
    if script == "latin":
        return 1.0
    from vidpack.subtitles.glyphs import match_font

    ours, ref = match_font(family), match_font(latin_family)
    sample = _METRIC_TEXT.get(script) or INK_SAMPLES.get(script, INK_SAMPLES["latin"])
    mine = ink_ratio(ours.path, ours.index, sample)
    base = ink_ratio(ref.path, ref.index, INK_SAMPLES["latin"])
    if not mine or not base:
        return 1.0
    return min(_CLAMP[1], max(_CLAMP[0], base / mine))
