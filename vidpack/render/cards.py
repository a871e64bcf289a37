"""Title and "next episode" cards, drawn by libass in the episode's own encode (off by default).

The title card shows the series title (in the set's language) over the episode label ("EP 2",
"第2集", "الحلقة 2") for the opening :data:`TITLE_S` seconds; the "next episode" card shows the
next episode's label ("Next: EP 3", "下一集：第3集") over the closing :data:`NEXT_S` seconds of
every episode but the last. Both are centred in the preset's safe zone, white with an outline
over a translucent box, in the preset's subtitle font for the language's script (libass shapes
Arabic and Thai and lays Arabic out right to left). Their durations and sizes are vidpack's
choice: no public source gives them.

The cards of a spec are values (:class:`~vidpack.render.model.Card`, part of its render key);
:func:`card_file` writes the ASS script the spec's picture chain reads, right before the encode,
into the episode folder's staging folder (removed after the run).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from vidpack.presets.model import Preset
from vidpack.problems import check_choice
from vidpack.render.model import Card, EpisodeSpec

CARD_MODES = ("none", "title", "next", "both")
TITLE_S = 2.0  # vidpack's choice
NEXT_S = 2.0  # vidpack's choice
TITLE_PX = 72  # title line height on the 1080x1920 frame: vidpack's choice
LABEL_PX = 96  # episode label line height on the 1080x1920 frame: vidpack's choice
STAGE_DIR = ".vidpack-subs"  # the staging folder the subtitle hooks use (removed after a run)


def check_cards(mode: str, *, what: str = "--cards") -> str:
    """``mode`` when it is one of :data:`CARD_MODES` (else a UsageError naming ``what``)."""
    return check_choice(mode, CARD_MODES, what=what, is_not="a choice")


def episode_cards(
    preset: Preset,
    mode: str,
    *,
    index: int,
    count: int,
    duration: float,
    title: str,
    language: str | None,
) -> tuple[Card, ...]:
    """The cards of episode ``index`` of ``count`` (``duration`` seconds long)."""
    if mode == "none":
        return ()
    from vidpack.subtitles.labels import episode_label, font_script, next_label

    w, h = preset.video.width, preset.video.height
    top, bottom, left, right = preset.safe_zone.scaled(w, h)
    box = (left, top, w - left - right, h - top - bottom)
    scale = h / 1920
    cards: list[Card] = []
    fonts = preset.subtitles.style.fonts

    def font(text: str) -> tuple[str, float]:
        """The family for ``text`` and its size factor (equal apparent size across scripts)."""
        from vidpack.subtitles.fontsize import size_factor

        script = font_script(text, language)
        family = fonts.for_script(script)
        return family, size_factor(family, script, fonts.latin)

    if mode in ("title", "both"):
        label = episode_label(index, language)
        lines = (title, label) if title else (label,)
        family, factor = font(title or label)
        sizes = tuple(round(px * scale * factor) for px in (TITLE_PX, LABEL_PX)[-len(lines) :])
        span = min(TITLE_S, duration / 3)
        cards.append(Card("title", lines, sizes, 0.0, span, family, box))
    if mode in ("next", "both") and index < count:
        text = next_label(index + 1, language)
        family, factor = font(text)
        span = min(NEXT_S, duration / 3)
        size = (round(TITLE_PX * scale * factor),)
        cards.append(Card("next", (text,), size, duration - span, span, family, box))
    return tuple(cards)


def card_path(spec: EpisodeSpec) -> Path:
    """Where :func:`card_file` writes the ASS script of ``spec``'s cards."""
    digest = hashlib.sha256(repr(spec.cards).encode()).hexdigest()[:10]
    return spec.output.parent / STAGE_DIR / f"{spec.output.stem}.cards-{digest}.ass"


def card_filter(spec: EpisodeSpec) -> str:
    """The libass filter drawing ``spec``'s cards (its ``t`` is episode time), shaped as every
    burned script is (:func:`vidpack.subtitles.burn.burn_filter`)."""
    from vidpack.subtitles.burn import burn_filter

    return burn_filter(card_path(spec))


def card_file(spec: EpisodeSpec) -> Path | None:
    """Write the ASS script of ``spec``'s cards (None when it has none)."""
    if not spec.cards:
        return None
    from vidpack.media.atomic import write_text_atomic

    path = card_path(spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, card_script(spec))
    return path


def card_script(spec: EpisodeSpec) -> str:
    """The ASS script of ``spec``'s cards on its output frame."""
    w, h = int(spec.encode["width"]), int(spec.encode["height"])
    styles, events = [], []
    for n, card in enumerate(spec.cards):
        x, y, bw, bh = card.box
        margin_l, margin_r = x, w - x - bw
        for k, size in enumerate(card.sizes):
            styles.append(
                f"Style: C{n}_{k},{card.font_family},{size},&H00FFFFFF,&H00FFFFFF,&H00000000,"
                f"&H80000000,-1,0,0,0,100,100,0,0,3,{max(2, size // 8)},0,5,{margin_l},"
                f"{margin_r},0,1"
            )
        # the lines stacked about the box's centre: each at its own height
        total = sum(round(s * 1.3) for s in card.sizes)
        cy = y + bh // 2 - total // 2
        start, end = _time(card.start), _time(card.start + card.duration)
        for k, (line, size) in enumerate(zip(card.lines, card.sizes, strict=True)):
            mid = cy + round(size * 1.3) // 2
            text = line.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
            pos = f"{{\\an5\\pos({w // 2},{mid})}}"
            events.append(f"Dialogue: 0,{start},{end},C{n}_{k},,0,0,0,,{pos}{text}")
            cy += round(size * 1.3)
    head = [
        "[Script Info]", "ScriptType: v4.00+", f"PlayResX: {w}", f"PlayResY: {h}",
        "WrapStyle: 2", "ScaledBorderAndShadow: yes", "", "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
    ]  # fmt: skip
    tail = ["", "[Events]", "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
            "Effect, Text"]  # fmt: skip
    return "\n".join([*head, *styles, *tail, *events, ""])


def _time(seconds: float) -> str:
    cs = max(0, round(seconds * 100))
    hours, rest = divmod(cs, 360000)
    minutes, rest = divmod(rest, 6000)
    secs, centis = divmod(rest, 100)
    return f"{hours}:{minutes:02d}:{secs:02d}.{centis:02d}"
