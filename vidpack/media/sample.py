"""ffmpeg argument lists for the burned-in text detector's sampling decode.

One process, never a second full-size decode: the decoder skips what it may (all B-frames by
default on a constant-rate master, and the loop filter), and the decoded frames go out as two
gray tracks of one Matroska stream on stdout, each frame stamped with its presentation time:

- track 1: a few frames per second (the first decoded frame at least ``interval`` seconds after
  the previous one) at the detector's size, where text is looked for (every decoded frame is
  scaled once to that size; the samples are picked from it);
- track 2: every decoded frame at a quarter of that size, where the moments the text appears,
  changes and goes are placed between two samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SKIP_MODES = ("none", "noref", "bidir")
SAMPLE_TRACK = 1
TINY_TRACK = 2


@dataclass(frozen=True, slots=True)
class SamplePlan:
    """What the sampling decode produces.

    Attributes:
        size: (width, height) of the detection samples (gray, even sides).
        tiny: (width, height) of the every-frame track (gray, even sides).
        interval: seconds between detection samples.
        skip: frames the decoder skips: ``none``, ``noref`` or ``bidir``.
        threads: decoder threads.
    """

    size: tuple[int, int]
    tiny: tuple[int, int]
    interval: float = 0.25
    skip: str = "bidir"
    threads: int = 2


def sample_argv(master: Path, video_index: int, plan: SamplePlan) -> list[str]:
    """The ffmpeg arguments (after the house flags) of the sampling decode (see the module).

    Raises:
        ValueError: an unknown skip mode or a non-positive interval.
    """
    if plan.skip not in SKIP_MODES:
        raise ValueError(f"skip mode {plan.skip!r}: use one of {', '.join(SKIP_MODES)}")
    if not plan.interval > 0:
        raise ValueError(f"sample interval {plan.interval}: give a number of seconds above 0")
    (w, h), (tw, th) = plan.size, plan.tiny
    every = f"{plan.interval:.4f}"
    # One scale of every decoded frame to the detection size (the expensive step at 1080p),
    # then the samples are picked from it and the tiny track is scaled down from it.
    graph = ";".join(
        [
            f"[0:{video_index}]scale={w}:{h}:flags=area,format=gray,setsar=1,split=2[a][b]",
            f"[a]select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{every})'[s]",
            f"[b]scale={tw}:{th}:flags=area[t]",
        ]
    )
    skip = ["-skip_frame", plan.skip] if plan.skip != "none" else []
    return [
        *("-threads", str(plan.threads), "-skip_loop_filter", "all", *skip),
        *("-an", "-sn", "-dn", "-i", "file:" + str(master)),
        *("-filter_complex", graph, "-map", "[s]", "-map", "[t]"),
        *("-c:v", "rawvideo", "-fps_mode", "passthrough", "-f", "matroska", "pipe:1"),
    ]
