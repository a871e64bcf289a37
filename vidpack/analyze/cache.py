"""The analysis cache: one JSON file per master and settings, written atomically.

The file lives in ``<master dir>/.vidpack-cache/<stem>.<key>.analysis.json`` (or the configured
cache folder; ``~/.cache/vidpack`` when the master's folder is not writable). ``key`` hashes the
master's identity (absolute path, size, modification time in nanoseconds) and the settings that
change the result, so an edited master or different settings never reuse a stale analysis.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from vidpack.analyze.model import Analysis
from vidpack.analyze.settings import AnalysisSettings
from vidpack.media.atomic import write_text_atomic

log = logging.getLogger("vidpack.analyze")

CACHE_DIR_NAME = ".vidpack-cache"
FORMAT = 1


def identity(master: Path) -> dict[str, Any]:
    """What identifies the master's content for caching: absolute path, size, mtime (ns)."""
    st = master.stat()
    return {"path": str(master.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def cache_key(master: Path, settings: AnalysisSettings) -> str:
    """A short hash of the master's identity and the result-changing settings."""
    text = json.dumps(
        {"master": identity(master), "settings": settings.key_dict(), "format": FORMAT},
        sort_keys=True,
    )
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vidpack"


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def cache_folders(master: Path, settings: AnalysisSettings) -> list[Path]:
    """Folders to look in, in order: the configured one or the one beside the master, then the
    user cache (where a read-only master's analysis goes)."""
    first = Path(settings.cache_dir) if settings.cache_dir else master.parent / CACHE_DIR_NAME
    return [first, _user_cache()]


def cache_name(master: Path, settings: AnalysisSettings) -> str:
    """The cache file's name: ``<stem>.<key>.analysis.json``."""
    return f"{master.stem}.{cache_key(master, settings)}.analysis.json"


def load(master: Path, settings: AnalysisSettings) -> Analysis | None:
    """The cached analysis of ``master`` with ``settings``, or None (missing or unreadable)."""
    name = cache_name(master, settings)
    for folder in cache_folders(master, settings):
        path = folder / name
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("cache", {}).get("key") != cache_key(master, settings):
                continue
            return Analysis.from_dict(data["analysis"])
        except (OSError, ValueError, KeyError, TypeError) as err:
            log.warning("ignoring unreadable analysis cache %s: %s", path, err)
    return None


def save(master: Path, settings: AnalysisSettings, analysis: Analysis) -> Path | None:
    """Write the analysis to the first writable cache folder; None when none is writable.

    A cache that cannot be written is not an error: the next run analyses again.
    """
    name = cache_name(master, settings)
    body = {
        "cache": {"key": cache_key(master, settings), "format": FORMAT, "master": identity(master)},
        "analysis": analysis.to_dict(),
    }
    text = json.dumps(body, separators=(",", ":"))
    for folder in cache_folders(master, settings):
        if not _writable(folder):
            continue
        path = folder / name
        try:
            write_text_atomic(path, text)
        except Exception as err:
            log.warning("cannot write analysis cache %s: %s", path, err)
            continue
        return path
    return None


def clear(master: Path, settings: AnalysisSettings) -> None:
    """Remove the cache file of ``master`` with ``settings`` wherever it is."""
    name = cache_name(master, settings)
    for folder in cache_folders(master, settings):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
