"""Write-then-rename: an output appears under its final name only once it is complete; and the
one description of a write that failed for lack of space or rights (:func:`storage_error`)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from vidpack.errors import StorageError, UsageError

# errno -> (what happened, what to do); the storage failures a user can fix.
STORAGE_ERRNOS = {
    errno.ENOSPC: ("disk full", "free space there or choose another -o"),
    errno.EDQUOT: ("disk quota exceeded", "free space there or choose another -o"),
    errno.EROFS: ("read-only filesystem", "choose a -o on a writable filesystem"),
    errno.EACCES: ("permission denied", "fix the folder's permissions or choose another -o"),
    errno.EPERM: ("permission denied", "fix the folder's permissions or choose another -o"),
    errno.ENAMETOOLONG: ("file name too long", "give a shorter --title or naming template"),
}

PARTIAL_MARK = ".partial-"


def temp_name(path: Path) -> Path:
    """The temporary sibling of ``path``: hidden, same folder, same suffix (ffmpeg picks the muxer
    from it), unique per process."""
    return path.with_name(f".{path.stem}{PARTIAL_MARK}{os.getpid()}{path.suffix}")


def check_writable_dir(folder: Path, option: str = "-o", *, create: bool = True) -> None:
    """Create ``folder`` if needed and make sure files can be written into it; with ``create``
    false, only make sure it could be (its nearest existing parent is a writable folder).

    Raises:
        UsageError: naming ``option`` when the folder cannot be created or written.
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"output folder {str(folder)!r} is a file: choose another {option}")
    if not create and not folder.exists():
        parent = folder.absolute().parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
            why = "Not a directory" if not parent.is_dir() else "Permission denied"
            raise UsageError(
                f"cannot create output folder {str(folder)!r} ({why}): choose another {option}"
            )
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(
            f"cannot create output folder {str(folder)!r} ({err.strerror}): choose another {option}"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        why = "is on a read-only filesystem" if _read_only(folder) else "is not writable"
        raise UsageError(f"output folder {str(folder)!r} {why}: choose another {option}")


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


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
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError) and err.errno in STORAGE_ERRNOS:
            raise storage_error(err.errno, path.parent, what=path.name) from None
        raise
    try:
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError):
            if err.errno in STORAGE_ERRNOS:
                raise storage_error(err.errno, path.parent, what=path.name) from None
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


def storage_error(
    code: int, folder: Path, *, what: str = "", need_bytes: int | None = None
) -> StorageError:
    """The one-line error for a write into ``folder`` that failed with errno ``code``.

    Args:
        code: one of :data:`STORAGE_ERRNOS` (others are described by their strerror).
        folder: the folder written into (its free space is measured for a full disk).
        what: the file or job being written ("episode 3", "tiktok_E001.mp4").
        need_bytes: a rough size of what was to be written, when known.
    """
    cause, advice = STORAGE_ERRNOS.get(code, (os.strerror(code).lower(), "choose another -o"))
    item = f" ({what})" if what else ""
    space = ""
    if code in (errno.ENOSPC, errno.EDQUOT):
        try:
            free = shutil.disk_usage(_existing(folder)).free
        except OSError:
            free = None
        parts = [f"{_mb(free)} free"] if free is not None else []
        if need_bytes:
            parts.append(f"needs roughly {_mb(need_bytes)}")
        space = f": {', '.join(parts)}" if parts else ""
    return StorageError(f"{cause} writing into {str(folder)!r}{item}{space}; {advice}")


def _existing(folder: Path) -> Path:
    folder = Path(folder)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size < 10e9 else f"{size / 1e9:.1f} GB"
