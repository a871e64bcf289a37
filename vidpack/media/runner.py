"""The only place that runs ffmpeg and ffprobe.

Commands are argument lists. Every ffmpeg run gets ``-hide_banner -nostdin -y``, writes stderr to
a temporary file (never an unread pipe), reports progress from ``-progress``, has its exit code
checked and raises :class:`FFmpegError` carrying the last meaningful stderr lines. A child is
killed when the run is interrupted (Ctrl-C, SIGTERM), and ``--dry-run`` prints commands instead of
running them.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import logging
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from vidpack.errors import Cancelled, FFmpegError, StorageError, VidpackError

log = logging.getLogger("vidpack.media")

ProgressFn = Callable[[float], None]

# stderr lines that say nothing about the cause of a failure.
_NOISE = (
    "Conversion failed!",
    "Exiting normally",
    "Press [q]",
    "frame=",
    "size=",
    "video:",
)


# "[mov,mp4,m4a @ 0x55bc6b]" prefixes: noise for a user reading one line.
_ADDR = re.compile(r"^\[[^\]]* @ 0x[0-9a-f]+\]\s*")


@dataclass(slots=True)
class RunSettings:
    """Process-wide switches set once by the CLI (dry run, where to echo commands)."""

    dry_run: bool = False
    echo: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stdout))
    commands_run: int = 0  # how many ffmpeg/ffprobe processes were started (tests, benches)


settings = RunSettings()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise VidpackError(
            f"{name} not found on PATH: install Debian's ffmpeg (apt-get install ffmpeg) "
            "or run `make demo`, which installs it"
        )
    return path


@functools.cache
def _death_prefix(sig: str) -> tuple[str, ...]:
    """``setpriv --pdeathsig SIG`` when this machine's util-linux has it, else nothing."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return ()
    prefix = (setpriv, "--pdeathsig", sig)
    try:
        done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return prefix if done.returncode == 0 else ()


def dying_with_parent(argv: Sequence[str], sig: str = "KILL") -> list[str]:
    """``argv`` made to receive ``sig`` from the kernel when the thread that starts it dies,
    however that happens (a SIGKILLed vidpack or farm worker leaves no child running on).
    Unchanged where util-linux's ``setpriv --pdeathsig`` is missing."""
    return [*_death_prefix(sig), *argv]


def _spawn(argv: Sequence[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """Start a tool process that dies with its parent.

    When vidpack itself was started with SIGINT ignored (a background job of a script), the
    child gets a process group of its own: ffmpeg catches SIGINT whatever it inherits, so a
    Ctrl-C meant for the foreground would otherwise cut its output short under a vidpack that
    carries on.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        kwargs.setdefault("process_group", 0)
    return subprocess.Popen(dying_with_parent(argv), stdin=subprocess.DEVNULL, **kwargs)


def format_command(argv: Sequence[str]) -> str:
    """The command as a shell line (for --dry-run and debug logs)."""
    return shlex.join(argv)


def ffmpeg_argv(args: Sequence[str]) -> list[str]:
    """The full ffmpeg command line for ``args`` (the house flags first)."""
    return [_tool("ffmpeg"), "-hide_banner", "-nostdin", "-y", *args]


def last_error_lines(stderr: str, count: int = 3) -> str:
    """The last ``count`` meaningful lines of an ffmpeg/ffprobe stderr, joined by `` | ``."""
    lines = [_ADDR.sub("", ln).strip() for ln in stderr.splitlines()]
    useful = [ln for ln in lines if ln and not ln.startswith(_NOISE)]
    return " | ".join(useful[-count:]) or "no error output"


# What ffmpeg prints (strerror texts) when an output cannot be written, and the errno it means.
_STORAGE_TEXTS = (
    ("No space left on device", errno.ENOSPC),
    ("Disk quota exceeded", errno.EDQUOT),
    ("Read-only file system", errno.EROFS),
    ("Permission denied", errno.EACCES),
    ("Operation not permitted", errno.EPERM),
    ("File name too long", errno.ENAMETOOLONG),
)


def storage_failure(
    stderr: str,
    argv: Sequence[str],
    *,
    label: str = "",
    written: int = 0,
    fraction: float = 0.0,
) -> StorageError | None:
    """The :class:`StorageError` an ffmpeg failure really was, or ``None`` when it was not one.

    ffmpeg names the cause (``No space left on device``, ``Permission denied``, ``Read-only file
    system``) in a line before its closing statistics; that line decides, whatever follows.

    Args:
        stderr: ffmpeg's whole stderr.
        argv: its command line; the output is its last argument.
        label: what was being made, for the message.
        written: bytes of the output written when it failed (for the rough need).
        fraction: how far through the output ffmpeg was (0..1) when it failed.
    """
    from vidpack.media.atomic import storage_error

    output = Path(argv[-1]) if argv and not str(argv[-1]).startswith(("pipe:", "-")) else None
    inputs = {str(argv[i + 1]) for i, a in enumerate(argv[:-1]) if a == "-i"}
    for line in stderr.splitlines():
        for text, code in _STORAGE_TEXTS:
            if text not in line:
                continue
            if any(name in line for name in inputs) and not (output and str(output) in line):
                break  # an unreadable input: not a storage failure of ours
            where = _ADDR.sub("", line.rpartition(f": {text}")[0]).strip().rpartition(" ")[2]
            if output is not None and (str(output) in line or not where.startswith("/")):
                folder = output.parent
            else:
                folder = Path(where).parent if where.startswith("/") else Path.cwd()
            need = None
            if code in (errno.ENOSPC, errno.EDQUOT) and written:
                need = round(written / fraction) if fraction > 0.01 else written
            return storage_error(code, folder, what=label, need_bytes=need)
    return None


def _stop(proc: subprocess.Popen[Any]) -> None:
    """Terminate a child, then kill it if it does not go within a few seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _read_progress(stream: IO[bytes], duration: float | None, on_progress: ProgressFn) -> None:
    for raw in stream:
        key, _, value = raw.decode("utf-8", "replace").strip().partition("=")
        if key in ("out_time_us", "out_time_ms") and duration and value.isdigit():
            # ffmpeg writes microseconds under both names.
            on_progress(min(1.0, int(value) / 1_000_000 / duration))
        elif key == "progress" and value == "end":
            on_progress(1.0)


def run_ffmpeg(
    args: Sequence[str],
    *,
    duration: float | None = None,
    on_progress: ProgressFn | None = None,
    label: str = "",
    measure: bool = False,
) -> None:
    """Run ``ffmpeg -hide_banner -nostdin -y <args>`` to completion.

    Under a dry run the command is printed instead, unless ``measure`` says it only measures
    (writing nothing but its own temporary files): those run, so what is printed after them
    carries their results.

    Args:
        args: everything after the house flags: inputs, filters, outputs (use temporary output
            names from :func:`vidpack.media.atomic.atomic_output`).
        duration: the output's expected duration in seconds, for progress fractions.
        on_progress: called with a fraction 0..1 as ffmpeg reports progress.
        label: what is being made, for error messages ("episode 3").

    Raises:
        FFmpegError: ffmpeg exited non-zero; the message ends with its last stderr lines.
    """
    argv = ffmpeg_argv(["-nostats", "-progress", "pipe:1", *args])
    if settings.dry_run and not measure:
        settings.echo(format_command(argv))
        return
    log.debug("run: %s", format_command(argv))
    reached = [0.0]

    def progress(fraction: float) -> None:
        reached[0] = fraction
        if on_progress is not None:
            on_progress(fraction)

    with tempfile.TemporaryFile(prefix="vidpack-ffmpeg-") as err:
        settings.commands_run += 1
        proc = _spawn(argv, stdout=subprocess.PIPE, stderr=err)
        try:
            assert proc.stdout is not None
            _read_progress(proc.stdout, duration, progress)
            code = proc.wait()
        except BaseException:
            _stop(proc)
            raise
        finally:
            if proc.stdout:
                proc.stdout.close()
        if code != 0:
            err.seek(0)
            text = err.read().decode("utf-8", "replace")
            written = _size(argv[-1])
            storage = storage_failure(text, argv, label=label, written=written, fraction=reached[0])
            if storage is not None:
                raise storage
            what = f" ({label})" if label else ""
            raise FFmpegError(f"ffmpeg failed{what}: {last_error_lines(text)}", argv)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


@contextlib.contextmanager
def pipe_ffmpeg(args: Sequence[str], *, label: str = "") -> Iterator[IO[bytes]]:
    """Run ffmpeg writing to ``pipe:1`` and yield its stdout for streaming reads.

    The exit code is checked when the block ends; leaving the block early (an exception, or the
    reader stopping) stops the child. Not affected by dry run: it only reads media.

    Raises:
        FFmpegError: ffmpeg exited non-zero.
    """
    argv = ffmpeg_argv(["-nostats", *args])
    log.debug("pipe: %s", format_command(argv))
    with tempfile.TemporaryFile(prefix="vidpack-ffmpeg-") as err:
        settings.commands_run += 1
        proc = _spawn(argv, stdout=subprocess.PIPE, stderr=err, bufsize=1 << 20)
        assert proc.stdout is not None
        try:
            yield proc.stdout
            # Drain what the reader left so ffmpeg can finish writing and exit.
            while proc.stdout.read(1 << 20):
                pass
            code = proc.wait()
        except BaseException:
            _stop(proc)
            raise
        finally:
            proc.stdout.close()
        if code != 0:
            err.seek(0)
            text = err.read().decode("utf-8", "replace")
            what = f" ({label})" if label else ""
            raise FFmpegError(f"ffmpeg failed{what}: {last_error_lines(text)}", argv)


def run_capture(argv: Sequence[str], *, label: str = "") -> tuple[str, str]:
    """Run a short tool command (ffmpeg, ffprobe) and return (stdout, stderr) as text.

    Raises:
        FFmpegError: the tool exited non-zero.
    """
    full = [_tool(argv[0]), *argv[1:]]
    log.debug("run: %s", format_command(full))
    settings.commands_run += 1
    proc = _spawn(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate()
    except BaseException:
        _stop(proc)
        raise
    if proc.returncode != 0:
        what = f" ({label})" if label else ""
        text = err.decode("utf-8", "replace")
        storage = storage_failure(text, full, label=label, written=_size(full[-1]))
        if storage is not None:
            raise storage
        raise FFmpegError(f"{argv[0]} failed{what}: {last_error_lines(text)}", list(full))
    return out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def run_tool_output(args: Sequence[str]) -> str:
    """Stdout of ``ffmpeg -hide_banner <args>`` (capability queries like ``-filters``)."""
    return run_capture(["ffmpeg", "-hide_banner", *args])[0]


def run_ffprobe(args: Sequence[str], *, label: str = "") -> dict[str, Any]:
    """Run ``ffprobe -v error -of json <args>`` and return the parsed JSON.

    Raises:
        FFmpegError: ffprobe failed (message: its last stderr lines).
    """
    out, _ = run_capture(["ffprobe", "-v", "error", "-of", "json", *args], label=label)
    try:
        data = json.loads(out or "{}")
    except json.JSONDecodeError as err:
        raise FFmpegError(f"ffprobe gave unreadable output ({label or 'probe'}): {err}") from None
    return data if isinstance(data, dict) else {}


def install_signal_handlers() -> None:
    """Make SIGTERM raise :class:`Cancelled` so running children are stopped and partial
    outputs removed on the way out (SIGINT already raises KeyboardInterrupt)."""

    def on_term(signum: int, _frame: object) -> None:
        raise Cancelled(signum)

    with contextlib.suppress(ValueError):  # not the main thread (e.g. inside a test runner)
        signal.signal(signal.SIGTERM, on_term)


def default_threads() -> int:
    """Threads for one ffmpeg process: the machine's cores (ffmpeg's own default is similar)."""
    return max(1, os.cpu_count() or 1)
