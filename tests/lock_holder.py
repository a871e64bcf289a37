"""Holding an output folder's lock from another process, as a second vidpack command would see
it (the lock is re-entrant within one process)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

_HOLD = (
    "import sys; from pathlib import Path; from vidpack.media.lock import folder_lock\n"
    "with folder_lock(Path(sys.argv[1]), sys.argv[2]):\n"
    "    print('held', flush=True); sys.stdin.read()\n"
)


@contextlib.contextmanager
def lock_held_elsewhere(folder: Path, command: str) -> Iterator[int]:
    """Hold ``folder``'s lock in a child process for the block; yields the child's pid."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(folder), command],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == b"held"
        yield proc.pid
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
