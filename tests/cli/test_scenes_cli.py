"""`vidpack scenes` through Click: table, --json, --csv, --edl, --no-cache and bad inputs."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from pathlib import Path

import opentimelineio as otio
import pytest
from click.testing import CliRunner

from fixtures.generate import MasterFixture
from vidpack.cli.main import cli
from vidpack.media import runner
from vidpack.media.runner import run_ffmpeg


@pytest.fixture(scope="module")
def master(vertical_master: MasterFixture) -> MasterFixture:
    # Warm the cache once so the output-format tests below do not each decode.
    result = CliRunner().invoke(cli, ["scenes", str(vertical_master.path), "--json"])
    assert result.exit_code == 0, result.output
    return vertical_master


def _truth_cut_frames(m: MasterFixture) -> list[int]:
    return [c["frame"] for c in m.truth["cuts"] if c["kind"] == "cut"]


def test_table(master: MasterFixture) -> None:
    result = CliRunner().invoke(cli, ["scenes", str(master.path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["#", "at", "seconds", "frame", "kind", "score"]
    n = len(master.truth["cuts"])
    assert lines[-2].startswith(f"{n} transitions, {n + 1} shots in 60.0 s at 25 fps")
    assert re.fullmatch(r"speech: \d+ stretches, \d+\.\d s \(\d+ % of the master\)", lines[-1])
    for frame in _truth_cut_frames(master):
        assert any(f"  {frame}  " in line and " cut " in line for line in lines)


def test_json(master: MasterFixture) -> None:
    result = CliRunner().invoke(cli, ["scenes", str(master.path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"master", "duration", "fps", "cuts", "speech"}
    assert data["speech"] and all(set(s) == {"start", "end"} for s in data["speech"])
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(data["speech"]))
    # Every spoken line of the fixture overlaps the reported speech.
    for line in master.truth["dialogue"]:
        assert any(s["start"] < line["end"] and line["start"] < s["end"] for s in data["speech"])
    assert data["fps"] == 25.0 and data["duration"] == pytest.approx(60.0)
    assert all(set(c) == {"time", "frame", "kind", "score"} for c in data["cuts"])
    assert [c["kind"] for c in data["cuts"]] == [c["kind"] for c in master.truth["cuts"]]
    cut_frames = [c["frame"] for c in data["cuts"] if c["kind"] == "cut"]
    assert cut_frames == _truth_cut_frames(master)


def test_csv(master: MasterFixture) -> None:
    result = CliRunner().invoke(cli, ["scenes", str(master.path), "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["time", "frame", "kind", "score"]
    assert len(rows) == len(master.truth["cuts"])
    assert [int(r["frame"]) for r in rows if r["kind"] == "cut"] == _truth_cut_frames(master)


def test_edl_opens_in_opentimelineio(master: MasterFixture, tmp_path: Path) -> None:
    edl = tmp_path / "out" / "shots.edl"
    result = CliRunner().invoke(cli, ["scenes", str(master.path), "--edl", str(edl)])
    assert result.exit_code == 0, result.output
    assert f"EDL written: {edl}" in result.output
    timeline = otio.adapters.read_from_file(str(edl), adapter_name="cmx_3600", rate=25)
    clips = list(timeline.video_tracks()[0].find_clips())
    assert len(clips) == len(master.truth["cuts"]) + 1
    starts = [c.source_range.start_time.to_frames() for c in clips]
    for frame in _truth_cut_frames(master):
        assert frame in starts
    end = clips[-1].source_range.end_time_exclusive().to_frames()
    assert end == master.truth["frame_count"]


def test_no_cache_decodes_again(master: MasterFixture) -> None:
    before = runner.settings.commands_run
    assert CliRunner().invoke(cli, ["scenes", str(master.path), "--csv"]).exit_code == 0
    cached = runner.settings.commands_run - before
    before = runner.settings.commands_run
    result = CliRunner().invoke(cli, ["scenes", str(master.path), "--csv", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert runner.settings.commands_run - before > cached


def test_json_and_csv_together_is_a_usage_error(master: MasterFixture) -> None:
    result = CliRunner().invoke(cli, ["scenes", str(master.path), "--json", "--csv"])
    assert result.exit_code == 2
    assert result.output.strip() == "Error: --json and --csv both given: choose one output format"


def test_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["scenes", str(tmp_path / "none.mp4")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: file not found")
    assert len(result.output.strip().splitlines()) == 1


def test_not_media(tmp_path: Path) -> None:
    fake = tmp_path / "fake.mp4"
    fake.write_text("this is text, not video\n")
    result = CliRunner().invoke(cli, ["scenes", str(fake)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "not a media file" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_no_video_stream(tmp_path: Path) -> None:
    audio = tmp_path / "voice.m4a"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=d=1", str(audio)])
    result = CliRunner().invoke(cli, ["scenes", str(audio)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {str(audio)!r} has no video stream: give a master with picture"
    )


def test_unwritable_edl_folder(master: MasterFixture, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(
        cli, ["scenes", str(master.path), "--edl", str(blocker / "shots.edl")]
    )
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "--edl" in result.output
