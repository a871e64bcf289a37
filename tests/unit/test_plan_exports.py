"""OTIO, CMX 3600 EDL and PNG exports of a plan, read back with OpenTimelineIO and OpenCV."""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_helpers import make_analysis, random_analysis

from vidpack.analyze.model import Analysis
from vidpack.plan.exports import edl_text, write_edl, write_otio
from vidpack.plan.model import EpisodePlan, MasterRef, PlanOptions
from vidpack.plan.optimize import plan_episodes
from vidpack.plan.png import HEIGHT, WIDTH, render_timeline, write_png


def _plan(tmp_path: Path, fps: float, seed: int = 3) -> tuple[EpisodePlan, Analysis]:
    analysis = random_analysis(seed, 600.0, fps=fps)
    master = MasterRef(path=str(tmp_path / "My Drama_s01.mp4"), duration=600.0, fps=fps)
    return plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0), master), analysis


def test_otio_timeline_reads_back_with_the_boundaries(tmp_path: Path) -> None:
    import opentimelineio as otio

    plan, _ = _plan(tmp_path, 25.0)
    path = tmp_path / "plan.otio"
    write_otio(plan, path)
    timeline = otio.adapters.read_from_file(str(path))
    assert timeline.global_start_time == otio.opentime.RationalTime(90000, 25)
    assert [t.kind for t in timeline.tracks] == ["Video", "Audio"]
    for track in timeline.tracks:
        clips = list(track.find_clips())
        assert len(clips) == len(plan.episodes)
        for clip, ep in zip(clips, plan.episodes, strict=True):
            assert clip.name == f"My Drama_s01 - episode {ep.index:02d}"
            assert clip.source_range.start_time.value == ep.start_frame
            assert clip.source_range.duration.value == ep.end_frame - ep.start_frame
            assert clip.range_in_parent().start_time.value == ep.start_frame
            assert clip.media_reference.target_url == Path(plan.master.path).as_uri()
            assert clip.metadata["vidpack"]["episode"] == ep.index
    markers = timeline.tracks.markers
    assert [m.name for m in markers] == [f"EP{e.index:02d}" for e in plan.episodes]
    assert [m.marked_range.start_time.value for m in markers] == [
        e.start_frame for e in plan.episodes
    ]
    # boundaries in seconds, within a frame of the plan's
    got = [m.marked_range.start_time.to_seconds() for m in markers[1:]]
    assert got == pytest.approx(list(plan.boundaries), abs=1 / 25)


@pytest.mark.parametrize("fps", [25.0, 30000 / 1001])
def test_edl_reads_back_with_the_boundaries(tmp_path: Path, fps: float) -> None:
    import opentimelineio as otio

    plan, _ = _plan(tmp_path, fps)
    path = tmp_path / "plan.edl"
    write_edl(plan, path)
    nominal = round(fps)
    text = path.read_bytes().decode()
    assert text.startswith("TITLE: My Drama_s01 episodes\r\nFCM: NON-DROP FRAME\r\n")
    timeline = otio.adapters.read_from_file(str(path), adapter_name="cmx_3600", rate=nominal)
    assert [t.name for t in timeline.tracks] == ["V", "A1", "A2"]
    video = timeline.tracks[0]
    clips = list(video.find_clips())
    assert len(clips) == len(plan.episodes)
    record0 = 3600 * nominal
    for clip, ep in zip(clips, plan.episodes, strict=True):
        assert clip.name == f"My Drama_s01 - episode {ep.index:02d}"
        assert clip.source_range.start_time.value == ep.start_frame
        assert clip.source_range.end_time_exclusive().value == ep.end_frame
        assert clip.range_in_parent().start_time.value == ep.start_frame
        assert clip.media_reference.target_url == plan.master.path
        assert [(m.name, m.marked_range.start_time.value) for m in clip.markers] == [
            (f"EP{ep.index:02d}", record0 + ep.start_frame)
        ]
    assert clips[0].metadata["cmx_3600"]["reel"] == "MYDRAMAS"


def test_edl_timecodes_are_exact_frames() -> None:
    analysis = make_analysis(7300.0, [3601.0], fps=25.0)
    master = MasterRef(path="/m/x.mov", duration=7300.0, fps=25.0)
    plan = plan_episodes(analysis, PlanOptions(min_s=3000.0, max_s=4000.0), master)
    lines = edl_text(plan).split("\r\n")
    assert lines[3] == (
        "001  X        AA/V  C        00:00:00:00 01:00:01:00 01:00:00:00 02:00:01:00"
    )
    assert lines[8] == (
        "002  X        AA/V  C        01:00:01:00 02:01:40:00 02:00:01:00 03:01:40:00"
    )


def test_png_shows_boundaries_in_their_colour(tmp_path: Path) -> None:
    import cv2

    # A forced boundary inside dialogue (magenta) and one clean boundary (red).
    analysis = make_analysis(
        300.0, [(100.0, 0.9), (200.0, 0.9)], speech=[(99.0, 101.0)], loudness=[-23.0] * 3000
    )
    plan = plan_episodes(analysis, PlanOptions(min_s=90.0, max_s=110.0))
    assert plan.boundaries == (100.0, 200.0)
    img = render_timeline(plan, analysis)
    assert img.shape == (HEIGHT, WIDTH, 3)
    span = WIDTH - 120
    row = 100  # inside the shots lane
    x1, x2 = 60 + round(100 / 300 * span), 60 + round(200 / 300 * span)
    assert tuple(int(v) for v in img[row, x1]) == (220, 60, 220)
    assert tuple(int(v) for v in img[row, x2]) == (40, 40, 230)
    path = tmp_path / "plan.png"
    write_png(plan, analysis, path)
    back = cv2.imread(str(path))
    assert back is not None and back.shape == (HEIGHT, WIDTH, 3)
    assert (back == img).all()
