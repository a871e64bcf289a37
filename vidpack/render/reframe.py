"""Vertical conversion: the ffmpeg filter chain that turns a decoded master picture into the
preset's size (``fit``, ``crop`` or ``smart``).

:func:`reframe_filter` returns a fragment to put between commas in the renderer's video chain:

- a master already within 1% of the target aspect: a plain ``scale``;
- ``crop``: the centre window of the target aspect, scaled;
- ``smart``: the same window, its ``x`` an expression of ``t`` following a :class:`CropPath`
  (see :mod:`vidpack.render.croppath` for why an expression and not ``sendcmd``);
- ``fit``: the whole picture scaled inside the target, over a blurred, darkened copy of itself
  that covers the frame (luma multiplied by 0.6 rather than eq's brightness offset, which
  turns dark shots black). This one needs a split, so it is a small filtergraph: it starts with an
  unlabelled ``split`` and ends with an unlabelled ``overlay,setsar=1``, using the internal labels
  ``[rfbg]``, ``[rffg]``, ``[rfb]``, ``[rff]``. Joined by commas into a chain
  (``[0:v]fps=25,<fragment>,format=yuv420p[v]``) it connects like a single filter; use it once per
  filtergraph.

Every mode ends with ``setsar=1`` at exactly ``dst_w`` x ``dst_h``. Sizes are computed here as
even integers, so nothing depends on ffmpeg's rounding.
"""

from __future__ import annotations

from vidpack.errors import UsageError
from vidpack.render.croppath import CropPath, Keyframe, keyframe, x_expression

__all__ = ["CropPath", "Keyframe", "crop_width", "keyframe", "reframe_filter"]

MODES = ("fit", "crop", "smart")
_SAME_ASPECT = 0.01  # aspects within 1% are scaled, not reframed
_FILL_GAIN = 0.6  # luma gain of the blurred fill (multiplied: dark shots stay above black)


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def crop_width(src_w: int, src_h: int, dst_w: int, dst_h: int) -> int:
    """The width (even pixels) of the full-height window of the target aspect in the source."""
    return min(src_w, _even(src_h * dst_w / dst_h))


def _crop_height(src_w: int, src_h: int, dst_w: int, dst_h: int) -> int:
    return min(src_h, _even(src_w * dst_h / dst_w))


def _fit(src_w: int, src_h: int, dst_w: int, dst_h: int) -> str:
    if src_w * dst_h >= src_h * dst_w:  # wider than the target: full width, fill above/below
        fg_w, fg_h = dst_w, min(dst_h, _even(src_h * dst_w / src_w))
    else:  # taller: full height, fill left/right
        fg_w, fg_h = min(dst_w, _even(src_w * dst_h / src_h)), dst_h
    # The fill is blurred at a quarter of the size: a cheap, strong blur that then scales up.
    bg_w, bg_h = _even(dst_w / 4), _even(dst_h / 4)
    sigma = max(2.0, bg_w / 24)
    return (
        "split=2[rfbg][rffg];"
        f"[rfbg]scale={bg_w}:{bg_h}:force_original_aspect_ratio=increase,crop={bg_w}:{bg_h},"
        f"gblur=sigma={sigma:g},lutyuv=y=minval+(val-minval)*{_FILL_GAIN},"
        f"scale={dst_w}:{dst_h},setsar=1[rfb];"
        f"[rffg]scale={fg_w}:{fg_h},setsar=1[rff];"
        f"[rfb][rff]overlay=x={(dst_w - fg_w) // 2}:y={(dst_h - fg_h) // 2},setsar=1"
    )


def reframe_filter(
    mode: str,
    src_w: int,
    src_h: int,
    dst_w: int,
    dst_h: int,
    crop_path: CropPath | None = None,
    t0: float = 0.0,
    *,
    t1: float | None = None,
) -> str:
    """The filter chain that turns a ``src_w`` x ``src_h`` picture (square pixels) into exactly
    ``dst_w`` x ``dst_h`` with SAR 1.

    Args:
        mode: ``fit``, ``crop`` or ``smart``.
        src_w: source display width.
        src_h: source display height.
        dst_w: target width (even).
        dst_h: target height (even).
        crop_path: for ``smart``: the tracked crop centre (from
            :func:`vidpack.render.smartcrop.track_subject`); None gives a centre crop.
        t0: master time of the episode's first frame; the filter's input timestamps start at 0.
        t1: master time of the episode's end (keeps the smart expression to this episode).

    Returns:
        A comma-joinable chain (``fit``: a labelled fragment, see the module docstring).

    Raises:
        UsageError: an unknown mode or a non-positive size.
    """
    if mode not in MODES:
        raise UsageError(f"--reframe {mode!r} is not a mode: use fit, crop or smart")
    if min(src_w, src_h, dst_w, dst_h) <= 0:
        raise UsageError(
            f"reframe sizes must be positive: source {src_w}x{src_h}, target {dst_w}x{dst_h}"
        )
    scale = f"scale={dst_w}:{dst_h},setsar=1"
    src_aspect, dst_aspect = src_w / src_h, dst_w / dst_h
    if abs(src_aspect / dst_aspect - 1) <= _SAME_ASPECT:
        return scale
    if mode == "fit":
        return _fit(src_w, src_h, dst_w, dst_h)
    if src_aspect < dst_aspect:  # taller than the target: centre crop vertically
        ch = _crop_height(src_w, src_h, dst_w, dst_h)
        return f"crop={src_w}:{ch}:0:{(src_h - ch) // 2},{scale}"
    cw = crop_width(src_w, src_h, dst_w, dst_h)
    if mode == "crop" or crop_path is None or not crop_path.keys:
        return f"crop={cw}:{src_h}:{(src_w - cw) // 2}:0,{scale}"
    x = x_expression(crop_path, src_w, cw, t0=t0, t1=t1)
    return f"crop=w={cw}:h={src_h}:x='{x}':y=0,{scale}"
