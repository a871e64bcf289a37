"""Write-then-rename: an output appears under its final name only once it is complete."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from vidpack.errors import UsageError

PARTIAL_MARK = ".partial-"


def temp_name(path: Path) -> Path:
    """The temporary sibling of ``path``: hidden, same folder, same suffix (ffmpeg picks the muxer
    from it), unique per process."""
    return path.with_name(f".{path.stem}{PARTIAL_MARK}{os.getpid()}{path.suffix}")


def check_writable_dir(folder: Path, option: str = "-o") -> None:
    """Create ``folder`` if needed and make sure files can be written into it.

    Raises:
        UsageError: naming ``option`` when the folder cannot be created or written.
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"output folder {str(folder)!r} is a file: choose another {option}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(
            f"cannot create output folder {str(folder)!r} ({err.strerror}): choose another {option}"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"output folder {str(folder)!r} is not writable: choose another {option}")


@contextlib.contextmanager
def atomic_output(
    path: Path, before_rename: Callable[[Path], None] | None = None
) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` when the block succeeds.

    On any exception (including KeyboardInterrupt) the temporary file is removed and the final
    name is left untouched, so a killed run never leaves something that looks finished.
    ``before_rename(tmp)`` runs on the complete file just before the rename: a caller records
    what it made there, so the file never exists under its final name unrecorded.
    """
    path = Path(path)
    tmp = temp_name(path)
    try:
        yield tmp
        if before_rename is not None:
            before_rename(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    try:
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError):
            raise UsageError(f"cannot write {str(path)!r}: {err.strerror}") from None
        raise


def remove_stale_partials(folder: Path, *, recursive: bool = False) -> int:
    """Remove temporary files under ``folder`` left by a vidpack that was killed outright
    (SIGKILL, power loss): those whose process is gone. Returns how many were removed."""
    found = (
        Path(folder).rglob(f".*{PARTIAL_MARK}*")
        if recursive
        else Path(folder).glob(f".*{PARTIAL_MARK}*")
    )
    removed = 0
    for path in found:
        pid = path.name.rpartition(PARTIAL_MARK)[2].partition(".")[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through :func:`atomic_output`."""
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
