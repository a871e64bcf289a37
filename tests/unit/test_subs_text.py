"""Subtitle decoding, language tags, repair, retiming and line breaking (no ffmpeg)."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from fixtures import script
from vidpack.errors import UsageError
from vidpack.subtitles.decode import decode_text
from vidpack.subtitles.inputs import language_from_name, parse_subs_arg, parse_subs_args
from vidpack.subtitles.languages import language
from vidpack.subtitles.layout import line_limit, wrap
from vidpack.subtitles.model import Cue
from vidpack.subtitles.repair import repair
from vidpack.subtitles.retime import retime

HANT = ["你昨晚去哪裡了？我說過，這個不是真的。", "他們都來了嗎？還沒有，我們再等一會兒。"]


def _srt(lines: list[str]) -> str:
    return "".join(
        f"{i + 1}\n00:00:{i:02d},000 --> 00:00:{i:02d},900\n{line}\n\n"
        for i, line in enumerate(lines)
    )


def _lines(tag: str) -> list[str]:
    if tag == "zh-Hant":
        return HANT
    return [script.text(i, tag) for i in range(len(script.LINES))]


@pytest.mark.parametrize(
    ("tag", "codec"),
    [
        ("zh-Hans", "gb18030"),
        ("zh-Hans", "gbk"),
        ("zh-Hant", "big5"),
        ("ja", "shift_jis"),
        ("ja", "euc_jp"),
        ("ko", "euc-kr"),
        ("ar", "cp1256"),
        ("th", "tis-620"),
        ("en", "utf-8"),
        ("ar", "utf-8-sig"),
        ("ko", "utf-16"),
        ("th", "utf-16-le"),
    ],
)
def test_every_vendor_encoding_is_detected(tag: str, codec: str) -> None:
    text = _srt(_lines(tag))
    decoded, used = decode_text(text.encode(codec), name="m.srt", language_tag=tag)
    assert decoded == text
    assert used  # the codec named is one that reads these bytes back exactly
    assert text.encode(codec).decode(used).lstrip("\ufeff") == text


def test_given_encoding_wins_and_a_wrong_one_names_the_option() -> None:
    data = _srt(_lines("ko")).encode("euc-kr")
    assert decode_text(data, name="a.srt", encoding="euc-kr")[0] == _srt(_lines("ko"))
    with pytest.raises(UsageError, match=r"'a\.srt'.*--subs-encoding"):
        decode_text(data, name="a.srt", encoding="utf-8")
    with pytest.raises(UsageError, match=r"--subs-encoding 'klingon'"):
        decode_text(data, name="a.srt", encoding="klingon")


def test_undecodable_bytes_name_the_file_and_option() -> None:
    noise = bytes(random.Random(5).randrange(256) for _ in range(3000))
    with pytest.raises(UsageError, match=r"'bin\.srt'.*--subs-encoding"):
        decode_text(noise, name="bin.srt", language_tag="th")


def test_languages_and_names(tmp_path: Path) -> None:
    assert language_from_name(Path("master.zh-Hans.gb18030.srt")) == "zh-Hans"
    assert language_from_name(Path("master.en.srt")) == "en"
    assert language_from_name(Path("master.srt")) is None
    zh, tw, ar = language("zh-Hans"), language("zh-TW"), language("ar")
    assert (zh.iso639_2, zh.script, zh.locale) == ("chi", "cjk-sc", "zh_CN")
    assert (tw.script, tw.locale) == ("cjk-tc", "zh_TW")
    assert (ar.iso639_2, ar.rtl, ar.locale) == ("ara", True, "ar_AR")
    f = tmp_path / "korean subs=final.srt"
    f.write_text(_srt(["안녕"]), encoding="utf-8")
    item = parse_subs_arg(f"ko={f}")
    assert (item.path, item.language.iso639_2) == (f, "kor")
    with pytest.raises(UsageError) as err:
        parse_subs_args([str(f), str(tmp_path / "missing.en.srt")])
    assert "no language in the file name" in str(err.value)
    assert "missing.en.srt" in str(err.value) and "no such file" in str(err.value)


MALFORMED = """1
00:00:01,000 --> 00:00:02,500
First line
2
0:0:3.5 -> 00:00:05,000
<font color="red">Second</font> line
{\\an8}moved

3
00:00:04,000 --> 00:00:06,000
Overlaps the second

4
00:00:07,000 --> 00:00:08,000


5
00:00:09,000 --> garbage
Lost

6
00:00:58,000 --> 00:01:10,000
Runs past the end

7
00:01:30,000 --> 00:01:31,000
After the end
"""


def test_malformed_srt_is_repaired_with_line_numbers() -> None:
    result = repair(MALFORMED, "srt", name="bad.en.srt", master_ms=60_000)
    got = [(c.start, c.end, c.text, c.line) for c in result.cues]
    assert got == [
        (1000, 2500, "First line", 2),
        (3500, 4000, "Second line\nmoved", 5),
        (4000, 6000, "Overlaps the second", 10),
        (58000, 60000, "Runs past the end", 22),
    ]
    joined = "\n".join(result.warnings)
    for expected in (
        "line 5: timing '0:0:3.5 -> 00:00:05,000' read as '00:00:03,500 --> 00:00:05,000'",
        "line 5: no blank line before this cue",
        "line 5: markup removed",
        "lines 5 and 10: cues overlap by 1000 ms",
        "line 14: empty cue dropped",
        "line 18: unreadable timing '00:00:09,000 --> garbage': cue dropped",
        "line 22: cue runs past the master's end: clipped at 00:01:00,000",
        "line 26: cue starts at 00:01:30,000, after the master ends",
    ):
        assert expected in joined
    assert all(w.startswith("bad.en.srt: ") for w in result.warnings)


def test_strict_refuses_and_lists_every_problem() -> None:
    with pytest.raises(UsageError) as err:
        repair(MALFORMED, "srt", name="bad.en.srt", master_ms=60_000, strict=True)
    message = str(err.value)
    assert message.startswith("--strict: subtitles 'bad.en.srt' need repairs")
    assert "line 14: empty cue dropped" in message and "line 26" in message
    clean = repair(_srt(["a", "b"]), "srt", name="ok.srt", master_ms=10_000, strict=True)
    assert len(clean.cues) == 2 and clean.warnings == ()


def test_ass_and_vtt_cues_keep_their_lines() -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n\n00:00:03.000 --> 00:00:03.000\nX\n"
    result = repair(vtt, "vtt", name="a.vtt", master_ms=10_000)
    assert [(c.start, c.end, c.text, c.line) for c in result.cues] == [(1000, 2000, "Hello", 3)]
    assert "line 6: cue ends (00:00:03,000) before it starts" in result.warnings[0]


def test_retiming_to_the_millisecond() -> None:
    rng = random.Random(7)
    cues, t = [], 0
    for i in range(200):
        t += rng.randrange(50, 3000)
        length = rng.randrange(100, 4000)
        cues.append(Cue(t, t + length, f"c{i}"))
        t += length
    start, end = 61.2346, 143.0104
    s, e = round(start * 1000), round(end * 1000)
    got = retime(cues, start, end, min_fragment_ms=300)
    expected = []
    for c in cues:
        a, b = max(c.start, s), min(c.end, e)
        if b <= a or ((a, b) != (c.start, c.end) and b - a < 300):
            continue
        expected.append((a - s, b - s, c.text))
    assert [(c.start, c.end, c.text) for c in got] == expected
    assert all(0 <= c.start < c.end <= e - s for c in got)
    # A cue straddling the start: shifted and clipped; 299 ms fragments go, short whole cues stay.
    edge = [Cue(9000, 10_299, "a"), Cue(9000, 10_300, "b"), Cue(10_500, 10_600, "c")]
    assert [(c.start, c.end, c.text) for c in retime(edge, 10.0, 20.0)] == [
        (0, 300, "b"),
        (500, 600, "c"),
    ]


def test_line_limits_and_latin_wrapping() -> None:
    assert line_limit("en", width=1080, font_size_px=67.2, margins_px=300) == 23
    assert line_limit("zh", width=1080, font_size_px=67.2, margins_px=300) == 11
    assert line_limit("ja", width=1080, font_size_px=30, margins_px=300) == 13  # capped
    assert 20 <= line_limit("en") <= 28
    text = "Where were you last night? I waited for you until the morning came."
    out = wrap(text, "en", 23, 2).split("\n")
    assert len(out) == 2 and " ".join(out) == text
    assert abs(len(out[0]) - len(out[1])) < 12
    assert wrap("Short one", "en", 23) == "Short one"


def test_chinese_breaks_at_punctuation_and_never_before_closing_marks() -> None:
    text = "我等你很久了，你昨晚到底去哪儿了？"
    out = wrap(text, "zh", 11, 2).split("\n")
    assert len(out) == 2 and "".join(out) == text
    assert out[0].endswith("，") and all(len(line) <= 11 for line in out)
    for line in out[1:]:
        assert line[0] not in "，。？！、"


def test_thai_never_splits_a_cluster() -> None:
    text = "เมื่อคืนคุณอยู่ที่ไหนฉันรอคุณจนถึงเช้าแต่คุณไม่กลับมาเลย"
    out = wrap(text, "th", 20, 2).split("\n")
    assert len(out) == 2 and "".join(out) == text
    head = out[1][0]
    assert unicodedata.category(head) != "Mn" and ord(head) not in (0x0E30, 0x0E32, 0x0E33)
    assert not 0x0E40 <= ord(out[0][-1]) <= 0x0E44


def test_burn_style_scales_and_mirrors_for_rtl() -> None:
    import pysubs2

    from vidpack.presets import load_preset
    from vidpack.subtitles.style import ass_text, resolve_style

    preset = load_preset("tiktok")
    st = preset.subtitles.style
    en = resolve_style(preset, language("en"), 540, 960)
    ar = resolve_style(preset, language("ar"), 540, 960)
    assert (en.margin_l, en.margin_r) == (round(st.margin_l / 2), round(st.margin_r / 2))
    assert (ar.margin_l, ar.margin_r) == (en.margin_r, en.margin_l)
    assert ar.font == st.fonts.arabic and en.size_px == round(st.size * 960)
    assert en.margin_v >= round(preset.safe_zone.bottom / 2)
    doc = pysubs2.SSAFile.from_string(
        ass_text([Cue(0, 1000, script.text(0, "ar"))], language("ar"), ar)
    )
    assert (doc.info["PlayResX"], doc.info["PlayResY"]) == ("540", "960")
    style = doc.styles["Default"]
    assert (style.alignment, style.marginl, style.fontname) == (2, ar.margin_l, st.fonts.arabic)
    assert doc[0].plaintext.replace("\n", " ") == script.text(
        0, "ar"
    )  # logical order: libass does the bidi


def test_a_last_line_of_digits_is_text_not_a_cue_number() -> None:
    """Found by the property test: pysubs2 took a cue's last line of digits for the next cue's
    number, so the last cue of a file (and a cue before an unnumbered one) lost it."""
    srt = "1\n00:00:01,000 --> 00:00:02,000\nRoom\n101\n\n00:00:03,000 --> 00:00:04,000\n0\n0\n"
    result = repair(srt, "srt", name="a.srt", master_ms=10_000)
    assert [(c.start, c.end, c.text, c.line) for c in result.cues] == [
        (1000, 2000, "Room\n101", 2),
        (3000, 4000, "0\n0", 6),
    ]
    assert result.warnings == ()


def test_webvtt_identifiers_and_digit_lines_stay_where_they_belong() -> None:
    """Found by the property test: pysubs2's WebVTT reader is its SRT one, so a text cue
    identifier joined the cue before it and a last line of digits was taken for a number."""
    vtt = (
        "WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000\nRoom\n101\n\n"
        "second\n00:00:03.000 --> 00:00:04.000 align:start\nOpen\n"
    )
    result = repair(vtt, "vtt", name="a.vtt")
    assert [(c.start, c.end, c.text, c.line) for c in result.cues] == [
        (1000, 2000, "Room\n101", 4),
        (3000, 4000, "Open", 9),
    ]
    assert result.warnings == ()


def test_a_cue_inside_another_is_shown_with_it_and_the_first_resumes() -> None:
    """Found by the property test: the outer cue was cut where the inner one started, so
    nothing showed between the inner cue's end and the outer cue's."""
    srt = "1\n00:00:01,000 --> 00:00:05,000\nOuter\n\n2\n00:00:02,000 --> 00:00:03,000\nInner\n"
    result = repair(srt, "srt", name="a.srt")
    assert [(c.start, c.end, c.text) for c in result.cues] == [
        (1000, 2000, "Outer"),
        (2000, 3000, "Outer\nInner"),
        (3000, 5000, "Outer"),
    ]
    assert result.warnings == (
        "a.srt: lines 2 and 6: the second cue lies inside the first: shown together from "
        "00:00:02,000 to 00:00:03,000",
    )


def test_cues_past_the_master_are_one_warning_not_one_each() -> None:
    srt = "".join(
        f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},500\nLine {n}\n\n" for n in range(1, 41)
    )
    result = repair(srt, "srt", name="long.en.srt", master_ms=10_000)
    assert len(result.cues) == 9  # cues 1-9 start inside the master's 10 s
    assert result.warnings == (
        "long.en.srt: lines 38, 42, 46, ...: 31 cues start at 00:00:10,000 or later, after the "
        "master ends (00:00:10,000): dropped (is the file for a longer master?)",
    )
