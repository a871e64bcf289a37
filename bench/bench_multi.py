"""Benchmark one decode feeding several encodes (issue 7): the same renditions of the same
episodes rendered separately (one ffmpeg per rendition and episode, the path `vidpack split`
takes, which `vidpack package` took before) against one ffmpeg per episode with one output per
rendition (what `vidpack package` does now), side by side in one run.

Usage::

    .venv/bin/python bench/bench_multi.py                   # 540x960, 2 minutes
    .venv/bin/python bench/bench_multi.py --size 360x640 --minutes 1

Renditions: tiktok and youtube-shorts burning en and ar, drama-app textless (its own loudness),
all at the master's size (presets extended to it, so the decode is as large as the encode). CPU
is user + system of the ffmpeg children (resource.getrusage(RUSAGE_CHILDREN)), steadier than wall
time on a shared machine. The section is written into bench/RESULTS.md between the bench_multi
markers (other sections untouched).
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import timed, write_section  # noqa: E402

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench_multi:start -->", "<!-- bench_multi:end -->"
PLATFORMS = ("tiktok", "youtube-shorts", "drama-app")
_PRESET = """
name = "bench-{base}"
extends = "{base}"
[video]
width = {w}
height = {h}
[limits]
min_episode_s = 1
max_episode_s = 600
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="540x960")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--speed", default="veryfast")
    parser.add_argument("--no-results", action="store_true", help="print, do not write RESULTS.md")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    if w * h > 540 * 960:
        parser.error("--size: at most 540x960 here (a 1080x1920 benchmark may be running)")

    from fixtures.generate import generate_master
    from vidpack.package.build import (
        load_presets,
        plan_and_analysis,
        subtitle_mode,
        subtitle_tracks,
    )
    from vidpack.package.model import PackageOptions
    from vidpack.package.render_step import render_renditions
    from vidpack.package.renditions import platform_placements, share
    from vidpack.plan.model import PlanOptions
    from vidpack.render.model import RenderOptions
    from vidpack.render.subs_hooks import SubsRun
    from vidpack.subtitles.inputs import parse_subs_arg

    folder = WORK / f"multi_{w}x{h}_{args.minutes:g}m"
    folder.mkdir(parents=True, exist_ok=True)
    fixture = generate_master(folder, name="master", size=(w, h), minutes=args.minutes, seed=0)
    master = str(fixture.path)
    presets = []
    for base in PLATFORMS:
        path = folder / f"bench-{base}.toml"
        path.write_text(_PRESET.format(base=base, w=w, h=h), encoding="utf-8")
        presets.append(str(path))
    subs = tuple(parse_subs_arg(f"{lang}={fixture.subtitles[lang]}") for lang in ("en", "ar"))
    options = PackageOptions(
        platforms=tuple(presets), out=folder, subs=subs,
        plan_options=PlanOptions(min_s=20, max_s=40), speed=args.speed, promo=False,
    )  # fmt: skip
    plan, analysis = plan_and_analysis(master, options)
    tracks = subtitle_tracks(options, plan.master.duration, lambda _w: None)
    wanted = {}
    for preset in load_presets(presets):
        mode = subtitle_mode(preset, options, tracks)
        wanted[preset.name] = platform_placements(preset, mode, tracks, "fit")
    renditions, _ = share(wanted)
    render = RenderOptions(x264_preset=args.speed)
    separate_out, together_out = folder / "separate", folder / "together"
    for out in (separate_out, together_out):
        shutil.rmtree(out, ignore_errors=True)

    def separately() -> None:
        for rendition in renditions:
            target = rendition.folder(separate_out)
            target.mkdir(parents=True)
            SubsRun(target, rendition.tracks, rendition.mode).render(
                master, plan, rendition.preset, render, analysis=analysis
            )

    def together() -> None:
        render_renditions(master, plan, analysis, renditions, render, together_out)

    rows = [
        (
            f"separately: {len(renditions)} ffmpeg per episode (one per rendition)",
            timed(separately),
        ),
        ("together: 1 ffmpeg per episode, one output per rendition", timed(together)),
    ]
    files = sorted(p.relative_to(separate_out) for p in separate_out.rglob("*.mp4"))
    same = sum(filecmp.cmp(separate_out / f, together_out / f, shallow=False) for f in files)
    (sw, sc), (tw, tc) = rows[0][1], rows[1][1]
    table = "\n".join(f"| {name} | {wall:.1f} | {cpu:.1f} |" for name, (wall, cpu) in rows)
    text = (
        f"{START}\n## One decode, several encodes (issue 7)\n\n"
        f"Command: `.venv/bin/python bench/bench_multi.py --size {w}x{h} --minutes {args.minutes:g}"
        f" --speed {args.speed}` ({time.strftime('%Y-%m-%d %H:%M')}, 2-core dev box, another "
        f"benchmark may share it: CPU is the steadier figure). Master: fixtures {w}x{h}, "
        f"{args.minutes:g} min, {len(plan.episodes)} episodes (20-40 s); {len(renditions)} "
        "renditions at the master's size: tiktok and youtube-shorts burning en and ar, drama-app "
        "textless (-23 LUFS), x264 "
        f"{args.speed}. Separately meters the master's loudness once per rendition (as split "
        "does), together once per audio rate/layout. CPU = user + system of the ffmpeg children."
        "\n\n"
        "| renditions rendered | wall s | CPU s |\n|---|---|---|\n"
        f"{table}\n\ntogether / separately = {tw / sw:.2f}x wall, {tc / sc:.2f}x CPU; "
        f"{same} of {len(files)} episode files byte-identical between the two.\n{END}\n"
    )
    print(text)
    if args.no_results:
        return
    write_section(RESULTS, text, START, END)


if __name__ == "__main__":
    main()
