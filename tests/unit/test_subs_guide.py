"""Style-guide checks (vidpack/subtitles/guide.py) on a file of known violations: every one
found, none invented; the fixes leave only what cannot be fixed mechanically."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.guide import CUES, CUTS_S, FPS, TRUTH, write_guide_violations
from vidpack.subtitles.guide import check, fix, line_length
from vidpack.subtitles.inputs import parse_subs_arg
from vidpack.subtitles.model import Track
from vidpack.subtitles.run import load_track

CUTS_MS = [t * 1000 for t in CUTS_S]


@pytest.fixture(scope="module")
def tracks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Track]:
    files = write_guide_violations(tmp_path_factory.mktemp("guide"))
    return {
        lang: load_track(parse_subs_arg(str(path)), master_duration=40.0)
        for lang, path in files.items()
    }


def test_the_fixture_reads_back_without_repairs(tracks: dict[str, Track]) -> None:
    for lang, track in tracks.items():
        assert track.warnings == ()
        assert [(c.start, c.end, c.text) for c in track.cues] == list(CUES[lang])


def test_every_known_violation_is_found_and_none_invented(tracks: dict[str, Track]) -> None:
    found = set()
    for lang, track in tracks.items():
        for v in check(
            track.cues, track.language.primary, name=track.path.name, fps=FPS, cuts_ms=CUTS_MS
        ):
            found.add((lang, v.cue, v.kind))
            assert v.message.startswith(f"{track.path.name} cue {v.cue} (")
    assert found == set(TRUTH)


def test_messages_name_the_cue_value_and_limit(tracks: dict[str, Track]) -> None:
    en = tracks["en"]
    messages = [
        v.message for v in check(en.cues, "en", name="sub.en.srt", fps=FPS, cuts_ms=CUTS_MS)
    ]
    assert messages == [
        "sub.en.srt cue 2 (00:00:03.500): on screen 0.500 s, the guide's minimum is 5/6 s "
        "(0.833 s)",
        "sub.en.srt cue 3 (00:00:05.000): a line of 51 characters, the guide's limit for en is 42",
        "sub.en.srt cue 4 (00:00:08.040): 40 ms after cue 3, the guide's minimum gap is 2 frames "
        "(80 ms at 25 fps)",
        "sub.en.srt cue 5 (00:00:09.960): starts 1 frame before the shot cut at 00:00:10.000: "
        "snap it onto the cut",
        "sub.en.srt cue 6 (00:00:13.000): 41 characters a second, the guide's limit for en is 20",
        "sub.en.srt cue 7 (00:00:16.000): 3 lines, the guide allows 2",
        "sub.en.srt cue 8 (00:00:19.100): ends 2 frames after the shot cut at 00:00:20.000: "
        "snap it onto the cut",
        "sub.en.srt cue 9 (00:00:21.000): on screen 8.000 s, the guide's maximum is 7 s",
    ]


def test_without_cuts_no_cut_is_reported(tracks: dict[str, Track]) -> None:
    kinds = {v.kind for v in check(tracks["en"].cues, "en", name="x", fps=FPS)}
    assert "shot_cut" not in kinds and "gap" in kinds


def test_limits_are_per_language(tracks: dict[str, Track]) -> None:
    # 10 characters a second is fine in English, over the limit in Chinese.
    zh = tracks["zh-Hans"].cues
    assert {v.kind for v in check(zh[2:3], "en", name="x", fps=FPS)} == set()
    assert {v.kind for v in check(zh[2:3], "zh", name="x", fps=FPS)} == {"reading_speed"}
    assert line_length("Hello 世界", "ja") == 5.0  # half-width counts half
    assert line_length("สวัสดี", "th") == 4.0  # combining marks take no room


def test_fix_leaves_only_what_cannot_be_fixed(tracks: dict[str, Track]) -> None:
    for lang, track in tracks.items():
        primary = track.language.primary
        result = fix(
            track.cues, primary, name=track.path.name, fps=FPS, cuts_ms=CUTS_MS, end_ms=40_000
        )
        left = {
            (lang, v.cue, v.kind)
            for v in check(result.cues, primary, name="x", fps=FPS, cuts_ms=CUTS_MS)
        }
        assert left == ({("en", 9, "max_duration")} if lang == "en" else set())
        assert len(result.cues) == len(track.cues)
        for before, after in zip(track.cues, result.cues, strict=True):
            joiner = "" if primary == "zh" else " "
            assert joiner.join(after.text.split("\n")) == joiner.join(before.text.split("\n"))
    en = fix(tracks["en"].cues, "en", name="s.srt", fps=FPS, cuts_ms=CUTS_MS).cues
    assert (en[4].start, en[7].end) == (10_000, 20_000)  # snapped onto the cuts
    assert en[1].end == 3500 + 834 and en[2].end == 8040 - 80
    assert en[2].text == "I told you, I was working\nlate at the office again."


def test_qc_warns_per_cue_of_a_sidecar(tmp_path: Path, tracks: dict[str, Track]) -> None:
    from vidpack.package.qc_subs import guide_warnings

    src = tracks["en"].path
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "ep1.en.srt").write_bytes(src.read_bytes())
    m = {
        "preset": {"video": {"fps": "source", "allowed_fps": [24, 25]}},
        "episodes": [
            {"subtitles": [{"language": "en", "mode": "sidecar", "file": "subs/ep1.en.srt"}]},
            {"subtitles": [{"language": "en", "mode": "burn"}]},
        ],
    }
    got = guide_warnings(tmp_path, m)
    expected = {(c, k) for lang, c, k in TRUTH if lang == "en" and k != "shot_cut"}
    assert len(got) == len(expected)
    assert all(w.startswith("Netflix Timed Text Style Guide: subs/ep1.en.srt cue ") for w in got)
    assert {int(w.split(" cue ")[1].split()[0]) for w in got} == {c for c, _ in expected}
