"""Task stamps and fingerprints: a stamp (``<master out>/.vidpack/farm/stamps/<task>.json``)
records the fingerprint a task finished with and the size and modification time of its outputs;
the task is current while they all still match."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from vidpack import __version__
from vidpack.farm.model import MasterJob, Task
from vidpack.media.atomic import write_text_atomic


def digest(data: Any) -> str:
    """A short hash of JSON-able ``data``."""
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def identity(path: str | Path) -> list[Any]:
    """A file's path, size and modification time (``None`` size when missing)."""
    try:
        st = Path(path).stat()
    except OSError:
        return [str(path), None]
    return [str(path), st.st_size, st.st_mtime_ns]


def file_hash(path: Path) -> str:
    """The SHA-256 of a (small) file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamp_path(job: MasterJob, task: Task | str) -> Path:
    task_id = task if isinstance(task, str) else task.id
    return job.work / "stamps" / (task_id.replace("/", "__") + ".json")


def stamp_fingerprint(job: MasterJob, task_id: str) -> str | None:
    """The fingerprint in the stamp of task ``task_id`` (``None``: never finished)."""
    try:
        data = json.loads(_stamp_path(job, task_id).read_text(encoding="utf-8"))
        return str(data["fingerprint"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_current(job: MasterJob, task: Task, fingerprint: str) -> bool:
    """Whether ``task`` finished with ``fingerprint`` and its outputs are still there."""
    try:
        data = json.loads(_stamp_path(job, task).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint:
        return False
    for path, facts in data.get("outputs", {}).items():
        size, mtime = facts if isinstance(facts, list) else (facts, None)  # older: size only
        try:
            st = Path(path).stat()
        except OSError:
            return False
        if st.st_size != size or (mtime is not None and st.st_mtime_ns != mtime):
            return False
    return True


def write_stamp(
    job: MasterJob,
    task: Task,
    fingerprint: str,
    outputs: list[Path],
    made: list[Path] | None = None,
) -> None:
    """Record that ``task`` finished with ``fingerprint`` making ``outputs`` (call it last).

    ``made``: the finished temporary files about to be renamed to ``outputs`` (their size and
    modification time survive the rename), so a file is recorded before it appears.
    """
    stats = [p.stat() for p in (made or outputs)]
    data = {
        "task": task.id,
        "fingerprint": fingerprint,
        "outputs": {
            str(p): [st.st_size, st.st_mtime_ns] for p, st in zip(outputs, stats, strict=True)
        },
        "vidpack_version": __version__,
    }
    path = _stamp_path(job, task)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(data, indent=1) + "\n")


def forget(job: MasterJob, task: Task) -> None:
    """Drop ``task``'s stamp (it is being remade)."""
    _stamp_path(job, task).unlink(missing_ok=True)
