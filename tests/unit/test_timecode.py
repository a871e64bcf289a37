"""Timecodes HH:MM:SS:FF of master frames (vidpack.media.timecode): non-drop frame at the
nominal rate, so every frame has its own timecode and reads back to its frame number."""

from __future__ import annotations

import pytest

from vidpack.media.timecode import frame_at, frame_timecode, nominal_rate, rate_label, timecode

NTSC = 30000 / 1001
FILM = 24000 / 1001


def _frames(text: str, nominal: int) -> int:
    """The frame number a timecode names (the inverse, written out for the test)."""
    hh, mm, ss, ff = (int(part) for part in text.split(":"))
    assert 0 <= mm < 60 and 0 <= ss < 60 and 0 <= ff < nominal, text
    return ((hh * 60 + mm) * 60 + ss) * nominal + ff


@pytest.mark.parametrize(("fps", "nominal"), [(25.0, 25), (NTSC, 30), (FILM, 24), (50.0, 50)])
def test_every_frame_reads_back_from_its_timecode(fps: float, nominal: int) -> None:
    assert nominal_rate(fps) == nominal
    # every frame of the first 2 minutes and a stretch past 10 hours, from its float time
    for n in [*range(0, 120 * nominal), *range(36000 * nominal - 50, 36000 * nominal + 50)]:
        text = timecode(n / fps, fps)
        assert len(text) == 11
        assert _frames(text, nominal) == n


def test_ntsc_timecode_counts_frames_not_clock_seconds() -> None:
    # 00:01:00:00 is frame 1800, shown at 60.06 s; the frame at 60.00 s is 00:00:59:28
    assert timecode(1800 / NTSC, NTSC) == "00:01:00:00"
    assert pytest.approx(60.06) == 1800 / NTSC
    assert timecode(60.0, NTSC) == frame_timecode(round(60.0 * NTSC), 30) == "00:00:59:28"
    # an hour of frames is 01:00:00:00 (3603.6 s of clock)
    assert timecode(108000 / NTSC, NTSC) == "01:00:00:00"


def test_pal_timecode_is_clock_time_and_frames() -> None:
    assert timecode(3661 + 1 / 25, 25.0) == "01:01:01:01"
    assert timecode(59.96, 25.0) == "00:00:59:24"
    assert timecode(60.0, 25.0) == "00:01:00:00"


def test_a_time_between_frames_names_the_nearest_frame_start() -> None:
    assert frame_at(2.0 + 0.4 / 25, 25.0) == 50
    assert frame_at(2.0 + 0.6 / 25, 25.0) == 51
    assert frame_at(-1.0, 25.0) == 0
    assert timecode(-3.0, 25.0) == "00:00:00:00"


def test_an_unknown_rate_counts_at_25() -> None:
    assert nominal_rate(0.0) == 25
    assert timecode(2.0, 0.0) == timecode(2.0, 25.0) == "00:00:02:00"


def test_rate_labels_read_as_people_write_them() -> None:
    assert [rate_label(r) for r in (25.0, NTSC, FILM, 59.94, 0.0)] == [
        "25",
        "29.97",
        "23.976",
        "59.94",
        "?",
    ]
