"""Masters built differently from ``fixtures.generate``, for the shot-detection tests and bench.

Other frame rate (30 fps by default), other content, and the traps a detector must not fall
into, each with exact ground truth:

- camera flashes: one and two white frames inside a shot (must not read as cuts);
- fast motion: a texture panning several percent of the frame width per frame, and a spinning
  test pattern (must not read as cuts);
- encoder keyframe pulsing: a short fixed GOP at a low quality with I-frames much sharper
  than P-frames, and no keyframes at the cuts (``scenecut=0``), so cuts land on B-frames and
  the detector's refinement of skipped frames is exercised;
- hard cuts, cross-dissolves (``xfade=fade``) and dips to black (``xfade=fadeblack``) of various
  lengths; a gradual transition's truth frame is its middle.

``build_effects_master(out_dir, ...)`` writes ``<name>.mp4`` and ``<name>.truth.json`` (the same
``cuts`` layout as the fixture generator's truth) and returns (path, truth).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DRAW_MAX = 320  # sources draw at most this many pixels on the long side, then scale once


@dataclass(frozen=True, slots=True)
class _Shot:
    source: str
    frames: int
    flashes: tuple[tuple[int, int], ...] = ()  # (first frame in the shot, length)


def _source(name: str, w: int, h: int, fps: int, rng: random.Random) -> str:
    size = f"{w}x{h}"
    if name == "pan":  # fast pan over a blurred noise texture: about 4 % of the width per frame
        return (
            f"color=c=0x406080:s={w * 4}x{h}:r={fps},noise=alls=90:allf=0:all_seed="
            f"{rng.randrange(1 << 16)},gblur=sigma=1.5,scroll=h=0.01,crop={w}:{h}:0:0"
        )
    if name == "spin":  # a test pattern spinning half a turn per second
        return f"testsrc=s={size}:r={fps},rotate=a=PI*t:c=0x202020"
    if name == "bars":
        return f"smptebars=s={size}:r={fps},hue=h={rng.randrange(0, 360, 45)}"
    if name == "life":
        return (
            f"life=s={w // 2}x{h // 2}:r={fps}:mold=10:ratio=0.3:death_color=0x101840"
            f":life_color=0xe0c060:seed={rng.randrange(1 << 16)},scale={size}:flags=neighbor"
        )
    if name == "zoom":
        return (
            f"mandelbrot=s={size}:r={fps}:maxiter=120:start_scale=1.5:end_scale=0.3"
            f":end_pts={fps * 60}"
        )
    if name == "rgb":
        return f"rgbtestsrc=s={size}:r={fps},scroll=v=0.004,eq=brightness=-0.1"
    if name == "cells":
        return (
            f"cellauto=s={w}x{h}:r={fps}:rule={rng.choice([18, 30, 90, 110])}:scroll=1"
            f":random_seed={rng.randrange(1 << 16)},negate"
        )
    raise ValueError(f"unknown source {name!r}")


SOURCES = ("pan", "spin", "bars", "life", "zoom", "rgb", "cells")


def build_effects_master(
    out_dir: Path | str,
    *,
    name: str = "effects",
    size: tuple[int, int] = (144, 256),
    fps: int = 30,
    shots: int = 10,
    seed: int = 7,
    threads: int = 2,
) -> tuple[Path, dict[str, Any]]:
    """Generate the master and its truth.

    Args:
        out_dir: output folder (created).
        name: file stem.
        size: (width, height), even.
        fps: integer frame rate.
        shots: number of shots (at least 4; every join kind and both traps appear).
        seed: equal seeds give equal masters.
        threads: encoder threads.

    Returns:
        The master's path and its truth dict (``fps``, ``frame_count``, ``duration``,
        ``cuts``: ``[{time, frame, kind, start_frame, end_frame}]``, ``flashes``, ``fast``).
    """
    from vidpack.media.atomic import atomic_output, write_text_atomic
    from vidpack.media.runner import run_ffmpeg

    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    w, h = size
    scale = min(1.0, DRAW_MAX / max(w, h))
    dw, dh = max(16, 2 * round(w * scale / 2)), max(16, 2 * round(h * scale / 2))
    names = ["pan", "bars", "spin", "zoom", "life", "rgb", "cells"]
    plan: list[_Shot] = []
    for k in range(max(4, shots)):
        # Never the same source twice in a row (two identical shots have no visible change).
        others = [n for n in names if not plan or n != plan[-1].source]
        src = names[k] if k < len(names) else rng.choice(others)
        length = rng.randint(3 * fps, 5 * fps)
        flashes: tuple[tuple[int, int], ...] = ()
        if src in ("bars", "rgb"):
            # In the clean middle of the shot, clear of the longest transition at either end.
            lo, hi = 40, length - 40
            flashes = ((lo + (hi - lo) // 3, 1), (lo + 2 * (hi - lo) // 3, 2))
        plan.append(_Shot(src, length, flashes))
    joins = ["cut", "dissolve", "cut", "fade"]
    kinds = [joins[k % len(joins)] if k < 8 else rng.choice(joins) for k in range(len(plan) - 1)]

    chains: list[str] = []
    for k, shot in enumerate(plan):
        body = _source(shot.source, dw, dh, fps, rng)
        boxes = "".join(
            f",drawbox=x=0:y=0:w=iw:h=ih:c=white:t=fill:enable='between(n,{a},{a + n - 1})'"
            for a, n in shot.flashes
        )
        chains.append(
            f"{body},trim=end_frame={shot.frames},setpts=N/({fps}*TB),format=yuv420p,setsar=1"
            f"{boxes},settb=1/{fps}[s{k}]"
        )
    cuts: list[dict[str, Any]] = []
    flashes: list[dict[str, Any]] = []
    fast: list[dict[str, Any]] = []
    acc, length = "s0", plan[0].frames
    starts = [0]
    for k, kind in enumerate(kinds):
        nxt = plan[k + 1]
        label = f"j{k}"
        if kind == "cut":
            chains.append(f"[{acc}][s{k + 1}]concat=n=2:v=1:a=0,settb=1/{fps}[{label}]")
            begin = length
            cuts.append(_cut(begin, begin, begin, "cut", fps))
            length += nxt.frames
        else:
            dur = rng.choice([14, 20, 24, 30, 36]) if kind == "dissolve" else rng.choice([16, 24])
            offset = length - dur
            trans = "fade" if kind == "dissolve" else "fadeblack"
            chains.append(
                f"[{acc}][s{k + 1}]xfade=transition={trans}:duration={dur / fps:.6f}"
                f":offset={offset / fps:.6f},settb=1/{fps}[{label}]"
            )
            begin = offset
            cuts.append(_cut(offset + dur // 2, offset, offset + dur, kind, fps))
            length = offset + nxt.frames
        starts.append(begin)
        acc = label
    for k, shot in enumerate(plan):
        for a, n in shot.flashes:
            frame = starts[k] + a
            flashes.append({"frame": frame, "time": round(frame / fps, 6), "frames": n})
        if shot.source in ("pan", "spin"):
            end = starts[k + 1] if k + 1 < len(starts) else length
            fast.append({"start": round(starts[k] / fps, 6), "end": round(end / fps, 6)})
    final = f"[{acc}]scale={w}:{h}:flags=bicubic,setsar=1,format=yuv420p[vout]"
    chains.append(final)
    duration = length / fps
    master = out / f"{name}.mp4"
    graph = out / f".{name}.graph.txt"
    graph.write_text(";\n".join(chains), encoding="utf-8")
    x264 = "keyint=12:min-keyint=12:scenecut=0:ipratio=2.2:bframes=3:b-pyramid=normal"
    try:
        with atomic_output(master) as tmp:
            run_ffmpeg(
                [
                    *("-filter_complex_script", str(graph)),
                    *("-f", "lavfi", "-i", f"sine=f=220:sample_rate=48000:d={duration:.3f}"),
                    *("-map", "[vout]", "-map", "0:a"),
                    *("-c:v", "libx264", "-preset", "veryfast", "-crf", "30"),
                    *("-x264-params", x264, "-pix_fmt", "yuv420p", "-r", str(fps)),
                    *("-c:a", "aac", "-b:a", "64k", "-threads", str(threads)),
                    *("-frames:v", str(length), "-map_metadata", "-1"),
                    str(tmp),
                ],
                duration=duration,
                label=f"effects master {master.name}",
            )
    finally:
        graph.unlink(missing_ok=True)
    truth = {
        "file": master.name,
        "fps": fps,
        "width": w,
        "height": h,
        "frame_count": length,
        "duration": round(duration, 6),
        "cuts": cuts,
        "flashes": flashes,
        "fast": fast,
        "shots": [s.source for s in plan],
    }
    write_text_atomic(out / f"{name}.truth.json", json.dumps(truth, indent=1) + "\n")
    return master, truth


def _cut(frame: int, start: int, end: int, kind: str, fps: int) -> dict[str, Any]:
    return {
        "time": round(frame / fps, 6),
        "frame": frame,
        "kind": kind,
        "start_frame": start,
        "end_frame": end,
    }
