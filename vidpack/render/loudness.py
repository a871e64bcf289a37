"""Per-episode loudness from ONE audio-only pass over the master, and the gain that brings each
episode to the preset's target.

The pass decodes the master's audio once, downmixed to the preset's layout, and records every
100 ms the momentary loudness (ebur128: the 400 ms block ending there) and the peak of the 4x
oversampled signal (astats: an estimate of the true peak). Each episode's integrated loudness
is then the BS.1770 gated mean of the blocks inside it (absolute gate -70 LUFS, relative gate
-10 LU), and its true peak the largest oversampled peak inside it. One decode serves any number
of episodes.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vidpack.media.runner import run_ffmpeg

HOP_S = 0.1  # ebur128 updates every 100 ms
BLOCK_S = 0.4  # a momentary block spans 400 ms
SILENT_LUFS = -70.0
TP_MARGIN_DB = 0.5  # the oversampled peak estimate reads a little low; limit this much early


@dataclass(frozen=True, slots=True)
class Loudness:
    """One span's loudness: integrated (LUFS; -70 for silence) and true peak (dBTP)."""

    integrated: float
    true_peak: float


@dataclass(frozen=True, slots=True)
class Meter:
    """The pass's readings: per 100 ms hop, block loudness and oversampled peak (dB)."""

    momentary: tuple[float, ...]
    peaks: tuple[float, ...]

    def span(self, start: float, end: float) -> Loudness:
        """The loudness of the master span [start, end) seconds."""
        # Block i (reading at i*HOP) covers [(i+1)*HOP - BLOCK, (i+1)*HOP).
        first = max(0, math.ceil((start + BLOCK_S) / HOP_S - 1 - 1e-6))
        last = math.floor(end / HOP_S - 1 + 1e-6)
        blocks = self.momentary[first : last + 1]
        if not blocks:  # shorter than a block: take the overlapping readings
            lo = max(0, math.floor(start / HOP_S))
            blocks = self.momentary[lo : max(lo + 1, math.ceil(end / HOP_S) + 3)]
        lo_p = max(0, math.floor(start / HOP_S))
        hi_p = max(lo_p + 1, math.ceil(end / HOP_S))
        peaks = self.peaks[lo_p:hi_p]
        return Loudness(gated_loudness(blocks), max(peaks) if peaks else -120.0)


def gated_loudness(blocks: Sequence[float]) -> float:
    """BS.1770-4 integrated loudness of momentary block loudnesses (LUFS)."""
    kept = [b for b in blocks if b > SILENT_LUFS]
    if not kept:
        return SILENT_LUFS

    def mean(values: Sequence[float]) -> float:
        energy = sum(10 ** ((v + 0.691) / 10) for v in values) / len(values)
        return -0.691 + 10 * math.log10(energy)

    relative = mean(kept) - 10
    gated = [b for b in kept if b > relative]
    return mean(gated) if gated else SILENT_LUFS


def _read_values(path: Path, key: str) -> list[float]:
    values: list[float] = []
    prefix = key + "="
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(prefix):
            text = line[len(prefix) :].strip()
            try:
                value = float(text)
            except ValueError:
                value = -120.0
            values.append(value if math.isfinite(value) else -120.0)
    return values


def measure(
    master: str,
    *,
    stream: int,
    sample_rate: int,
    channels: int,
    duration: float | None = None,
    threads: int = 1,
) -> Meter:
    """Meter the master's audio stream ``stream`` (absolute index) in one pass.

    Args:
        master: the master's path.
        stream: the audio stream's index in the file.
        sample_rate: the preset's rate (the measurement is of the audio as it will be encoded).
        channels: the preset's channel count (5.1 is downmixed as in the encode).
        duration: the master's duration, for nothing but ffmpeg's progress.
        threads: ffmpeg threads.

    Raises:
        FFmpegError: ffmpeg failed.
    """
    layout = "mono" if channels == 1 else "stereo"
    hop = round(sample_rate * HOP_S)
    with tempfile.TemporaryDirectory(prefix="vidpack-loudness-") as tmp:
        m_file = Path(tmp) / "m.txt"
        p_file = Path(tmp) / "p.txt"
        graph = (
            f"[0:{stream}]aresample={sample_rate},aformat=channel_layouts={layout},"
            f"asetnsamples=n={hop}:p=0,asplit[a][b];"
            f"[a]ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.M:"
            f"file={_escape(m_file)}[out];"
            f"[b]aresample={sample_rate * 4},asetnsamples=n={hop * 4}:p=0,"
            "astats=metadata=1:reset=1:measure_perchannel=none:measure_overall=Peak_level,"
            "ametadata=mode=print:key=lavfi.astats.Overall.Peak_level:"
            f"file={_escape(p_file)},anullsink"
        )
        run_ffmpeg(
            [
                *("-threads", str(threads)),
                *("-vn", "-sn", "-dn", "-i", master),
                *("-filter_complex", graph),
                *("-map", "[out]", "-f", "null", "-"),
            ],
            duration=duration,
            label="loudness measurement",
        )
        if not m_file.exists():  # dry run
            return Meter((), ())
        momentary = _read_values(m_file, "lavfi.r128.M")
        peaks = _read_values(p_file, "lavfi.astats.Overall.Peak_level")
    return Meter(tuple(momentary), tuple(peaks))


def _escape(path: Path) -> str:
    """``path`` escaped as a filter option value inside a filtergraph (both levels)."""
    value = str(path).replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:")
    out = []
    for char in value:
        out.append("\\" + char if char in "\\'[],;" else char)
    return "".join(out)


def gain_for(
    level: Loudness, target_lufs: float, ceiling_dbtp: float, *, max_gain_db: float = 30.0
) -> tuple[float, bool]:
    """The linear gain (dB) that brings ``level`` to ``target_lufs``, and whether a true-peak
    limiter is needed (the gained peak would exceed ``ceiling_dbtp``).

    Silence (no gated block) gets no gain and no limiter.
    """
    if level.integrated <= SILENT_LUFS:
        return 0.0, False
    gain = max(-max_gain_db, min(max_gain_db, target_lufs - level.integrated))
    return gain, level.true_peak + gain > ceiling_dbtp - TP_MARGIN_DB
