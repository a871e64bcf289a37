"""`vidpack presets list|show|validate` through Click: output, exit codes and error lines."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from click.testing import CliRunner

from vidpack.cli.main import cli
from vidpack.presets import list_presets, load_preset


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_every_builtin_with_its_limits() -> None:
    code, out, err = run("presets", "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "SIZE", "EPISODE", "MAX", "FILE", "SUBTITLES", "CHECKED"]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert set(rows) == set(list_presets())
    assert rows["facebook-reels"].split()[1:5] == ["1080x1920", "3-90", "s", "1000"]
    assert "<= 180 s" in rows["youtube-shorts"]
    assert "5-60 s" in rows["snapchat-spotlight"] and "500 MB" in rows["snapchat-spotlight"]
    assert " sidecar " in rows["drama-app"]
    assert rows["kuaishou"].endswith("2026-11 (unverified)")


def test_list_json() -> None:
    code, out, _ = run("presets", "list", "--json")
    assert code == 0
    data = {item["name"]: item for item in json.loads(out)}
    assert data["instagram-reels"]["max_file_mb"] == 300
    assert data["youtube-shorts"]["max_episode_s"] == 180


def test_show_prints_the_resolved_preset_as_toml_and_json() -> None:
    code, out, _ = run("presets", "show", "kuaishou")
    assert code == 0
    assert out.startswith("# built-in preset kuaishou (extends douyin), resolved\n")
    assert tomllib.loads(out) == load_preset("kuaishou").to_dict()
    code, out, _ = run("presets", "show", "kuaishou", "--json")
    assert code == 0 and json.loads(out) == load_preset("kuaishou").to_dict()


def test_show_and_validate_a_user_file(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text('extends = "tiktok"\n[video]\nwidth = 360\nheight = 640\n')
    code, out, _ = run("presets", "validate", str(path))
    assert (code, out) == (0, f"ok: {path} (extends tiktok)\n")
    code, out, _ = run("presets", "show", str(path), "--json")
    data = json.loads(out)
    assert (data["name"], data["video"]["width"], data["video"]["height"]) == ("small", 360, 640)
    assert data["limits"]["max_episode_s"] == 180


def test_validate_reports_every_problem_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'extends = "tiktok"\n[video]\nwidth = 361\nhieght = 640\n[audio]\nloudness_lufs = 5\n'
    )
    code, out, err = run("presets", "validate", str(path))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"Error: invalid preset {path} (3 problems):",
        f'  - {path}: video.hieght: unknown key (did you mean "video.height"?); [video] takes: '
        "width, height, codec, profile, pix_fmt, fps, allowed_fps, crf, maxrate_kbps, "
        "bufsize_kbps, faststart, gop",
        f"  - {path}: video.width = 361: use an even integer from 16 to 8192",
        f"  - {path}: audio.loudness_lufs = 5: use a number from -40 to 0",
    ]


def test_one_problem_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "one.toml"
    path.write_text('extends = "tiktok"\n[subtitles]\nmode = "burned"\n')
    code, _, err = run("presets", "validate", str(path))
    assert code == 2
    assert err == (
        f'Error: invalid preset {path}: subtitles.mode = "burned": use one of "burn", "mux", '
        '"sidecar", "none" (did you mean "burn"?)\n'
    )


def test_unknown_name_missing_file_and_bad_toml_are_one_line_errors(tmp_path: Path) -> None:
    code, _, err = run("presets", "show", "tiktokk")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith('Error: unknown preset "tiktokk" (did you mean "tiktok"?): use one of ')
    code, _, err = run("presets", "validate", str(tmp_path / "none.toml"))
    assert code == 2 and "not found" in err and err.count("\n") == 1
    broken = tmp_path / "broken.toml"
    broken.write_text('extends = "tiktok"\nname = \n')
    code, _, err = run("presets", "validate", str(broken))
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"Error: invalid preset {broken}: not valid TOML: ") and "line 2" in err
    assert "Traceback" not in err


def test_help_lists_the_subcommands() -> None:
    code, out, _ = run("presets", "--help")
    assert code == 0
    for word in ("list", "show", "validate", "vidpack presets validate my-tiktok.toml"):
        assert word in out
