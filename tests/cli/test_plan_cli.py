"""`vidpack plan` through Click: the plan table, files written, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vidpack.cli.main import cli
from vidpack.media.runner import run_ffmpeg


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan-cli") / "short.mp4"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=s=180x320:r=25:d=3", "-c:v", "libx264", "-preset",
         "ultrafast", str(path)]
    )  # fmt: skip
    return path


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(cli, ["plan", *args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--min", "200", "--max", "180"],
            "Error: --min 200 is larger than --max 180: use a --min of at most 180",
        ),
        (
            ["--min", "0", "--max", "-3"],
            "Error: --min 0 is not a positive number of seconds: use e.g. 60; "
            "--max -3 is not a positive number of seconds: use e.g. 60",
        ),
        (
            ["--target", "30"],
            "Error: --target 30 is outside --min 60 .. --max 180: use a target in that range",
        ),
    ],
)
def test_bad_lengths_exit_2_naming_the_option(
    short_clip: Path, args: list[str], message: str
) -> None:
    result = _run([str(short_clip), *args])
    assert result.exit_code == 2
    assert result.output.strip() == message


def test_master_shorter_than_min_exits_2(short_clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = _run([str(short_clip), "--min", "10", "--max", "20", "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: the master is 3.0 s long, shorter than --min 10: use --min 3 or less"
    )
    assert not out.exists()


def test_missing_master(tmp_path: Path) -> None:
    result = _run([str(tmp_path / "nope.mp4"), "-o", str(tmp_path / "p.json")])
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == f"Error: file not found: {str(tmp_path / 'nope.mp4')!r}: check the path"
    )


def test_unwritable_outputs_exit_2_naming_the_option(short_clip: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = _run([str(short_clip), "-o", str(blocker / "plan.json")])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: output folder {str(blocker)!r} is a file: choose another -o"
    )
    result = _run([str(short_clip), "-o", str(tmp_path / "p.json"), "--otio", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: --otio {str(tmp_path)!r} is a folder: give a file name"
    same = str(tmp_path / "x.out")
    result = _run([str(short_clip), "-o", same, "--edl", same])
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: --edl and -o both write {same!r}: give two names"


def test_help_lists_the_plan_options() -> None:
    result = CliRunner().invoke(cli, ["plan", "--help"])
    assert result.exit_code == 0
    for option in ("--min", "--max", "--target", "--otio", "--edl", "--png", "--no-cache", "-o"):
        assert option in result.output


def _table_rows(output: str) -> list[list[str]]:
    lines = output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("#"))
    rows = []
    for line in lines[head + 2 :]:
        if not line[:1].isdigit() or "episodes over" in line:
            break
        rows.append(line.split())
    return rows


@pytest.mark.integration
def test_plan_writes_plan_and_exports(vertical_master: Any, tmp_path: Path) -> None:
    import opentimelineio as otio

    from vidpack.plan.planfile import load_plan_for

    out = tmp_path / "plan.json"
    otio_path, edl_path, png_path = tmp_path / "p.otio", tmp_path / "p.edl", tmp_path / "p.png"
    args = [str(vertical_master.path), "--min", "10", "--max", "25", "-o", str(out)]
    args += ["--otio", str(otio_path), "--edl", str(edl_path), "--png", str(png_path)]
    result = CliRunner().invoke(cli, ["plan", *args])
    assert result.exit_code == 0, result.output + result.stderr
    plan = load_plan_for(out, vertical_master.path)
    data = json.loads(out.read_text())
    rows = _table_rows(result.stdout)
    assert len(rows) == len(plan.episodes) == len(data["episodes"])
    for row, ep in zip(rows, plan.episodes, strict=True):
        assert row[0] == str(ep.index)
        assert row[3] == f"{ep.duration:.1f}"
    summary = f"{len(plan.episodes)} episodes over 01:00.0; wrote {out}, {otio_path}, {edl_path}, "
    assert f"{summary}{png_path}\n" in result.stdout
    assert result.stderr == "".join(f"Warning: {w}\n" for w in plan.warnings)
    timeline = otio.adapters.read_from_file(str(otio_path))
    starts = [m.marked_range.start_time.value for m in timeline.tracks.markers]
    assert starts == [e.start_frame for e in plan.episodes]
    edl = otio.adapters.read_from_file(str(edl_path), adapter_name="cmx_3600", rate=25)
    assert [c.source_range.start_time.value for c in edl.tracks[0].find_clips()] == starts
    assert png_path.stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.edl", "p.otio", "p.png", "plan.json"]


def test_plan_to_stdout_is_the_plan_file_and_nothing_else(
    vertical_master: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o -`: the plan JSON alone on stdout (it was written to a file named `-`), byte for byte
    what `-o FILE` writes; the table and summary on stderr; `--otio -` is refused."""
    monkeypatch.chdir(tmp_path)
    args = [str(vertical_master.path), "--min", "10", "--max", "25"]
    piped = CliRunner().invoke(cli, ["plan", *args, "-o", "-"])
    assert piped.exit_code == 0, piped.output
    assert list(tmp_path.iterdir()) == []  # no file named "-", no default plan file
    filed = CliRunner().invoke(cli, ["plan", *args, "-o", str(tmp_path / "p.json")])
    assert piped.stdout == (tmp_path / "p.json").read_text(encoding="utf-8")
    count = len(json.loads(piped.stdout)["episodes"])
    assert f"{count} episodes over 01:00.0; wrote stdout\n" in piped.stderr
    assert _table_rows(piped.stderr) == _table_rows(filed.stdout)
    refused = CliRunner().invoke(cli, ["plan", *args, "--otio", "-"])
    assert refused.exit_code == 2
    assert refused.output.strip() == (
        "Error: --otio -: only -o writes to stdout; give --otio a file name"
    )


def test_table_marks_each_compromise() -> None:
    from vidpack.analyze.model import Analysis, Interval, Transition
    from vidpack.cli.plan import episode_table
    from vidpack.plan.model import PlanOptions
    from vidpack.plan.optimize import plan_episodes

    # 0-100 on a cut inside a line, then 100-400 has no cut: split at a pause in speech.
    analysis = Analysis(
        master="m.mp4",
        duration=400.0,
        fps=25.0,
        frame_count=10000,
        transitions=(Transition(100.0, 2500, "cut", 0.9),),
        speech=(Interval(99.0, 101.0), Interval(102.0, 249.0), Interval(251.0, 399.0)),
    )
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    assert episode_table(plan).splitlines() == [
        "#  start    end      seconds  starts on  margin     notes",
        "-  -------  -------  -------  ---------  ---------  ------------",
        "1  00:00.0  01:40.0  100.0    start",
        "2  01:40.0  04:10.0  150.0    cut 0.90   0.00/0.00  in dialogue",
        "3  04:10.0  06:40.0  150.0    pause      1.00/1.00  not on a cut",
    ]


@pytest.mark.integration
def test_default_output_is_named_after_the_master(
    vertical_master: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["plan", str(vertical_master.path), "--min", "20"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vertical.plan.json"]
    data = json.loads((tmp_path / "vertical.plan.json").read_text())
    assert data["options"]["min_s"] == 20.0
    assert data["options"]["max_s"] == 180.0
    assert [(e["start"], e["end"]) for e in data["episodes"]] == [(0.0, 60.0)]


@pytest.fixture(scope="module")
def three_shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 s, no audio, hard cuts at 4 s and 8 s (three different test pictures)."""
    path = tmp_path_factory.mktemp("plan-subs") / "three.mp4"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=s=180x320:r=25:d=4",
         "-f", "lavfi", "-i", "rgbtestsrc=s=180x320:r=25:d=4",
         "-f", "lavfi", "-i", "smptebars=s=180x320:r=25:d=4",
         "-filter_complex", "[0][1][2]concat=n=3:v=1:a=0,format=yuv420p",
         "-c:v", "libx264", "-preset", "ultrafast", str(path)]
    )  # fmt: skip
    return path


def _srt(path: Path, start: str, end: str) -> Path:
    path.write_text(f"1\n00:00:{start} --> 00:00:{end}\nA line.\n\n", encoding="utf-8")
    return path


@pytest.mark.integration
def test_plan_subs_keeps_boundaries_out_of_cues(three_shots: Path, tmp_path: Path) -> None:
    # The cut at 4 s lies inside the English cue; the Korean one starts 1 s after the cut at 8 s.
    en = _srt(tmp_path / "three.en.srt", "03,600", "04,400")
    ko = _srt(tmp_path / "ko.srt", "09,000", "10,000")
    out = tmp_path / "plan.json"
    args = [str(three_shots), "--min", "3", "--max", "9", "-o", str(out), "--no-cache"]
    result = _run([*args, "--subs", str(en), "--subs", f"ko={ko}"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "#  start    end      seconds  starts on  margin     notes",
        "-  -------  -------  -------  ---------  ---------  -----",
        "1  00:00.0  00:08.0  8.0      start",
        "2  00:08.0  00:12.0  4.0      cut 1.00   3.60/1.00",
        f"2 episodes over 00:12.0; wrote {out}",
        "Note: the master has no audio: planned on shot transitions and subtitle cues alone, "
        "with no speech to keep clear of",
    ]
    assert result.stderr == ""
    data = json.loads(out.read_text())
    assert [e["margin"] for e in data["episodes"]] == [None, {"before": 3.6, "after": 1.0}]
    assert data["notes"] == [result.stdout.splitlines()[-1].removeprefix("Note: ")]
    # Without the subtitles the cut at 4 s is the even split's.
    result = _run(args)
    assert result.exit_code == 0, result.output
    assert [row[1] for row in _table_rows(result.stdout)] == ["00:00.0", "00:04.0", "00:08.0"]


def test_plan_subs_bad_value_exits_2_naming_subs(short_clip: Path, tmp_path: Path) -> None:
    result = _run([str(short_clip), "--subs", str(tmp_path / "nope.en.srt")])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: --subs {str(tmp_path / 'nope.en.srt')!r}: no such file; give an existing SRT, "
        "ASS or VTT file"
    )
    assert not (tmp_path / "short.plan.json").exists()


def test_plan_help_has_subs_but_no_subs_mode() -> None:
    result = CliRunner().invoke(cli, ["plan", "--help"])
    assert result.exit_code == 0
    for option in ("--subs", "--subs-encoding", "--strict"):
        assert option in result.output
    assert "--subs-mode" not in result.output
