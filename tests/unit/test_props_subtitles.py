"""Property tests (hypothesis) of the subtitle core: parsing, repair and retiming, no ffmpeg.

Each property holds for every input hypothesis draws: written cues read back as written (SRT,
WebVTT, ASS), loose SRT timings read as the time they spell, repair's output is ordered,
disjoint, non-empty and inside the master (and repairing it again changes nothing), arbitrary
text is either cues or one clean usage error, and retimed cues stay inside their episode, in
order, each a piece of one cue of the master.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from vidpack.errors import UsageError
from vidpack.subtitles.model import Cue
from vidpack.subtitles.repair import check_cues, normalize_srt, repair
from vidpack.subtitles.retime import MIN_FRAGMENT_MS, retime, to_ms
from vidpack.subtitles.sidecar import subtitle_text

FAST = settings(max_examples=60, deadline=None)

# Text that survives every format as plain text: letters of several scripts, digits, spaces and
# punctuation; none of the characters markup or timing lines are made of ({}\<>-).
_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,!?'\"") + list("你好世界안녕مرحباสวัสดี")
)
_LINE = st.text(_ALPHABET, min_size=1, max_size=20).map(str.strip).filter(bool)
_TEXT = st.lists(_LINE, min_size=1, max_size=2).map("\n".join)


@st.composite
def clean_cues(draw: st.DrawFn, step: int = 1) -> list[Cue]:
    """Ordered, disjoint, non-empty cues on a grid of ``step`` ms (ASS keeps centiseconds)."""
    count = draw(st.integers(1, 8))
    t = draw(st.integers(0, 5000)) * step
    cues = []
    for _ in range(count):
        length = draw(st.integers(1, 4000)) * step
        cues.append(Cue(t, t + length, draw(_TEXT)))
        t += length + draw(st.integers(0, 3000)) * step
    return cues


def _timing(cues: list[Cue]) -> list[tuple[int, int, str]]:
    return [(c.start, c.end, c.text) for c in cues]


@FAST
@given(st.data(), st.sampled_from(["srt", "vtt", "ass"]))
def test_written_cues_read_back_unchanged(data: st.DataObject, fmt: str) -> None:
    cues = data.draw(clean_cues(step=10 if fmt == "ass" else 1))
    got = repair(subtitle_text(cues, fmt), fmt, name="x")
    assert got.warnings == ()
    assert _timing(list(got.cues)) == _timing(cues)


def _loose(ms: int, draw: st.DrawFn) -> str:
    """``ms`` spelled the way careless SRT files do: hours left out, one-digit fields, ``.``
    or ``:`` before the fraction, fewer fraction digits when they are zeros."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, frac = divmod(rest, 1000)
    wide = draw(st.booleans())
    head = f"{h:02d}:" if h or draw(st.booleans()) else ""
    clock = f"{head}{m:02d}:{s:02d}" if wide else f"{head}{m}:{s}"
    digits = f"{frac:03d}"
    if frac == 0 and draw(st.booleans()):
        return clock
    if draw(st.booleans()):
        digits = digits.rstrip("0") or "0"
    # ``:`` before the fraction only with the hours there: ``0:0:001`` would spell h:m:s.
    marks = [",", ".", ":"] if head else [",", "."]
    return clock + draw(st.sampled_from(marks)) + digits


@FAST
@given(st.data())
def test_loose_srt_timings_read_as_the_time_they_spell(data: st.DataObject) -> None:
    cues = data.draw(clean_cues())
    cues = [c for c in cues if c.end < 100 * 3_600_000]  # two hour digits at most
    blocks = []
    for k, cue in enumerate(cues, start=1):
        arrow = data.draw(st.sampled_from(["-->", "->", " --> ", "-->>"]))
        start, end = _loose(cue.start, data.draw), _loose(cue.end, data.draw)
        blocks.append(f"{k}\n{start}{arrow}{end}\n{cue.text}\n")
    text = "\n".join(blocks)
    normalized, lines, _ = normalize_srt(text)
    assert lines == [i for i, ln in enumerate(text.split("\n"), start=1) if ">" in ln]
    got = repair(normalized, "srt", name="x")
    assert _timing(list(got.cues)) == _timing(cues)


_RAW_CUE = st.builds(
    Cue,
    start=st.integers(0, 60_000),
    end=st.integers(-100, 61_000),
    text=st.sampled_from(["", " ", "a", "b", "hello\nworld", "\n"]),
    line=st.integers(0, 99),
)


def _assert_clean(cues: list[Cue], master_ms: int | None) -> None:
    for cue in cues:
        assert cue.text.strip() and cue.start < cue.end
        assert master_ms is None or cue.end <= master_ms
    for a, b in itertools.pairwise(cues):
        assert a.end <= b.start


@FAST
@given(st.lists(_RAW_CUE, max_size=12), st.none() | st.integers(1, 70_000))
def test_checked_cues_are_ordered_disjoint_non_empty_and_inside_the_master(
    raw: list[Cue], master_ms: int | None
) -> None:
    cues, warnings = check_cues(raw, master_ms)
    _assert_clean(cues, master_ms)
    assert check_cues(cues, master_ms) == (cues, [])  # repairing a repaired track: no-op
    assert all("\n" not in w for w in warnings)
    # Nothing readable is lost: every instant a valid cue showed inside the master still
    # shows some text (trims and merges move ends, they do not open holes).
    for cue in raw:
        end = min(cue.end, master_ms) if master_ms is not None else cue.end
        if cue.text.strip() and cue.start < end:
            for t in (cue.start, end - 1):
                assert any(c.start <= t < c.end for c in cues), (cue, t)


# SRT-shaped noise: numbers, timing lines (some malformed), text and blank lines.
_SRT_LINE = st.one_of(
    st.integers(0, 30).map(str),
    st.builds(
        "{}:{}:{},{} {} {}:{}:{}.{}".format,
        *[st.integers(0, 99)] * 4,
        st.sampled_from(["-->", "->", "--", "==>", ""]),
        *[st.integers(0, 99)] * 4,
    ),
    st.text(max_size=15),
    st.just(""),
)


@FAST
@given(
    st.one_of(
        st.lists(_SRT_LINE, max_size=20).map("\n".join).map(lambda t: ("srt", t)),
        st.tuples(st.sampled_from(["srt", "vtt", "ass", "ssa"]), st.text(max_size=200)),
    ),
    st.booleans(),
)
def test_any_text_is_cues_or_one_clean_usage_error(fmt_text: tuple[str, str], strict: bool) -> None:
    fmt, text = fmt_text
    try:
        got = repair(text, fmt, name="f.srt", master_ms=30_000, strict=strict)
    except UsageError as err:
        message = str(err)
        assert message and "\n" not in message and "Traceback" not in message
        return
    assert got.cues
    _assert_clean(list(got.cues), 30_000)


@FAST
@given(
    st.data(),
    st.floats(0, 40, allow_nan=False),
    st.floats(0.05, 40, allow_nan=False),
    st.integers(0, 1000),
)
def test_retimed_cues_stay_inside_their_episode_in_order(
    data: st.DataObject, start: float, length: float, min_fragment: int
) -> None:
    cues = data.draw(clean_cues())
    end = start + length
    got = retime(cues, start, end, min_fragment_ms=min_fragment)
    span = to_ms(end) - to_ms(start)
    _assert_clean(got, span)
    for cue in got:
        assert cue.start >= 0
        source = [c for c in cues if c.text == cue.text and c.start <= cue.start + to_ms(start)]
        assert source, cue
        whole = any(
            (c.start - to_ms(start), c.end - to_ms(start)) == (cue.start, cue.end) for c in source
        )
        assert whole or cue.duration >= min_fragment
    # A cue lying wholly inside the episode is kept whole, whatever its length.
    inside = [c for c in cues if to_ms(start) <= c.start and c.end <= to_ms(end)]
    assert len(got) >= len(inside)


@FAST
@given(st.data(), st.lists(st.integers(1, 30_000), min_size=1, max_size=5))
def test_cutting_a_master_into_episodes_keeps_every_cue_that_fits_once(
    data: st.DataObject, lengths: list[int]
) -> None:
    """Retiming over contiguous episodes: a cue inside one episode appears exactly once, whole;
    a cue across a boundary only as pieces of at least the minimum fragment, within it."""
    cues = data.draw(clean_cues())
    edges = [0]
    for n in lengths:
        edges.append(edges[-1] + n)
    whole: list[tuple[int, int, str]] = []
    for a, b in itertools.pairwise(edges):
        for cue in retime(cues, a / 1000, b / 1000):
            assert 0 <= cue.start < cue.end <= b - a
            spot = (cue.start + a, cue.end + a, cue.text)
            if spot in _timing(cues):
                whole.append(spot)
            else:  # a piece: inside one cue of the master, long enough to read
                assert cue.duration >= MIN_FRAGMENT_MS
                assert any(c.start <= spot[0] < spot[1] <= c.end for c in cues), spot
    fits = [
        (c.start, c.end, c.text)
        for c in cues
        if c.end <= edges[-1] and not any(c.start < e < c.end for e in edges)
    ]
    assert sorted(whole) == sorted(fits)
