"""`vidpack package` option checks: each bad input gives one `Error:` line naming the option,
the bad value and what would work, before any media work (no master needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vidpack.cli.main import cli


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["package", *args])
    return result.exit_code, result.output


def test_unknown_platform_is_one_line(tmp_path: Path) -> None:
    code, out = _run("master.mp4", "--platform", "tiktokk", "-o", str(tmp_path / "out"))
    assert code == 2
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --platform 'tiktokk'")
    assert "tiktok" in lines[0]


def test_platform_required(tmp_path: Path) -> None:
    code, out = _run("master.mp4", "-o", str(tmp_path))
    assert code == 2
    assert "Error: --platform is required" in out


def test_unwritable_output(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, out = _run("master.mp4", "--platform", "tiktok", "-o", str(blocker / "out"))
    assert code == 2
    assert out.startswith("Error: cannot create output folder") or "is a file" in out
    assert "-o" in out and len(out.strip().splitlines()) == 1


def test_bad_jobs_and_speed_together(tmp_path: Path) -> None:
    code, out = _run(
        "m.mp4", "--platform", "tiktok", "--jobs", "0", "--speed", "warp", "-o", str(tmp_path)
    )
    assert code == 2
    assert "--jobs 0 must be at least 1" in out and "--speed 'warp'" in out


def test_same_platform_twice(tmp_path: Path) -> None:
    code, out = _run("m.mp4", "--platform", "tiktok", "--platform", "tiktok", "-o", str(tmp_path))
    assert code == 2
    assert "platform tiktok is given twice" in out


def test_bad_series_file(tmp_path: Path) -> None:
    series = tmp_path / "series.toml"
    series.write_text('title = "A"\nepisodes = 3\n')
    code, out = _run(
        "m.mp4", "--platform", "tiktok", "--series-file", str(series), "-o", str(tmp_path)
    )
    assert code == 2
    assert "--series-file" in out and "unknown key 'episodes'" in out


def test_missing_master(tmp_path: Path) -> None:
    code, out = _run(str(tmp_path / "nope.mp4"), "--platform", "tiktok", "-o", str(tmp_path / "o"))
    assert code != 0
    assert out.startswith("Error:") and "nope.mp4" in out
    assert not list((tmp_path / "o").glob("*/manifest.json"))


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        ("split", ["--preset", "tiktok"]),
        ("package", ["--platform", "tiktok"]),
        ("subs", ["--subs", "master.en.srt"]),
    ],
)
def test_plan_options_with_plan_are_refused(command: str, extra: list[str], tmp_path: Path) -> None:
    # Silently ignoring --max next to --plan would render episodes the user did not ask for.
    plan = tmp_path / "plan.json"
    plan.write_text("{}")
    result = CliRunner().invoke(
        cli,
        [command, str(tmp_path / "master.mp4"), "--plan", str(plan), "--max", "90",
         "--target", "80", *extra, "-o", str(tmp_path / "out")],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--max/--target cannot be used with --plan" in result.output
    assert not (tmp_path / "out").exists()


def test_busy_output_folder_is_refused(tmp_path: Path) -> None:
    from tests.lock_holder import lock_held_elsewhere

    master = tmp_path / "m.mp4"
    master.write_bytes(b"")
    out = tmp_path / "out"
    out.mkdir()
    with lock_held_elsewhere(out, "package"):
        code, text = _run(str(master), "--platform", "tiktok", "-o", str(out))
    assert code == 2
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "is being written by another vidpack" in lines[0]
    assert sorted(p.name for p in out.iterdir()) == [".vidpack.lock"]


def test_every_bad_subtitle_file_is_named_and_nothing_is_made(
    vertical_master: Any, tmp_path: Path
) -> None:
    """Two unreadable subtitle files: both named in one error, exit 2, and -o never created
    (the files are read before the output folder and its lock exist)."""
    (tmp_path / "a.srt").write_text("garbage\n", encoding="utf-8")
    (tmp_path / "b.srt").write_text("1\nnot a timing\nHello\n", encoding="utf-8")
    out = tmp_path / "out"
    code, text = _run(
        str(vertical_master.path), "--platform", "tiktok", "-o", str(out),
        "--subs", f"en={tmp_path / 'a.srt'}", "--subs", f"ko={tmp_path / 'b.srt'}",
    )  # fmt: skip
    assert code == 2, text
    error = [line for line in text.splitlines() if line.startswith("Error: ")]
    assert len(error) == 1 and "'a.srt'" in error[0] and "'b.srt'" in error[0], text
    assert "Traceback" not in text
    assert not out.exists()
