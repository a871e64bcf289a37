"""Cost of `thumbs` and `trailer` next to the analysis they reuse (issue 6).

Generates a 1-minute 360x640 25 fps master with faces (fixtures), then times: the analysis
(fresh decode), the analysis again (cache hit), candidate scoring (frames pulled by fast
input seeks only), a full `thumbs` run with covers at the TikTok size, a bare full decode for
scale, and a 15 s TikTok trailer (1080x1920, x264 veryfast).

Usage: .venv/bin/python bench/bench_promo.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(label: str, fn, rows: list[tuple[str, float]]):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    value = fn()
    rows.append((label, time.perf_counter() - t0))
    return value


def main() -> None:
    from fixtures.generate import generate_master
    from vidpack.analyze import analyze
    from vidpack.media.runner import run_ffmpeg, settings
    from vidpack.presets import load_preset
    from vidpack.promo.thumbs import find_candidates, sample_size
    from vidpack.promo.thumbs_run import run_thumbs
    from vidpack.promo.trailer_run import run_trailer

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="bench-promo-"))
    m = generate_master(work, name="promo", size=(360, 640), minutes=1.0, fps=25, faces=True)
    master = str(m.path)
    preset = load_preset("tiktok")
    rows: list[tuple[str, float]] = []
    _timed("bare full decode (ffmpeg -f null)", lambda: run_ffmpeg(
        ["-i", master, "-f", "null", "-"]), rows)  # fmt: skip
    analysis = _timed(
        "analysis, fresh (one decode)", lambda: analyze(master, use_cache=False), rows
    )
    _timed("analysis, cached", lambda: analyze(master), rows)
    before = settings.commands_run
    with tempfile.TemporaryDirectory() as tmp:
        cands = _timed("candidate frames + scoring", lambda: find_candidates(
            master, analysis, Path(tmp), size=sample_size(360, 640)), rows)  # fmt: skip
    seeks = settings.commands_run - before
    _timed("thumbs run (3 picks, sheet, 2 covers 1080x1920)", lambda: run_thumbs(
        master, work / "thumbs", preset=preset, title="Vows", episode=1), rows)  # fmt: skip
    _timed("trailer 15 s, tiktok 1080x1920 veryfast", lambda: run_trailer(
        master, work / "t15.mp4", preset=preset, length=15, title="Vows", reframe="crop",
        speed="veryfast"), rows)  # fmt: skip
    print(f"master: {m.path} 360x640 25 fps 60 s; {len(cands)} candidates in {seeks} ffmpeg runs")
    print("| step | wall s |\n|---|---|")
    for label, secs in rows:
        print(f"| {label} | {secs:.2f} |")


if __name__ == "__main__":
    main()
