"""OTIO, CMX 3600 EDL and PNG exports of a plan, read back with OpenTimelineIO; the timeline
picture's shapes and labels (its text drawn by libass: tests/integration/test_picture_text.py)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from plan_helpers import make_analysis, random_analysis

from vidpack.analyze.model import Analysis
from vidpack.media.timecode import frame_timecode
from vidpack.plan.exports import edl_text, write_edl, write_otio
from vidpack.plan.model import EpisodePlan, MasterRef, PlanOptions
from vidpack.plan.optimize import plan_episodes
from vidpack.plan.png import (
    CLEAN,
    COMPROMISE,
    HEIGHT,
    KIND_COLOUR,
    LEGEND,
    SPEECH_COLOUR,
    WIDTH,
    legend,
    timeline_layers,
)
from vidpack.subtitles.overlay import default_fonts


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


def test_png_shows_boundaries_in_their_colour() -> None:
    # A forced boundary inside dialogue (magenta) and one clean boundary (red).
    analysis = make_analysis(
        300.0, [(100.0, 0.9), (200.0, 0.9)], speech=[(99.0, 101.0)], loudness=[-23.0] * 3000
    )
    plan = plan_episodes(analysis, PlanOptions(min_s=90.0, max_s=110.0))
    assert plan.boundaries == (100.0, 200.0)
    img, _ = timeline_layers(plan, analysis, default_fonts())
    assert img.shape == (HEIGHT, WIDTH, 3)
    span = WIDTH - 120
    row = 100  # inside the shots lane
    x1, x2 = 60 + round(100 / 300 * span), 60 + round(200 / 300 * span)
    assert tuple(int(v) for v in img[row, x1]) == COMPROMISE == (220, 60, 220)
    assert tuple(int(v) for v in img[row, x2]) == CLEAN == (40, 40, 230)


@pytest.mark.parametrize("fps", [25.0, 30000 / 1001])
def test_png_axis_is_labelled_in_timecode_at_the_masters_rate(tmp_path: Path, fps: float) -> None:
    plan, analysis = _plan(tmp_path, fps)
    _, labels = timeline_layers(plan, analysis, default_fonts())
    nominal, span = round(fps), WIDTH - 120
    axis = [lab for lab in labels if lab.anchor == "top-centre"]
    assert len(axis) >= 5
    frames = []
    for lab in axis:  # each label is the timecode of the frame its tick stands on
        hh, mm, ss, ff = (int(p) for p in lab.text.split(":"))
        n = ((hh * 60 + mm) * 60 + ss) * nominal + ff
        assert ff == 0  # ticks on whole seconds of timecode
        assert lab.x == 60 + round(n / fps / 600.0 * span)
        frames.append(n)
    assert frames[0] == 0 and frames[-1] / fps <= 600.0 < (2 * frames[-1] - frames[-2]) / fps
    # every episode block names its start frame's timecode
    texts = {lab.text for lab in labels}
    for ep in plan.episodes:
        assert frame_timecode(ep.start_frame, nominal) in texts
    title = next(lab for lab in labels if lab.bold)
    assert title.text == "My Drama_s01.mp4"


def test_png_legend_names_every_mark_in_its_colour(tmp_path: Path) -> None:
    plan, analysis = _plan(tmp_path, 25.0)
    img, labels = timeline_layers(plan, analysis, default_fonts())
    items = {item.name: item for item in legend(default_fonts())}
    assert {"cut", "dissolve", "fade", "speech", "episodes", "clean boundary"} <= set(items)
    assert any(name.startswith("compromise") for name in items)
    placed = {(lab.text, lab.x, lab.y) for lab in labels}
    for name, item in items.items():
        assert (name, item.text_x, sum(LEGEND) // 2) in placed  # its words on the legend row
        for k, colour in enumerate(item.colours):  # after a swatch in the mark's colour
            found = img[LEGEND[0] - 2 : LEGEND[1] + 3, item.x + 10 * k : item.x + 10 * k + 10]
            assert (found == colour).all(axis=-1).any(), (name, colour)
        assert item.text_x > item.x or not item.colours
    assert items["cut"].colours == (KIND_COLOUR["cut"],)
    assert items["dissolve"].colours == (KIND_COLOUR["dissolve"],)
    assert items["fade"].colours == (KIND_COLOUR["fade"],)
    assert items["speech"].colours == (SPEECH_COLOUR,)
    assert items["clean boundary"].colours == (CLEAN,)
    spans = sorted((item.x, item.text_x) for item in items.values())
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))  # no entry on another
