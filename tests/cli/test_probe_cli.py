"""`vidpack probe`, `vidpack doctor` and the group's error handling, through Click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidpack.cli.main import cli
from vidpack.media.runner import run_ffmpeg


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("probe") / "clip with space.mp4"
    run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=180x320:r=25:d=2",
            "-f",
            "lavfi",
            "-i",
            "sine=f=440:r=48000:d=2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-metadata:s:a:0",
            "language=eng",
            "-shortest",
            str(path),
        ]
    )
    return path


def test_probe_json_has_the_keys_scripts_need(clip: Path) -> None:
    result = CliRunner().invoke(cli, ["probe", str(clip), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["width"], data["height"]) == (180, 320)
    assert data["fps"] == 25.0 and data["fps_rational"] == "25/1"
    assert data["duration"] == pytest.approx(2.0, abs=0.05)
    assert data["is_vfr"] is False
    assert data["audio"][0]["language"] == "eng" and data["audio"][0]["sample_rate"] == 48000


def test_probe_text_output(clip: Path) -> None:
    result = CliRunner().invoke(cli, ["probe", str(clip)])
    assert result.exit_code == 0
    assert "180x320 display" in result.output and "25/1 (25.000 fps)" in result.output


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["probe", str(tmp_path / "nope.mp4")])
    assert result.exit_code == 2
    assert (
        result.output.strip() == f"Error: file not found: '{tmp_path / 'nope.mp4'}': check the path"
    )


def test_text_file_named_mp4_is_one_line_error(tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("not a video\n")
    result = CliRunner().invoke(cli, ["probe", str(fake)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "is not a media file ffprobe can read" in lines[0] and "Traceback" not in result.output


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.touch()
    result = CliRunner().invoke(cli, ["probe", str(empty)])
    assert result.exit_code == 1
    assert "is empty (0 bytes)" in result.output


def test_help_lists_commands_with_examples() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in (
        "probe",
        "doctor",
        "presets",
        "scenes",
        "plan",
        "split",
        "subs",
        "thumbs",
        "trailer",
        "package",
        "qc",
    ):
        assert f"\n  {name} " in result.output
    assert "Examples:" in result.output


def test_doctor_reports_every_script() -> None:
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    for script in ("latin", "cjk-sc", "cjk-tc", "ja", "ko", "arabic", "thai"):
        line = next(ln for ln in result.output.splitlines() if f"font for {script} " in ln)
        assert line.startswith("ok ") and "Noto Sans" in line
    assert "libass with harfbuzz" in result.output


def test_doctor_names_a_missing_font(tmp_path: Path) -> None:
    preset = tmp_path / "odd.toml"
    preset.write_text('extends = "tiktok"\n[subtitles.style.fonts]\nthai = "No Such Font Family"\n')
    result = CliRunner().invoke(cli, ["doctor", "--preset", str(preset)])
    assert result.exit_code == 1
    line = next(ln for ln in result.output.splitlines() if "font for thai" in ln)
    assert line.startswith("MISS") and "No Such Font Family not installed" in line
    assert "Error: missing: font for thai" in result.output
