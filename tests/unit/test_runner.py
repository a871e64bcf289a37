"""The ffmpeg layer's pure parts: error lines, atomic outputs, dry run."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from vidpack.errors import StorageError, UsageError
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


# Storage failures are named as such -------------------------------------------------------------

_X264_TAIL = [
    "[libx264 @ 0x55bfd2bba8c0] ref B L1: 91.0%  9.0%",
    "[libx264 @ 0x55bfd2bba8c0] kb/s:966.12",
    "[aac @ 0x55bfd2bbb000] Qavg: 1363.123",
]


@pytest.mark.parametrize(
    ("line", "cause"),
    [
        ("Error writing trailer of {out}: No space left on device", "disk full"),
        ("av_interleaved_write_frame(): No space left on device", "disk full"),
        (
            "Could not write header for output file #0 (incorrect codec parameters ?): "
            "No space left on device",
            "disk full",
        ),
        ("{out}: Permission denied", "permission denied"),
        ("[out#0/mp4 @ 0x5633] Error opening output {out}: Read-only file system", "read-only"),
    ],
)
def test_storage_failures_are_named_with_the_folder_not_x264_statistics(
    tmp_path: Path, line: str, cause: str
) -> None:
    out = tmp_path / "tiktok" / ".ep.partial-1.mp4"
    stderr = "\n".join(["Stream mapping:", line.format(out=out), *_X264_TAIL, "Conversion failed!"])
    argv = ["ffmpeg", "-i", "/m/master.mp4", "-c:v", "libx264", str(out)]
    err = runner.storage_failure(stderr, argv, label="episode 3")
    assert err is not None and err.exit_code == 1
    message = str(err)
    assert message.startswith(f"{cause}") and "kb/s" not in message and "Qavg" not in message
    assert f"writing into {str(tmp_path / 'tiktok')!r} (episode 3)" in message
    assert "\n" not in message
    if cause == "disk full":
        free = shutil.disk_usage(tmp_path).free
        assert f"{free / 1e6:.1f} MB free" in message or f"{free / 1e9:.1f} GB free" in message


def test_a_full_disk_says_the_rough_need(tmp_path: Path) -> None:
    out = tmp_path / "ep.mp4"
    stderr = f"Error writing trailer of {out}: No space left on device"
    err = runner.storage_failure(stderr, ["ffmpeg", str(out)], written=2_000_000, fraction=0.25)
    assert err is not None and "needs roughly 8.0 MB" in str(err)


def test_an_unreadable_input_is_not_a_storage_failure() -> None:
    stderr = "/m/master.mp4: Permission denied"
    argv = ["ffmpeg", "-i", "/m/master.mp4", "/out/ep.mp4"]
    assert runner.storage_failure(stderr, argv) is None


def test_other_failures_are_not_storage_failures() -> None:
    stderr = "[libx264 @ 0x5] height not divisible by 2 (180x321)\nConversion failed!"
    assert runner.storage_failure(stderr, ["ffmpeg", "/out/ep.mp4"]) is None


@pytest.mark.integration
def test_ffmpeg_into_a_full_device_is_reported_as_disk_full() -> None:
    """A real ffmpeg run: /dev/full fails every write with ENOSPC (mp4: its header write)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    args = ["-f", "lavfi", "-i", "testsrc2=s=64x64:d=1", "-c:v", "mjpeg", "-f", "mp4"]
    with pytest.raises(StorageError) as caught:
        runner.run_ffmpeg([*args, "/dev/full"], duration=1, label="episode 1")
    assert str(caught.value).startswith("disk full writing into '/dev' (episode 1): ")
    assert "free; free space there or choose another -o" in str(caught.value)


@pytest.mark.parametrize(
    ("code", "cause"),
    [(errno.ENOSPC, "disk full"), (errno.EROFS, "read-only filesystem"),
     (errno.EACCES, "permission denied")],
)  # fmt: skip
def test_python_writes_failing_for_storage_leave_nothing_and_say_why(
    tmp_path: Path, code: int, cause: str
) -> None:
    final = tmp_path / "manifest.json"
    with pytest.raises(StorageError) as caught, atomic_output(final) as tmp:
        tmp.write_text("half")
        raise OSError(code, os.strerror(code), str(tmp))
    assert str(caught.value).startswith(f"{cause} writing into {str(tmp_path)!r} (manifest.json)")
    assert list(tmp_path.iterdir()) == []


def test_cancelled_is_no_vidpack_error_so_no_stage_can_swallow_it() -> None:
    import pickle
    import signal

    from vidpack.errors import Cancelled, VidpackError

    caught = ""
    try:
        try:
            raise Cancelled(signal.SIGTERM)
        except VidpackError:  # what a stage turning errors into warnings catches
            caught = "stage"
        except Exception:
            caught = "generic"
    except Cancelled as err:
        caught = f"cli {err.exit_code}"
    assert caught == "cli 143"
    again = pickle.loads(pickle.dumps(Cancelled(signal.SIGTERM)))  # across a process pool
    assert again.exit_code == 143 and again.signum == signal.SIGTERM
    assert Cancelled(signal.SIGINT).exit_code == 130
