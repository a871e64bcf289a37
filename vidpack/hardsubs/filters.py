"""The ffmpeg filter chains that hide burned-in text, as strings (nothing is run here).

The render puts the fragment of :func:`mask_chain` into the episode's own filter graph, before
the scale to the output size, so masking costs no extra generation. Each region is masked only
during its ranges (``enable='between(t,a,b)+...'``, times of the input, i.e. the master) and
only inside its box. Methods:

- ``blur``: the box blurred strongly (a box blur of about the text height, three passes);
- ``box``: the box filled with the colours around it: per column, a blend from the colour just
  above the box to the colour just below it (no text colour survives);
- ``inpaint``: ffmpeg's ``delogo`` (fill by interpolating the box's border pixels, the same way
  on every frame, so it does not flicker);
- ``crop``: the rows the text is drawn on cut away for the whole encode (the tallest band of
  rows clear of every box is kept and scaled back to the full height, the sides trimmed to keep
  the width): the framing does not change when a line appears, and nothing is painted over.
"""

from __future__ import annotations

from collections.abc import Sequence

from vidpack.errors import UsageError
from vidpack.hardsubs.model import Box, Region

METHODS = ("blur", "box", "inpaint", "crop")
CROP_MARGIN = 4  # rows kept clear of a text box by ``crop`` (vidpack's choice: outline, blur)
MAX_CROP_ZOOM = 1.5  # ``crop`` refuses to enlarge more (vidpack's choice: a third of the rows)


def enable_expr(ranges: Sequence[tuple[float, float]]) -> str:
    """``between(t,a,b)+...`` for the ranges (``t`` in seconds of the filter's input)."""
    return "+".join(f"between(t,{a:.3f},{b:.3f})" for a, b in ranges)


def _even(box: Box, size: tuple[int, int], margin: int) -> Box:
    """``box`` with an even origin and size (chroma subsampling) and ``margin`` pixels of
    picture left on every side (for the surroundings the methods read)."""
    w, h = size
    low = margin + margin % 2
    x0 = max(low, box[0] // 2 * 2)
    y0 = max(low, box[1] // 2 * 2)
    x1 = min((w - margin) // 2 * 2, -(-(box[0] + box[2]) // 2) * 2)
    y1 = min((h - margin) // 2 * 2, -(-(box[1] + box[3]) // 2) * 2)
    return (x0, y0, max(2, x1 - x0), max(2, y1 - y0))


def _one(
    k: str, region: Region, method: str, size: tuple[int, int], src: str, dst: str
) -> list[str]:
    """The chains masking one region; ``k`` is the stem of its labels (unique in the graph)."""
    en = enable_expr(region.ranges)
    if method == "inpaint":
        x, y, w, h = _even(region.box, size, 1)
        return [f"[{src}]delogo=x={x}:y={y}:w={w}:h={h}:show=0:enable='{en}'[{dst}]"]
    if method == "blur":
        x, y, w, h = _even(region.box, size, 0)
        radius = max(1, min(w, h) // 2 - 1)
        return [
            f"[{src}]split=2[{k}b][{k}c]",
            f"[{k}c]crop={w}:{h}:{x}:{y},boxblur=luma_radius={radius}:luma_power=3"
            f":chroma_radius={max(1, radius // 2)}:chroma_power=3[{k}m]",
            f"[{k}b][{k}m]overlay=x={x}:y={y}:enable='{en}'[{dst}]",
        ]
    m = 4  # strip height read above and below the box
    x, y, w, h = _even(region.box, size, m)
    return [
        f"[{src}]split=3[{k}b][{k}u][{k}d]",
        f"[{k}u]crop={w}:{m}:{x}:{y - m},scale={w}:2:flags=area[{k}t]",
        f"[{k}d]crop={w}:{m}:{x}:{y + h},scale={w}:2:flags=area[{k}l]",
        f"[{k}t][{k}l]vstack=2,scale={w}:{h}:flags=bilinear[{k}m]",
        f"[{k}b][{k}m]overlay=x={x}:y={y}:enable='{en}'[{dst}]",
    ]


def kept_rows(boxes: Sequence[Box], height: int) -> tuple[int, int]:
    """The tallest band of rows ``[top, bottom)`` clear of every box (and of
    :data:`CROP_MARGIN` rows around it), even at both ends; ``(0, height)`` for no boxes."""
    spans = sorted(
        (max(0, y - CROP_MARGIN), min(height, y + h + CROP_MARGIN)) for _, y, _, h in boxes
    )
    best, cursor = (0, 0), 0
    for a, b in spans:
        if a - cursor > best[1] - best[0]:
            best = (cursor, a)
        cursor = max(cursor, b)
    if height - cursor > best[1] - best[0]:
        best = (cursor, height)
    return best[0] + best[0] % 2, best[1] - best[1] % 2


def crop_zoom(boxes: Sequence[Box], height: int) -> float:
    """How much ``crop`` enlarges the picture to cut ``boxes`` away (inf: no rows are left)."""
    top, bottom = kept_rows(boxes, height)
    return height / (bottom - top) if bottom > top else float("inf")


def _crop(boxes: Sequence[Box], size: tuple[int, int], src: str, dst: str) -> str:
    w, h = size
    top, bottom = kept_rows(boxes, h)
    if bottom - top < 2:
        raise UsageError("--hardsubs-method crop: the burned-in text leaves no rows to keep")
    wide = 2 * round(w * h / (bottom - top) / 2)
    return (
        f"[{src}]crop={w}:{bottom - top}:0:{top},scale={wide}:{h},"
        f"crop={w}:{h}:{(wide - w) // 2}:0,setsar=1[{dst}]"
    )


def mask_chain(
    regions: Sequence[Region],
    method: str,
    size: tuple[int, int],
    *,
    source: str = "0:v",
    output: str = "masked",
    tag: str = "hs",
) -> str:
    """The filter graph fragment from ``[source]`` to ``[output]`` masking ``regions``.

    Args:
        regions: what to hide (the caller leaves out protected ones: static text is kept).
        method: ``blur``, ``box``, ``inpaint`` or ``crop`` (every region's box, whenever it is
            shown: the framing holds for the whole encode).
        size: the frame size at that point of the graph (the boxes' frame).
        source, output: pad labels without brackets.
        tag: the stem of the fragment's own labels (``hs0b``...): give each fragment of one
            graph its own (several episodes' chains in one process).

    Returns:
        ``;``-joined chains; ``[source]null[output]`` when there is nothing to mask.

    Raises:
        UsageError: an unknown method.
    """
    if method not in METHODS:
        raise UsageError(f"masking method {method!r}: use one of {', '.join(METHODS)}")
    if method == "crop":
        boxes = [r.box for r in regions if r.box[2] > 0 and r.box[3] > 0]
        return _crop(boxes, size, source, output) if boxes else f"[{source}]null[{output}]"
    todo = [r for r in regions if r.ranges and r.box[2] > 0 and r.box[3] > 0]
    if not todo:
        return f"[{source}]null[{output}]"
    chains: list[str] = []
    src = source
    for k, region in enumerate(todo):
        dst = output if k == len(todo) - 1 else f"{tag}{k}o"
        chains += _one(f"{tag}{k}", region, method, size, src, dst)
        src = dst
    return ";".join(chains)
