"""Text on the pictures vidpack draws for people (the contact sheet, the timeline PNG): labels
placed in pixels and drawn by libass, through ffmpeg's ``ass`` filter, in the fonts the
preset names for subtitles (Noto), each label in the font of its script and sized per script as
burned subtitles are (:mod:`vidpack.subtitles.fontsize`). HarfBuzz shapes Arabic and Thai and
FriBidi lays right-to-left text out, so a Chinese, Arabic or Thai title shows as itself, where
OpenCV's Hershey font draws "???".

The shapes are drawn with OpenCV first; :func:`draw_labels` writes that picture as a lossless
PNG beside a one-frame ASS script and reads the labelled frame back as BGR pixels (one ffmpeg run
per picture, through the runner; pixels away from the text are unchanged).
:func:`text_width` measures a label with the font's own advance widths (fontTools, shaping
left out: exact enough for Latin and CJK, close for Arabic and Thai) so callers can lay
labels out side by side.
"""

from __future__ import annotations

import functools
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vidpack.errors import VidpackError
from vidpack.presets.model import Fonts
from vidpack.subtitles.labels import script_of

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

DEFAULT_PRESET = "tiktok"  # whose fonts label pictures made without a preset (as doctor's)
_CJK = frozenset({"cjk-sc", "cjk-tc", "ja", "ko"})
_ALIGN = {"top-left": 7, "top-centre": 8, "top-right": 9, "left": 4, "centre": 5}


@dataclass(frozen=True, slots=True)
class Label:
    """One line of text on a picture.

    Attributes:
        text: the text (one line; line breaks are drawn as spaces).
        x: x of the anchor point in pixels.
        y: y of the anchor point in pixels.
        size: font size in pixels as libass takes it (the font's line box height).
        colour: BGR, as OpenCV's colours.
        anchor: which point of the text's box sits at ``(x, y)``: ``top-left``,
            ``top-centre``, ``top-right``, ``left`` (the middle of its left side) or ``centre``.
        bold: drawn bold.
    """

    text: str
    x: int
    y: int
    size: float
    colour: tuple[int, int, int] = (235, 235, 235)
    anchor: str = "top-left"
    bold: bool = False


def default_fonts() -> Fonts:
    """The subtitle fonts of the default preset, for pictures drawn without a preset."""
    from vidpack.presets import load_preset

    return load_preset(DEFAULT_PRESET).subtitles.style.fonts


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into runs of one script each, as ``(preset font key, run)``: characters of
    no script (spaces, digits, punctuation) stay in the run they follow; Chinese, Japanese and
    Korean letters form one run whose key is its own :func:`script_of` (kana make Japanese)."""
    out: list[tuple[str, str]] = []
    for ch in _one_line(text):
        kind = script_of(ch)
        kind = "cjk" if kind in _CJK else kind if kind != "latin" or ch.isalpha() else ""
        if out and (not kind or kind == out[-1][0]):
            out[-1] = (out[-1][0], out[-1][1] + ch)
        elif out and not out[-1][0]:  # only characters of no script so far
            out[-1] = (kind, out[-1][1] + ch)
        else:
            out.append((kind, ch))
    return [(script_of(run) if kind == "cjk" else kind or "latin", run) for kind, run in out]


def _fonted(text: str, fonts: Fonts) -> list[tuple[str, str, float]]:
    """``(run, family, size factor)`` per script run of ``text``: the font of the run's script
    and the factor that gives it Latin text's apparent height."""
    from vidpack.subtitles.fontsize import size_factor

    out = []
    for script, run in runs(text):
        family = fonts.for_script(script)
        out.append((run, family, size_factor(family, script, fonts.latin)))
    return out


@functools.lru_cache(maxsize=16)
def _advances(family: str) -> tuple[dict[int, int], int, int]:
    """``(advance width per code point, units per em, line box)`` of the font ``family``
    resolves to (line box as libass sizes fonts)."""
    from fontTools.ttLib import TTFont

    from vidpack.subtitles.fontsize import line_box
    from vidpack.subtitles.glyphs import match_font

    match = match_font(family)
    font = TTFont(match.path, fontNumber=match.index, lazy=True)
    try:
        cmap = font.getBestCmap() or {}
        metrics = font["hmtx"].metrics
        widths = {cp: metrics[name][0] for cp, name in cmap.items() if name in metrics}
        return widths, int(font["head"].unitsPerEm), line_box(font)
    finally:
        font.close()


def text_width(text: str, size: float, fonts: Fonts) -> float:
    """About how many pixels wide ``text`` is drawn at ``size`` (see :class:`Label`)."""
    width = 0.0
    for run, family, factor in _fonted(text, fonts):
        widths, upem, box = _advances(family)
        units = 0
        for ch in run:
            if unicodedata.combining(ch):
                continue
            wide = unicodedata.east_asian_width(ch) in ("W", "F")
            units += widths.get(ord(ch), upem if wide else upem // 2)
        width += units * size * factor / max(box, 1)
    return width


def fit_text(text: str, size: float, width: float, fonts: Fonts) -> str:
    """``text``, cut short with an ellipsis when it would be wider than ``width`` pixels."""
    if text_width(text, size, fonts) <= width:
        return text
    cut = text
    while cut and text_width(cut + "…", size, fonts) > width:
        cut = cut[:-1]
    return cut.rstrip() + "…" if cut else ""


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))


def _escape(text: str) -> str:
    # a word joiner after a backslash keeps "\N" or "\h" from being read as a tag
    return _one_line(text).replace("\\", "\\\u2060").replace("{", "\\{").replace("}", "\\}")


def _colour(bgr: tuple[int, int, int]) -> str:
    b, g, r = bgr
    return f"&H{b:02X}{g:02X}{r:02X}&"


def labels_ass(labels: Sequence[Label], width: int, height: int, fonts: Fonts) -> str:
    """The ASS script drawing ``labels`` on a ``width`` x ``height`` picture (one frame)."""
    events = []
    for label in labels:
        if label.anchor not in _ALIGN:
            raise ValueError(f"anchor {label.anchor!r}: use one of {', '.join(_ALIGN)}")
        head = (
            f"{{\\an{_ALIGN[label.anchor]}\\pos({label.x},{label.y})"
            f"\\c{_colour(label.colour)}\\b{int(label.bold)}}}"
        )
        body = "".join(
            f"{{\\fn{family}\\fs{label.size * factor:.1f}}}{_escape(run)}"
            for run, family, factor in _fonted(label.text, fonts)
        )
        events.append(f"Dialogue: 0,0:00:00.00,0:00:10.00,Label,,0,0,0,,{head}{body}")
    # Encoding -1: libass finds each line's base direction (right to left for Arabic)
    style = (
        f"Style: Label,{fonts.latin},16,&H00EBEBEB,&H00EBEBEB,&H00000000,&H00000000,"
        "0,0,0,0,100,100,0,0,1,0,0,7,0,0,0,-1"
    )
    return ass_document(width, height, [style], events, wrap_style=2)


def ass_document(
    width: int, height: int, styles: Sequence[str], events: Sequence[str], *, wrap_style: int
) -> str:
    """An ASS script for a ``width`` x ``height`` picture from its ``Style:`` and ``Dialogue:``
    lines (``wrap_style`` 0: smart wrapping, 2: none)."""
    return "\n".join(
        [
            "[Script Info]",
            "ScriptType: v4.00+",
            f"PlayResX: {width}",
            f"PlayResY: {height}",
            f"WrapStyle: {wrap_style}",
            "ScaledBorderAndShadow: yes",
            "",
            "[V4+ Styles]",
            "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour,"
            " BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle,"
            " BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
            *styles,
            "",
            "[Events]",
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
            *events,
            "",
        ]
    )


def draw_labels(
    image: npt.NDArray[np.uint8], labels: Sequence[Label], fonts: Fonts
) -> npt.NDArray[np.uint8]:
    """``image`` (BGR) with ``labels`` drawn on it by libass, as a new array.

    Raises:
        VidpackError: the picture cannot be handed to ffmpeg, or ffmpeg fails (FFmpegError).
    """
    import cv2
    import numpy as np

    from vidpack.media.runner import pipe_ffmpeg
    from vidpack.subtitles.burn import shaped_filter

    if not labels:
        return image.copy()
    height, width = image.shape[:2]
    with tempfile.TemporaryDirectory(prefix="vidpack-labels-") as tmp:
        picture, script = Path(tmp) / "picture.png", Path(tmp) / "labels.ass"
        if not cv2.imwrite(str(picture), image):
            raise VidpackError(f"cannot write {picture}: OpenCV failed to encode it")
        script.write_text(labels_ass(labels, width, height, fonts), encoding="utf-8")
        args = ["-i", f"file:{picture}", "-frames:v", "1", "-an"]
        args += ["-vf", f"{shaped_filter(script)},format=bgr24", "-f", "rawvideo", "pipe:1"]
        with pipe_ffmpeg(args, label="picture text") as stream:
            data = stream.read(width * height * 3)
    if len(data) < width * height * 3:
        raise VidpackError(f"ffmpeg gave {len(data)} bytes for a {width}x{height} picture")
    return np.frombuffer(data, np.uint8).reshape(height, width, 3).copy()
