"""The smart-crop path of a master for a split: tracked once per master and target aspect, cached
as JSON beside the analysis cache (``<master dir>/.vidpack-cache/<stem>.<key>.crop.json``, else
the user cache), keyed like it by the master's identity (path, size, mtime) plus the target
aspect, the tracking rate and the shot boundaries used, so an edited master or a new analysis
never reuses a stale path.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from vidpack.analyze.cache import CACHE_DIR_NAME, _user_cache, _writable, identity
from vidpack.analyze.model import Analysis
from vidpack.media.atomic import write_text_atomic
from vidpack.render.croppath import CropPath

log = logging.getLogger("vidpack.render")

FORMAT = 1


def crop_cache_key(
    master: Path, analysis: Analysis | None, dst_w: int, dst_h: int, sample_fps: float
) -> str:
    """A short hash of everything the tracked path depends on."""
    bounds = None if analysis is None else [round(t.time, 6) for t in analysis.transitions]
    text = json.dumps(
        {
            "master": identity(master),
            "aspect": [dst_w, dst_h],
            "fps": sample_fps,
            "bounds": bounds,
            "format": FORMAT,
        },
        sort_keys=True,
    )
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _folders(master: Path) -> list[Path]:
    return [master.parent / CACHE_DIR_NAME, _user_cache()]


def master_crop_path(
    master: Path,
    src_w: int,
    src_h: int,
    dst_w: int,
    dst_h: int,
    analysis: Analysis | None = None,
    *,
    use_cache: bool = True,
) -> CropPath:
    """The smart-crop path of ``master`` for a ``dst_w`` x ``dst_h`` target, from the cache or
    tracked now (and cached).

    Args:
        master: the master file.
        src_w: its display width.
        src_h: its display height.
        dst_w: target width.
        dst_h: target height.
        analysis: its analysis (shot boundaries); None detects hard cuts while tracking.
        use_cache: read and write the cache.

    Raises:
        FFmpegError, VidpackError: the tracking decode failed.
    """
    from vidpack.render.smartcrop import SAMPLE_FPS, track_subject

    master = Path(master)
    key = crop_cache_key(master, analysis, dst_w, dst_h, SAMPLE_FPS)
    name = f"{master.stem}.{key}.crop.json"
    if use_cache:
        for folder in _folders(master):
            path = folder / name
            if not path.is_file():
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("key") == key:
                    return CropPath.from_dict(data["path"])
            except (OSError, ValueError, KeyError, TypeError) as err:
                log.warning("ignoring unreadable crop path cache %s: %s", path, err)
    crop = track_subject(master, analysis, src_w, src_h, dst_w / dst_h)
    if use_cache:
        text = json.dumps({"key": key, "format": FORMAT, "path": crop.to_dict()})
        for folder in _folders(master):
            if not _writable(folder):
                continue
            try:
                write_text_atomic(folder / name, text)
            except OSError as err:
                log.warning("cannot write crop path cache %s: %s", folder / name, err)
                continue
            break
    return crop
