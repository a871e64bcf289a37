"""Deciding where shots change, from the per-frame measurements of :mod:`.features`.

Three detectors run over the whole master's measurements (a few numbers per frame):

- **hard cuts**: a frame-to-frame change that is large in absolute terms and several times the
  changes around it (so fast motion, which changes every frame, does not qualify), that
  *persists* (the old picture does not come back within ``flash_frames``: a camera flash or a
  one-frame glitch is rejected) and that is not a small uniform jump (encoder keyframe pulsing
  stays far below the absolute threshold);
- **dips to black** (``fade``): runs of black frames between two shots; the transition is the
  middle of the whole dip, from the last steady frame before the fade-out to the first steady
  frame after the fade-in;
- **dissolves**: stretches where each frame is close to the average of the frames half a window
  before and after it (a cross-fade is a linear mix) while those two differ a lot; the
  transition is the point of best linearity. Fades and cuts take precedence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vidpack.analyze.model import TransitionKind

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from vidpack.analyze.features import FrameFeatures
    from vidpack.analyze.settings import AnalysisSettings

# Black frames: mean luma at most this (tv-range black is 16/255 = 0.063) and nearly flat.
BLACK_LUMA = 0.1
BLACK_SPREAD = 0.025
MAX_FADE_SIDE = 2.0  # seconds a fade-out or fade-in may take
HOLD_S = 0.5  # black held this long: into and out of it are two transitions (vidpack's choice)
DISSOLVE_MIN_SPAN = 0.08  # the two sides of a dissolve differ at least this much
DISSOLVE_LINEARITY = 0.3  # residual / span at the middle of a dissolve
DISSOLVE_MAX_REGION = 2.5  # seconds: longer linear stretches are smooth motion, not dissolves
DISSOLVE_MIN_FRAMES = 3  # analysed frames: a shorter linear stretch needs plain shots around
DISSOLVE_PLATEAU = 0.45  # residual / span of a plain shot next to a mix (0.5 when still)
PLATEAU_S = 0.1  # seconds around each side where the plain shots are read
DISSOLVE_CONTRAST = 1.5  # the change across a dissolve against the change around it
DISSOLVE_MIN_HIST = 0.2  # a dissolve between two shots changes the colour histogram this much
CONTEXT_S = 1.5  # seconds of context each side of a candidate
STEP = 1.3  # a histogram-only cut: change from k frames back at most this times the last one
HIST_CUT = 0.25  # colour histogram change that can be a hard cut on its own
HIST_GRADUAL = 0.3  # histogram change across the dissolve window that can be a transition
HIST_GRADUAL_MIN_S = 0.6  # shorter stretches are flashes or blips seen from the window ends
HIST_GAP_S = 0.25  # stretches this close are one (a dissolve's histogram may dip mid-way)
# A histogram-only gradual change with no mix in it needs a pixel change this share of the
# histogram change (light over part of the picture moves many bins for little pixel change).
HIST_PIXEL_SHARE = 0.31
PAN_SHIFT = 1.2  # analysis pixels a frame: camera motion this fast (~5 % of the width a second)
CONTINUES = 1.4  # a cut's next frame differs from the old shot about as much as its first does
NEIGHBOURS = 8  # frames each side that set the background level for a cut
MIN_BACKGROUND = 0.004


@dataclass(frozen=True, slots=True)
class Found:
    """A detected transition, in analysed-frame indices.

    Attributes:
        index: the analysed frame that is the first of the new shot (middle of a gradual one).
        kind: ``cut``, ``dissolve`` or ``fade``.
        score: 0..1 confidence.
        start, end: first and last analysed frame the transition touches.
    """

    index: int
    kind: TransitionKind
    score: float
    start: int
    end: int


def detect(f: FrameFeatures, settings: AnalysisSettings) -> list[Found]:
    """All transitions found in ``f``, in time order, at least ``settings.min_gap`` apart."""
    if f.count < 3:
        return []
    fades = _fades(f)
    cuts = _cuts(f, settings)
    cuts = [c for c in cuts if not any(d.start <= c.index <= d.end for d in fades)]
    blocked = [(d.start, d.end) for d in fades] + [(c.index, c.index) for c in cuts]
    linear = _dissolves(f, settings, blocked)  # placed better: the histogram test looks elsewhere
    blocked += [(d.index, d.index) for d in linear]
    dissolves = linear + _hist_dissolves(f, settings, blocked)
    dissolves = _merge(dissolves, f, max(settings.min_gap, 2 * settings.dissolve_window))
    return _merge([*fades, *cuts, *dissolves], f, settings.min_gap)


def _background(values: npt.NDArray[np.float64], i: int) -> float:
    """The typical change around frame ``i`` (median of its neighbours, not counting i +- 1)."""
    import numpy as np

    n = values.shape[0]
    lo, hi = max(0, i - NEIGHBOURS), min(n, i + NEIGHBOURS + 1)
    around = np.concatenate([values[lo : max(lo, i - 1)], values[min(hi, i + 2) : hi]])
    if around.size == 0:
        return MIN_BACKGROUND
    return max(float(np.median(around)), MIN_BACKGROUND)


def _peak(values: npt.NDArray[np.float64], i: int) -> bool:
    lo, hi = max(1, i - 2), min(values.shape[0], i + 3)
    return bool(values[i] >= values[lo:hi].max())


def _cuts(f: FrameFeatures, settings: AnalysisSettings) -> list[Found]:
    """Hard cuts: by pixel change, or by colour-histogram change for content whose pixels
    change a lot every frame anyway (textures, crowds, water)."""
    import numpy as np

    d1 = f.diff[:, 0]
    hist = f.hist
    lags = f.diff.shape[1]
    thr = settings.cut_threshold
    ratio_needed = settings.cut_ratio
    cand = np.flatnonzero((d1 >= thr) | ((hist >= HIST_CUT) & (d1 >= thr / 3)))
    found: list[Found] = []
    for i in cand.tolist():
        if i == 0:
            continue
        by_pixels = d1[i] >= thr and _peak(d1, i)
        ratio = d1[i] / _background(d1, i) if by_pixels else 0.0
        by_hist = hist[i] >= HIST_CUT and _peak(hist, i)
        hratio = hist[i] / _background(hist, i) if by_hist else 0.0
        # When only the histogram says cut, also demand a step, not the end of a gradual change
        # (frames further back must not differ much more than the previous one does).
        stepped = float(f.diff[i, 1:].max(initial=0.0)) <= STEP * d1[i]
        if ratio < ratio_needed and (hratio < 2 * ratio_needed or not stepped):
            continue
        if _returns(f, i, settings.flash_frames, lags, d1[i]):
            continue
        if i + 1 < f.count and lags > 1 and f.diff[i + 1, 1] > CONTINUES * d1[i]:
            continue  # the change goes on into the next frame: a hand sweeping past, a ramp
        strength = max(min(1.0, d1[i] / (4 * thr)), min(1.0, hist[i] / 0.8))
        confidence = min(1.0, max(ratio / (4 * ratio_needed), hratio / (8 * ratio_needed)))
        score = round(0.5 + 0.25 * strength + 0.25 * confidence, 3)
        found.append(Found(i, "cut", score, i, i))
    return found


def _returns(f: FrameFeatures, i: int, flash: int, lags: int, jump: float) -> bool:
    """True when the picture before ``i`` comes back soon after (a flash), or ``i`` looks like a
    frame shortly before ``i - 1`` (the end of a flash)."""
    n = f.count
    near = 0.35 * jump
    for k in range(2, min(flash, lags) + 1):
        j = i - 1 + k  # frame j compared with frame i - 1 (k frames earlier)
        if j < n and f.diff[j, k - 1] < near:
            return True
        if i - k >= 0 and f.diff[i, k - 1] < near:
            return True
    return False


def _fades(f: FrameFeatures) -> list[Found]:
    """Transitions through black. A short dip (fade-out, black, fade-in) is one transition at
    the middle of the whole dip. Black held ``HOLD_S`` or longer is a shot of its own: the way
    into it and the way out of it are transitions (each at the middle of its ramp; an abrupt way
    in is a ``cut`` to black), at the master's head and tail too (a closing fade-out to held
    black is a fade, not a dissolve)."""
    n = f.count
    t = f.times
    black = (f.luma <= BLACK_LUMA) & (f.spread <= BLACK_SPREAD)
    found: list[Found] = []
    for run_start, run_end in _regions(black):
        head, tail = run_start == 0, run_end == n - 1
        held = t[run_end] - t[run_start] >= HOLD_S
        if (head or tail) and not held:
            continue  # the picture starts or ends in black: no shot on that side
        a = run_start
        while (
            a - 1 >= 0
            and f.luma[a - 1] > f.luma[a] + 1e-3
            and t[run_start] - t[a - 1] <= MAX_FADE_SIDE
        ):
            a -= 1
        a = max(0, a - 1)  # the last steady frame before the fade-out
        b = run_end
        while (
            b + 1 < n
            and f.luma[b + 1] > f.luma[b] + 1e-3
            and t[b + 1] - t[run_end] <= MAX_FADE_SIDE
        ):
            b += 1
        b = min(n - 1, b + 1)  # the first steady frame after the fade-in
        level = float(f.luma[run_start : run_end + 1].mean())
        if not held:
            found.append(_fade(f, a, b, min(f.luma[a], f.luma[b]) - level))
            continue
        if not head:
            if _abrupt(f.luma[run_start], f.luma[run_start - 1], f.luma[a]):
                found.append(Found(run_start, "cut", _depth_score(f.luma[a] - level), a, a))
            else:
                found.append(_fade(f, a, run_start, f.luma[a] - level))
        if not tail and not _abrupt(f.luma[run_end], f.luma[run_end + 1], f.luma[b]):
            found.append(_fade(f, run_end, b, f.luma[b] - level))  # a cut is the cut detector's
    return found


def _abrupt(black: float, next_to: float, steady: float) -> bool:
    """True when the frame next to the black already has most of the steady picture's
    brightness: a cut to (or from) black, not a fade."""
    return next_to - black >= 0.6 * (steady - black)


def _depth_score(depth: float) -> float:
    return round(min(1.0, 0.6 + 2.0 * max(0.0, depth)), 3)


def _fade(f: FrameFeatures, a: int, b: int, depth: float) -> Found:
    """A fade over analysed frames ``a``..``b``, placed at the frame nearest their middle."""
    import numpy as np

    middle = 0.5 * (f.times[a] + f.times[b])
    k = int(np.argmin(np.abs(f.times - middle)))
    return Found(k, "fade", _depth_score(depth), a, b)


def _dissolves(
    f: FrameFeatures, settings: AnalysisSettings, blocked: list[tuple[int, int]]
) -> list[Found]:
    import numpy as np

    n = f.count
    t = f.times
    w = settings.dissolve_window
    ratio = f.resid / np.maximum(f.span, 1e-6)
    ok = (f.span >= DISSOLVE_MIN_SPAN) & (ratio <= DISSOLVE_LINEARITY)
    # Frames whose window reaches into a fade or a cut are not evidence of a dissolve.
    clear = _clear(t, blocked, w)
    ok &= clear
    found: list[Found] = []
    i = 0
    while i < n:
        if not ok[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and ok[j + 1]:
            j += 1
        start, end = i, j
        i = j + 1
        if t[end] - t[start] > DISSOLVE_MAX_REGION:
            continue
        k = start + int(np.argmin(ratio[start : end + 1]))
        if end - start + 1 < DISSOLVE_MIN_FRAMES and not _pure_sides(ratio, t, k, w):
            continue
        peak = float(f.span[start : end + 1].max())
        if peak < DISSOLVE_CONTRAST * _context(f.span, t, start, end, w, clear) + 0.02:
            continue  # the window changes this much everywhere around: motion, not a dissolve
        if f.hspan[k] < DISSOLVE_MIN_HIST:
            continue  # the colours do not change: a smooth motion or lighting change
        around = f.span[(t >= t[k] - w) & (t <= t[k] + w)]
        if peak < 0.9 * float(around.max()):
            continue  # a bigger change right next to it (a cut): this is its tail, not a dissolve
        linear = 1.0 - ratio[k] / DISSOLVE_LINEARITY
        score = round(min(1.0, 0.4 + 0.3 * linear + 0.3 * min(1.0, f.span[k] / 0.25)), 3)
        found.append(Found(k, "dissolve", score, start, end))
    return found


def _pure_sides(
    ratio: npt.NDArray[np.float64], t: npt.NDArray[np.float64], k: int, w: float
) -> bool:
    """True when the frames ``w`` before and after ``k`` read as the plain shots a mix at ``k``
    would leave there (residual about half the span: the frame equals one window end). A short
    dissolve, or one over moving pictures, is linear on only a frame or two; chance linearity
    in motion does not have plain shots on both sides."""
    import numpy as np

    for side in (-w, w):
        near = np.abs(t - (t[k] + side)) <= PLATEAU_S
        if not near.any() or float(np.median(ratio[near])) < DISSOLVE_PLATEAU:
            return False
    return True


def _hist_dissolves(
    f: FrameFeatures, settings: AnalysisSettings, blocked: list[tuple[int, int]]
) -> list[Found]:
    """Gradual transitions seen in colour histograms (blind to motion): the histograms of the
    frames half a window before and after differ much more than anywhere around."""
    import numpy as np

    n = f.count
    t = f.times
    w = settings.dissolve_window
    ok = f.hspan >= HIST_GRADUAL
    ratio = f.resid / np.maximum(f.span, 1e-6)
    clear = _clear(t, blocked, w)
    ok &= clear
    found: list[Found] = []
    for start, end in _joined(_regions(ok), t, HIST_GAP_S):
        if t[end] - t[start] < HIST_GRADUAL_MIN_S or t[end] - t[start] > DISSOLVE_MAX_REGION:
            continue
        if _panning(f, start, end, w):
            continue  # a whip pan changes the colours as much, and blurs like a mix
        peak = float(f.hspan[start : end + 1].max())
        context = _context(f.hspan, t, start, end, w, clear)
        if peak < 2.0 * context + 0.15:
            continue
        level = 0.5 * (peak + context)
        above = np.flatnonzero(f.hspan[start : end + 1] >= level) + start
        a, b = int(above[0]), int(above[-1])
        mixed = float(ratio[a : b + 1].min()) <= DISSOLVE_LINEARITY
        if not mixed and float(f.span[a : b + 1].max()) < HIST_PIXEL_SHARE * peak:
            continue  # the colours shift, the pixels hardly change and nothing mixes
        score = round(min(1.0, 0.4 + 0.6 * (peak - context)), 3)
        k = int(np.argmin(np.abs(t - 0.5 * (t[a] + t[b]))))
        found.append(Found(k, "dissolve", score, a, b))
    return [x for x in found if 0 < x.index < n - 1]


def _panning(f: FrameFeatures, start: int, end: int, w: float) -> bool:
    """True when the picture moves as a whole through ``start``..``end`` (and ``w`` around):
    the typical frame-to-frame global motion is above ``PAN_SHIFT``."""
    import numpy as np

    t = f.times
    near = (t >= t[start] - w) & (t <= t[end] + w)
    return bool(np.median(f.shift[near]) > PAN_SHIFT)


def _regions(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Inclusive (start, end) index runs where ``mask`` is true."""
    import numpy as np

    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(
        zip(
            np.flatnonzero(edges == 1).tolist(),
            (np.flatnonzero(edges == -1) - 1).tolist(),
            strict=True,
        )
    )


def _joined(
    regions: list[tuple[int, int]], t: npt.NDArray[np.float64], gap: float
) -> list[tuple[int, int]]:
    """``regions`` with those less than ``gap`` seconds apart joined."""
    out: list[tuple[int, int]] = []
    for start, end in regions:
        if out and t[start] - t[out[-1][1]] < gap:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _clear(
    t: npt.NDArray[np.float64], blocked: list[tuple[int, int]], w: float
) -> npt.NDArray[np.bool_]:
    """Frames whose dissolve window reaches no transition already found."""
    import numpy as np

    clear = np.ones(t.shape[0], dtype=bool)
    for lo, hi in blocked:
        clear &= ~((t >= t[lo] - w - 0.05) & (t <= t[hi] + w + 0.05))
    return clear


def _context(
    values: npt.NDArray[np.float64],
    t: npt.NDArray[np.float64],
    start: int,
    end: int,
    w: float,
    clear: npt.NDArray[np.bool_],
) -> float:
    """The typical value just outside a candidate: the lower of the median before and the median
    after, each over ``CONTEXT_S`` seconds clear of it, leaving out frames that are not
    ``clear`` when a side has others (a short shot between two transitions would otherwise
    count its neighbour's change as its own motion)."""
    import numpy as np

    before = (t >= t[start] - 2 * w - CONTEXT_S) & (t < t[start] - 2 * w)
    after = (t > t[end] + 2 * w) & (t <= t[end] + 2 * w + CONTEXT_S)
    # A side with no clear frame at all is measured as it is.
    before, after = (values[m & clear] if (m & clear).any() else values[m] for m in (before, after))
    sides = [float(np.median(x)) for x in (before, after) if x.size]
    return min(sides) if sides else 0.0


def _merge(items: list[Found], f: FrameFeatures, min_gap: float) -> list[Found]:
    """Sort by time and keep the stronger of any two transitions closer than ``min_gap``."""
    order = {"cut": 2, "fade": 1, "dissolve": 0}
    out: list[Found] = []
    for item in sorted(items, key=lambda x: x.index):
        if out and f.times[item.index] - f.times[out[-1].index] < min_gap:
            prev = out[-1]
            if (order[item.kind], item.score) > (order[prev.kind], prev.score):
                out[-1] = item
            continue
        out.append(item)
    return out
