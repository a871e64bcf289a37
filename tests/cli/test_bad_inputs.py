"""Every command (as `vidpack --help` lists them) refuses bad inputs the same way: exit code 2
for usage errors, one line on stderr starting ``Error: `` and naming the option and the value, no
traceback, and nothing written into the -o folder.

Nothing here needs real media: every refusal happens before a file is probed, so an existing
non-media file stands in for the master where the master itself is not the bad input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidpack.cli.main import cli


@dataclass(frozen=True, slots=True)
class Case:
    """One command line (``{m}`` master, ``{dir}`` a folder, ``{out}`` the -o folder, ``{tmp}``
    the test folder, ``{job}`` a job file, ``{srt}`` a subtitle file) and what its one error
    line must start with and contain."""

    id: str
    args: str
    starts: str
    contains: tuple[str, ...] = ()
    code: int = 2


CASES = [
    # a folder or a missing file where a master belongs
    *[
        Case(f"{cmd}-folder-master", f"{cmd} {{dir}} {extra}",
             "Error: MASTER '{dir}' is a folder: give a media file")
        for cmd, extra in [
            ("probe", ""), ("scenes", ""), ("hardsubs", ""), ("plan", ""),
            ("split", "--preset tiktok -o {out}"),
            ("subs", "--subs {srt} -o {out}"), ("thumbs", "--preset tiktok -o {out}"),
            ("trailer", "--preset tiktok --length 15 -o {out}/t.mp4"),
            ("package", "--platform tiktok -o {out}"),
        ]
    ],
    *[
        Case(f"{cmd}-missing-master", f"{cmd} {{tmp}}/nope.mp4 {extra}",
             "Error: file not found: '{tmp}/nope.mp4': check the path")
        for cmd, extra in [
            ("probe", ""), ("scenes", ""), ("hardsubs", ""), ("plan", ""),
            ("split", "--preset tiktok -o {out}"),
            ("package", "--platform tiktok -o {out}"),
        ]
    ],
    # numbers: not finite (refused while parsing), not positive (with the options' other checks)
    *[
        Case(f"{cmd}-{opt[2:]}-{value}", f"{cmd} {{m}} {opt} {value} {extra}",
             f"Error: {opt} {value}: give a finite number of seconds, e.g. {example}")
        for cmd, extra in [
            ("plan", ""), ("split", "--preset tiktok -o {out}"),
            ("subs", "--subs {srt} -o {out}"), ("package", "--platform tiktok -o {out}"),
            ("batch", "--platform tiktok -o {out}"),
        ]
        for opt, value, example in [
            ("--max", "inf", "180"), ("--min", "nan", "60"), ("--target", "1e999", "120"),
            ("--min", "abc", "60"),
        ]
    ],
    *[
        Case(f"{cmd}-{opt[2:]}-{value}", f"{cmd} {{m}} {opt} {value} {extra}",
             f"Error: {where}{opt} {value} is not a positive number of seconds: use e.g. 60")
        for cmd, extra, where in [
            ("plan", "", ""), ("subs", "--subs {srt} -o {out}", ""),
            ("package", "--platform tiktok -o {out}", ""),
            ("batch", "--platform tiktok -o {out}", ""),  # every master's option: said once
        ]
        for opt, value in [("--min", "-5"), ("--max", "0")]
    ],
    Case("batch-connect-timeout-inf", "batch {m} --platform tiktok -o {out} --connect-timeout inf",
         "Error: --connect-timeout inf: give a finite number of seconds above 0, e.g. 10"),
    Case("batch-missing-master", "batch {tmp}/nope.mp4 --platform tiktok -o {out}",
         "Error: MASTERS: master '{tmp}/nope.mp4' does not exist"),
    # files of the wrong kind or missing
    Case("package-missing-series-file",
         "package {m} --platform tiktok -o {out} --series-file {tmp}/none.toml",
         "Error: file not found: '{tmp}/none.toml': check the path"),
    Case("package-folder-series-file",
         "package {m} --platform tiktok -o {out} --series-file {dir}",
         "Error: --series-file '{dir}' is a folder: give a file"),
    Case("batch-missing-series-file",
         "batch {m} --platform tiktok -o {out} --series-file {tmp}/none.toml",
         "Error: file not found: '{tmp}/none.toml': check the path"),
    Case("task-run-missing-jobfile", "task run {tmp}/none.json a/analyze",
         "Error: job file '{tmp}/none.json' does not exist: write one with `vidpack batch"),
    Case("task-run-folder-jobfile", "task run {dir} a/analyze",
         "Error: job file '{dir}' is a folder: give the vidpack-job.json file in it"),
    Case("task-list-missing-jobfile", "task list {tmp}/none.json",
         "Error: job file '{tmp}/none.json' does not exist"),
    Case("qc-file-as-folder", "qc {m}", "Error: Invalid value for 'FOLDER': ",
         ("is a file", "see `vidpack qc --help`")),
    # names that would escape -o
    Case("subs-naming-parent",
         "subs {m} --subs {srt} -o {out} --naming ../../../x_{{stem}}.{{lang}}.{{ext}}",
         "Error: --naming '../../../x_{{stem}}.{{lang}}.{{ext}}' gives the file name ",
         ("is a path, not a plain file name", "use e.g. '{{stem}}.{{lang}}.{{ext}}'")),
    Case("subs-naming-absolute",
         "subs {m} --subs {srt} -o {out} --naming {tmp}/x_{{stem}}.{{lang}}.{{ext}}",
         "Error: --naming '{tmp}/x_{{stem}}.{{lang}}.{{ext}}' gives the file name ",
         ("is a path",)),
    Case("subs-naming-hidden", "subs {m} --subs {srt} -o {out} --naming .{{stem}}.{{lang}}.{{ext}}",
         "Error: --naming '.{{stem}}.{{lang}}.{{ext}}' gives the file name ",
         ("starts with a dot",)),
    # presets and Click's own refusals, as one line too
    Case("doctor-unknown-preset", "doctor --preset nosuch", 'Error: unknown preset "nosuch"'),
    Case("presets-show-unknown", "presets show nosuch", 'Error: unknown preset "nosuch"'),
    Case("trailer-length-0", "trailer {m} --preset tiktok --length 0 -o {out}/t.mp4",
         "Error: --length 0: preset tiktok makes "),
    Case("plan-unknown-option", "plan {m} --bogus", "Error: No such option '--bogus'",
         ("see `vidpack plan --help`",)),
]  # fmt: skip


def test_every_command_has_a_row() -> None:
    commands = set(cli.list_commands(None))  # type: ignore[arg-type]
    covered = {case.args.split()[0] for case in CASES}
    assert covered == commands


@pytest.fixture()
def place(tmp_path: Path) -> Callable[[str], str]:
    master = tmp_path / "master.mp4"
    master.write_text("not media: every refusal comes before the master is read")
    (tmp_path / "folder").mkdir()
    srt = tmp_path / "master.en.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n", encoding="utf-8")
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"vidpack_jobfile": 0}))
    values = {
        "m": str(master), "dir": str(tmp_path / "folder"), "out": str(tmp_path / "out"),
        "tmp": str(tmp_path), "job": str(job), "srt": str(srt),
    }  # fmt: skip
    return lambda text: text.format(**values)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    case: Case, place: Callable[[str], str], tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, place(case.args).split(), prog_name="vidpack")
    assert result.exit_code == case.code, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(place(case.starts)), lines[0]
    for text in case.contains:
        assert place(text) in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    out = tmp_path / "out"
    assert not out.exists() or list(out.rglob("*")) == []
    assert not list(tmp_path.glob("x_*"))  # nothing escaped beside the -o folder


@pytest.mark.integration
@pytest.mark.parametrize("extra", [[], ["--min", "0.1"]])
def test_one_frame_master_is_too_short_to_split_whatever_min(
    tmp_path: Path, extra: list[str]
) -> None:
    """The advice used to be "use --min 0.1 or less", and the same again with --min 0.1."""
    import shutil
    import subprocess

    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    master = tmp_path / "one.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
         "testsrc2=s=180x320:r=25", "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         str(master)],
        check=True,
    )  # fmt: skip
    result = CliRunner().invoke(cli, ["plan", str(master), "-o", str(tmp_path / "p.json"), *extra])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "Error: the master is 0.04 s long: too short to split into episodes; give a longer master"
    ]
    assert not (tmp_path / "p.json").exists()
