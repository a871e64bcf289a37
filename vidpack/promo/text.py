"""Promo text drawing: the script of a title (for the preset's font), the localised episode label
of covers ("EP 2", "第2集", "2화", "الحلقة 2", ...), and one-frame ASS scripts that libass renders
through ffmpeg's ``subtitles`` filter (with HarfBuzz and FriBidi it shapes CJK, Arabic and Thai,
which ``drawtext`` does poorly, and lays right-to-left lines out right to left).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_RANGES: tuple[tuple[int, int, str], ...] = (
    (0xAC00, 0xD7AF, "ko"),
    (0x1100, 0x11FF, "ko"),
    (0x3130, 0x318F, "ko"),
    (0x3040, 0x30FF, "ja"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0E00, 0x0E7F, "thai"),
    (0x4E00, 0x9FFF, "cjk-sc"),
    (0x3400, 0x4DBF, "cjk-sc"),
)


# The episode label per primary language subtag; any other language (or none) gets "EP {n}".
LABELS: dict[str, str] = {
    "en": "EP {n}",
    "zh": "第{n}集",
    "ja": "第{n}話",
    "ko": "{n}화",
    "th": "ตอนที่ {n}",
    "ar": "الحلقة {n}",
}
DEFAULT_LABEL = "EP {n}"


def label_template(language: str | None) -> str:
    """The episode label template of ``language`` (a BCP 47 tag; ``None``: the default)."""
    primary = (language or "").split("-")[0].lower()
    return LABELS.get(primary, DEFAULT_LABEL)


def episode_label(number: int, language: str | None = None) -> str:
    """Episode ``number`` as ``language``'s covers say it: ``EP 2``, ``第2集``, ``2화``, ..."""
    return label_template(language).format(n=number)


def font_script(text: str, language: str | None = None) -> str:
    """The preset font key for ``text`` shown to ``language``'s audience: the language's own
    script when it has one (kanji-only Japanese gets the Japanese font, not Chinese), else
    :func:`script_of` the text."""
    if language:
        from vidpack.subtitles.languages import is_language_tag
        from vidpack.subtitles.languages import language as language_of

        if is_language_tag(language) and language_of(language).script != "latin":
            return language_of(language).script
    return script_of(text)


def script_of(text: str) -> str:
    """The preset font key for ``text``: the first non-Latin script found, else ``latin``.

    Kana anywhere makes Japanese (its kanji are CJK ideographs too); Han alone gives ``cjk-sc``.
    """
    found = "latin"
    for char in text:
        cp = ord(char)
        for lo, hi, script in _RANGES:
            if lo <= cp <= hi:
                if script in ("ja", "ko"):
                    return script
                if found == "latin":
                    found = script
    return found


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
    path.write_text(
        "\n".join(
            [
                "[Script Info]",
                "ScriptType: v4.00+",
                f"PlayResX: {w}",
                f"PlayResY: {h}",
                "WrapStyle: 0",
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
        ),
        encoding="utf-8",
    )


def _ass_time(seconds: float) -> str:
    cs = round(seconds * 100)
    h, rest = divmod(cs, 360000)
    m, rest = divmod(rest, 6000)
    s, c = divmod(rest, 100)
    return f"{h}:{m:02d}:{s:02d}.{c:02d}"
