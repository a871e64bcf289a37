"""Media facts for QC, measured independently of how a file was made: one ffprobe per file
(streams, format, video packets), one ``ebur128`` pass (audio only), black/freeze detection on
the first and last seconds only, MP4 top-level atoms and image sizes read in Python.

Each measurement is made once per file *content identity* (device, inode, size, modification
time) in a process: platform folders whose episodes are hard links of one shared rendition are
checked once for all of them, while any rewrite of a file (new inode, size or mtime) measures
it again."""

from __future__ import annotations

import functools
import re
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from vidpack.media.runner import run_capture, run_ffprobe

EDGE_S = 2.0  # seconds at each end scanned for black or frozen pictures
BLACK_MIN_S = 1.0
FREEZE_MIN_S = 1.5


P = ParamSpec("P")
R = TypeVar("R")
_memo: dict[tuple[str, tuple[int, int, int, int], tuple[Any, ...]], Any] = {}
_memo_lock = threading.Lock()


def by_file_identity(fn: Callable[P, R]) -> Callable[P, R]:
    """Memoise ``fn(path, *rest)`` on the file's identity (dev, inode, size, mtime) and ``rest``."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        st = Path(args[0]).stat()  # type: ignore[arg-type]
        key = (fn.__name__, (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns), args[1:])
        with _memo_lock:
            if key in _memo and not kwargs:
                return _memo[key]
        value = fn(*args, **kwargs)
        if not kwargs:
            with _memo_lock:
                _memo[key] = value
        return value

    return wrapper


@by_file_identity
def sha256(path: Path) -> str:
    """The SHA-256 of ``path`` (hex)."""
    from vidpack.package.manifest import sha256_file

    return sha256_file(path)


@dataclass(frozen=True, slots=True)
class Loudness:
    """Integrated loudness (LUFS) and true peak (dBTP) from ffmpeg's ebur128 summary."""

    integrated: float | None
    true_peak: float | None


@by_file_identity
def probe_all(path: Path) -> dict[str, Any]:
    """Streams, format and video packets (pts, flags) of ``path`` in one ffprobe run."""
    return run_ffprobe(
        [
            "-show_streams",
            "-show_format",
            "-show_entries",
            "packet=stream_index,pts_time,duration_time,flags",
            "--",
            str(path),
        ],
        label=f"qc {path.name}",
    )


def video_packets(data: dict[str, Any]) -> tuple[list[float], list[float]]:
    """Sorted presentation times of all video packets and of the key packets."""
    streams = data.get("streams") or []
    video = {s.get("index") for s in streams if s.get("codec_type") == "video"}
    times: list[float] = []
    keys: list[float] = []
    for pkt in data.get("packets") or []:
        if pkt.get("stream_index") not in video or pkt.get("pts_time") in (None, "N/A"):
            continue
        t = float(pkt["pts_time"])
        times.append(t)
        if "K" in str(pkt.get("flags", "")):
            keys.append(t)
    return sorted(times), sorted(keys)


@by_file_identity
def top_level_atoms(path: Path) -> list[str]:
    """Names of the top-level MP4 boxes in file order (``ftyp``, ``moov``, ``mdat``...)."""
    names: list[str] = []
    size_total = path.stat().st_size
    with path.open("rb") as fh:
        offset = 0
        while offset + 8 <= size_total and len(names) < 64:
            fh.seek(offset)
            head = fh.read(16)
            size, kind = struct.unpack(">I4s", head[:8])
            if size == 1 and len(head) >= 16:
                size = struct.unpack(">Q", head[8:16])[0]
            elif size == 0:
                size = size_total - offset
            names.append(kind.decode("latin-1"))
            if size < 8:
                break
            offset += size
    return names


@by_file_identity
def x264_open_gop(path: Path) -> bool | None:
    """``open_gop`` from the x264 settings string in the file's SEI, or ``None`` if absent."""
    with path.open("rb") as fh:
        blob = fh.read(4 << 20)
    m = re.search(rb"open_gop=(\d)", blob)
    return None if m is None else m.group(1) != b"0"


@by_file_identity
def loudness(path: Path, stream: int = 0) -> Loudness:
    """One ebur128 pass over audio stream ``stream`` of ``path`` (true peak on)."""
    from vidpack.media.ebur128 import ebur128_summary

    return Loudness(*ebur128_summary(path, label=f"loudness {path.name}", stream=stream))


@by_file_identity
def edge_defects(path: Path, duration: float) -> list[str]:
    """Black or frozen stretches within the first and last :data:`EDGE_S` seconds."""
    problems: list[str] = []
    vf = f"blackdetect=d={BLACK_MIN_S}:pix_th=0.10,freezedetect=n=-60dB:d={FREEZE_MIN_S}"
    for where, seek in (("start", ["-t", str(EDGE_S + 0.5)]), ("end", ["-sseof", str(-EDGE_S)])):
        if where == "end" and duration <= EDGE_S:
            break
        args = ["ffmpeg", "-hide_banner", "-nostdin", "-nostats"]
        args += seek if where == "end" else []
        args += ["-i", str(path)]
        args += seek if where == "start" else []
        args += ["-an", "-sn", "-vf", vf, "-f", "null", "-"]
        _, err = run_capture(args, label=f"edges {path.name}")
        if "black_start" in err:
            problems.append(f"black at {where}")
        if "freeze_start" in err:
            problems.append(f"frozen at {where}")
    return problems


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from a PNG or JPEG header, or ``None`` when unreadable."""
    with path.open("rb") as fh:
        data = fh.read(1 << 20)
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        seg = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(w), int(h)
        i += 2 + seg
    return None
