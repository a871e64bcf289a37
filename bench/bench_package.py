"""Benchmark `vidpack package`: three feed platforms that share one rendition (tiktok,
instagram-reels, facebook-reels: textless, equal encode keys) against one of them alone, and the
whole job against a naive script running one ffmpeg per output file (3 x episodes).

Usage::

    .venv/bin/python bench/bench_package.py                 # 1080x1920, 10 minutes
    .venv/bin/python bench/bench_package.py --quick         # 360x640, 2 minutes

Each run packages into a fresh folder (no reuse); the analysis is cached by the first run (it is
shared by both commands anyway). Results go into bench/RESULTS.md between the bench_package
markers (other sections untouched).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import child_cpu, timed, write_section  # noqa: E402

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench_package:start -->", "<!-- bench_package:end -->"
VIDPACK = [sys.executable, "-m", "vidpack"]


def _timed_run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one command (its output discarded)."""
    return timed(lambda: subprocess.run(argv, check=True, stdout=subprocess.DEVNULL))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--speed", default="veryfast")
    args = parser.parse_args()
    from fixtures.generate import generate_master

    size, minutes = ((360, 640), 2.0) if args.quick else ((1080, 1920), 10.0)
    folder = WORK / f"package_{size[0]}x{size[1]}_{minutes:g}m"
    master = folder / "master.mp4"
    if not master.is_file():
        master = generate_master(folder, name="master", size=size, minutes=minutes, seed=0).path
    plan = folder / "plan.json"
    subprocess.run([*VIDPACK, "plan", str(master), "--min", "60", "--max", "90", "-o", str(plan)],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    common = ["--plan", str(plan), "--speed", args.speed, "--no-promo", "--progress", "none"]
    rows = []
    out1 = folder / "out1"
    shutil.rmtree(out1, ignore_errors=True)
    one_argv = [*VIDPACK, "package", str(master), "--platform", "tiktok", *common, "-o", str(out1)]
    one = _timed_run(one_argv)
    out3 = folder / "out3"
    shutil.rmtree(out3, ignore_errors=True)
    feeds = [
        "--platform",
        "tiktok",
        "--platform",
        "instagram-reels",
        "--platform",
        "facebook-reels",
    ]
    three_argv = [*VIDPACK, "package", str(master), *feeds, *common, "-o", str(out3)]
    three = _timed_run(three_argv)
    rerun = _timed_run(three_argv)
    # naive: one ffmpeg per output file (3 platforms x episodes), same x264 settings
    import json

    episodes = json.loads(plan.read_text())["episodes"]
    naive_dir = folder / "naive"
    shutil.rmtree(naive_dir, ignore_errors=True)
    naive_dir.mkdir()
    began, cpu0 = time.monotonic(), child_cpu()
    for platform in ("tiktok", "instagram", "facebook"):
        for n, ep in enumerate(episodes, 1):
            subprocess.run(
                ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                 "-ss", str(ep["start"]), "-i", str(master), "-t", str(ep["end"] - ep["start"]),
                 "-vf", "scale=1080:1920", "-c:v", "libx264", "-preset", args.speed, "-crf", "20",
                 "-maxrate", "8000k", "-bufsize", "16000k", "-g", "50", "-bf", "2",
                 "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-ar", "48000",
                 "-af", "loudnorm=I=-14:TP=-1", "-movflags", "+faststart",
                 str(naive_dir / f"{platform}_{n:03d}.mp4")],
                check=True,
            )  # fmt: skip
    naive = (time.monotonic() - began, child_cpu() - cpu0)
    rows.append(("package --platform tiktok", one))
    rows.append(("package tiktok + instagram-reels + facebook-reels (one shared rendition)", three))
    rows.append(("same 3-platform command again (rerun, nothing to do)", rerun))
    rows.append(("naive script: one ffmpeg per output file (3 x episodes)", naive))
    table = "\n".join(f"| {name} | {wall:.1f} | {cpu:.1f} |" for name, (wall, cpu) in rows)
    ratio = f"{three[0] / one[0]:.2f}x wall, {three[1] / one[1]:.2f}x CPU"
    naive_ratio = f"{naive[0] / three[0]:.2f}x wall, {naive[1] / three[1]:.2f}x CPU"
    text = (
        f"{START}\n## package (issue 7, bench/bench_package.py)\n\n"
        f"Command: `.venv/bin/python bench/bench_package.py{' --quick' if args.quick else ''}"
        f" --speed {args.speed}` "
        f"({time.strftime('%Y-%m-%d')}, 2-core dev box). Master: fixtures {size[0]}x{size[1]}, "
        f"{minutes:g} min, {len(episodes)} episodes (--min 60 --max 90), x264 {args.speed}, "
        "no subtitles, --no-promo. CPU = user + system of the command and its ffmpeg children "
        "(steadier than wall time on a shared machine).\n\n"
        "| run | wall s | CPU s |\n|---|---|---|\n"
        f"{table}\n\n3 platforms / 1 platform = {ratio} (target <= 1.1x); "
        f"naive / vidpack (3 platforms) = {naive_ratio}.\n{END}\n"
    )
    print(text)
    write_section(RESULTS, text, START, END)


if __name__ == "__main__":
    main()
