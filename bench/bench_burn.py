"""What burning subtitles costs next to a plain encode of the same clip.

Usage::

    .venv/bin/python bench/bench_burn.py [--seconds 10] [--x264-preset veryfast] [--runs 2]

A 1080x1920 30 fps testsrc2 clip is encoded with libx264 (CRF 20, 2 threads) three ways: plain,
with the TikTok preset's burned English subtitles, and with burned Chinese; one cue every 2 s
lasting 1.5 s (a dense dialogue scene). The libass filter alone is also timed with the encoder
out of the way (``-f null``). Best wall and CPU time (user + system, from getrusage of the
child) of ``--runs`` runs are reported; CPU time is the figure to trust on a busy machine.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures import script  # noqa: E402
from vidpack.media.runner import run_ffmpeg  # noqa: E402
from vidpack.presets import load_preset  # noqa: E402
from vidpack.subtitles.burn import burn_filter  # noqa: E402
from vidpack.subtitles.languages import language  # noqa: E402
from vidpack.subtitles.model import Cue, Track  # noqa: E402
from vidpack.subtitles.run import EpisodeSpan, write_burn_script  # noqa: E402

W, H, FPS = 1080, 1920, 30


def _measure(args: list[str], runs: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system of ffmpeg) over ``runs`` runs."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        run_ffmpeg(args)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--x264-preset", default="veryfast")
    parser.add_argument("--runs", type=int, default=2)
    opts = parser.parse_args()
    src = ["-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r={FPS}:d={opts.seconds}"]
    enc = ["-c:v", "libx264", "-preset", opts.x264_preset, "-crf", "20", "-threads", "2"]
    preset = load_preset("tiktok")
    span = EpisodeSpan(1, 0.0, opts.seconds, "bench")
    rows: list[tuple[str, tuple[float, float]]] = []
    with tempfile.TemporaryDirectory(prefix="vidpack-bench-") as tmp:
        folder = Path(tmp)
        out = str(folder / "out.mp4")
        rows.append(("plain encode", _measure([*src, *enc, out], opts.runs)))
        filters = {}
        for tag in ("en", "zh-Hans"):
            n = int(opts.seconds // 2)
            cues = tuple(
                Cue(i * 2000, i * 2000 + 1500, script.text(i, tag), i + 1) for i in range(n)
            )
            track = Track(Path(f"b.{tag}.srt"), language(tag), "srt", "utf-8", cues)
            ass = folder / f"{tag}.ass"
            write_burn_script(track, span, preset, (W, H), ass)
            filters[tag] = burn_filter(ass)
            rows.append(
                (
                    f"encode + burn {tag}",
                    _measure([*src, "-vf", filters[tag], *enc, out], opts.runs),
                )
            )
        rows.append(("decode only (-f null)", _measure([*src, "-f", "null", "-"], opts.runs)))
        rows.append(
            (
                "burn en only (-f null)",
                _measure([*src, "-vf", filters["en"], "-f", "null", "-"], opts.runs),
            )
        )
    frames = opts.seconds * FPS
    base = rows[0][1][1]
    print(
        f"{W}x{H} {FPS} fps, {opts.seconds:g} s ({frames:.0f} frames), x264 "
        f"{opts.x264_preset} CRF 20, 2 threads, best of {opts.runs}"
    )
    print("| run | wall s | CPU s | CPU vs plain encode |")
    print("|---|---|---|---|")
    for name, (wall, cpu) in rows:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {100 * (cpu / base - 1):+.1f} % |")


if __name__ == "__main__":
    main()
