"""Benchmark `vidpack split`: N episodes vs one episode of the whole master (same preset), vs a
naive one-ffmpeg-per-episode script with output-side seeking, and --jobs 1 vs 2.

Usage::

    .venv/bin/python bench/bench_split.py            # 1080x1920, 10 minutes (cached master)
    .venv/bin/python bench/bench_split.py --quick    # 540x960, 2 minutes

The master is generated once into bench/work/ (git-ignored) and reused. Results are printed and
written into bench/RESULTS.md under the "split (issue 4)" heading (other sections untouched).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vidpack.media.atomic import atomic_output  # noqa: E402
from vidpack.media.runner import run_ffmpeg, settings  # noqa: E402
from vidpack.plan.planfile import load_plan, master_ref  # noqa: E402
from vidpack.presets import load_preset  # noqa: E402
from vidpack.render import RenderOptions, split_master  # noqa: E402

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## split (issue 4, bench/bench_split.py)"


def make_master(width: int, height: int, seconds: int, fps: int = 25) -> Path:
    """A long-GOP H.264 master with a moving pattern and a tone whose level changes."""
    path = WORK / f"split_master_{width}x{height}_{seconds}s.mp4"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as tmp:
        run_ffmpeg(
            [
                *("-f", "lavfi", "-i", f"testsrc2=s={width}x{height}:r={fps}:d={seconds}"),
                *("-f", "lavfi", "-i", f"sine=f=220:r=48000:d={seconds}"),
                *("-af", "volume='0.05+0.04*sin(t/7)':eval=frame"),
                *("-c:v", "libx264", "-preset", "ultrafast", "-crf", "23", "-g", str(4 * fps)),
                *("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-shortest"),
                str(tmp),
            ],
            duration=seconds,
        )
    return path


def write_preset(width: int, height: int) -> Path:
    path = WORK / f"bench_{width}x{height}.toml"
    path.write_text(
        f'extends = "tiktok"\nname = "bench"\n[video]\nwidth = {width}\nheight = {height}\n'
        "[limits]\nmin_episode_s = 1\nmax_episode_s = 3600\n",
        encoding="utf-8",
    )
    return path


def write_plan(master: Path, episode_s: float, name: str) -> Path:
    ref = master_ref(master, _duration(master), 25.0)
    times = [0.0]
    while times[-1] + episode_s < ref.duration - 1:
        times.append(times[-1] + episode_s)
    times.append(ref.duration)
    data = {
        "vidpack_plan": 1,
        "master": {"path": str(master), "duration": ref.duration, "fps": ref.fps},
        "episodes": [{"start": a, "end": b} for a, b in itertools.pairwise(times)],
    }
    path = WORK / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _duration(master: Path) -> float:
    from vidpack.media.probe import probe

    return probe(master).duration


def _child_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far (the ffmpegs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu() -> float:
    return _child_cpu() + _own_cpu()


def run_split(
    master: Path, plan_path: Path, preset_path: Path, out: Path, jobs: int, speed: str
) -> tuple[float, float]:
    """Wall and CPU seconds for a fresh split (the output folder is emptied first)."""
    if out.exists():
        for p in out.iterdir():
            p.unlink()
    plan = load_plan(plan_path, master_ref(master, _duration(master), 25.0))
    preset = load_preset(str(preset_path))
    began, cpu0 = time.perf_counter(), _cpu()
    result = split_master(
        str(master), plan, preset, out, RenderOptions(jobs=jobs, x264_preset=speed)
    )
    took, cpu = time.perf_counter() - began, _cpu() - cpu0
    assert not result.failed, result.failed
    return took, cpu


def run_naive(
    master: Path, plan_path: Path, out: Path, speed: str, threads: int
) -> tuple[float, float]:
    """What many users write first: one ffmpeg per episode, seeking on the output side."""
    out.mkdir(parents=True, exist_ok=True)
    episodes = json.loads(plan_path.read_text())["episodes"]
    began, cpu0 = time.perf_counter(), _cpu()
    for i, ep in enumerate(episodes, start=1):
        run_ffmpeg(
            [
                *("-threads", str(threads), "-i", str(master)),
                *("-ss", f"{ep['start']:.3f}", "-t", f"{ep['end'] - ep['start']:.3f}"),
                *("-c:v", "libx264", "-preset", speed, "-crf", "20", "-pix_fmt", "yuv420p"),
                *("-c:a", "aac", "-b:a", "192k", "-movflags", "+faststart"),
                str(out / f"naive_{i:03d}.mp4"),
            ]
        )
    return time.perf_counter() - began, _cpu() - cpu0


def write_results(text: str) -> None:
    """Replace this bench's section of RESULTS.md (between its markers), leaving the others."""
    start, end = "<!-- bench_split:start -->", "<!-- bench_split:end -->"
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    section = f"{start}\n{HEADING}\n\n{text.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    new = (
        pattern.sub(lambda _m: section, old)
        if pattern.search(old)
        else old.rstrip() + "\n\n" + section + "\n"
    )
    RESULTS.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="540x960, 2 minutes")
    parser.add_argument("--speed", default="veryfast", help="x264 preset for every run")
    parser.add_argument("--episode", type=float, default=None, help="episode length, seconds")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    settings.dry_run = False
    width, height, seconds = (540, 960, 120) if args.quick else (1080, 1920, 600)
    episode_s = args.episode or (20.0 if args.quick else 60.0)
    cores = os.cpu_count() or 1
    t0 = time.perf_counter()
    master = make_master(width, height, seconds)
    gen = time.perf_counter() - t0
    preset = write_preset(width, height)
    many = write_plan(master, episode_s, f"plan_{seconds}s_{episode_s:g}.json")
    one = write_plan(master, 10 * seconds, f"plan_{seconds}s_single.json")
    n = len(json.loads(many.read_text())["episodes"])
    print(f"master {master.name} ready ({gen:.0f} s); {n} episodes of {episode_s:g} s", flush=True)

    out = WORK / "out"
    single, single_cpu = run_split(master, one, preset, out / "single", 1, args.speed)
    print(f"single episode: {single:.1f} s wall, {single_cpu:.1f} s CPU", flush=True)
    split1, split1_cpu = run_split(master, many, preset, out / "many1", 1, args.speed)
    print(f"{n} episodes --jobs 1: {split1:.1f} s wall, {split1_cpu:.1f} s CPU", flush=True)
    split2, split2_cpu = run_split(master, many, preset, out / "many2", 2, args.speed)
    print(f"{n} episodes --jobs 2: {split2:.1f} s wall, {split2_cpu:.1f} s CPU", flush=True)
    naive, naive_cpu = run_naive(master, many, out / "naive", args.speed, cores)
    print(f"naive (output seeking): {naive:.1f} s wall, {naive_cpu:.1f} s CPU", flush=True)

    load = os.getloadavg()[0]
    quick = " --quick" if args.quick else ""
    text = f"""
Run: `.venv/bin/python bench/bench_split.py{quick} --speed {args.speed}` on {cores} cores (load
average at the end {load:.1f}). CPU = user + system of vidpack and its ffmpeg children: steadier
than wall time when other work shares the machine.
Master: {width}x{height} 25 fps H.264 (GOP 4 s) + AAC, {seconds} s; episodes of {episode_s:g} s.

| run | wall s | vs single | CPU s | vs single |
|---|---|---|---|---|
| single-episode split of the whole master | {single:.1f} | 1.00 | {single_cpu:.1f} | 1.00 |
| split into {n} episodes, --jobs 1 | {split1:.1f} | {split1 / single:.2f} | {split1_cpu:.1f} \
| {split1_cpu / single_cpu:.2f} |
| split into {n} episodes, --jobs 2 | {split2:.1f} | {split2 / single:.2f} | {split2_cpu:.1f} \
| {split2_cpu / single_cpu:.2f} |
| naive: one ffmpeg per episode, output-side `-ss` | {naive:.1f} | {naive / single:.2f} \
| {naive_cpu:.1f} | {naive_cpu / single_cpu:.2f} |

- N episodes vs one: **{split1 / single:.2f}x** wall, **{split1_cpu / single_cpu:.2f}x** CPU
  (target <= 1.15). Each episode costs one extra decode of at most one GOP (input seek to the
  keyframe before its start) and one ffmpeg start; the loudness of all episodes comes from one
  audio-only pass shared by both runs.
- vidpack vs the naive script: **{naive / split1:.2f}x** faster in wall time,
  **{naive_cpu / split1_cpu:.2f}x** in CPU (the naive script decodes the master from its start
  for every episode, quadratic in the episode count, and skips loudness, frame-exact trimming
  and fades).
- --jobs 2 vs 1 on this machine: **{split1 / split2:.2f}x**. With 2 cores a single x264
  process already keeps both busy (frame threads), so parallel episodes can only overlap the
  serial parts (container startup, seek pre-roll, audio, muxing).
- On a 16-core render node (on paper): one 1080x1920 x264 process scales to about 6-8 threads
  before frame-threading stops paying (lookahead and 1920-row slices limit it), so --jobs 2-3
  with `-threads` = cores/jobs (what vidpack does) should give about 2-2.5x over --jobs 1; beyond
  that, memory bandwidth and the shared decode of the same master file cap the gain.
"""
    print(text)
    if not args.no_write:
        write_results(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
