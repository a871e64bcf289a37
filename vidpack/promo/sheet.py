"""The contact sheet: every candidate frame in a grid, its time and score drawn under it, picks
framed, so an editor can choose one and force it with ``--at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vidpack.media.atomic import atomic_output
from vidpack.promo.thumbs import Candidate

_LABEL_H = 34
_PAD = 6


def contact_sheet(
    candidates: Sequence[Candidate], picks: Sequence[Candidate], out: Path, *, columns: int = 6
) -> Path:
    """Write a JPEG grid of ``candidates`` (master time order) to ``out``.

    Each tile shows the frame, ``t=<seconds>`` and ``s=<score>``; picks get a green frame and
    their rank. Returns ``out``.
    """
    import cv2
    import numpy as np

    items = sorted(candidates, key=lambda c: c.time)
    images = [cv2.imread(str(c.image), cv2.IMREAD_COLOR) for c in items]
    tiles = [(c, img) for c, img in zip(items, images, strict=True) if img is not None]
    tile_h = max((img.shape[0] for _, img in tiles), default=90)
    tile_w = max((img.shape[1] for _, img in tiles), default=160)
    columns = max(1, min(columns, len(tiles) or 1))
    rows = max(1, -(-len(tiles) // columns))
    cell_w, cell_h = tile_w + 2 * _PAD, tile_h + _LABEL_H + 2 * _PAD
    sheet = np.full((rows * cell_h, columns * cell_w, 3), 32, dtype=np.uint8)
    rank = {id(p): i for i, p in enumerate(picks, 1)}
    font = cv2.FONT_HERSHEY_SIMPLEX
    scale = max(0.35, min(0.6, tile_w / 400))
    for n, (cand, img) in enumerate(tiles):
        y0, x0 = (n // columns) * cell_h + _PAD, (n % columns) * cell_w + _PAD
        h, w = img.shape[:2]
        sheet[y0 : y0 + h, x0 : x0 + w] = img
        chosen = next((r for p, r in ((p, rank[id(p)]) for p in picks) if p == cand), None)
        if chosen is not None:
            cv2.rectangle(sheet, (x0 - 3, y0 - 3), (x0 + w + 2, y0 + h + 2), (0, 220, 0), 3)
        label = f"t={cand.time:.2f}s"
        score = f"s={cand.score:.2f}" + (f"  #{chosen}" if chosen is not None else "")
        colour = (0, 255, 0) if chosen is not None else (235, 235, 235)
        cv2.putText(sheet, label, (x0, y0 + h + 14), font, scale, colour, 1, cv2.LINE_AA)
        cv2.putText(sheet, score, (x0, y0 + h + 30), font, scale, colour, 1, cv2.LINE_AA)
    with atomic_output(out) as tmp:
        ok = cv2.imwrite(str(tmp), sheet, [cv2.IMWRITE_JPEG_QUALITY, 88])
        if not ok:
            raise OSError(f"could not write {out}")
    return out
