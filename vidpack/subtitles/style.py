"""The ASS script burned into an episode: preset style at the output's size, one cue per event.

PlayResX/Y equal the output size, so sizes and margins are real pixels: font size is
``style.size * height`` times the script's factor (:mod:`vidpack.subtitles.fontsize`: Arabic,
Thai and CJK text as tall as Latin text in the same style), outline/shadow/margins are preset
pixels on 1080x1920 scaled to the output, the bottom margin is at least the safe zone's bottom
band, side margins are mirrored
for right-to-left languages, alignment is bottom centre. Arabic text is left in logical order:
libass shapes it (HarfBuzz) and orders it (FriBidi); ``Encoding -1`` lets libass pick the base
direction per line so an Arabic question mark lands on the left.

Over a masked band of burned-in source text (:func:`over_band`), the bottom margin is moved so
the bottom line's centre sits on the band's centre, as long as every line stays in the safe area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from vidpack.presets.model import REFERENCE_SIZE, Preset
from vidpack.subtitles.fontsize import size_factor
from vidpack.subtitles.languages import Language
from vidpack.subtitles.layout import line_limit, wrap
from vidpack.subtitles.model import Cue


@dataclass(frozen=True, slots=True)
class BurnStyle:
    """The resolved look of burned subtitles on one output size."""

    font: str
    size_px: int
    bold: bool
    color: str
    outline_color: str
    outline_px: float
    shadow_px: float
    margin_l: int
    margin_r: int
    margin_v: int
    width: int
    height: int
    rtl: bool
    max_lines: int


def resolve_style(preset: Preset, lang: Language, width: int, height: int) -> BurnStyle:
    """The preset's subtitle style for ``lang`` on a ``width`` x ``height`` output."""
    style = preset.subtitles.style
    sx, sy = width / REFERENCE_SIZE[0], height / REFERENCE_SIZE[1]
    left, right = style.margins(rtl=lang.rtl)
    margin_v = max(style.margin_v, preset.safe_zone.bottom)
    font = style.fonts.for_script(lang.script)
    factor = size_factor(font, lang.script, style.fonts.for_script("latin"))
    return BurnStyle(
        font=font,
        size_px=max(8, round(style.size * height * factor)),
        bold=style.bold,
        color=style.color,
        outline_color=style.outline_color,
        outline_px=round(style.outline * sy, 2),
        shadow_px=round(style.shadow * sy, 2),
        margin_l=round(left * sx),
        margin_r=round(right * sx),
        margin_v=round(margin_v * sy),
        width=width,
        height=height,
        rtl=lang.rtl,
        max_lines=preset.subtitles.max_lines,
    )


def over_band(style: BurnStyle, centre_y: float, preset: Preset) -> BurnStyle | None:
    """``style`` moved so its bottom line is centred on ``centre_y`` (output pixels from the
    top): the masked band of the master's own burned-in text. ``None`` when the lines would
    leave the preset's safe area there (the bottom line under its bottom band, or a full cue of
    ``max_lines`` lines over its top band)."""
    top, bottom, _left, _right = preset.safe_zone.scaled(style.width, style.height)
    margin = round(style.height - centre_y - style.size_px / 2)
    if margin < bottom or style.height - margin - style.size_px * style.max_lines < top:
        return None
    return replace(style, margin_v=margin)


def _color(hex_rgb: str) -> Any:
    import pysubs2

    value = hex_rgb.lstrip("#")
    return pysubs2.Color(int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), 0)


def ass_text(cues: Sequence[Cue], lang: Language, style: BurnStyle) -> str:
    """The ASS script for ``cues`` (episode time) in ``style``, lines broken for ``lang``."""
    import pysubs2

    subs = pysubs2.SSAFile()
    subs.info.update(
        {
            "PlayResX": str(style.width),
            "PlayResY": str(style.height),
            "ScaledBorderAndShadow": "yes",
            "WrapStyle": "0",
            "YCbCr Matrix": "TV.709",
        }
    )
    subs.styles["Default"] = pysubs2.SSAStyle(
        fontname=style.font,
        fontsize=style.size_px,
        primarycolor=_color(style.color),
        outlinecolor=_color(style.outline_color),
        backcolor=pysubs2.Color(0, 0, 0, 128),
        bold=style.bold,
        outline=style.outline_px,
        shadow=style.shadow_px,
        alignment=pysubs2.Alignment.BOTTOM_CENTER,
        marginl=style.margin_l,
        marginr=style.margin_r,
        marginv=style.margin_v,
        encoding=-1 if style.rtl else 1,
    )
    limit = line_limit(
        lang.primary,
        width=style.width,
        font_size_px=style.size_px,
        margins_px=style.margin_l + style.margin_r,
    )
    for cue in cues:
        text = wrap(cue.text, lang.primary, limit, style.max_lines)
        escaped = text.replace("\\", "\\\u2060").replace("{", "\\{").replace("\n", "\\N")
        subs.append(pysubs2.SSAEvent(start=cue.start, end=cue.end, text=escaped))
    return subs.to_string("ass")
