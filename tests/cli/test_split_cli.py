"""`vidpack split` through Click: options, one-line errors, reruns that skip, dry run, progress,
and Ctrl-C leaving no partial episode under a final name."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidpack.cli.main import cli
from vidpack.media.runner import run_ffmpeg
from vidpack.plan.planfile import probe_master_ref

PRESET = """
extends = "tiktok"
name = "tiny"
[video]
width = 180
height = 320
[limits]
min_episode_s = 1
max_episode_s = 5
[trailers]
lengths = [5]
"""


def _plan(master: Path, cuts: list[float], path: Path) -> Path:
    ref = probe_master_ref(master)
    times = [0.0, *cuts, ref.duration]
    path.write_text(
        json.dumps(
            {
                "vidpack_plan": 1,
                "master": {"path": ref.path, "duration": ref.duration, "fps": ref.fps},
                "episodes": [{"start": a, "end": b} for a, b in itertools.pairwise(times)],
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("split-cli")
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=s=180x320:r=25:d=6",
         "-f", "lavfi", "-i", "sine=f=440:r=48000:d=6",
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
         str(folder / "master.mp4")]
    )  # fmt: skip
    (folder / "tiny.toml").write_text(PRESET, encoding="utf-8")
    _plan(folder / "master.mp4", [2.0, 4.0], folder / "plan.json")
    _plan(folder / "master.mp4", [0.5], folder / "long.json")
    return folder


def _split(work: Path, out: Path, *extra: str) -> list[str]:
    return [
        "split", str(work / "master.mp4"), "--plan", str(work / "plan.json"),
        "--preset", str(work / "tiny.toml"), "-o", str(out), "--speed", "ultrafast",
        "--jobs", "1", *extra,
    ]  # fmt: skip


@pytest.mark.integration
def test_split_then_rerun_skips_and_redoes_missing(work: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(cli, _split(work, out, "--progress", "json"))
    assert first.exit_code == 0, first.output
    assert "3 episodes in" in first.stdout and "3 rendered" in first.stdout
    events = [json.loads(line) for line in first.stderr.splitlines()]
    assert [e["event"] for e in events][:2] == ["phase", "begin"]
    assert {e["phase"] for e in events} == {"renders", "done"}
    assert (events[-1]["event"], events[-1]["phase"]) == ("phase", "done")
    assert sum(e["event"] == "finish" and e["status"] == "done" for e in events) == 3
    names = sorted(p.name for p in out.glob("*.mp4"))
    assert names == ["series_E001.mp4", "series_E002.mp4", "series_E003.mp4"]
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp4")}

    again = runner.invoke(cli, _split(work, out))
    assert again.exit_code == 0, again.output
    assert "0 rendered, 3 up to date" in again.stdout
    as_json = runner.invoke(cli, _split(work, out, "--json"))
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)  # the object alone on stdout
    assert data["verdict"] == "ok" and data["warnings"] == []
    assert [
        (f["folder"], f["rendered"], f["up_to_date"], f["failed"]) for f in data["folders"]
    ] == [(str(out), 0, 3, 0)]
    assert [
        (e["index"], Path(e["file"]).name, e["status"]) for e in data["folders"][0]["episodes"]
    ] == [(n, f"series_E00{n}.mp4", "skipped") for n in (1, 2, 3)]
    assert stamps == {p.name: p.stat().st_mtime_ns for p in out.glob("*.mp4")}

    (out / "series_E002.mp4").unlink()
    third = runner.invoke(cli, _split(work, out))
    assert "1 rendered, 2 up to date" in third.stdout
    assert (out / "series_E002.mp4").stat().st_size > 0

    # A changed encode setting makes every episode stale.
    changed = work / "changed.toml"
    changed.write_text(PRESET.replace("height = 320", "height = 320\ncrf = 30"), encoding="utf-8")
    args = _split(work, out)
    args[args.index(str(work / "tiny.toml"))] = str(changed)
    fourth = runner.invoke(cli, args)
    assert "3 rendered, 0 up to date" in fourth.stdout


def test_too_long_and_too_short_episodes_refused_in_one_line(work: Path, tmp_path: Path) -> None:
    args = _split(work, tmp_path / "o")
    args[args.index(str(work / "plan.json"))] = str(work / "long.json")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: episode 2 (5.5 s) longer than preset tiny's limits.max_episode_s 5 s: "
        "plan with --max 5 (or less), or give a --plan whose episodes are at most 5 s; "
        "episode 1 (0.5 s) shorter than preset tiny's limits.min_episode_s 1 s: "
        "plan with --min 1 (or more), or give a --plan whose episodes are at least 1 s"
    )
    assert not (tmp_path / "o").exists()


def test_bad_preset_and_output_errors(work: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = _split(work, tmp_path / "o")
    args[args.index(str(work / "tiny.toml"))] = "tiktokk"
    bad = runner.invoke(cli, args)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: unknown preset") and "tiktokk" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    a_file = tmp_path / "file"
    a_file.write_text("x")
    blocked = runner.invoke(cli, _split(work, a_file))
    assert blocked.exit_code == 2
    assert blocked.stderr.strip() == (
        f"Error: output folder {str(a_file)!r} is a file: choose another -o"
    )
    speed = runner.invoke(cli, [*_split(work, tmp_path / "o"), "--speed", "warp"])
    assert speed.exit_code == 2 and "--speed 'warp' is not an x264 preset" in speed.stderr


def test_dry_run_prints_commands_and_writes_nothing(work: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, _split(work, tmp_path / "o", "--dry-run"))
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if "ffmpeg" in ln]
    assert len(lines) == 3  # three episodes; the loudness measurement ran, it is not printed
    assert "trim=end_frame=50" in lines[0] and "series_E001.mp4" in lines[0]
    assert all('"gain_db": 0.0,' not in ln for ln in lines)  # the measured gains are in them
    assert not (tmp_path / "o").exists()


SCRIPT = """
import signal
signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal, even if
# the test run itself was started with SIGINT ignored (a background job of a script)
import sys
from vidpack.cli.main import main
sys.argv = ["vidpack", *sys.argv[1:]]
main()
"""


@pytest.mark.integration
def test_ctrl_c_leaves_no_partial(work: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = _split(work, out)
    args[args.index("ultrafast")] = "veryslow"
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 30
    while not (out.exists() and any(".partial-" in p.name for p in out.iterdir())):
        assert time.monotonic() < deadline, "no episode started"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 130
    leftovers = [p.name for p in out.iterdir() if p.suffix == ".mp4" or ".partial" in p.name]
    finished = json.loads((out / ".vidpack-split.json").read_text()) if leftovers else {}
    assert not [n for n in leftovers if ".partial" in n]
    # Whatever has a final name was recorded as complete.
    assert all(n in finished.get("files", {}) for n in leftovers)


@pytest.mark.integration
def test_split_plans_when_no_plan_is_given(work: Path, tmp_path: Path) -> None:
    from vidpack.media.probe import probe

    args = _split(work, tmp_path / "o", "--min", "1.5", "--max", "5")
    del args[args.index("--plan") : args.index("--plan") + 2]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "o").glob("*.mp4"))
    assert len(files) >= 2
    frames = sum(round(probe(f).duration * 25) for f in files)
    assert frames == 150  # 6 s at 25 fps, none lost or repeated


@pytest.mark.integration
def test_second_split_on_a_busy_folder_is_refused(work: Path, tmp_path: Path) -> None:
    from tests.lock_holder import lock_held_elsewhere

    out = tmp_path / "out"
    out.mkdir()
    with lock_held_elsewhere(out, "split"):  # another split still writing here
        busy = CliRunner().invoke(cli, _split(work, out))
    assert busy.exit_code == 2
    assert busy.output.startswith("Error: ")
    assert "is being written by another vidpack" in busy.output
    assert not list(out.glob("*.mp4"))
    done = CliRunner().invoke(cli, _split(work, out))
    assert done.exit_code == 0, done.output
    assert len(list(out.glob("*.mp4"))) == 3
