"""Speech intervals and momentary loudness from the analysis pass's audio.

The decode delivers the first audio stream downmixed to mono s16 at its own sample rate (no
resampling, no loudness filter in ffmpeg: both cost more than they are worth here).
:class:`AudioAnalyzer` takes one FFT per 20 ms frame as the blocks arrive and keeps two numbers
per frame, never the audio:

- the energy of the speech band (250-3500 Hz), from which speech is marked where it rises well
  above the local noise floor, with merging of short pauses, removal of clicks and a short
  hangover;
- the K-weighted energy (ITU-R BS.1770 pre-filter and high-pass, applied as their magnitude
  response in the frequency domain), from which momentary loudness (400 ms window, LUFS) is
  given every 0.1 s. The mono downmix of a stereo master is corrected by +3 dB, exact for
  centred (dialogue) content and within about 3 dB otherwise.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from vidpack.analyze.model import Interval

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

FRAMES_PER_SECOND = 50  # 20 ms analysis frames
BAND = (250.0, 3500.0)
ABS_FLOOR_DB = -60.0  # speech is never quieter than this (dBFS, speech band)
FLOOR_BLOCK_S = 1.0
FLOOR_SPAN_S = 8.0  # the noise floor is the quietest block level within this many seconds
SILENCE_LUFS = -120.0
MOMENTARY_S = 0.4

# BS.1770 K-weighting, as the two 48 kHz biquads of the standard (b, a).
_SHELF = (
    (1.53512485958697, -2.69169618940638, 1.19839281085285),
    (1.0, -1.69065929318241, 0.73248077421585),
)
_HIGHPASS = ((1.0, -2.0, 1.0), (1.0, -1.99004745483398, 0.99007225036621))


def k_weight_power(freqs: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """|H(f)|^2 of the K-weighting filter at ``freqs`` (Hz); flat above 24 kHz."""
    import numpy as np

    w = 2 * np.pi * np.minimum(freqs, 23999.0) / 48000.0
    z = np.exp(-1j * w)
    out = np.ones_like(w)
    for b, a in (_SHELF, _HIGHPASS):
        num = b[0] + b[1] * z + b[2] * z * z
        den = a[0] + a[1] * z + a[2] * z * z
        out = out * np.abs(num / den) ** 2
    return np.asarray(out, dtype=np.float64)


class AudioAnalyzer:
    """Accumulates per-20-ms speech-band and K-weighted energies from mono s16 PCM blocks.

    Args:
        rate: sample rate of the PCM.
        channels: channels of the source before the downmix (for the loudness correction).
    """

    def __init__(self, rate: int, channels: int = 2) -> None:
        self.rate = rate
        self.frame = max(16, round(rate / FRAMES_PER_SECOND))
        self.frame_s = self.frame / rate
        self._gain_db = 10 * math.log10(2.0) if channels >= 2 else 0.0
        self._rest = b""
        self._band: list[npt.NDArray[np.float64]] = []
        self._kw: list[npt.NDArray[np.float64]] = []
        self._start: float | None = None
        self._tables: tuple[npt.NDArray[np.float64], ...] | None = None

    def add(self, time: float, pcm: bytes | memoryview) -> None:
        """Add the next block of PCM whose first sample is shown at ``time``."""
        import numpy as np

        if self._start is None:
            self._start = time
        data = self._rest + bytes(pcm)
        size = 2 * self.frame
        whole = len(data) // size
        self._rest = data[whole * size :]
        if whole == 0:
            return
        x = np.frombuffer(data[: whole * size], dtype="<i2").astype(np.float32) / 32768.0
        frames = x.reshape(whole, self.frame)
        if self._tables is None:
            n = self.frame
            freqs = np.fft.rfftfreq(n, 1.0 / self.rate)
            # Parseval: mean square = (|X0|^2 + 2 sum |Xk|^2 (+ |X_n/2|^2)) / n^2.
            twice = np.full(freqs.size, 2.0)
            twice[0] = 1.0
            if n % 2 == 0:
                twice[-1] = 1.0
            band = ((freqs >= BAND[0]) & (freqs <= BAND[1])) * twice / (n * n)
            window = np.hanning(n)
            # The Hann window keeps 3/8 of the power: undo it for the band level.
            kweight = k_weight_power(np.asarray(freqs, dtype=np.float64))
            self._tables = (window, band / 0.375, kweight * twice / (n * n))
        window, band, kweight = self._tables
        plain = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        spec = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
        self._band.append(10.0 * np.log10(spec @ band + 1e-12))
        self._kw.append(plain @ kweight)

    def levels(self) -> npt.NDArray[np.float64]:
        """Speech-band level (dBFS) of every 20 ms frame so far."""
        import numpy as np

        return np.concatenate(self._band) if self._band else np.zeros(0)

    def loudness(self, step: float, duration: float) -> tuple[float, ...]:
        """Momentary loudness (LUFS) every ``step`` seconds over ``duration`` seconds.

        Value ``k`` is the loudness of the 400 ms window centred on ``k * step``; silence is
        :data:`SILENCE_LUFS`.
        """
        import numpy as np

        count = max(0, round(duration / step))
        if not self._kw or count == 0:
            return ()
        kw = np.concatenate(self._kw)
        centres = (self._start or 0.0) + (np.arange(kw.size) + 0.5) * self.frame_s
        sums = np.concatenate([[0.0], np.cumsum(kw)])
        t = np.arange(count) * step
        lo = np.searchsorted(centres, t - MOMENTARY_S / 2, side="left")
        hi = np.searchsorted(centres, t + MOMENTARY_S / 2, side="left")
        n = np.maximum(hi - lo, 1)
        mean = (sums[hi] - sums[lo]) / n
        full = round(MOMENTARY_S / self.frame_s)
        mean = np.where(hi - lo >= max(1, full - 1), mean, 0.0)  # an incomplete window: silence
        with np.errstate(divide="ignore"):
            lufs = -0.691 + 10.0 * np.log10(mean) + self._gain_db
        lufs = np.where(np.isfinite(lufs), np.maximum(lufs, SILENCE_LUFS), SILENCE_LUFS)
        return tuple(round(float(v), 2) for v in lufs)

    def intervals(
        self, *, threshold_db: float, min_len: float, merge: float, hangover: float
    ) -> tuple[Interval, ...]:
        """The speech intervals (seconds from the master's start).

        Args:
            threshold_db: how far above the local noise floor speech must rise.
            min_len: shorter bursts are dropped (clicks, door slams).
            merge: pauses shorter than this join the speech on both sides.
            hangover: seconds added after each interval (speech tails are quiet).
        """
        import numpy as np

        lv = self.levels()
        if lv.size == 0:
            return ()
        start = self._start or 0.0
        per_block = max(1, round(FLOOR_BLOCK_S / self.frame_s))
        blocks = -(-lv.size // per_block)
        padded = np.full(blocks * per_block, np.nan)
        padded[: lv.size] = lv
        block_floor = np.nanpercentile(padded.reshape(blocks, per_block), 10, axis=1)
        reach = max(1, round(FLOOR_SPAN_S / 2 / FLOOR_BLOCK_S))
        floor = np.array(
            [block_floor[max(0, b - reach) : b + reach + 1].min() for b in range(blocks)]
        )
        thr = np.maximum(np.repeat(floor, per_block)[: lv.size] + threshold_db, ABS_FLOOR_DB)
        segs = _runs(lv > thr)
        merged: list[list[int]] = []
        gap_frames = merge / self.frame_s
        for a, b in segs:
            if merged and a - merged[-1][1] <= gap_frames:
                merged[-1][1] = b
            else:
                merged.append([a, b])
        out: list[Interval] = []
        for a, b in merged:
            if (b - a) * self.frame_s < min_len:
                continue
            s = start + a * self.frame_s
            e = start + b * self.frame_s + hangover
            out.append(Interval(round(s, 3), round(e, 3)))
        return tuple(out)


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Half-open [start, end) index runs where ``mask`` is true."""
    import numpy as np

    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))
