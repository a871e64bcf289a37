"""`vidpack thumbs` and `vidpack trailer` through Click: JSON output and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from fixtures.generate import MasterFixture
from vidpack.cli.main import cli


def test_thumbs_json_lists_picks(vertical_master: MasterFixture, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["thumbs", str(vertical_master.path), "-o", str(tmp_path), "--count", "2",
              "--no-covers", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["file"] for p in data["picks"]] == ["thumb_01.jpg", "thumb_02.jpg"]
    cuts = [c["time"] for c in vertical_master.truth["cuts"]]
    for p in data["picks"]:
        assert min(abs(p["time"] - c) for c in cuts) >= 0.5
        assert set(p["parts"]) == {"sharpness", "exposure", "colour", "faces", "distance"}
        assert (tmp_path / p["file"]).exists()


def test_thumbs_at_outside_master(vertical_master: MasterFixture, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["thumbs", str(vertical_master.path), "-o", str(tmp_path), "--at", "999"]
    )
    assert result.exit_code == 2
    assert result.output.startswith("Error: --at 999: the master is 60.00 s long")


def test_trailer_rejects_length_and_episodes(
    vertical_master: MasterFixture, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["trailer", str(vertical_master.path), "--preset", "tiktok", "--length", "20",
              "--from-episodes", "1-3", "-o", str(tmp_path / "t.mp4")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --length 20: preset tiktok makes 15, 30, 60 s trailers; "
        "--from-episodes needs --plan (the plan says where episodes are)"
    )
    assert not (tmp_path / "t.mp4").exists()


def test_trailer_rejects_unknown_speed(tmp_path: Path) -> None:
    master = tmp_path / "m.mp4"
    master.write_bytes(b"")
    result = CliRunner().invoke(
        cli, ["trailer", str(master), "--preset", "tiktok", "--length", "15", "--speed", "warp",
              "-o", str(tmp_path / "t.mp4")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.output.startswith("Error: --speed 'warp' is not an x264 preset: use one of")
    assert not (tmp_path / "t.mp4").exists()
