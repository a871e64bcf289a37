"""Labels on pictures (vidpack.subtitles.overlay) without ffmpeg: script runs, the ASS script
that places them, and widths measured from the fonts (rendered in
tests/integration/test_picture_text.py)."""

from __future__ import annotations

import re

import pytest

from vidpack.subtitles.overlay import Label, default_fonts, fit_text, labels_ass, runs, text_width

FONTS = default_fonts()


def test_runs_split_text_by_script_keeping_neutral_characters_with_the_run_before() -> None:
    assert runs("红线 · الخيط الأحمر · ด้ายแดง 2") == [
        ("cjk-sc", "红线 · "),
        ("arabic", "الخيط الأحمر · "),
        ("thai", "ด้ายแดง 2"),
    ]
    assert runs("赤い糸 EP 2") == [("ja", "赤い糸 "), ("latin", "EP 2")]  # kana: Japanese kanji
    assert runs("00:01:02:03") == [("latin", "00:01:02:03")]
    assert runs("12 第2集：你好") == [("cjk-sc", "12 第2集：你好")]  # leading digits join
    assert "".join(r for _, r in runs("a\nb 한국어")) == "a b 한국어"


def test_each_run_is_drawn_in_its_scripts_font_at_its_place_and_colour() -> None:
    labels = [
        Label("Red 红线", 12, 34, 20, (10, 20, 200), "top-right", bold=True),
        Label("x{\\N}y", 5, 6, 16),
    ]
    script = labels_ass(labels, 640, 360, FONTS)
    assert "PlayResX: 640\nPlayResY: 360\n" in script
    events = [line for line in script.splitlines() if line.startswith("Dialogue:")]
    assert len(events) == 2
    first = events[0].split(",,", 2)[-1].split(",,")[-1]
    assert first.startswith("{\\an9\\pos(12,34)\\c&H0A14C8&\\b1}")  # BGR (10,20,200) as &HBBGGRR
    fonts = re.findall(r"\\fn([^\\}]+)\\fs([\d.]+)\}([^{]*)", first)
    assert [(f, t) for f, _, t in fonts] == [(FONTS.latin, "Red "), (FONTS.cjk_sc, "红线")]
    assert float(fonts[0][1]) == 20.0 and float(fonts[1][1]) > 20.0  # CJK sized up to match
    # braces and backslashes are text, not override tags or line breaks
    assert events[1].endswith("}x\\{\\\u2060N\\}y")


def test_an_unknown_anchor_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValueError, match="anchor 'middle': use one of top-left, top-centre"):
        labels_ass([Label("x", 0, 0, 10, anchor="middle")], 10, 10, FONTS)


def test_widths_grow_with_text_and_size_and_long_text_is_cut_to_fit() -> None:
    short, long = text_width("00:00:01:00", 16, FONTS), text_width("00:00:01:00 sample", 16, FONTS)
    assert 0 < short < long
    assert text_width("00:00:01:00", 32, FONTS) == pytest.approx(2 * short)
    assert text_width("红线红线", 16, FONTS) > text_width("ab", 16, FONTS)
    name = "A very long master file name that will not fit.mp4"
    cut = fit_text(name, 16, 120, FONTS)
    assert cut.endswith("…") and name.startswith(cut[:-1])
    assert text_width(cut, 16, FONTS) <= 120 < text_width(name, 16, FONTS)
    assert fit_text("short", 16, 120, FONTS) == "short"
