"""The smart-crop path: keyframes of the crop window's centre over time, and its ffmpeg form.

A :class:`CropPath` is what subject tracking produces and what the renderer turns into a ``crop``
filter. Between two keyframes the centre follows a cubic Hermite curve: with both velocities 0 it
is a smoothstep ease (a move that starts and stops gently), with equal positions and zero
velocities it holds still, and two keyframes at the same time are a jump (a shot change).

The ffmpeg side is a single ``x`` expression of ``t``: a chain of ``if(lt(t,T),segment,...)``
with one constant per held stretch and one cubic polynomial (Horner form) per moving stretch.
That is chosen over ``sendcmd`` because the path is smooth, not a staircase: ``sendcmd`` only sets
values at instants, so an eased move would need a command per frame, while the expression is
evaluated by crop on every frame at no measurable cost. Paths are cut to the episode's window
(``t0``..``t1``) so an expression holds only the shots of one episode (tens of segments).
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from typing import Any

# Keyframes are rounded when made, so the JSON, x_at() and the expression agree exactly.
_T_DIGITS = 3
_X_DIGITS = 4


@dataclass(frozen=True, slots=True)
class Keyframe:
    """The crop centre ``x`` (0..1 of the source width) at ``time`` (master seconds), moving at
    ``v`` (source widths per second)."""

    time: float
    x: float
    v: float = 0.0


def keyframe(time: float, x: float, v: float = 0.0) -> Keyframe:
    """A :class:`Keyframe` with its values rounded to the stored precision."""
    return Keyframe(round(time, _T_DIGITS), round(min(1.0, max(0.0, x)), _X_DIGITS), round(v, 4))


def _coefficients(a: Keyframe, b: Keyframe) -> tuple[float, float, float, float]:
    """Polynomial coefficients in ``s = t - a.time`` of the Hermite segment from a to b."""
    dt = b.time - a.time
    d = b.x - a.x
    c2 = (3 * d - dt * (2 * a.v + b.v)) / (dt * dt)
    c3 = (-2 * d + dt * (a.v + b.v)) / (dt * dt * dt)
    return a.x, a.v, c2, c3


@dataclass(frozen=True, slots=True)
class CropPath:
    """Where the crop window's centre is over the master's time line.

    Attributes:
        keys: keyframes sorted by time; two with equal times make a jump (a shot change).
        crop_w: the crop window's width as a fraction of the source width (for reference).
    """

    keys: tuple[Keyframe, ...]
    crop_w: float = 1.0

    def x_at(self, t: float) -> float:
        """The crop centre (0..1 of the source width) at master time ``t``."""
        keys = self.keys
        if not keys:
            return 0.5
        times = [k.time for k in keys]
        i = bisect.bisect_right(times, t) - 1
        if i < 0:
            return keys[0].x
        if i >= len(keys) - 1:
            return keys[-1].x
        a, b = keys[i], keys[i + 1]
        c0, c1, c2, c3 = _coefficients(a, b)
        s = t - a.time
        return c0 + s * (c1 + s * (c2 + s * c3))

    def left_px(self, t: float, src_w: int, crop_px: int) -> float:
        """The crop window's left edge in source pixels at ``t`` (as the crop filter places it)."""
        return min(max(self.x_at(t) * src_w - crop_px / 2, 0.0), float(src_w - crop_px))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (cacheable beside the analysis)."""
        return {"crop_w": self.crop_w, "keys": [[k.time, k.x, k.v] for k in self.keys]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CropPath:
        """The inverse of :meth:`to_dict`."""
        keys = tuple(Keyframe(float(t), float(x), float(v)) for t, x, v in data.get("keys", ()))
        return cls(keys=keys, crop_w=float(data.get("crop_w", 1.0)))

    @classmethod
    def still(cls, x: float = 0.5, crop_w: float = 1.0) -> CropPath:
        """A path that never moves (a centre crop when ``x`` is 0.5)."""
        return cls(keys=(keyframe(0.0, x),), crop_w=crop_w)


def _num(value: float) -> str:
    text = f"{value:.9g}"
    return "0" if text in ("-0", "0") else text


def x_expression(
    path: CropPath, src_w: int, crop_px: int, t0: float = 0.0, t1: float | None = None
) -> str:
    """The crop filter's ``x`` expression (left edge, pixels) for ``path`` on an input whose
    ``t`` is master time minus ``t0``, covering master times up to ``t1`` (None: to the end).

    Args:
        path: the crop centre path.
        src_w: the source (display) width in pixels.
        crop_px: the crop window width in pixels.
        t0: master time at which the filter's ``t`` is 0.
        t1: master time after which the path no longer matters (the episode's end).
    """
    keys = path.keys
    half = crop_px / 2
    if not keys:
        return _num(round((src_w - crop_px) / 2))
    # (end time relative to t0, expression in centre pixels) per stretch, in time order.
    parts: list[tuple[float, str]] = []
    if keys[0].time > t0:
        parts.append((keys[0].time - t0, _num(round(keys[0].x * src_w, 2))))
    tail = _num(round(keys[-1].x * src_w, 2))  # after the last key the path holds still
    for a, b in itertools.pairwise(keys):
        if b.time <= a.time or b.time <= t0:
            continue
        if t1 is not None and a.time >= t1:
            tail = parts.pop()[1] if parts else tail  # nothing after the window matters
            break
        c0, c1, c2, c3 = (c * src_w if abs(c * src_w) > 1e-6 else 0.0 for c in _coefficients(a, b))
        if abs(c1) < 1e-9 and abs(c2) < 1e-9 and abs(c3) < 1e-9:
            expr = _num(round(c0, 2))
        else:
            s = f"(t-{_num(a.time - t0)})" if a.time >= t0 else f"(t+{_num(t0 - a.time)})"
            expr = f"{_num(c0)}+{s}*({_num(c1)}+{s}*({_num(c2)}+{s}*{_num(c3)}))"
            expr = expr.replace("+-", "-")
        if parts and parts[-1][1] == expr:
            parts[-1] = (b.time - t0, expr)
        else:
            parts.append((b.time - t0, expr))
        if t1 is not None and b.time >= t1:
            tail = parts.pop()[1]  # the window ends inside this stretch
            break
    while parts and parts[-1][1] == tail:
        parts.pop()
    expr = tail
    for end, seg in reversed(parts):
        expr = f"if(lt(t,{_num(end)}),{seg},{expr})"
    return f"clip({expr}-{_num(half)},0,{src_w - crop_px})"
