"""Line breaking at phrase boundaries (vidpack/subtitles/layout.py), exact lines per language."""

from __future__ import annotations

import pytest

from vidpack.subtitles.layout import wrap


@pytest.mark.parametrize(
    ("text", "lang", "limit", "lines"),
    [
        # A sentence end near the balance point wins over "Don't lie to me. Your / sister".
        (
            "Don't lie to me. Your sister is at the hotel",
            "en",
            30,
            ["Don't lie to me.", "Your sister is at the hotel"],
        ),
        (
            "Don't lie to me. Your sister saw you at the hotel.",
            "en",
            42,
            ["Don't lie to me.", "Your sister saw you at the hotel."],
        ),
        # Far from the balance point a sentence end does not win ...
        (
            "Yes. I waited for you at the station until the very last train left.",
            "en",
            42,
            ["Yes. I waited for you at the station", "until the very last train left."],
        ),
        # ... nor one whose lines do not fit when a balanced break fits.
        (
            "I was there. Then I saw the man in the red coat leave",
            "en",
            30,
            ["I was there. Then I saw", "the man in the red coat leave"],
        ),
        # Never right after the first word of a new sentence, even at the balance point.
        ("Don't lie. Your sister is here", "en", 18, ["Don't lie.", "Your sister is here"]),
        ("别骗我。你妹妹在酒店", "zh", 9, ["别骗我。", "你妹妹在酒店"]),
        ("别骗我。你妹妹在酒店看见你了。", "zh", 11, ["别骗我。", "你妹妹在酒店看见你了。"]),
        (
            "嘘をつかないで。妹さんがホテルであなたを見たのよ。",
            "ja",
            18,
            ["嘘をつかないで。", "妹さんがホテルであなたを見たのよ。"],
        ),
        # Thai: the space (a phrase end) first, else newmm's word boundaries.
        (
            "อย่าโกหกฉัน น้องสาวคุณเห็นคุณที่โรงแรม",
            "th",
            25,
            ["อย่าโกหกฉัน", "น้องสาวคุณเห็นคุณที่โรงแรม"],
        ),
        (
            "เมื่อคืนคุณอยู่ที่ไหนฉันรอคุณจนถึงเช้าแต่คุณไม่กลับมาเลย",
            "th",
            20,
            ["เมื่อคืนคุณอยู่ที่ไหนฉันรอคุณ", "จนถึงเช้าแต่คุณไม่กลับมาเลย"],
        ),
        ("لا تكذب علي. أختك رأتك في الفندق.", "ar", 20, ["لا تكذب علي.", "أختك رأتك في الفندق."]),
        ("Short one", "en", 23, ["Short one"]),
    ],
)
def test_lines_break_at_phrase_boundaries(
    text: str, lang: str, limit: int, lines: list[str]
) -> None:
    assert wrap(text, lang, limit, 2).split("\n") == lines


def test_thai_breaks_only_between_words() -> None:
    from pythainlp.tokenize import word_tokenize

    text = "เมื่อคืนคุณอยู่ที่ไหนฉันรอคุณจนถึงเช้าแต่คุณไม่กลับมาเลย"
    ends, pos = set(), 0
    for word in word_tokenize(text, engine="newmm"):
        pos += len(word)
        ends.add(pos)
    for limit in (8, 12, 16, 20, 24):
        head = wrap(text, "th", limit, 2).split("\n")[0]
        assert len(head) in ends, (limit, head)
