"""What an encode masks: ``--hardsubs auto|off|FILE``, ``--hardsubs-method`` and
``--hardsubs-keep`` checked up front, then resolved against the master into a
:class:`~vidpack.hardsubs.model.Masking` (the dialogue regions, protected text left out).

Only ``dialogue`` regions are masked. Static text (series title, watermark, the filing number)
never is: a dialogue region whose box touches a static region's box is masked only while that
static text is off screen. A ``--hardsubs-keep`` box is protected for the whole master: a
dialogue region touching one is left unmasked altogether (never clipped, so not one pixel of a
protected box is changed; the masking methods read and round a box by a pixel or two, so
"touching" counts a margin of :data:`KEEP_MARGIN` pixels).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vidpack.errors import UsageError
from vidpack.hardsubs.filters import MAX_CROP_ZOOM, METHODS, crop_zoom, kept_rows
from vidpack.hardsubs.model import Box, Hardsubs, Masking, Region

if TYPE_CHECKING:
    from vidpack.media.probe import MediaInfo

SOURCES = ("off", "auto")
DEFAULT_METHOD = "box"
KEEP_MARGIN = 4  # pixels around a protected box that no mask may reach
_KEEP = re.compile(r"\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*")


@dataclass(frozen=True, slots=True)
class HardsubsOptions:
    """The burned-in text options of a render (every default lives here).

    Attributes:
        source: ``off`` (no masking), ``auto`` (the cached detection of
            :func:`~vidpack.hardsubs.run.find_hardsubs`) or a mask file's path.
        method: ``blur``, ``box``, ``inpaint`` or ``crop``.
        keep: protected boxes ``(x, y, w, h)`` in master pixels, never masked.
    """

    source: str = "off"
    method: str = DEFAULT_METHOD
    keep: tuple[Box, ...] = ()

    @property
    def enabled(self) -> bool:
        return self.source != "off"

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "method": self.method, "keep": [list(b) for b in self.keep]}


def keep_text(box: Box) -> str:
    """A box as ``--hardsubs-keep`` takes it: ``X,Y,W,H``."""
    return ",".join(str(v) for v in box)


def _option(key: str) -> str:
    return "--" + key.replace("_", "-")


def parse_hardsubs_options(
    source: str | None = None,
    method: str | None = None,
    keep: Sequence[str] = (),
    *,
    label: Callable[[str], str] = _option,
) -> HardsubsOptions:
    """Check the options as given (before any media is read) and build :class:`HardsubsOptions`.

    Args:
        source: ``auto``, ``off`` or a mask file (``None``: off).
        method: ``blur``, ``box`` or ``inpaint`` (``None``: :data:`DEFAULT_METHOD`).
        keep: protected boxes as ``X,Y,W,H`` texts.
        label: how messages name a key (``hardsubs_keep`` -> ``--hardsubs-keep``).

    Raises:
        UsageError: every problem at once (an unknown method, a keep box that is not X,Y,W,H
            or has no area, a mask file that does not exist), each naming its option.
    """
    problems: list[str] = []
    source = (source or "off").strip() or "off"
    method = (method or DEFAULT_METHOD).strip()
    if method not in METHODS:
        problems.append(
            f"{label('hardsubs_method')} {method!r} is not a method: use one of "
            f"{', '.join(METHODS)}"
        )
    if source not in SOURCES and not Path(source).is_file():
        problems.append(
            f"{label('hardsubs')} {source!r} is neither auto, off nor a mask file: give auto, "
            "off, or a file made by `vidpack hardsubs MASTER -o mask.json`"
        )
    boxes: list[Box] = []
    for text in keep:
        match = _KEEP.fullmatch(text)
        if match is None:
            problems.append(
                f"{label('hardsubs_keep')} {text!r} is not X,Y,W,H: give four whole numbers of "
                "master pixels, e.g. 20,100,320,40"
            )
            continue
        x, y, w, h = (int(v) for v in match.groups())
        if w == 0 or h == 0:
            problems.append(
                f"{label('hardsubs_keep')} {text!r} has no area: give a width and height "
                "above 0, e.g. 20,100,320,40"
            )
            continue
        boxes.append((x, y, w, h))
    if problems:
        raise UsageError("; ".join(problems))
    return HardsubsOptions(source, method, tuple(boxes))


def _check_keep(keep: Sequence[Box], size: tuple[int, int]) -> None:
    w, h = size
    bad = [b for b in keep if b[0] + b[2] > w or b[1] + b[3] > h]
    if bad:
        raise UsageError(
            "; ".join(
                f"--hardsubs-keep {keep_text(b)} reaches outside the {w}x{h} master: keep "
                f"x + w <= {w} and y + h <= {h}"
                for b in bad
            )
        )


def _touches(a: Box, b: Box, margin: int) -> bool:
    return (
        a[0] < b[0] + b[2] + margin
        and b[0] - margin < a[0] + a[2]
        and a[1] < b[1] + b[3] + margin
        and b[1] - margin < a[1] + a[3]
    )


def _without(
    ranges: Sequence[tuple[float, float]], cuts: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """``ranges`` minus the times of ``cuts``."""
    out = list(ranges)
    for c0, c1 in cuts:
        kept: list[tuple[float, float]] = []
        for a, b in out:
            if c1 <= a or b <= c0:
                kept.append((a, b))
                continue
            if a < c0:
                kept.append((a, c0))
            if c1 < b:
                kept.append((c1, b))
        out = kept
    return out


def protect(found: Hardsubs, keep: Sequence[Box]) -> tuple[tuple[Region, ...], list[str]]:
    """The dialogue regions to mask, and one note per region left unmasked (see the module
    docstring: static text is protected while shown, keep boxes always)."""
    static = [r for r in found.regions if r.kind == "static"]
    regions: list[Region] = []
    notes: list[str] = []
    for n, region in enumerate(found.regions, start=1):
        if region.kind != "dialogue":
            continue
        hit = next((k for k in keep if _touches(region.box, k, KEEP_MARGIN)), None)
        if hit is not None:
            notes.append(
                f"burned-in dialogue region {n} at {keep_text(region.box)} touches "
                f"--hardsubs-keep {keep_text(hit)}: left unmasked"
            )
            continue
        ranges = list(region.ranges)
        for s in static:
            if _touches(region.box, s.box, KEEP_MARGIN):
                ranges = _without(ranges, s.ranges)
        if not ranges:
            notes.append(
                f"burned-in dialogue region {n} at {keep_text(region.box)} touches static text "
                "whenever it is shown: left unmasked"
            )
            continue
        regions.append(Region(region.kind, region.box, tuple(ranges), region.confidence))
    return tuple(regions), notes


def resolve_masking(
    master: str | Path, info: MediaInfo, options: HardsubsOptions, reframe: str | None = None
) -> tuple[Masking | None, list[str]]:
    """What the encodes of ``master`` mask under ``options``, and notes (regions left unmasked;
    for a horizontal master cropped to 9:16, that the text could be cropped away instead).

    Args:
        master: the master's path.
        info: its probe result.
        options: checked by :func:`parse_hardsubs_options`.
        reframe: how the encodes reframe the master (``crop``/``smart`` make the offer).

    Returns:
        ``(None, [])`` for ``off``; else the masking in master seconds (maybe without regions).

    Raises:
        UsageError: a keep box outside the picture, a mask file that does not fit the master;
            ``crop`` that would enlarge too much or cut static text or a keep box away.
        vidpack.errors.FFmpegError: the detection's decode failed (``auto``).
    """
    if not options.enabled:
        return None, []
    size = (info.width, info.height)
    _check_keep(options.keep, size)
    if options.source == "auto":
        from vidpack.hardsubs.run import find_hardsubs

        found = find_hardsubs(Path(master), info)
    else:
        from vidpack.hardsubs.maskfile import load_mask_file

        found = load_mask_file(options.source, info, what="--hardsubs")
    regions, notes = protect(found, options.keep)
    kept = [r.box for r in found.regions if r.kind == "static"] + list(options.keep)
    if regions and options.method == "crop":
        problem = _crop_problem([r.box for r in regions], kept, size)
        if problem:
            raise UsageError(f"--hardsubs-method crop: {problem}: use blur, box or inpaint")
    elif regions and reframe in ("crop", "smart") and info.width > info.height:
        offer = _crop_offer([r.box for r in regions], kept, size)
        if offer:
            notes.append(offer)
    return Masking(options.method, size, regions), notes


def _rows(boxes: Sequence[Box]) -> str:
    return f"rows {min(b[1] for b in boxes)}-{max(b[1] + b[3] for b in boxes)}"


def _crop_problem(dialogue: Sequence[Box], kept: Sequence[Box], size: tuple[int, int]) -> str:
    """Why ``crop`` cannot cut ``dialogue`` away (too much zoom, or it would cut a box of
    ``kept`` away too); empty when it can."""
    height = size[1]
    zoom = crop_zoom(dialogue, height)
    if zoom > MAX_CROP_ZOOM:
        return (
            f"cutting the burned-in dialogue ({_rows(dialogue)} of {height}) away would enlarge "
            f"the picture {zoom:.2f}x (at most {MAX_CROP_ZOOM}x)"
        )
    top, bottom = kept_rows(dialogue, height)
    lost = [b for b in kept if b[1] < top or b[1] + b[3] > bottom]
    if lost:
        return (
            f"keeping rows {top}-{bottom} would cut away the static text or --hardsubs-keep box "
            f"at {keep_text(lost[0])}, which is never masked"
        )
    return ""


def _crop_offer(dialogue: Sequence[Box], kept: Sequence[Box], size: tuple[int, int]) -> str:
    """The note offering ``crop`` when it can cut ``dialogue`` away; empty when it cannot."""
    if _crop_problem(dialogue, kept, size):
        return ""
    top, bottom = kept_rows(dialogue, size[1])
    return (
        f"the burned-in dialogue ({_rows(dialogue)} of {size[1]}) can be cropped away instead of "
        f"masked: --hardsubs-method crop keeps rows {top}-{bottom} "
        f"({crop_zoom(dialogue, size[1]):.2f}x enlarged, sides trimmed) and paints nothing over "
        "the picture"
    )


def unmasked_note(master: str | Path, info: MediaInfo) -> str | None:
    """With masking off: one line when a cached detection of ``master`` found dialogue text
    (only the cache is read: no decode is added to a run that did not ask for one)."""
    from vidpack.hardsubs.run import cached_hardsubs

    found = cached_hardsubs(Path(master), info)
    if found is None or not found.dialogue:
        return None
    shown = sum(b - a for r in found.dialogue for a, b in r.ranges)
    return (
        f"{Path(master).name} has burned-in dialogue text ({shown:.0f} s in "
        f"{len(found.dialogue)} region{'s' if len(found.dialogue) > 1 else ''}, from the cached "
        "detection): add --hardsubs auto to mask it"
    )
