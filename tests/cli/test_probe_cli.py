"""`vidpack probe`, `vidpack doctor` and the group's error handling, through Click."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fixtures.real import REALMEDIA
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


TOP_KEYS = {
    *("path", "size_bytes", "format_name", "duration", "start_time", "bit_rate", "video"),
    *("audio", "subtitles", "width", "height", "fps", "fps_float", "is_vfr", "frame_count"),
}
VIDEO_KEYS = {
    *("index", "codec", "profile", "coded_width", "coded_height", "width", "height"),
    *("rotation", "sar", "fps", "is_vfr", "pix_fmt", "bit_depth", "color_space"),
    *("color_primaries", "color_transfer", "color_range", "frame_count"),
}


def _real(rel: str) -> Path:
    path = REALMEDIA / rel
    if not path.is_file():
        pytest.skip(f"real media missing: {path} (set VIDPACK_REALMEDIA)")
    return path


def _probe_json(path: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["probe", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


def test_probe_json_has_the_keys_scripts_need(clip: Path) -> None:
    data = _probe_json(clip)
    assert set(data) == TOP_KEYS and set(data["video"]) == VIDEO_KEYS
    assert (data["width"], data["height"]) == (180, 320)
    assert data["fps"] == data["video"]["fps"] == "25/1" and data["fps_float"] == 25.0
    assert data["frame_count"] == data["video"]["frame_count"] == 50
    assert data["duration"] == pytest.approx(2.0, abs=0.05)
    assert data["is_vfr"] is False and data["video"]["is_vfr"] is False
    assert data["video"]["sar"] == "1:1"
    assert data["audio"][0]["language"] == "eng" and data["audio"][0]["sample_rate"] == 48000


@pytest.mark.integration
def test_probe_json_webm_rate_is_exact() -> None:
    data = _probe_json(_real("mp/bbb_0_30.webm"))
    assert (data["fps"], data["fps_float"], data["is_vfr"]) == ("24/1", 24.0, False)
    assert data["frame_count"] == 720


@pytest.mark.integration
def test_probe_json_ntsc_rate_is_a_rational() -> None:
    data = _probe_json(_real("psd/testvideo.mp4"))
    assert (data["fps"], data["fps_float"], data["is_vfr"]) == ("30000/1001", 29.97003, False)


@pytest.mark.integration
def test_probe_text_shows_a_variable_rate_as_a_mean() -> None:
    result = CliRunner().invoke(cli, ["probe", str(_real("psd/goldeneye-vfr-drop3.mp4"))])
    assert result.exit_code == 0, result.output
    assert "           variable rate, mean 16.051 fps, 160 frames\n" in result.output


def test_probe_text_output(clip: Path) -> None:
    result = CliRunner().invoke(cli, ["probe", str(clip)])
    assert result.exit_code == 0
    assert "180x320 display" in result.output
    assert "           25/1 (25.000 fps), 50 frames\n" in result.output


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


def test_doctor_json_is_the_same_checks_as_one_object(tmp_path: Path) -> None:
    import json

    lines = CliRunner().invoke(cli, ["doctor"]).output.splitlines()[:-1]  # without "all ..."
    result = CliRunner().invoke(cli, ["doctor", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert [(c["name"], c["ok"]) for c in data["checks"]] == [
        (line[6:].split("  ")[0].strip(), line.startswith("ok")) for line in lines
    ]
    preset = tmp_path / "odd.toml"
    preset.write_text('extends = "tiktok"\n[subtitles.style.fonts]\nthai = "No Such Font"\n')
    bad = CliRunner().invoke(cli, ["doctor", "--preset", str(preset), "--json"])
    assert bad.exit_code == 1
    data = json.loads(bad.stdout)
    thai = next(c for c in data["checks"] if c["name"] == "font for thai")
    assert (data["ok"], thai["ok"], thai["required"]) == (False, False, True)
    assert bad.stderr.strip() == "Error: missing: font for thai (see the checks whose ok is false)"


def test_doctor_checks_a_subtitle_file_against_the_preset_font(tmp_path: Path) -> None:
    thai = tmp_path / "m.th.srt"
    thai.write_text("1\n00:00:01,000 --> 00:00:02,000\nสวัสดีครับ\n", encoding="utf-8")
    wrong = tmp_path / "m.en.srt"  # Arabic text in a file named English: the Latin font
    wrong.write_text("1\n00:00:01,000 --> 00:00:02,000\nمرحبا\n", encoding="utf-8")
    ok = CliRunner().invoke(cli, ["doctor", "--preset", "tiktok", "--subs", str(thai)])
    assert ok.exit_code == 0, ok.output
    assert "ok    glyphs for th" in ok.output and "every character of m.th.srt" in ok.output
    bad = CliRunner().invoke(cli, ["doctor", "--subs", str(thai), "--subs", str(wrong)])
    assert bad.exit_code == 1
    line = next(ln for ln in bad.output.splitlines() if "glyphs for en" in ln)
    assert line.startswith("MISS") and "has no glyph for 'مرحبا' (U+0645" in line
    missing = CliRunner().invoke(cli, ["doctor", "--subs", str(tmp_path / "nope.srt")])
    assert missing.exit_code == 2
    assert missing.output.strip().endswith("no such file; give an existing SRT, ASS or VTT file")
