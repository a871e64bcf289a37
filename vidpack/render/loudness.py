"""Per-episode loudness from ONE audio-only pass over the master, and the decision that brings
each episode (or trailer) to the preset's target under its true-peak ceiling.

The pass decodes the master's audio once, downmixed to the preset's layout, and records every
100 ms the momentary loudness (ebur128: the 400 ms block ending there) and the peak of the 4x
oversampled signal (astats: an estimate of the true peak). Each episode's integrated loudness
is then the BS.1770 gated mean of the blocks inside it (absolute gate -70 LUFS, relative gate
-10 LU), and its true peak the largest oversampled peak inside it. One decode serves any number
of episodes.

The decision (:class:`LoudnessPlan`) is made here and nowhere else. Linear gain when the gained
peak keeps :data:`LINEAR_HEADROOM_DB` under the ceiling. Otherwise the gain goes through a
limiter working on the 4x oversampled signal (a true-peak limiter), which removes energy: the
limited sound is checked by :func:`settle` (the caller encodes just that span's audio with the
exact chain and codec of the delivery and meters it with ``ebur128=peak=true``, as QC does), the
gain is corrected for the measured loss and the limiter's ceiling lowered by any overshoot of the
AAC encode, at most :data:`MAX_CORRECTIONS` times. Only when that cannot land within the QC
tolerance under the ceiling is the span given a deliberate dynamic mode (``loudnorm``,
``linear=false``), which the record names.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from vidpack.media.runner import run_ffmpeg

if TYPE_CHECKING:
    from vidpack.media.probe import MediaInfo
    from vidpack.render.model import EpisodeSpec

HOP_S = 0.1  # ebur128 updates every 100 ms
BLOCK_S = 0.4  # a momentary block spans 400 ms
SILENT_LUFS = -70.0
# Linear gain only when the gained peak estimate stays this far under the ceiling: the estimate
# reads a little low and the AAC encode overshoots by up to about 1 dB.
LINEAR_HEADROOM_DB = 1.0
LIMIT_MARGIN_DB = 1.0  # the limiter's first ceiling under the preset's (room for AAC overshoot)
LOSS_PER_DB = 0.12  # first guess: LU lost per dB the limiter takes off the peaks (real sound)
ACCEPT_LU = 0.5  # a checked plan this close to the target is kept (it is the delivered sound)
PEAK_SAFETY_DB = 0.2  # ... when its encoded true peak is this far under the ceiling
MET_LU = 0.8  # a corrected plan within this of the target (under the ceiling) beats dynamic mode
MAX_CORRECTIONS = 2
MAX_GAIN_DB = 30.0

Mode = Literal["linear", "limited", "dynamic"]


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
            measure=True,
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


@dataclass(frozen=True, slots=True)
class LoudnessPlan:
    """How one span's sound reaches the target.

    Attributes:
        mode: ``linear`` (gain only), ``limited`` (gain, then a true-peak limiter) or
            ``dynamic`` (gain, then ``loudnorm`` in dynamic mode).
        gain_db: the gain applied before the limiter or ``loudnorm``.
        limiter_db: the limiter's ceiling on the oversampled signal (dBFS; ``limited`` and the
            ``loudnorm`` true-peak target in ``dynamic``), None in ``linear``.
        checked: what the check pass measured on the encoded span (None: not checked).
    """

    mode: Mode
    gain_db: float
    limiter_db: float | None = None
    checked: Loudness | None = None

    def settings(self, target_lufs: float) -> dict[str, Any]:
        """The plan as encode settings (``EpisodeSpec.encode["loudness"]``)."""
        return {
            "mode": self.mode,
            "gain_db": round(self.gain_db, 2),
            "limiter_db": None if self.limiter_db is None else round(self.limiter_db, 2),
            "target_lufs": target_lufs,
        }


def gain_for(
    level: Loudness, target_lufs: float, ceiling_dbtp: float, *, max_gain_db: float = MAX_GAIN_DB
) -> tuple[float, bool]:
    """The linear gain (dB) that brings ``level`` to ``target_lufs``, and whether a true-peak
    limiter is needed (the gained peak would come within :data:`LINEAR_HEADROOM_DB` of
    ``ceiling_dbtp``).

    Silence (no gated block) gets no gain and no limiter.
    """
    if level.integrated <= SILENT_LUFS:
        return 0.0, False
    gain = max(-max_gain_db, min(max_gain_db, target_lufs - level.integrated))
    return gain, level.true_peak + gain > ceiling_dbtp - LINEAR_HEADROOM_DB


def first_plan(level: Loudness, target_lufs: float, ceiling_dbtp: float) -> LoudnessPlan:
    """The plan from the master's metering alone: linear when the peak allows, else limited with
    the gain raised by the loss the limiter is expected to cause (:data:`LOSS_PER_DB`)."""
    gain, limit = gain_for(level, target_lufs, ceiling_dbtp)
    if not limit:
        return LoudnessPlan("linear", gain)
    ceiling = ceiling_dbtp - LIMIT_MARGIN_DB
    over = max(0.0, level.true_peak + gain - ceiling)
    return LoudnessPlan("limited", _clamp(gain + LOSS_PER_DB * over), ceiling)


def accepted(got: Loudness, target_lufs: float, ceiling_dbtp: float, tol: float) -> bool:
    """Whether a measured result is within ``tol`` of the target and safely under the ceiling."""
    return (
        abs(got.integrated - target_lufs) <= tol and got.true_peak <= ceiling_dbtp - PEAK_SAFETY_DB
    )


def correct(
    plan: LoudnessPlan,
    got: Loudness,
    target_lufs: float,
    ceiling_dbtp: float,
    previous: tuple[LoudnessPlan, Loudness] | None = None,
    level: Loudness | None = None,
) -> LoudnessPlan:
    """The next limited plan after ``plan`` measured ``got``.

    The limiter's ceiling is lowered by the encoded peak's overshoot. The gain moves by the miss
    (plus what the lower ceiling will take) divided by the slope of loudness over gain, which
    limiting makes less than 1: measured between two tries at one ceiling (``previous``), else
    estimated from the loss per dB limited of this try (``level`` is the span as metered).
    """
    limiter = plan.limiter_db if plan.limiter_db is not None else ceiling_dbtp - LIMIT_MARGIN_DB
    slope = 1.0
    if level is not None:
        over = level.true_peak + plan.gain_db - limiter
        loss = level.integrated + plan.gain_db - got.integrated
        if over > 0.5:
            slope = 1.0 - max(0.0, loss) / over
    # The secant holds only between tries at one limiter ceiling (a lower one loses more).
    if (
        previous is not None
        and previous[0].limiter_db == plan.limiter_db
        and abs(plan.gain_db - previous[0].gain_db) > 0.05
    ):
        slope = (got.integrated - previous[1].integrated) / (plan.gain_db - previous[0].gain_db)
    slope = min(1.0, max(0.3, slope))
    lower = max(0.0, got.true_peak - (ceiling_dbtp - PEAK_SAFETY_DB - 0.1))
    miss = target_lufs - got.integrated + (1.0 - slope) * lower
    return LoudnessPlan("limited", _clamp(plan.gain_db + miss / slope), limiter - lower)


def settle(
    level: Loudness,
    target_lufs: float,
    ceiling_dbtp: float,
    check: Callable[[LoudnessPlan], Loudness],
) -> LoudnessPlan:
    """The plan for a span metered at ``level``; ``check`` encodes the span with a plan and
    returns its measured loudness (called only when a limiter is needed: 1 to 4 times).

    Returns:
        A linear plan (unchecked), the best checked limited plan, or a checked dynamic plan
        when no limited plan comes within :data:`MET_LU` under the ceiling.
    """
    plan = first_plan(level, target_lufs, ceiling_dbtp)
    if plan.mode == "linear":
        return plan
    tried: list[LoudnessPlan] = []
    for attempt in range(MAX_CORRECTIONS + 1):
        plan = replace(plan, checked=check(plan))
        tried.append(plan)
        assert plan.checked is not None
        if accepted(plan.checked, target_lufs, ceiling_dbtp, ACCEPT_LU):
            return plan
        if attempt < MAX_CORRECTIONS:
            earlier = tried[-2] if len(tried) > 1 else None
            previous = (earlier, earlier.checked) if earlier and earlier.checked else None
            plan = correct(plan, plan.checked, target_lufs, ceiling_dbtp, previous, level)
    best = min(tried, key=lambda p: _miss(p, target_lufs, ceiling_dbtp))
    if best.checked is not None and accepted(best.checked, target_lufs, ceiling_dbtp, MET_LU):
        return best
    dynamic = LoudnessPlan("dynamic", best.gain_db, ceiling_dbtp - LIMIT_MARGIN_DB)
    return replace(dynamic, checked=check(dynamic))


def _miss(plan: LoudnessPlan, target_lufs: float, ceiling_dbtp: float) -> float:
    got = plan.checked
    if got is None:
        return math.inf
    return abs(got.integrated - target_lufs) + 10 * max(0.0, got.true_peak - ceiling_dbtp)


def _clamp(gain: float) -> float:
    return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, gain))


def measure_encoded(
    args: Sequence[str], path: Path, *, label: str, measure: bool = False
) -> Loudness:
    """Encode a span's sound with ``args`` (ffmpeg arguments writing ``path``), then meter the
    encoded file as QC does (``ebur128=peak=true``): the check pass of :func:`settle`.

    Raises:
        FFmpegError: an ffmpeg run failed.
    """
    from vidpack.media.ebur128 import ebur128_summary

    run_ffmpeg(args, label=label, measure=measure)  # measure: ``path`` is a temporary file
    integrated, peak = ebur128_summary(path, label=label)

    def floored(value: float | None, floor: float) -> float:
        return floor if value is None else max(floor, value)  # max() lifts -inf to the floor

    return Loudness(floored(integrated, SILENT_LUFS), floored(peak, -120.0))


def apply_plan(spec: EpisodeSpec, plan: LoudnessPlan, target_lufs: float) -> EpisodeSpec:
    """``spec`` rendering its sound with ``plan`` (gain, limiter flag, and the plan in
    ``encode["loudness"]``: the limiter's ceiling, the mode, and the file's loudness tag)."""
    encode = {**spec.encode, "loudness": plan.settings(target_lufs)}
    return replace(spec, gain_db=plan.gain_db, limit=plan.mode != "linear", encode=encode)


def decide_episodes(
    jobs: Sequence[tuple[EpisodeSpec, Loudness, float]], info: MediaInfo, workers: int
) -> list[EpisodeSpec]:
    """Each ``(spec, metered level, target LUFS)`` job's spec with its loudness plan (the
    ceiling is the spec's ``true_peak_dbtp``). Spans that need a limiter are checked by encoding
    just their audio (:func:`check_episode`), ``workers`` at a time; equal spans with equal audio
    settings (two presets sharing an encode) are decided once.
    """
    from concurrent.futures import ThreadPoolExecutor

    def key(job: tuple[EpisodeSpec, Loudness, float]) -> str:
        spec, _, target = job
        audio = {k: v for k, v in spec.encode.items() if k.startswith("audio") or k in _AUDIO}
        span = f"{spec.master_id}|{spec.start:.6f}|{spec.duration:.6f}"
        return f"{span}|{target}|{sorted(audio.items())}"

    def decide(job: tuple[EpisodeSpec, Loudness, float]) -> LoudnessPlan:
        spec, level, target = job
        ceiling = float(spec.encode["true_peak_dbtp"])
        return settle(level, target, ceiling, lambda plan: check_episode(spec, info, plan, target))

    unique = {key(job): job for job in jobs}
    with ThreadPoolExecutor(max(1, workers)) as pool:
        plans = dict(zip(unique, pool.map(decide, unique.values()), strict=True))
    return [apply_plan(spec, plans[key((spec, lv, t))], t) for spec, lv, t in jobs]


_AUDIO = ("sample_rate", "channels", "true_peak_dbtp")


def check_episode(
    spec: EpisodeSpec, info: MediaInfo, plan: LoudnessPlan, target_lufs: float
) -> Loudness:
    """The loudness QC will measure of ``spec`` rendered with ``plan``: its audio alone, seeked
    and cut as the episode's encode does it, through the same chain and AAC settings.

    Raises:
        FFmpegError: ffmpeg failed.
    """
    from vidpack.render.encode import audio_chain, audio_codec_args, seek_point

    planned = apply_plan(spec, plan, target_lufs)
    seek, half = seek_point(planned)
    assert info.audio
    with tempfile.TemporaryDirectory(prefix="vidpack-loudness-") as tmp:
        out = Path(tmp) / "check.m4a"
        args = [
            *("-threads", "1", "-ss", f"{seek:.6f}", "-vn", "-sn", "-dn", "-i", spec.master),
            *("-filter_complex", audio_chain(planned, f"0:{info.audio[0].index}", half)),
            *("-map", "[a]", *audio_codec_args(planned.encode), "-f", "mp4", str(out)),
        ]
        label = f"loudness check of episode {spec.index}"
        return measure_encoded(args, out, label=label, measure=True)
