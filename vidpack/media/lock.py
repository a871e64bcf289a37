"""One writer per output folder: ``split``, ``package`` and ``batch`` hold an exclusive lock on
their ``-o`` folder, so a second command started on the same folder stops at once with a clear
message instead of racing the first one over the same files.

The lock is ``flock`` on ``DIR/.vidpack.lock`` (released by the kernel when the process ends,
however it ends; works on local disks and NFSv4). The file keeps the holder's pid and command for
the message; it is left in place, as removing a lock file races the next locker. The lock is
re-entrant within one process (a command and the stage it calls may both take it), which also
keeps NFS's per-process emulation of ``flock`` from releasing it early.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from vidpack.errors import UsageError

LOCK_NAME = ".vidpack.lock"

_held: dict[str, int] = {}  # folders this process holds, with their nesting depth
_held_lock = threading.Lock()


@contextlib.contextmanager
def folder_lock(folder: Path, command: str, *, enabled: bool = True) -> Iterator[None]:
    """Hold ``folder``'s lock for the block (the folder must exist and be writable); nothing
    when not ``enabled`` (a dry run writes nothing).

    Raises:
        UsageError: another process holds it (named with its pid and command).
    """
    if not enabled:
        yield
        return
    key = os.path.realpath(folder)
    with _held_lock:
        if key in _held:
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _held_lock:
                _held[key] -= 1
        return
    with _flock(Path(folder), command):
        with _held_lock:
            _held[key] = 1
        try:
            yield
        finally:
            with _held_lock:
                del _held[key]


def check_free(folder: Path, command: str) -> None:
    """Refuse at once a folder another process holds (before slow work that precedes taking the
    lock itself); a folder with no lock file is free.

    Raises:
        UsageError: as :func:`folder_lock`.
    """
    with _held_lock:
        if os.path.realpath(folder) in _held:
            return
    if (Path(folder) / LOCK_NAME).is_file():
        with _flock(Path(folder), command):
            pass


@contextlib.contextmanager
def _flock(folder: Path, command: str) -> Iterator[None]:
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise UsageError(
            f"cannot create {str(path)!r} ({err.strerror}): choose another -o"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid, _, command_held = os.pread(fd, 200, 0).decode("utf-8", "replace").partition(" ")
            holder = f"vidpack {command_held.strip()} (pid {pid})" if pid else "vidpack"
            raise UsageError(
                f"{str(folder)!r} is being written by another {holder}: wait for it to "
                "finish, or choose another -o"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
