"""The error types the core raises; the CLI turns them into one line and an exit code."""

from __future__ import annotations


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
    """A media file that cannot be used (missing, not media, no video stream)."""

    exit_code = 1


class FFmpegError(VidpackError):
    """ffmpeg or ffprobe failed; the message carries the last meaningful stderr lines."""

    exit_code = 1

    def __init__(self, message: str, command: list[str] | None = None) -> None:
        super().__init__(message)
        self.command = command or []


class Cancelled(VidpackError):
    """The run was interrupted by SIGINT (exit 130) or SIGTERM (exit 143)."""

    def __init__(self, signum: int) -> None:
        import signal

        name = "SIGTERM" if signum == signal.SIGTERM else "SIGINT"
        super().__init__(f"interrupted by {name}; partial outputs removed")
        self.exit_code = 143 if signum == signal.SIGTERM else 130
