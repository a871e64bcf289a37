"""Generated masters for smart-crop tests and the smart-crop bench: a synthetic face (drawn with
OpenCV, detectable by the Haar frontal cascade) composited over plain shots at known positions.

A master is a list of :class:`FaceShot`; the face's box in master pixels is known at every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vidpack.media.runner import run_ffmpeg


@dataclass(frozen=True, slots=True)
class FaceShot:
    """A shot of ``duration`` seconds on a plain ``bg`` colour; the face's centre moves linearly
    from ``x0`` to ``x1`` (0..1 of the width) between ``move_start`` and ``move_end`` (fractions of
    the shot), and holds before and after."""

    duration: float
    x0: float
    x1: float | None = None
    bg: str = "0x3a5a7a"
    move_start: float = 0.0
    move_end: float = 1.0
    face: bool = True  # False: a textured disc instead of a face (motion is the only cue)

    @property
    def end_x(self) -> float:
        return self.x0 if self.x1 is None else self.x1


def write_face_png(path: Path, height: int) -> tuple[int, int]:
    """Draw a frontal cartoon face (skin ellipse, eyes, brows, nose, mouth); returns (w, h)."""
    import cv2
    import numpy as np

    h = height
    w = int(h * 0.8) // 2 * 2
    img = np.zeros((h, w, 4), np.uint8)
    c = (w // 2, h // 2)
    cv2.ellipse(img, c, (int(w * 0.46), int(h * 0.49)), 0, 0, 360, (150, 180, 225, 255), -1)
    ey = int(h * 0.40)
    for side in (-1, 1):
        ex = c[0] + side * int(w * 0.18)
        cv2.ellipse(img, (ex, ey), (int(w * 0.09), int(h * 0.035)), 0, 0, 360, (255,) * 4, -1)
        cv2.circle(img, (ex, ey), int(h * 0.03), (30, 30, 30, 255), -1)
        brow_y = ey - int(h * 0.08)
        cv2.line(
            img,
            (ex - int(w * 0.1), brow_y),
            (ex + int(w * 0.1), brow_y),
            (40, 50, 70, 255),
            max(2, h // 40),
        )
    cv2.line(
        img, (c[0], int(h * 0.45)), (c[0], int(h * 0.62)), (110, 140, 190, 255), max(2, h // 50)
    )
    mouth = (int(w * 0.14), int(h * 0.04))
    cv2.ellipse(img, (c[0], int(h * 0.74)), mouth, 0, 0, 360, (60, 60, 150, 255), -1)
    cv2.imwrite(str(path), img)
    return w, h


def write_disc_png(path: Path, height: int) -> tuple[int, int]:
    """A striped disc (no face features) of the same box size as the face; returns (w, h)."""
    import cv2
    import numpy as np

    h = height
    w = int(h * 0.8) // 2 * 2
    img = np.zeros((h, w, 4), np.uint8)
    cv2.ellipse(img, (w // 2, h // 2), (w // 2 - 1, h // 2 - 1), 0, 0, 360, (40, 200, 240, 255), -1)
    for y in range(0, h, max(4, h // 12)):
        img[y : y + max(2, h // 24), :, :3] //= 3
    cv2.imwrite(str(path), img)
    return w, h


def _face_left(shot: FaceShot, t: float, width: int, face_w: int) -> float:
    """The face's left edge (pixels) at time ``t`` inside ``shot``."""
    a, b = shot.move_start * shot.duration, shot.move_end * shot.duration
    u = 0.0 if t <= a else 1.0 if t >= b else (t - a) / (b - a)
    x = shot.x0 + (shot.end_x - shot.x0) * u
    return x * width - face_w / 2


def make_face_master(
    path: Path,
    shots: list[FaceShot],
    size: tuple[int, int] = (640, 360),
    fps: int = 25,
    face_height: int = 120,
) -> tuple[int, int]:
    """Encode the master (H.264, ``size``, ``fps``); returns the face's (w, h) in pixels."""
    width, height = size
    png = path.with_suffix(".face.png")
    disc = path.with_suffix(".disc.png")
    face_w, face_h = write_face_png(png, face_height)
    write_disc_png(disc, face_height)
    top = (height - face_h) // 2
    inputs: list[str] = []
    parts: list[str] = []
    for png_path, want in ((png, True), (disc, False)):
        group = [i for i, shot in enumerate(shots) if shot.face is want]
        if group:
            n = len(inputs) // 6 + 1
            inputs += ["-loop", "1", "-framerate", str(fps), "-i", str(png_path)]
            parts.append(f"[{n}:v]split={len(group)}" + "".join(f"[f{i}]" for i in group))
    for i, shot in enumerate(shots):
        a, b = shot.move_start * shot.duration, shot.move_end * shot.duration
        x0 = shot.x0 * width - face_w / 2
        x1 = shot.end_x * width - face_w / 2
        x = f"{x0:.3f}+({x1 - x0:.3f})*clip((t-{a:.3f})/{max(b - a, 1e-3):.3f},0,1)"
        parts.append(
            f"color=c={shot.bg}:s={width}x{height}:r={fps}:d={shot.duration},"
            f"drawgrid=w={width // 8}:h={height // 4}:t=2:c=white@0.25[bg{i}]"
        )
        parts.append(f"[bg{i}][f{i}]overlay=x='{x}':y={top}:shortest=1:eval=frame[s{i}]")
    parts.append("".join(f"[s{i}]" for i in range(len(shots))) + f"concat=n={len(shots)}[v]")
    run_ffmpeg(
        [
            *("-f", "lavfi", "-i", "nullsrc=s=16x16:d=0.1"),
            *inputs,
            *("-filter_complex", ";".join(parts), "-map", "[v]"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", str(fps)),
            str(path),
        ],
        label="face master",
    )
    return face_w, face_h


def face_box(shots: list[FaceShot], t: float, width: int, face_w: int) -> tuple[float, float, int]:
    """(left, right, shot index) of the face in master pixels at master time ``t``."""
    start = 0.0
    for i, shot in enumerate(shots):
        if t < start + shot.duration or i == len(shots) - 1:
            left = _face_left(shot, t - start, width, face_w)
            return left, left + face_w, i
        start += shot.duration
    raise AssertionError("unreachable")


def shot_starts(shots: list[FaceShot]) -> list[float]:
    """Start time of every shot after the first (the cut times)."""
    out, start = [], 0.0
    for shot in shots[:-1]:
        start += shot.duration
        out.append(start)
    return out
