"""Per-frame measurements of the small analysis frames, computed as the frames stream in.

Frames arrive in presentation order with their times. They are processed in batches with numpy;
only a short ring of recent frames is kept (a couple of seconds), so memory stays flat however
long the master is. What is kept for the whole master is a handful of numbers per frame:

- ``diff[:, k-1]``: change from the frame ``k`` frames earlier (k = 1..K), luma and chroma;
- ``hist``: change of the coarse colour histogram from the previous frame;
- ``span``/``resid``/``hspan``: the dissolve window test at each frame: the change between the
  frames ``window`` seconds before and after, how far this frame is from their average, and
  how much their colour histograms differ (blind to motion);
- luma mean and spread, colourfulness and sharpness for the shot statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    F64 = npt.NDArray[np.float64]

_BATCH = 48
SHARPNESS_EVERY = 3  # the Laplacian is measured on every third frame (enough for a shot mean)
_BINS = 200


def _bin_tables() -> tuple[Any, Any]:
    import numpy as np

    levels = np.arange(256)
    luma = (levels >> 5).astype(np.int64)
    chroma = np.searchsorted(np.asarray([32, 96, 160, 224]), levels, side="right").astype(np.int64)
    return luma, chroma


SHIFT_RESPONSE = 0.1  # phase-correlation peak below this: no single motion to speak of
_LUMA_BIN: Any = None
_CHROMA_BIN: Any = None


@dataclass(frozen=True, slots=True)
class FrameFeatures:
    """Per-frame measurements of every analysed frame (arrays of equal length ``n``)."""

    times: F64  # presentation time, seconds from the master's start
    diff: F64  # (n, K): change from the frame k frames before, 0..1
    hist: F64  # colour histogram change from the previous frame, 0..1
    span: F64  # change between the frames `window` s before and after, 0..1
    resid: F64  # distance of this frame from the average of those two, 0..1
    hspan: F64  # colour histogram change between those two frames, 0..1
    shift: F64  # global motion from the previous frame, in analysis pixels (phase correlation)
    luma: F64  # mean luma 0..1
    spread: F64  # luma standard deviation 0..1
    chroma: F64  # colourfulness: mean chroma distance from grey, 0..1
    sharpness: F64  # variance of the Laplacian of luma (NaN on frames not measured)

    @property
    def count(self) -> int:
        return int(self.times.shape[0])


class FrameAnalyzer:
    """Consumes small yuv420p frames (bytes) with their times; see the module docstring.

    Args:
        width, height: analysis frame size (even).
        lags: how many earlier frames each frame is compared with (1 + the flash length).
        window: half-width in seconds of the dissolve window test.
        fps: the master's nominal frame rate (sizes the ring of recent frames).
        lag_floor: lags beyond 1 are measured only near a frame-to-frame change at least this
            big (they serve the flash test of cut candidates, and cost time everywhere else).
    """

    def __init__(
        self,
        width: int,
        height: int,
        *,
        lags: int,
        window: float,
        fps: float,
        lag_floor: float = 0.02,
    ) -> None:
        import cv2
        import numpy as np

        if width % 2 or height % 2 or width < 8 or height < 8:
            raise ValueError(f"analysis frame {width}x{height}: sides must be even, at least 8")
        self.width, self.height = width, height
        self.lags = lags
        self.window = window
        self.lag_floor = lag_floor
        self._y_size = width * height
        self._c_size = self._y_size // 4
        self._frame_bytes = self._y_size + 2 * self._c_size
        # Comparison vector (uint8): luma at half size, then U and V at a quarter size; the
        # distance of two frames is the mean absolute difference of their vectors, 0..1.
        self._hh, self._hw = height // 2, width // 2
        self._ch, self._cw = self._hh // 2, self._hw // 2
        self._ql = self._hh * self._hw
        self._len = self._ql + 2 * self._ch * self._cw
        per_second = max(fps, 1.0)
        self._ring_size = int(per_second * (2 * window + 1.0)) + lags + _BATCH + 8
        self._ring = np.zeros((self._ring_size, self._len), dtype=np.uint8)
        self._ring_t = np.zeros(self._ring_size, dtype=np.float64)
        self._ring_h = np.zeros((self._ring_size, _BINS), dtype=np.float64)
        self._pending: list[bytes | memoryview] = []
        self._pending_t: list[float] = []
        self._n = 0  # frames added to the ring
        self._next_window = 0  # first frame whose window test is not done yet
        cols = ("hist", "luma", "spread", "chroma", "sharpness", "span", "resid", "hspan", "shift")
        self._cols: dict[str, list[npt.NDArray[np.float64]]] = {c: [] for c in cols}
        self._times: list[float] = []
        self._diffs: list[npt.NDArray[np.float64]] = []
        self._recent_d1 = np.zeros(0)
        self._prev_hist: npt.NDArray[np.float64] | None = None
        self._prev_luma: npt.NDArray[np.float32] | None = None
        self._hann = cv2.createHanningWindow((self._hw, self._hh), cv2.CV_32F)

    @property
    def frame_bytes(self) -> int:
        return self._frame_bytes

    def add(self, time: float, data: bytes | memoryview) -> None:
        """Add the next frame (``width*height*3/2`` bytes of yuv420p) shown at ``time``."""
        if len(data) != self._frame_bytes:
            raise ValueError(f"frame of {len(data)} bytes, expected {self._frame_bytes}")
        self._pending.append(data)
        self._pending_t.append(time)
        if len(self._pending) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        import cv2
        import numpy as np

        global _LUMA_BIN, _CHROMA_BIN
        if _LUMA_BIN is None:
            _LUMA_BIN, _CHROMA_BIN = _bin_tables()

        if not self._pending:
            return
        b = len(self._pending)
        raw = np.frombuffer(b"".join(self._pending), dtype=np.uint8).reshape(b, -1)
        times = np.asarray(self._pending_t, dtype=np.float64)
        self._pending.clear()
        self._pending_t.clear()
        h, w = self.height, self.width
        hh, hw, ch, cw = self._hh, self._hw, self._ch, self._cw
        ql, cl = self._ql, ch * cw
        y = raw[:, : self._y_size].reshape(b, h, w)
        u = raw[:, self._y_size : self._y_size + self._c_size].reshape(b, hh, hw)
        v = raw[:, self._y_size + self._c_size :].reshape(b, hh, hw)
        vec = np.empty((b, self._len), dtype=np.uint8)
        sharp = np.full(b, np.nan)
        yq_all = np.empty((b, ch * cw), dtype=np.uint8)
        area = cv2.INTER_AREA
        for k in range(b):
            yk = cv2.resize(y[k], (hw, hh), interpolation=area)
            vec[k, :ql] = yk.reshape(-1)
            vec[k, ql : ql + cl] = cv2.resize(u[k], (cw, ch), interpolation=area).reshape(-1)
            vec[k, ql + cl :] = cv2.resize(v[k], (cw, ch), interpolation=area).reshape(-1)
            yq_all[k] = cv2.resize(yk, (cw, ch), interpolation=area).reshape(-1)
            if (self._n + k) % SHARPNESS_EVERY == 0:
                lap_std = cv2.meanStdDev(cv2.Laplacian(y[k], cv2.CV_16S))[1][0, 0]
                sharp[k] = lap_std * lap_std
        luma = vec[:, :ql].astype(np.float32)
        self._cols["shift"].append(self._shifts(luma))
        self._cols["luma"].append(luma.mean(axis=1, dtype=np.float64) / 255.0)
        self._cols["spread"].append(luma.std(axis=1, dtype=np.float64) / 255.0)
        c = vec[:, ql:].astype(np.float32).reshape(b, 2, cl) - 128.0
        mag = np.sqrt(c[:, 0] * c[:, 0] + c[:, 1] * c[:, 1])
        self._cols["chroma"].append(mag.mean(axis=1, dtype=np.float64) / 128.0)
        self._cols["sharpness"].append(sharp)
        # Coarse joint colour histogram: 8 luma x 5 x 5 chroma bins, the middle chroma bin
        # centred on grey (so nearly grey pictures do not flicker between two bins).
        uq, vq = vec[:, ql : ql + cl], vec[:, ql + cl :]
        bins = _LUMA_BIN[yq_all].astype(np.int64) * 25 + _CHROMA_BIN[uq] * 5 + _CHROMA_BIN[vq]
        bins += (np.arange(b, dtype=np.int64) * _BINS)[:, None]
        hist = np.bincount(bins.ravel(), minlength=b * _BINS).reshape(b, _BINS) / float(cl)
        prev = self._prev_hist if self._prev_hist is not None else hist[0]
        stacked = np.vstack([prev[None, :], hist])
        self._cols["hist"].append(0.5 * np.abs(np.diff(stacked, axis=0)).sum(axis=1))
        self._prev_hist = hist[-1]

        first = self._n
        slots = (first + np.arange(b)) % self._ring_size
        self._ring[slots] = vec
        self._ring_t[slots] = times
        self._ring_h[slots] = hist
        self._n += b
        self._times.extend(times.tolist())
        self._diffs.append(self._lag_diffs(first, b))
        self._windows(final=False)

    def _shifts(self, luma: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """How far the picture moved from the frame before (a pan or a tilt moves it all),
        by phase correlation of the half-size luma; 0 where the match is too weak to say."""
        import cv2
        import numpy as np

        out = np.zeros(luma.shape[0])
        shape = (self._hh, self._hw)
        prev = self._prev_luma
        for k in range(luma.shape[0]):
            cur = luma[k].reshape(shape)
            if prev is not None:
                # phaseCorrelate multiplies its inputs by the window in place: give it copies
                (dx, dy), response = cv2.phaseCorrelate(prev.copy(), cur.copy(), self._hann)
                if response >= SHIFT_RESPONSE:
                    out[k] = float(np.hypot(dx, dy))
            prev = cur
        self._prev_luma = prev
        return out

    def _lag_diffs(self, first: int, b: int) -> npt.NDArray[np.float64]:
        import cv2
        import numpy as np

        out = np.zeros((b, self.lags), dtype=np.float64)
        ring, size = self._ring, self._ring_size
        scale = 1.0 / (255.0 * self._len)
        l1 = cv2.NORM_L1
        recent: list[float] = [float(v) for v in self._recent_d1]  # d1 just before, oldest first
        for r in range(b):
            j = first + r
            cur = ring[j % size]
            d1 = cv2.norm(cur, ring[(j - 1) % size], l1) * scale if j >= 1 else 0.0
            out[r, 0] = d1
            recent.append(d1)
            # Lag k at frame j serves the flash test of a candidate at j - k + 1 or at j.
            for k in range(2, self.lags + 1):
                if j - k < 0:
                    break
                if d1 >= self.lag_floor or recent[-k] >= self.lag_floor:
                    out[r, k - 1] = cv2.norm(cur, ring[(j - k) % size], l1) * scale
            del recent[: -self.lags]
        self._recent_d1 = np.asarray(recent)
        return out

    def _windows(self, final: bool) -> None:
        """Run the dissolve window test on every frame whose after-frame has arrived."""
        import cv2
        import numpy as np

        n = self._n
        if n == 0:
            return
        last_t = self._times[-1]
        i = self._next_window
        end = i
        limit = last_t - self.window
        times = self._times
        while end < n and (final or times[end] <= limit):
            end += 1
        if end == i:
            return
        self._next_window = end
        size = self._ring_size
        lo = max(0, n - size + 1)
        ring_idx = np.arange(lo, n)
        ring_t = self._ring_t[ring_idx % size]
        t = np.asarray(times[i:end])
        # a: last frame at or before t - window; b: first frame at or after t + window.
        a = ring_idx[np.clip(np.searchsorted(ring_t, t - self.window, side="right") - 1, 0, None)]
        bpos = np.searchsorted(ring_t, t + self.window, side="left")
        bb = ring_idx[np.clip(bpos, 0, len(ring_idx) - 1)]
        ring = self._ring
        scale = 1.0 / (255.0 * self._len)
        l1 = cv2.NORM_L1
        span = np.empty(end - i)
        resid = np.empty(end - i)
        for r, (ia, ib) in enumerate(zip((a % size).tolist(), (bb % size).tolist(), strict=True)):
            fa, fb = ring[ia], ring[ib]
            span[r] = cv2.norm(fa, fb, l1) * scale
            mid = cv2.addWeighted(fa, 0.5, fb, 0.5, 0.0)
            resid[r] = cv2.norm(ring[(i + r) % size], mid.reshape(-1), l1) * scale
        self._cols["span"].append(span)
        self._cols["resid"].append(resid)
        ha, hb = self._ring_h[a % size], self._ring_h[bb % size]
        self._cols["hspan"].append(0.5 * np.abs(ha - hb).sum(axis=1))

    def finish(self) -> FrameFeatures:
        """Process what is left and return the measurements of every frame."""
        import numpy as np

        self._flush()
        self._windows(final=True)

        def col(name: str) -> npt.NDArray[np.float64]:
            parts = self._cols[name]
            return np.concatenate(parts).astype(np.float64) if parts else np.zeros(0)

        diff = np.vstack(self._diffs) if self._diffs else np.zeros((0, self.lags))
        return FrameFeatures(
            times=np.asarray(self._times, dtype=np.float64),
            diff=diff,
            hist=col("hist"),
            span=col("span"),
            resid=col("resid"),
            hspan=col("hspan"),
            shift=col("shift"),
            luma=col("luma"),
            spread=col("spread"),
            chroma=col("chroma"),
            sharpness=col("sharpness"),
        )
