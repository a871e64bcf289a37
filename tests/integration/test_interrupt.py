"""Ctrl-C and SIGTERM stop the ffmpeg child and leave nothing under a final name; an
interruption during promo work ends the run (never a warning); partial promo results are kept;
a full or read-only disk is named as such."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from fixtures.kills import write_promo_preset

pytestmark = pytest.mark.integration

# A long encode through the real runner and atomic output, exiting with the CLI's exit code.
SCRIPT = """
import signal
signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal, even if
# the test run itself was started with SIGINT ignored (a background job of a script)
import sys
from pathlib import Path
from vidpack.errors import Cancelled
from vidpack.media.atomic import atomic_output
from vidpack.media.runner import install_signal_handlers, run_ffmpeg
install_signal_handlers()
out = Path(sys.argv[1])
try:
    with atomic_output(out) as tmp:
        print("started", flush=True)
        run_ffmpeg(["-re", "-f", "lavfi", "-i", "testsrc2=s=160x90:d=60", "-c:v", "libx264",
                    "-threads", "1", str(tmp)])
except Cancelled as err:
    sys.exit(err.exit_code)
except KeyboardInterrupt:
    sys.exit(130)
"""


def _ffmpeg_children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=,comm=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(line.split()[0]) for line in out.stdout.splitlines() if "ffmpeg" in line]


def _alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    # A zombie (state Z) has exited already.
    return stat.exists() and stat.read_text().split(") ", 1)[1][:1] != "Z"


def _start_encoding(folder: Path) -> tuple[subprocess.Popen[str], int]:
    """Start SCRIPT writing ``folder/episode.mp4``; wait for its partial file and ffmpeg child."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(folder / "episode.mp4")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 10
    while not any(p.name.startswith(".episode.partial-") for p in folder.iterdir()):
        assert time.monotonic() < deadline, "ffmpeg never started writing"
        time.sleep(0.05)
    children = _ffmpeg_children(proc.pid)
    assert len(children) == 1
    return proc, children[0]


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_kills_child_and_removes_partial(tmp_path: Path, signum: int, code: int) -> None:
    proc, child = _start_encoding(tmp_path)
    proc.send_signal(signum)
    assert proc.wait(timeout=15) == code
    assert list(tmp_path.iterdir()) == []
    assert not _alive(child)


def test_sigkilled_parent_takes_its_ffmpeg_with_it(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the kernel must stop the child (pdeathsig), or it would encode on
    (a killed farm worker's ffmpeg eating the node's CPU for nothing)."""
    proc, child = _start_encoding(tmp_path)
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while _alive(child):
        assert time.monotonic() < deadline, "ffmpeg outlived its SIGKILLed parent"
        time.sleep(0.05)
    assert not (tmp_path / "episode.mp4").exists()


def test_with_sigint_ignored_a_group_sigint_leaves_ffmpeg_alone(tmp_path: Path) -> None:
    """Started with SIGINT ignored (a background job of a script), vidpack carries on through a
    SIGINT to its process group; its ffmpeg, which catches SIGINT whatever it inherits, runs in
    a group of its own, so its output is not cut short (it was: a trailer under a package that
    then exited 0)."""
    script = (
        "import sys\nfrom vidpack.media.runner import run_ffmpeg\n"
        "print('started', flush=True)\n"
        "run_ffmpeg(['-re', '-f', 'lavfi', '-i', 'testsrc2=s=160x90:d=3', '-c:v', 'libx264',"
        " '-threads', '1', sys.argv[1]])\n"
    )
    out = tmp_path / "clip.mp4"
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 10
    while not _ffmpeg_children(proc.pid):
        assert time.monotonic() < deadline, "ffmpeg never started"
        time.sleep(0.05)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    from vidpack.media.probe import probe

    assert probe(out).duration == pytest.approx(3.0, abs=0.1)  # all of it, not cut at 1 s


# An interruption during promo work is never a warning -----------------------------------------


def _package_args(master: Path, out: Path, preset: Path) -> list[str]:
    return [
        "package", str(master), "-o", str(out), "--platform", str(preset), "--min", "15",
        "--max", "30", "--speed", "ultrafast", "--title", "Test Show",
    ]  # fmt: skip


def test_sigterm_during_trailers_exits_143_without_manifest(
    vertical_master: Any, tmp_path: Path
) -> None:
    """The issue's item 1: SIGTERM while a trailer renders used to become "trailers skipped",
    exit 0 and a manifest; now it ends the run with 143 and leaves no manifest or record."""
    preset = write_promo_preset(tmp_path, "tiny-promo", trailers="15")
    out = tmp_path / "out"
    code = "from vidpack.cli.main import main; main()"
    args = _package_args(vertical_master.path, out, preset)
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    promo = out / ".vidpack" / "promo"
    deadline = time.monotonic() + 240
    while not list(promo.glob("*/.*.partial-*.mp4")):
        assert proc.poll() is None, f"package ended before its trailer: {proc.stderr.read()!r}"
        assert time.monotonic() < deadline, "the trailer never started rendering"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    assert err.strip().splitlines()[-1] == (
        "Error: interrupted by SIGTERM; partial outputs removed"
    )
    assert not list(out.glob("*/manifest.json"))
    assert not list(promo.glob("*/done.json"))  # nothing recorded as made or skipped
    assert not list(out.rglob(".*.partial-*"))


def test_too_short_for_one_trailer_keeps_the_others_and_rerun_renders_nothing(
    vertical_master: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's item 2: the 1-minute master cannot give a 60 s trailer; the 5 s and 10 s ones
    are delivered, the 60 s one is a warning with advice `package` can follow, and a rerun of
    the finished package starts no encode at all."""
    from click.testing import CliRunner

    from vidpack.cli.main import cli
    from vidpack.media import runner

    preset = write_promo_preset(tmp_path, "tiny-promo", trailers="5, 10, 60")
    out = tmp_path / "out"
    args = _package_args(vertical_master.path, out, preset)
    encodes: list[list[str]] = []
    spawn = runner._spawn

    def counting(argv: Any, **kwargs: Any) -> Any:
        if "-progress" in argv:  # run_ffmpeg: a command that writes a file
            encodes.append(list(argv))
        return spawn(argv, **kwargs)

    monkeypatch.setattr(runner, "_spawn", counting)
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    manifest = json.loads((out / "tiny-promo" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(t["length"] for t in manifest["trailers"]) == [5, 10]
    for trailer in manifest["trailers"]:
        assert (out / "tiny-promo" / trailer["file"]).is_file()
        assert abs(trailer["duration"] - trailer["length"]) < 0.1
    skipped = [w for w in manifest["warnings"] if w.startswith("trailer 60 s skipped: ")]
    assert len(skipped) == 1, manifest["warnings"]
    assert "--length" not in skipped[0] and "--from-episodes" not in skipped[0]
    assert skipped[0].endswith(
        "give --platform a preset file whose [trailers] lengths leave it out, or --no-promo"
    )
    assert f"Warning: tiny-promo: {skipped[0]}" in first.stderr  # the end-of-run summary too
    assert encodes, "the first run encoded nothing?"
    encodes.clear()
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert encodes == []
    again = json.loads((out / "tiny-promo" / "manifest.json").read_text(encoding="utf-8"))
    assert again["trailers"] == manifest["trailers"]
    assert skipped[0] in again["warnings"]


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
@pytest.mark.parametrize(
    ("options", "cause"),
    [("size=64k", "disk full writing into "), ("ro", "read-only filesystem writing into ")],
)
def test_full_or_read_only_disk_is_named_and_leaves_nothing(
    tmp_path: Path, options: str, cause: str
) -> None:
    """A real encode into a 64 kB tmpfs and into a read-only one, mounted in a private mount
    namespace (nothing changes for anyone else on the machine)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    script = (
        "import sys; from pathlib import Path\n"
        "from vidpack.errors import StorageError\n"
        "from vidpack.media.atomic import atomic_output\n"
        "from vidpack.media.runner import run_ffmpeg\n"
        "out = Path(sys.argv[1]) / 'episode.mp4'\n"
        "try:\n"
        "    with atomic_output(out) as tmp:\n"
        "        run_ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=320x240:d=4', '-c:v', 'libx264',\n"
        "                    '-preset', 'ultrafast', '-threads', '1', str(tmp)], duration=4,\n"
        "                   label='episode 1')\n"
        "except StorageError as err:\n"
        "    print(err); sys.exit(err.exit_code)\n"
        "print('no error')\n"
    )
    shell = (
        f"mount -t tmpfs -o {options} tmpfs {folder} || exit 77; "
        f'{sys.executable} -c "$0" {folder}; code=$?; ls -A {folder}; exit $code'
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", shell, script], capture_output=True, text=True, check=False
    )
    if done.returncode == 77:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    lines = done.stdout.splitlines()
    assert done.returncode == 1, done.stdout + done.stderr
    assert lines[0].startswith(f"{cause}{str(folder)!r} (episode 1)"), lines
    if "full" in cause:
        assert " MB free" in lines[0] and "choose another -o" in lines[0]
    assert lines[1:] == []  # `ls -A`: nothing half-written left in the folder


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_read_only_output_folder_is_refused_up_front_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    script = (
        "import sys; from pathlib import Path\n"
        "from vidpack.errors import UsageError\n"
        "from vidpack.media.atomic import check_writable_dir\n"
        "try:\n"
        "    check_writable_dir(Path(sys.argv[1]))\n"
        "except UsageError as err:\n"
        "    print(err); sys.exit(err.exit_code)\n"
    )
    shell = f'mount -t tmpfs -o ro tmpfs {folder} || exit 77; {sys.executable} -c "$0" {folder}'
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", shell, script], capture_output=True, text=True, check=False
    )
    if done.returncode == 77:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout.strip() == (
        f"output folder {str(folder)!r} is on a read-only filesystem: choose another -o"
    )
