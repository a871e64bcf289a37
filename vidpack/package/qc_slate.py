"""QC of the compliance slate: for a preset with ``license_number_required``, every episode's
manifest record names the slate (the series' licence number, its start and duration) and the
episode file shows it: a frame from the middle of the slate window, cropped to the slate's box,
holds the opaque dark box with bright text in it.

The measurement is one small gray frame per episode (the box only), decoded after a seek.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidpack.package.qc_model import Check

DARK_Y = 48  # box pixels (opaque black, Y about 16)
BRIGHT_Y = 170  # text pixels (white, Y about 235)
MIN_DARK = 0.35  # at least this share of the box's core is the box
MIN_BRIGHT = 0.02  # and at least this share is text


def slate_core(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The part of the slate's box that always shows the box and text: the middle half of its
    width (the drawn box follows the real text width, the recorded one is estimated), its full
    height, rounded to even pixels."""
    x, y, w, h = box
    cw = max(2, w // 2 // 2 * 2)
    return x + (w - cw) // 2, y, cw, max(2, h // 2 * 2)


def slate_contrast(path: Path, at: float, box: tuple[int, int, int, int]) -> tuple[float, float]:
    """The shares of dark and bright pixels in the core of ``box`` in the frame at ``at`` s."""
    import numpy as np

    from vidpack.media.runner import pipe_ffmpeg

    x, y, w, h = slate_core(box)
    args = ["-ss", f"{max(0.0, at):.3f}", "-i", f"file:{path}", "-map", "0:v:0", "-frames:v", "1"]
    args += ["-vf", f"crop={w}:{h}:{x}:{y},format=gray", "-f", "rawvideo", "pipe:1"]
    with pipe_ffmpeg(args, label=f"slate frame of {path.name}") as stream:
        buf = stream.read(w * h)
    if len(buf) < w * h:
        return 0.0, 0.0
    gray = np.frombuffer(buf, np.uint8)
    return float((gray < DARK_Y).mean()), float((gray > BRIGHT_Y).mean())


def shows_slate(path: Path, at: float, box: tuple[int, int, int, int]) -> bool:
    """True when the frame at ``at`` shows the slate's box with text in it."""
    dark, bright = slate_contrast(path, at, box)
    return dark >= MIN_DARK and bright >= MIN_BRIGHT


def slate_checks(folder: Path, m: dict[str, Any], episodes: list[dict[str, Any]]) -> list[Check]:
    """The slate checks of every existing episode of a preset that requires the slate."""
    if not (m["preset"].get("metadata") or {}).get("license_number_required"):
        return []
    number = (m.get("series") or {}).get("license_number") or ""
    out: list[Check] = []
    for ep in episodes:
        rel = ep["file"]
        slate = ep.get("slate") or {}
        want = f"licence number {number!r}" if number else "a licence number"
        text = slate.get("text") or ""
        ok = bool(text) and (not number or text == number)
        out.append(Check(rel, "slate recorded", ok, want, repr(text) if text else "none"))
        if not ok or len(slate.get("box") or ()) != 4:
            continue
        at = float(slate.get("start", 0.0)) + float(slate.get("duration", 0.0)) / 2
        box = tuple(int(v) for v in slate["box"])
        dark, bright = slate_contrast(folder / rel, at, box)  # type: ignore[arg-type]
        out.append(
            Check(
                rel,
                "slate shown",
                dark >= MIN_DARK and bright >= MIN_BRIGHT,
                f"box >= {MIN_DARK:.0%} dark, text >= {MIN_BRIGHT:.0%} bright at {at:.2f} s",
                f"{dark:.0%} dark, {bright:.0%} bright",
            )
        )
    return out
