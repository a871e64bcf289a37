"""Frame-exact hard cuts when the analysis decode skipped frames.

With non-reference frames skipped, a hard cut found between two decoded frames that are more
than one frame apart could be on any frame in between. Those few windows are decoded again, all
frames this time, in one extra ffmpeg process (one input per window, each seeking to its own
keyframe), and the cut is put on the frame after the largest change inside the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vidpack.analyze.mkv import read_blocks
from vidpack.media.decode import windows_argv
from vidpack.media.runner import pipe_ffmpeg

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

WINDOWS_PER_PROCESS = 12


def _change(a: npt.NDArray[np.uint8], b: npt.NDArray[np.uint8]) -> float:
    import numpy as np

    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def refine_cuts(
    master: Path,
    video_index: int,
    size: tuple[int, int],
    gaps: Sequence[tuple[float, float]],
    fps: float,
) -> list[float | None]:
    """The exact time of the first new frame for each ``(before, after)`` pair of decoded frames.

    Args:
        master: the master file.
        video_index: its video stream index.
        size: analysis frame size (width, height).
        gaps: times of the last decoded frame before each cut and the first one after it.
        fps: the master's frame rate (the windows are padded by a fraction of a frame).

    Returns:
        For each gap, the time of the frame starting the new shot, or None when the window gave
        fewer than two frames (the caller keeps its estimate).
    """
    import numpy as np

    results: list[float | None] = [None] * len(gaps)
    pad = 0.25 / fps
    frame_bytes = size[0] * size[1] * 3 // 2
    for first in range(0, len(gaps), WINDOWS_PER_PROCESS):
        batch = gaps[first : first + WINDOWS_PER_PROCESS]
        windows = [(before - pad, after - before + 2 * pad) for before, after in batch]
        frames: list[list[tuple[float, npt.NDArray[np.uint8]]]] = [[] for _ in batch]
        args = windows_argv(master, video_index, windows, size)
        with pipe_ffmpeg(args, label=f"refining {len(batch)} cuts of {master.name}") as out:
            for block in read_blocks(out):
                k = block.track - 1
                if 0 <= k < len(batch) and len(block.data) == frame_bytes:
                    start = max(0.0, windows[k][0])
                    frames[k].append((start + block.time, np.frombuffer(block.data, np.uint8)))
        for k, got in enumerate(frames):
            if len(got) < 2:
                continue
            got.sort(key=lambda item: item[0])
            jumps = [_change(got[j - 1][1], got[j][1]) for j in range(1, len(got))]
            best = int(np.argmax(jumps)) + 1
            results[first + k] = got[best][0]
    return results
