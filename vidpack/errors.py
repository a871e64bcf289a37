"""The error types the core raises; the CLI turns them into one line and an exit code.

:class:`Cancelled` is deliberately *not* a :class:`VidpackError` (nor an :class:`Exception`): an
interruption is not a problem a stage may turn into a warning. Like :class:`KeyboardInterrupt` it
derives from :class:`BaseException`, so no ``except VidpackError`` or ``except Exception`` can
swallow it; it always reaches the CLI, which exits 130 (SIGINT) or 143 (SIGTERM).
"""

from __future__ import annotations

import signal


class VidpackError(Exception):
    """A problem the user can fix; ``str(err)`` is one line naming what to change.

    Attributes:
        exit_code: 2 for usage errors (bad options, bad preset), 1 for processing errors.
    """

    exit_code = 1


class UsageError(VidpackError):
    """A bad option, argument, preset or input file: exit code 2."""

    exit_code = 2


class InputError(VidpackError):
    """A media file that cannot be used (not media, no video stream)."""

    exit_code = 1


class FFmpegError(VidpackError):
    """ffmpeg or ffprobe failed; the message carries the last meaningful stderr lines."""

    exit_code = 1

    def __init__(self, message: str, command: list[str] | None = None) -> None:
        super().__init__(message)
        self.command = command or []


class StorageError(VidpackError):
    """An output could not be written: disk full, permission denied, read-only filesystem.

    The message names the cause and the folder (and, for a full disk, the free space).
    """

    exit_code = 1


class Cancelled(BaseException):
    """The run was interrupted by SIGINT (exit 130) or SIGTERM (exit 143).

    A :class:`BaseException`, never caught by a stage's ``except VidpackError``/``except
    Exception``: cleanup happens in ``finally``/``except BaseException`` blocks that re-raise.

    Attributes:
        signum: the signal that interrupted the run.
        exit_code: 143 for SIGTERM, 130 otherwise.
    """

    def __init__(self, signum: int) -> None:
        name = "SIGTERM" if signum == signal.SIGTERM else "SIGINT"
        super().__init__(f"interrupted by {name}; partial outputs removed")
        self.signum = signum
        self.exit_code = 143 if signum == signal.SIGTERM else 130

    def __reduce__(self) -> tuple[type[Cancelled], tuple[int]]:
        # Rebuilt from the signal when it crosses a process pool.
        return (Cancelled, (self.signum,))
