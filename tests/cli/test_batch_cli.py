"""`vidpack batch` and `vidpack task` refusals: each a one-line error with its exit code, before
any work (missing master, bad jobs file, unreachable scheduler, unknown task id)."""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

from vidpack.cli.main import cli
from vidpack.farm.build import MasterEntry, build_batch
from vidpack.farm.model import save_batch


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _error_line(output: str) -> str:
    lines = [ln for ln in output.splitlines() if ln.startswith("Error: ")]
    assert len(lines) == 1, output
    return lines[0]


def test_missing_master(tmp_path: Path) -> None:
    code, out = _invoke("batch", str(tmp_path / "nope.mp4"), "--platform", "tiktok",
                        "-o", str(tmp_path / "out"))  # fmt: skip
    assert code == 2
    assert _error_line(out) == (
        f"Error: MASTERS: master {str(tmp_path / 'nope.mp4')!r} does not exist: "
        "give an existing media file"
    )
    assert not (tmp_path / "out").exists()


def test_bad_jobs_file_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"\0")
    jobs = tmp_path / "jobs.toml"
    jobs.write_text('[[master]]\npath = "a.mp4"\nplatforms = ["tiktok"]\nmaxx = 90\n')
    code, out = _invoke("batch", "--jobs-file", str(jobs), "-o", str(tmp_path / "out"))
    assert code == 2
    assert _error_line(out).startswith(f"Error: {jobs}: master[1].maxx: unknown key; use one of")


def test_masters_and_jobs_file_together(tmp_path: Path) -> None:
    code, out = _invoke("batch", "a.mp4", "--jobs-file", "j.toml", "-o", str(tmp_path),
                        "--workers", "0")  # fmt: skip
    assert code == 2
    line = _error_line(out)
    assert "--workers 0 must be at least 1" in line and "not both" in line


def test_the_old_jobs_name_says_the_new_one(tmp_path: Path) -> None:
    """`batch --jobs FILE` is `--jobs-file FILE` now: --jobs N is parallelism in split and
    package, and one name has one meaning."""
    code, out = _invoke("batch", "--jobs", "series.toml", "-o", str(tmp_path / "out"))
    assert code == 2
    assert _error_line(out) == (
        "Error: --jobs 'series.toml': the jobs file is --jobs-file now (--jobs N is parallelism "
        "in split and package): give --jobs-file series.toml"
    )
    assert not (tmp_path / "out").exists()


def test_unreachable_scheduler(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"\0")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    code, out = _invoke("batch", str(tmp_path / "a.mp4"), "--platform", "tiktok",
                        "-o", str(tmp_path / "out"), "--scheduler", address,
                        "--connect-timeout", "1")  # fmt: skip
    assert code == 2
    line = _error_line(out)
    assert line.startswith(f"Error: --scheduler {address!r}: cannot connect (")
    assert "start one with `dask scheduler`" in line


def _jobfile(tmp_path: Path) -> Path:
    """The saved job file of a one-master batch of ``tmp_path/a.mp4`` for tiktok."""
    batch = build_batch([MasterEntry(str(tmp_path / "a.mp4"), None, {"platforms": ["tiktok"]})],
                        tmp_path / "out")  # fmt: skip
    jobfile = tmp_path / "out" / "vidpack-job.json"
    save_batch(batch, jobfile)
    return jobfile


def test_task_run_unknown_id_and_list(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"\0")
    jobfile = _jobfile(tmp_path)
    code, out = _invoke("task", "run", str(jobfile), "a/render/0000/1")
    assert code == 2
    assert _error_line(out).startswith("Error: unknown task id 'a/render/0000/1': run `vidpack")
    code, out = _invoke("task", "list", str(jobfile))
    assert code == 0
    assert out.splitlines()[2].split() == ["a/analyze", "analyze", "0", "no"]
    code, out = _invoke("task", "run", str(tmp_path / "none.json"), "a/analyze")
    assert code == 2 and "does not exist" in _error_line(out)


def test_failing_task_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_text("not media")
    jobfile = _jobfile(tmp_path)
    code, out = _invoke("task", "run", str(jobfile), "a/analyze")
    assert code == 1
    assert str(tmp_path / "a.mp4") in _error_line(out)
    assert not (tmp_path / "out" / "a" / ".vidpack" / "farm" / "plan.json").exists()


def test_second_driver_on_one_batch_folder_is_refused(tmp_path: Path) -> None:
    from tests.lock_holder import lock_held_elsewhere

    (tmp_path / "a.mp4").write_bytes(b"\0")
    out = tmp_path / "out"
    out.mkdir()
    with lock_held_elsewhere(out, "batch"):  # another driver running this batch
        code, text = _invoke("batch", str(tmp_path / "a.mp4"), "--platform", "tiktok",
                             "-o", str(out))  # fmt: skip
    assert code == 2
    line = _error_line(text)
    assert "is being written by another vidpack batch (pid " in line
    assert sorted(p.name for p in out.iterdir()) == [".vidpack.lock"]  # no job file, no task


def test_json_result_of_a_failing_master(tmp_path: Path) -> None:
    """`batch --json`: one object on stdout (each master's counts, result and reason, the job
    file, the verdict), then the one-line error and exit 1 for the failed master."""
    import json

    (tmp_path / "junk.mp4").write_bytes(b"garbage")
    result = CliRunner().invoke(
        cli, ["batch", str(tmp_path / "junk.mp4"), "--platform", "tiktok", "-o",
              str(tmp_path / "out"), "--workers", "1", "--json"],
    )  # fmt: skip
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    (master,) = data["masters"]
    assert (master["master"], master["failed"], master["result"]) == ("junk", 1, "FAILED")
    assert master["reason"].startswith("junk/analyze: ") and "ffprobe can read" in master["reason"]
    assert data["verdict"] == "failed"
    assert data["job_file"] == str((tmp_path / "out").resolve() / "vidpack-job.json")
    assert result.stderr.strip().splitlines()[-1].startswith("Error: 1 of 1 masters failed (junk)")
