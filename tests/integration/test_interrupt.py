"""Ctrl-C and SIGTERM stop the ffmpeg child and leave nothing under a final name."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

# A long encode through the real runner and atomic output, exiting with the CLI's exit code.
SCRIPT = """
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
