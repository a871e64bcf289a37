"""Scene outputs: JSON shape, CSV rows and a CMX 3600 EDL that OpenTimelineIO reads back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import opentimelineio as otio
import pytest

from vidpack.analyze.model import Analysis, Interval, Transition
from vidpack.analyze.report import edl_text, scenes_csv, scenes_json, shot_frames, write_edl


@pytest.fixture()
def analysis(tmp_path: Path) -> Analysis:
    return Analysis(
        master=str(tmp_path / "My Show.mp4"),
        duration=20.0,
        fps=25.0,
        frame_count=500,
        transitions=(
            Transition(4.0, 100, "cut", 0.95),
            Transition(9.52, 238, "dissolve", 0.8),
            Transition(15.0, 375, "fade", 0.9),
        ),
        speech=(Interval(1.0, 3.5), Interval(5.25, 8.0)),
    )


def test_json_has_the_cuts_and_the_speech(analysis: Analysis) -> None:
    data = scenes_json(analysis)
    assert set(data) == {"master", "duration", "fps", "cuts", "speech"}
    assert data["cuts"][1] == {"time": 9.52, "frame": 238, "kind": "dissolve", "score": 0.8}
    assert data["speech"] == [{"start": 1.0, "end": 3.5}, {"start": 5.25, "end": 8.0}]


def test_csv_rows(analysis: Analysis) -> None:
    rows = list(csv.reader(io.StringIO(scenes_csv(analysis))))
    assert rows[0] == ["time", "frame", "kind", "score"]
    assert rows[1:] == [
        ["4.000000", "100", "cut", "0.950"],
        ["9.520000", "238", "dissolve", "0.800"],
        ["15.000000", "375", "fade", "0.900"],
    ]


def test_shots_cover_the_master(analysis: Analysis) -> None:
    assert shot_frames(analysis) == [
        (0, 100, "start"),
        (100, 238, "cut"),
        (238, 375, "dissolve"),
        (375, 500, "fade"),
    ]


def test_edl_reads_back_with_the_shot_boundaries(analysis: Analysis, tmp_path: Path) -> None:
    path = tmp_path / "shots.edl"
    write_edl(analysis, path)
    assert path.read_bytes() == edl_text(analysis).encode("utf-8")
    timeline = otio.adapters.read_from_file(str(path), adapter_name="cmx_3600", rate=25)
    video = timeline.video_tracks()[0]
    clips = list(video.find_clips())
    assert len(clips) == 4
    starts = [c.source_range.start_time.to_frames() for c in clips]
    durations = [c.source_range.duration.to_frames() for c in clips]
    assert starts == [0, 100, 238, 375]
    assert durations == [100, 138, 137, 125]
    record = [video.range_of_child_at_index(i).start_time.to_frames() for i in range(4)]
    assert record == starts  # back to back on the record side
    assert "dissolve" in str(clips[2].metadata)
