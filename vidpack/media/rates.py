"""Frame rates from packet timestamps: constant or variable, and the exact rational rate.

Constant or variable is decided from the timestamps of a bounded sample of video packets (one
ffprobe call, no decoding), not from the header: Matroska/WebM store whole milliseconds, so their
steps jitter by a tick and their avg_frame_rate can disagree with r_frame_rate on a
constant-rate file, while an MP4 with dropped frames (psd/goldeneye-vfr-drop3.mp4) has a clean
header. A constant rate is kept as an exact rational (r_frame_rate when the packets agree with
it, else the nearest standard rate, for Matroska files whose header rate is a guess).

mp/fire2.mp4 (a phone clip) reports r_frame_rate 90000/1, which is its time base, not a rate:
its 25 frames step by 80 to 100 ms in runs of two to six, so it is variable (mean 10.5 fps).
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidpack.media.runner import run_ffprobe

# Video packets read for the frame-rate verdict: the first ones, and more from the middle of
# files longer than both samples (one ffprobe call, no decoding).
_HEAD_PACKETS = 500
_MID_PACKETS = 200
# A constant-rate grid may wobble by this many ticks of the time base: each of two timestamps
# can be rounded by up to one tick (Matroska: whole milliseconds).
_GRID_TICKS = 2
# Share of a constant-rate grid's frame slots that may be empty (dropped frames).
_MAX_EMPTY_SLOTS = 0.01
# A measured rate within this share of a header or standard rate is taken as that rate.
_SNAP = Fraction(1, 1000)
_STANDARD_RATES = (
    *map(Fraction, (8, 10, 12, 15, 16, 18, 20, 24, 25, 30, 48, 50, 60, 72, 90, 100, 120, 240)),
    Fraction(25, 2),
    *(Fraction(rate * 1000, 1001) for rate in (24, 30, 48, 60, 120)),  # NTSC rates
)


def rate_text(fps: float) -> str:
    """A frame rate for a filter graph: a standard rate as its exact rational (``30000/1001``),
    anything else with six decimals. Filters given the same text get the same time base, which
    ``xfade`` and ``concat`` demand of their inputs (``29.970030`` is not ``30000/1001``)."""
    for rate in _STANDARD_RATES:
        if abs(fps - float(rate)) <= 1e-5 * float(rate):
            return f"{rate.numerator}/{rate.denominator}"
    return f"{fps:.6f}"


def ratio(text: str | None, default: Fraction = Fraction(0)) -> Fraction:
    if not text:
        return default
    num, _, den = text.replace(":", "/").partition("/")
    try:
        n, d = int(num), int(den or 1)
    except ValueError:
        return default
    return Fraction(n, d) if d else default


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _sample(path: Path, index: int, mid: float | None) -> list[list[dict[str, Any]]]:
    """Video packets (``pts``, ``dts`` in ticks), in decode order, read in one ffprobe call:
    the first :data:`_HEAD_PACKETS`, and :data:`_MID_PACKETS` from ``mid`` seconds on when
    given. Each run of packets read without a seek is returned as its own list."""
    intervals = f"%+#{_HEAD_PACKETS}" + (f",{mid:.3f}%+#{_MID_PACKETS}" if mid else "")
    data = run_ffprobe(
        [
            *("-select_streams", str(index), "-read_intervals", intervals),
            *("-show_entries", "packet=pts,dts", "--", str(path)),
        ],
        label=f"timestamps of {path.name}",
    )
    packets = [p for p in data.get("packets", []) if isinstance(p, dict)]
    return [packets[:_HEAD_PACKETS], packets[_HEAD_PACKETS:]]


def _steps(run: list[dict[str, Any]]) -> list[int]:
    """Display-order steps, in ticks, between the frames of one run of packets.

    Only frames shown no later than the last decoded one count: with B-frames a decode-order
    run has holes at its end in display order, which would look like a changing frame rate.
    """
    pts = [v for v in (int_or_none(p.get("pts")) for p in run) if v is not None]
    dts = [v for v in (int_or_none(p.get("dts")) for p in run) if v is not None]
    if not pts:
        return []
    last = max(dts) if dts else max(pts)
    shown = sorted({t for t in pts if t <= last})
    return [b - a for a, b in itertools.pairwise(shown)]


def _cadence(runs: list[list[int]], tick: Fraction) -> tuple[bool, Fraction | None]:
    """``(variable, measured frames per second)`` from the steps of the sampled runs.

    Constant rate means every sampled frame sits on one grid of frame periods: each timestamp
    within the container's timestamp resolution of it (Matroska and WebM round times to whole
    milliseconds, so their steps jitter by a tick; the grid does not drift) and at most
    :data:`_MAX_EMPTY_SLOTS` of the grid's slots empty (a dropped frame here and there). The
    rate is measured over whole runs, so millisecond rounding does not bias it.
    """
    steps = sorted(d for run in runs for d in run)
    if len(steps) < 3:
        return False, None
    usual = steps[len(steps) // 2]
    regular = [d for d in steps if abs(d - usual) <= 1]
    guess = Fraction(sum(regular), len(regular))
    slots = [[round(d / guess) for d in run] for run in runs]
    total_slots = sum(sum(s) for s in slots)
    if total_slots == 0 or any(k == 0 for s in slots for k in s):
        return True, Fraction(len(steps), 1) / (sum(steps) * tick)
    period = Fraction(sum(steps), total_slots)
    drift = Fraction(0)
    for run, run_slots in zip(runs, slots, strict=True):
        offsets = [Fraction(0)]
        at, slot = 0, 0
        for d, k in zip(run, run_slots, strict=True):
            at, slot = at + d, slot + k
            offsets.append(at - slot * period)
        drift = max(drift, max(offsets) - min(offsets))
    empty = total_slots - len(steps)
    variable = drift > _GRID_TICKS or empty > _MAX_EMPTY_SLOTS * total_slots
    if variable:
        return True, Fraction(len(steps), 1) / (sum(steps) * tick)
    return False, 1 / (period * tick)


def _exact_rate(measured: Fraction, header: tuple[Fraction, ...]) -> Fraction:
    """The rational frame rate for a measured constant rate: the header's rate when it agrees
    within :data:`_SNAP` (Matroska's r_frame_rate is often a guess), else the nearest standard
    rate within that, else the measurement itself as a small fraction."""
    for rate in header:
        if rate > 0 and abs(rate - measured) <= _SNAP * measured:
            return rate
    nearest = min(_STANDARD_RATES, key=lambda r: abs(r - measured))
    if abs(nearest - measured) <= _SNAP * measured:
        return nearest
    return measured.limit_denominator(1001)


def frame_rate(
    path: Path, s: dict[str, Any], start: float, duration: float
) -> tuple[Fraction, bool]:
    """``(fps, is_vfr)`` of video stream ``s``, decided from its packet timestamps.

    A constant rate is exact (30000/1001, 24/1); a variable rate is the mean rate.
    """
    avg, real = ratio(s.get("avg_frame_rate")), ratio(s.get("r_frame_rate"))
    tick = ratio(s.get("time_base"))
    nominal = avg if avg > 0 else real
    frames = int_or_none(s.get("nb_frames")) or (duration * float(nominal) if nominal else 0)
    mid = start + duration / 2 if frames > _HEAD_PACKETS + _MID_PACKETS else None
    if tick <= 0:
        return nominal, False
    runs = [_steps(run) for run in _sample(path, int(s["index"]), mid)]
    variable, measured = _cadence(runs, tick)
    if measured is None:
        return nominal, False
    if variable:
        return (avg if avg > 0 else measured.limit_denominator(1001)), True
    return _exact_rate(measured, (real, avg)), False
