"""Promo text drawing: the script of a title (for the preset's font), (the localised episode labels
of covers are in :mod:`vidpack.subtitles.labels`), and one-frame ASS scripts that libass renders
through ffmpeg's ``subtitles`` filter (with HarfBuzz and FriBidi it shapes CJK, Arabic and Thai,
which ``drawtext`` does poorly, and lays right-to-left lines out right to left).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# the script of a text lives with the other language facts (render's cards need it too)
from vidpack.subtitles.labels import font_script as font_script
from vidpack.subtitles.labels import script_of as script_of
from vidpack.subtitles.overlay import ass_document


@dataclass(frozen=True, slots=True)
class TextBox:
    """Where text may go on a ``width`` x ``height`` picture: a rectangle in pixels."""

    width: int
    height: int
    left: int
    top: int
    right: int  # exclusive x
    bottom: int  # exclusive y


def _ass_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("\n", "\\N")


def write_ass(
    path: Path,
    box: TextBox,
    font: str,
    *,
    top_text: str = "",
    bottom_text: str = "",
    middle_text: str = "",
    top_size: float,
    bottom_size: float,
    middle_size: float = 0.0,
    duration: float = 3600.0,
) -> None:
    """Write an ASS script drawing up to three lines inside ``box`` for ``duration`` seconds.

    ``top_text`` hangs from the box's top, ``bottom_text`` stands on its bottom and
    ``middle_text`` is centred; sizes are font pixel heights. Long lines wrap inside the box.
    """
    w, h = box.width, box.height
    margin_l, margin_r = box.left, w - box.right
    top_v, bottom_v = box.top, h - box.bottom
    style = (
        "Style: {name},{font},{size:.0f},&H00FFFFFF,&H00FFFFFF,&H00000000,&H80000000,"
        "-1,0,0,0,100,100,0,0,1,{outline:.1f},{shadow:.1f},{align},"
        f"{margin_l},{margin_r},{{margin_v}},1"
    )
    styles = [
        style.format(
            name="Top", font=font, size=top_size, outline=max(1.0, top_size / 16),
            shadow=top_size / 24, align=8, margin_v=top_v,
        ),
        style.format(
            name="Bottom", font=font, size=bottom_size, outline=max(1.0, bottom_size / 16),
            shadow=bottom_size / 24, align=2, margin_v=bottom_v,
        ),
        style.format(
            name="Middle", font=font, size=middle_size or top_size,
            outline=max(1.0, (middle_size or top_size) / 16), shadow=0, align=5, margin_v=0,
        ),
    ]  # fmt: skip
    end = _ass_time(duration)
    events = []
    for name, text in (("Top", top_text), ("Bottom", bottom_text), ("Middle", middle_text)):
        if text:
            events.append(f"Dialogue: 0,0:00:00.00,{end},{name},,0,0,0,,{_ass_escape(text)}")
    path.write_text(ass_document(w, h, styles, events, wrap_style=0), encoding="utf-8")


def _ass_time(seconds: float) -> str:
    cs = round(seconds * 100)
    h, rest = divmod(cs, 360000)
    m, rest = divmod(rest, 6000)
    s, c = divmod(rest, 100)
    return f"{h}:{m:02d}:{s:02d}.{c:02d}"
