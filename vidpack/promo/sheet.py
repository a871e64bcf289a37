"""The contact sheet: every candidate frame in a grid, its timecode and score drawn under it,
picks framed, so an editor can choose one and force it with ``--at``.

Times are timecodes ``HH:MM:SS:FF`` at the master's frame rate (:mod:`vidpack.media.timecode`),
as an editing system shows the frame. A header names the series title (any script) and the
master. The text is drawn by libass in the preset's subtitle fonts
(:mod:`vidpack.subtitles.overlay`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vidpack.media.atomic import atomic_output
from vidpack.media.timecode import rate_label, timecode
from vidpack.promo.thumbs import Candidate
from vidpack.subtitles.overlay import Label, default_fonts, draw_labels, fit_text

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from vidpack.presets.model import Fonts

HEADER_H = 56
LABEL_H = 42
PAD = 6
_MIN_WIDTH = 360  # a sheet of one or two candidates still has room for its header
_MIN_TILE_W = 100  # a narrow frame's column still holds its timecode
_BG = 32
_PICKED = (0, 220, 0)  # BGR
_TEXT = (235, 235, 235)
_DIM = (175, 175, 175)
_SIZE = 16  # label font size (libass pixels)


@dataclass(frozen=True, slots=True)
class SheetText:
    """What a sheet says besides its frames: the master's frame rate for the timecodes (0:
    unknown, counted at 25), the series title for the header (any script, may be empty) and
    the master's path (its name goes in the header)."""

    fps: float = 0.0
    title: str = ""
    master: str = ""


def sheet_layers(
    candidates: Sequence[Candidate],
    picks: Sequence[Candidate],
    text: SheetText,
    fonts: Fonts,
    columns: int = 6,
) -> tuple[npt.NDArray[np.uint8], list[Label]]:
    """The sheet's frames (picks framed in green) as a BGR image, and the labels that go on it
    (drawn by :func:`contact_sheet`): the header, then per tile its timecode and its score
    (with the pick's rank)."""
    import cv2
    import numpy as np

    items = sorted(candidates, key=lambda c: c.time)
    images = [cv2.imread(str(c.image), cv2.IMREAD_COLOR) for c in items]
    tiles = [(c, img) for c, img in zip(items, images, strict=True) if img is not None]
    tile_h = max((img.shape[0] for _, img in tiles), default=90)
    tile_w = max((img.shape[1] for _, img in tiles), default=160)
    columns = max(1, min(columns, len(tiles) or 1))
    rows = max(1, -(-len(tiles) // columns))
    cell_w, cell_h = max(tile_w, _MIN_TILE_W) + 2 * PAD, tile_h + LABEL_H + 2 * PAD
    width = max(columns * cell_w, _MIN_WIDTH)
    sheet = np.full((HEADER_H + rows * cell_h, width, 3), _BG, dtype=np.uint8)
    room = width - 2 * PAD
    name = Path(text.master).name
    head = text.title or name or "contact sheet"
    info = [name] if text.title and name else []
    info += [f"{len(tiles)} candidates", f"timecode at {rate_label(text.fps)} fps"]
    info.append("picks in green")
    labels = [
        Label(fit_text(head, _SIZE + 6, room, fonts), PAD, 4, _SIZE + 6, _TEXT, bold=True),
        Label(fit_text("  ·  ".join(info), _SIZE - 2, room, fonts), PAD, 32, _SIZE - 2, _DIM),
    ]
    rank = {id(p): i for i, p in enumerate(picks, 1)}
    for n, (cand, img) in enumerate(tiles):
        y0 = HEADER_H + (n // columns) * cell_h + PAD
        x0 = (n % columns) * cell_w + PAD
        h, w = img.shape[:2]
        sheet[y0 : y0 + h, x0 : x0 + w] = img
        chosen = next((r for p, r in ((p, rank[id(p)]) for p in picks) if p == cand), None)
        if chosen is not None:
            cv2.rectangle(sheet, (x0 - 3, y0 - 3), (x0 + w + 2, y0 + h + 2), _PICKED, 3)
        colour = _PICKED if chosen is not None else _TEXT
        score = f"score {cand.score:.2f}" + (f"  #{chosen}" if chosen is not None else "")
        labels.append(Label(timecode(cand.time, text.fps), x0, y0 + h + 3, _SIZE, colour))
        labels.append(Label(score, x0, y0 + h + 22, _SIZE - 2, colour))
    return sheet, labels


def contact_sheet(
    candidates: Sequence[Candidate],
    picks: Sequence[Candidate],
    out: Path,
    text: SheetText | None = None,
    *,
    fonts: Fonts | None = None,
) -> Path:
    """Write a JPEG grid of ``candidates`` (master time order) to ``out``.

    Each tile shows the frame, its timecode at the master's rate and its score; picks get a
    green frame and their rank. The header shows the series title and the master's name
    (``text``). Text is in ``fonts`` (default: the default preset's subtitle fonts). Returns
    ``out``.
    """
    import cv2

    fonts = fonts if fonts is not None else default_fonts()
    sheet, labels = sheet_layers(candidates, picks, text or SheetText(), fonts)
    sheet = draw_labels(sheet, labels, fonts)
    with atomic_output(out) as tmp:
        ok = cv2.imwrite(str(tmp), sheet, [cv2.IMWRITE_JPEG_QUALITY, 88])
        if not ok:
            raise OSError(f"could not write {out}")
    return out
