"""One writer per output folder: a held lock refuses a second writer in one line naming the
holder; the kernel releases it when the holder ends, even by SIGKILL (no stale lock)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.lock_holder import lock_held_elsewhere
from vidpack.errors import UsageError
from vidpack.media.lock import LOCK_NAME, folder_lock


def test_second_writer_is_refused_then_admitted(tmp_path: Path) -> None:
    with lock_held_elsewhere(tmp_path, "package") as pid:
        with pytest.raises(UsageError) as err, folder_lock(tmp_path, "split"):
            pass
        message = str(err.value)
        assert f"is being written by another vidpack package (pid {pid})" in message
        assert "choose another -o" in message and "\n" not in message
    with folder_lock(tmp_path, "split"):  # released when the other process let go
        assert (tmp_path / LOCK_NAME).read_text().endswith(" split\n")


def test_reentrant_within_one_process(tmp_path: Path) -> None:
    with folder_lock(tmp_path, "split"), folder_lock(tmp_path, "split"):
        pass  # a command and the stage it calls, on one folder
    with lock_held_elsewhere(tmp_path, "batch"):  # and fully released after both
        pass


def test_disabled_lock_writes_nothing(tmp_path: Path) -> None:
    with folder_lock(tmp_path, "split", enabled=False):
        pass
    assert list(tmp_path.iterdir()) == []


def test_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from vidpack.media.lock import folder_lock\n"
        "with folder_lock(Path(sys.argv[1]), 'batch'):\n"
        "    print('held', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
    with (
        pytest.raises(UsageError, match=rf"another vidpack batch \(pid {holder.pid}\)"),
        folder_lock(tmp_path, "package"),
    ):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    began = time.monotonic()
    with folder_lock(tmp_path, "package"):
        assert time.monotonic() - began < 1.0
