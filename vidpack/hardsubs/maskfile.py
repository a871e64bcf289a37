"""The mask file: reading, checking and writing the editable list of burned-in text regions.

The file is what ``vidpack hardsubs -o mask.json`` writes (``{"format", "size", "duration",
"regions": [{"kind", "box", "ranges", "confidence"}]}``, boxes in master pixels, times in
seconds); a user may edit it and hand it back (``--hardsubs FILE``). Every problem is reported at
once, one line each, as a :class:`~vidpack.errors.UsageError`: nothing is rendered from a file
that does not fit its master.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.errors import UsageError
from vidpack.hardsubs.model import KINDS, Hardsubs, Region

if TYPE_CHECKING:
    from vidpack.media.probe import MediaInfo

# Times may pass the master's duration by this much (a frame's rounding).
END_SLACK = 0.05


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _box(value: Any, where: str, size: tuple[int, int], problems: list[str]) -> tuple[int, ...]:
    w, h = size
    if (
        not isinstance(value, list)
        or len(value) != 4
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        problems.append(f"{where} box: {json.dumps(value)} is not [x, y, w, h] in whole pixels")
        return ()
    x, y, bw, bh = value
    if bw <= 0 or bh <= 0:
        problems.append(f"{where} box: {value} has no area: give a width and height above 0")
    elif x < 0 or y < 0 or x + bw > w or y + bh > h:
        problems.append(
            f"{where} box: {value} reaches outside the {w}x{h} picture: keep x, y >= 0, "
            f"x + w <= {w} and y + h <= {h}"
        )
    return tuple(value)


def _ranges(
    value: Any, where: str, duration: float, problems: list[str]
) -> list[tuple[float, float]]:
    if not isinstance(value, list) or not value:
        problems.append(
            f"{where} ranges: {json.dumps(value)} is not a list of [start, end] seconds"
        )
        return []
    out: list[tuple[float, float]] = []
    for k, item in enumerate(value, start=1):
        pair = [_number(v) for v in item] if isinstance(item, list) and len(item) == 2 else []
        if len(pair) != 2 or pair[0] is None or pair[1] is None:
            problems.append(f"{where} range {k}: {json.dumps(item)} is not [start, end] in seconds")
            continue
        a, b = pair[0], pair[1]
        if a < 0 or b <= a:
            problems.append(f"{where} range {k}: [{a:g}, {b:g}] must have 0 <= start < end")
        elif b > duration + END_SLACK:
            problems.append(
                f"{where} range {k}: [{a:g}, {b:g}] ends after the master's {duration:.3f} s: "
                f"end it by {duration:.3f}"
            )
        elif out and a < out[-1][1]:
            problems.append(
                f"{where} range {k}: [{a:g}, {b:g}] starts before the previous range ends "
                f"({out[-1][1]:g}): keep ranges in order, not overlapping"
            )
        out.append((a, min(b, duration)))
    return out


def from_dict(
    data: Any,
    info: MediaInfo | None = None,
    *,
    size: tuple[int, int] | None = None,
    duration: float | None = None,
    source: str = "mask file",
) -> Hardsubs:
    """Check a parsed mask file against its master and return the regions.

    Args:
        data: the parsed JSON.
        info: the master's probe result (or give ``size`` and ``duration``).
        size, duration: the master's display size and duration, when ``info`` is not given.
        source: how to name the file in messages.

    Raises:
        UsageError: every problem at once, one line each.
    """
    if info is not None:
        size, duration = (info.width, info.height), info.duration
    if size is None or duration is None:
        raise ValueError("from_dict needs info or size and duration")
    w, h = size
    if not isinstance(data, dict) or not isinstance(data.get("regions"), list):
        raise UsageError(f"{source}: not a JSON object with a list of regions")
    problems: list[str] = []
    got = data.get("size")
    if got is not None and got != [w, h]:
        problems.append(
            f"size: {json.dumps(got)} does not match the master's {w}x{h}: "
            "make the mask file from this master (vidpack hardsubs MASTER -o FILE)"
        )
    regions: list[Region] = []
    for i, item in enumerate(data["regions"], start=1):
        where = f"region {i}"
        if not isinstance(item, dict):
            problems.append(f"{where}: not an object with kind, box and ranges")
            continue
        kind = item.get("kind")
        if kind not in KINDS:
            problems.append(f"{where} kind: {json.dumps(kind)} is not one of {', '.join(KINDS)}")
        box = _box(item.get("box"), where, (w, h), problems)
        ranges = _ranges(item.get("ranges"), where, duration, problems)
        conf = _number(item.get("confidence", 1.0))
        if conf is None or not 0 <= conf <= 1:
            problems.append(f"{where} confidence: {json.dumps(item.get('confidence'))} is not 0..1")
            conf = 1.0
        if len(box) == 4 and ranges and kind in KINDS:
            regions.append(Region(str(kind), (box[0], box[1], box[2], box[3]), tuple(ranges), conf))
    if len(problems) == 1:
        raise UsageError(f"{source}: {problems[0]}")
    if problems:
        raise UsageError(f"{source}: {len(problems)} problems:\n  " + "\n  ".join(problems))
    samples = data.get("samples", 0)
    return Hardsubs(w, h, duration, tuple(regions), samples if isinstance(samples, int) else 0)


def load_mask_file(path: str | Path, info: MediaInfo, *, what: str = "mask file") -> Hardsubs:
    """Read and check a mask file for the master described by ``info``.

    Args:
        path: the file.
        info: the master's probe result.
        what: how messages name the file, before its path (e.g. the option that gave it).

    Raises:
        UsageError: unreadable, not JSON, or not fitting the master (every problem at once; a
            single problem on one line).
    """
    p = Path(path)
    shown = f"{what} {str(p)!r}"
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{shown}: cannot read it ({err}): check the path") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise UsageError(
            f"{shown}: not JSON (line {err.lineno} column {err.colno}: {err.msg}): fix the syntax"
        ) from None
    return from_dict(data, info, source=shown)


def dumps(result: Hardsubs) -> str:
    """The mask file's text: JSON with one line per region, easy to edit by hand."""
    data = result.to_dict()
    regions = data.pop("regions")
    head = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in data.items()]
    body = ",\n".join(f"    {json.dumps(r)}" for r in regions)
    inner = f"[\n{body}\n  ]" if regions else "[]"
    return "{\n" + "\n".join(head) + f'\n  "regions": {inner}\n}}\n'
