"""The split state file (``DIR/.vidpack-split.json``): which render key made each episode file,
so a rerun re-renders only what is missing or stale.

An entry is recorded from the finished temporary file *before* it is renamed into place (see
``atomic_output(before_rename=...)``), with its size and modification time, which the rename
keeps. A kill between the two leaves an entry whose file is missing or older (not current): a
finished file never exists unrecorded, so a rerun never remakes it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vidpack.media.atomic import write_text_atomic

STATE_NAME = ".vidpack-split.json"
STATE_VERSION = 1


class SplitState:
    """The state file of one output folder; thread-safe, saved after every change."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_NAME
        self._lock = threading.Lock()
        self._files: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict) and data.get("version") == STATE_VERSION:
            files = data.get("files", {})
            if isinstance(files, dict):
                self._files = {k: v for k, v in files.items() if isinstance(v, dict)}

    def is_current(self, output: Path, key: str) -> bool:
        """Whether ``output`` exists and was made from ``key`` (and not changed since)."""
        with self._lock:
            entry = self._files.get(output.name)
        if entry is None or entry.get("key") != key:
            return False
        try:
            stat = output.stat()
        except OSError:
            return False
        if "mtime_ns" in entry and stat.st_mtime_ns != entry["mtime_ns"]:
            return False
        return bool(stat.st_size == entry.get("size"))

    def record(self, output: Path, key: str, made: Path | None = None) -> None:
        """Remember that ``output`` was made from ``key`` and save; ``made`` is the finished
        temporary file about to be renamed to ``output`` (default: ``output`` itself)."""
        stat = (made or output).stat()
        with self._lock:
            self._files[output.name] = {
                "key": key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            }  # fmt: skip
            self._save()

    def recorder(self, output: Path, key: str) -> Callable[[Path], None]:
        """A ``before_rename`` hook for :func:`atomic_output` that records ``output``."""
        return lambda made: self.record(output, key, made)

    def forget(self, output: Path) -> None:
        """Drop ``output``'s entry (it failed or is being remade) and save."""
        with self._lock:
            if self._files.pop(output.name, None) is not None:
                self._save()

    def _save(self) -> None:
        text = json.dumps({"version": STATE_VERSION, "files": self._files}, indent=1)
        write_text_atomic(self.path, text + "\n")
