"""The ffmpeg layer's pure parts: error lines, atomic outputs, dry run."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidpack.errors import UsageError
from vidpack.media import runner
from vidpack.media.atomic import atomic_output, check_writable_dir, temp_name


def test_last_error_lines_keeps_the_cause_and_drops_noise() -> None:
    stderr = "\n".join(
        [
            "Input #0, lavfi, from 'testsrc':",
            "frame=   10 fps=0.0 q=0.0 size=       0kB",
            "[libx264 @ 0x55d1c0a3e4c0] height not divisible by 2 (180x321)",
            "Error initializing output stream 0:0 -- Error while opening encoder",
            "Conversion failed!",
        ]
    )
    text = runner.last_error_lines(stderr, count=2)
    assert text == (
        "height not divisible by 2 (180x321) | "
        "Error initializing output stream 0:0 -- Error while opening encoder"
    )


def test_last_error_lines_on_empty_stderr() -> None:
    assert runner.last_error_lines("") == "no error output"


def test_atomic_output_renames_only_on_success(tmp_path: Path) -> None:
    final = tmp_path / "episode.mp4"
    with atomic_output(final) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".mp4" and tmp != final
        tmp.write_bytes(b"data")
        assert not final.exists()
    assert final.read_bytes() == b"data"
    assert not tmp.exists()


def test_atomic_output_removes_partial_on_interrupt(tmp_path: Path) -> None:
    final = tmp_path / "episode.mp4"
    with pytest.raises(KeyboardInterrupt), atomic_output(final) as tmp:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_atomic_output_keeps_previous_file_on_failure(tmp_path: Path) -> None:
    final = tmp_path / "plan.json"
    final.write_text("old")
    with pytest.raises(RuntimeError), atomic_output(final) as tmp:
        tmp.write_text("new, half written")
        raise RuntimeError("encode failed")
    assert final.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_temp_name_is_hidden_and_keeps_suffix(tmp_path: Path) -> None:
    name = temp_name(tmp_path / "a b.mkv")
    assert name.name.startswith(".a b.partial-") and name.suffix == ".mkv"


def test_check_writable_dir_names_the_option(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UsageError, match=r"choose another -o"):
        check_writable_dir(blocker / "sub")
    with pytest.raises(UsageError, match="is a file"):
        check_writable_dir(blocker)
    check_writable_dir(tmp_path / "new" / "deep")
    assert (tmp_path / "new" / "deep").is_dir()


def test_dry_run_prints_the_command_and_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines: list[str] = []
    monkeypatch.setattr(runner.settings, "dry_run", True)
    monkeypatch.setattr(runner.settings, "echo", lines.append)
    out = tmp_path / "x y.mp4"
    runner.run_ffmpeg(["-f", "lavfi", "-i", "testsrc2=d=1", str(out)])
    assert len(lines) == 1
    assert "-hide_banner -nostdin" in lines[0] and "'" + str(out) + "'" in lines[0]
    assert not out.exists()


def test_stale_partials_of_dead_processes_are_removed(tmp_path: Path) -> None:
    import os
    import subprocess

    from vidpack.media.atomic import remove_stale_partials

    gone = subprocess.Popen(["true"])
    gone.wait()
    (tmp_path / "sub").mkdir()
    mark = f".partial-{gone.pid}.mp4"
    dead = [tmp_path / f".E001{mark}", tmp_path / "sub" / f".x{mark}"]
    live = tmp_path / f".E002.partial-{os.getpid()}.mp4"  # this process is still writing it
    other = tmp_path / "E003.mp4"
    for path in (*dead, live, other):
        path.write_bytes(b"x")
    assert remove_stale_partials(tmp_path) == 1
    assert not dead[0].exists() and dead[1].exists()
    assert remove_stale_partials(tmp_path, recursive=True) == 1
    assert not dead[1].exists() and live.exists() and other.exists()
