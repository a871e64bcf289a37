"""The compliance slate: the licence/filing number drawn over the opening seconds of every
episode of a preset with ``license_number_required`` (Chinese platforms), inside the safe zone,
as one ``drawtext`` filter in the episode's own encode.

Its duration, text size and place are the preset's ``[metadata] slate_*`` values (vidpack's
choice: no public source gives them). The font is the preset's CJK subtitle font, so numbers
such as ``备案号：...`` render; a number too long for the safe zone at a legible size is refused.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from vidpack.errors import UsageError
from vidpack.presets.model import Preset
from vidpack.render.model import Slate

REF_W = 1080  # preset pixel values are on the 1080x1920 frame
MIN_FONT_REF_PX = 24  # smallest slate text (on 1080x1920) still legible at phone size
_PAD = 0.3  # box padding, in text heights
_LICENSE_HINT = "give --license-number or license_number in the --series-file"


def check_license(
    presets: Sequence[Preset],
    number: str | None,
    *,
    hint: str = _LICENSE_HINT,
    example: str = '--license-number "备案号：粤网微剧备字(2025)第00123号"',
) -> None:
    """Refuse a missing or unusable licence number for presets that must show one.

    Args:
        presets: the presets of the run.
        number: the licence number given (None: none).
        hint: where a number can be given (the option and the series file key).
        example: a value that works, as it would be written.

    Raises:
        UsageError: naming ``hint``'s option and the series file key.
    """
    needing = [p.name for p in presets if p.metadata.license_number_required]
    if not needing:
        return
    if number is None or not number.strip():
        raise UsageError(
            f"platform {', '.join(needing)} requires a licence number on every episode: "
            f"{hint} (e.g. {example})"
        )
    for preset in presets:
        if preset.metadata.license_number_required:
            slate_layout(preset, number.strip(), preset.video.width, preset.video.height)


def _em_width(text: str) -> float:
    """The text's width in text heights (wide characters 1, others about 0.6)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def slate_layout(
    preset: Preset, text: str, width: int, height: int
) -> tuple[int, tuple[int, int, int, int]]:
    """The slate's text height and box ``(x, y, w, h)`` in a ``width`` x ``height`` picture:
    centred in the safe zone, ``slate_top_px`` below its top, the text shrunk to fit its width.

    Raises:
        UsageError: the text does not fit the safe zone at the smallest legible size.
    """
    meta = preset.metadata
    top, _bottom, left, right = preset.safe_zone.scaled(width, height)
    scale = width / REF_W
    room = width - left - right
    ems = _em_width(text) + 2 * _PAD
    font = min(meta.slate_font_px * scale, room / max(ems, 1e-6))
    if font < MIN_FONT_REF_PX * scale - 1e-6:
        fits = int(room / (MIN_FONT_REF_PX * scale) - 2 * _PAD)
        raise UsageError(
            f"--license-number {text!r} is too long for platform {preset.name}'s safe zone: "
            f"use at most about {fits} wide characters"
        )
    px = max(1, int(font))
    pad = max(1, round(px * _PAD))
    box_w = min(room, round(_em_width(text) * px) + 2 * pad)
    box_h = px + 2 * pad
    x = left + (room - box_w) // 2
    y = top + round(meta.slate_top_px * scale)
    return px, (x, y, box_w, box_h)


def slate_for(preset: Preset, number: str | None) -> Slate | None:
    """The slate of every episode of ``preset`` (None when it needs none or no number is given).

    Raises:
        UsageError: the number is too long (see :func:`slate_layout`).
        VidpackError: fontconfig is missing.
    """
    if not preset.metadata.license_number_required or not number or not number.strip():
        return None
    from vidpack.subtitles.glyphs import match_font

    text = number.strip()
    px, box = slate_layout(preset, text, preset.video.width, preset.video.height)
    family = preset.subtitles.style.fonts.for_script("cjk-sc")
    font = match_font(family)
    return Slate(text, 0.0, preset.metadata.slate_seconds, font.path, px, box, family)


def slate_filter(slate: Slate) -> str:
    """The ``drawtext`` filter drawing ``slate`` (white text on an opaque black box) on the
    output-size picture; its ``t`` is episode time (the chain rebases timestamps first)."""
    from vidpack.subtitles.burn import escape_filter_value as esc

    x, y, w, h = slate.box
    pad = (h - slate.font_px) // 2
    end = slate.start + slate.duration
    # fontconfig by family picks the collection's right face; a bare file would open face 0
    font = (
        f"font={esc(slate.font_family)}"
        if slate.font_family
        else f"fontfile={esc(slate.font_file)}"
    )
    options = [
        font,
        f"text={esc(slate.text)}",
        "expansion=none",
        f"fontsize={slate.font_px}",
        "fontcolor=white",
        "box=1",
        "boxcolor=black",
        f"boxborderw={pad}",
        # centred in the box; y is the text's top (ascent-based: the box keeps its place)
        f"x={esc(f'{x + pad}+({w - 2 * pad}-text_w)/2')}",
        f"y={y + pad}",
        f"enable={esc(f'between(t,{slate.start:.3f},{end - 1e-3:.3f})')}",
    ]
    return "drawtext=" + ":".join(options)
