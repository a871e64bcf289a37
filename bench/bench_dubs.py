"""Benchmark dubbed deliveries (issue 14): one master in 5 subtitle languages, 2 of them dubbed,
for 3 platforms: how many pictures are encoded (each distinct picture once), and the cost of the
dubbed languages whose picture is shared (the drama app's textless set) against one language.

Usage::

    .venv/bin/python bench/bench_dubs.py [--quick] [--speed veryfast] [--no-write]

The master is the fixtures' generated drama (360x640 2 min with --quick, else 1080x1920 2 min);
the dubs are real sound from ../shared/realmedia: LibriSpeech/pyannote speech over a real music
bed, looped and cut to the master's length (``VIDPACK_REALMEDIA`` or ../shared/realmedia). The
five subtitle files are the fixture's own (en, ko, ar) and its English cues under the other
language names (what is burned does not change the cost). Encodes are counted from
``--dry-run`` (commands that encode video against commands that copy it); wall and CPU (user +
system of vidpack and its ffmpeg children) come from real runs into fresh folders, best of
``--runs``. Results go into bench/RESULTS.md between the bench_dubs markers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import timed, write_section  # noqa: E402

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench_dubs:start -->", "<!-- bench_dubs:end -->"
VIDPACK = [sys.executable, "-m", "vidpack"]
LANGS = ("en", "ko", "ja", "th", "ar")
REAL = Path(os.environ.get("VIDPACK_REALMEDIA") or ROOT.parent / "shared" / "realmedia")


def make_dub(out: Path, speech: Path, music: Path, seconds: float) -> Path:
    """Real speech looped over a real music bed (12 dB under), cut to ``seconds``, 48 kHz."""
    if out.is_file():
        return out
    graph = (
        "[0:a]aresample=48000,aformat=channel_layouts=stereo,apad=pad_dur=1.5,aloop=loop=-1:"
        "size=2147483647[s];[1:a]aresample=48000,aformat=channel_layouts=stereo,volume=-12dB,"
        "aloop=loop=-1:size=2147483647[m];[s][m]amix=inputs=2:duration=shortest:normalize=0[a]"
    )
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(speech), "-i", str(music),
         "-filter_complex", graph, "-map", "[a]", "-t", f"{seconds:.6f}", "-c:a", "pcm_s16le",
         str(out)],
        check=True,
    )  # fmt: skip
    return out


def count_commands(argv: list[str]) -> tuple[int, int]:
    """(video encodes, video copies) among the commands ``argv --dry-run`` prints."""
    out = subprocess.run([*argv, "--dry-run"], check=True, capture_output=True, text=True).stdout
    encodes = copies = 0
    for line in out.splitlines():
        if not line.split(" ", 1)[0].endswith("ffmpeg"):
            continue
        encodes += line.count("-c:v libx264") + line.count("-c:v libx265")
        copies += line.count("-c:v copy")
    return encodes, copies


def best(argv: list[str], out: Path, runs: int) -> tuple[float, float]:
    """Best wall and CPU seconds of ``argv`` into a fresh ``out`` over ``runs`` runs."""
    results = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        results.append(
            timed(lambda: subprocess.run([*argv, "-o", str(out)], check=True, capture_output=True))
        )
    return min(r[0] for r in results), min(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--speed", default="veryfast")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--all-timed", action="store_true", help="also time the 3-platform runs (else counted)"
    )
    args = parser.parse_args()
    from fixtures.generate import generate_master
    from vidpack.media.probe import probe

    size, minutes = ((360, 640), 2.0) if args.quick else ((1080, 1920), 2.0)
    folder = WORK / f"dubs_{size[0]}x{size[1]}_{minutes:g}m"
    master = folder / "master.mp4"
    if not (folder / "master.truth.json").is_file():
        master = generate_master(folder, name="master", size=size, minutes=minutes, seed=0).path
    seconds = probe(master).duration
    music = sorted((REAL / "music").glob("*.ogg"))
    speech = sorted((REAL / "speech").glob("*.ogg"))
    dubs = {
        "en": make_dub(folder / "dub.en.wav", speech[0], music[0], seconds),
        "ko": make_dub(folder / "dub.ko.wav", speech[1], music[1], seconds),
    }
    subs = []
    for lang in LANGS:
        path = folder / f"master.{lang}.srt"
        if not path.is_file():  # the fixture writes en, ko, ar (and more): the rest copy en
            shutil.copyfile(folder / "master.en.srt", path)
        subs += ["--subs", str(path)]
    plan = folder / "plan.json"
    subprocess.run([*VIDPACK, "plan", str(master), "--min", "40", "--max", "60", "-o", str(plan)],
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    common = [*subs, "--plan", str(plan), "--speed", args.speed, "--no-promo", "--progress", "none"]
    audio = [a for lang, path in dubs.items() for a in ("--audio", f"{lang}={path}")]
    package = [*VIDPACK, "package", str(master)]
    names = {}
    for name in ("tiktok", "instagram-reels", "drama-app"):  # the built-ins at the master's size
        preset = folder / f"{name}.toml"
        preset.write_text(
            f'extends = "{name}"\nname = "{name}"\n[video]\nwidth = {size[0]}\n'
            f"height = {size[1]}\n",
            encoding="utf-8",
        )
        names[name] = str(preset)
    drama = ["--platform", names["drama-app"]]
    three = ["--platform", names["tiktok"], "--platform", names["instagram-reels"], *drama]
    episodes = len(__import__("json").loads(plan.read_text())["episodes"])

    rows = []
    for name, argv, timed_run in (
        ("drama-app, 5 sidecar languages, no dub", [*package, *drama, *common], True),
        ("drama-app, 5 sidecar languages, en + ko dubbed", [*package, *drama, *common, *audio],
         True),
        ("tiktok + instagram-reels + drama-app, 5 languages, no dub", [*package, *three, *common],
         args.all_timed),
        ("tiktok + instagram-reels + drama-app, 5 languages, en + ko dubbed",
         [*package, *three, *common, *audio], args.all_timed),
    ):  # fmt: skip
        encodes, copies = count_commands([*argv, "-o", str(folder / "dry")])
        wall, cpu = best(argv, folder / "out", args.runs) if timed_run else (float("nan"),) * 2
        rows.append((name, encodes, copies, wall, cpu))
    one, dubbed = rows[0], rows[1]
    timed_flag = " --all-timed" if args.all_timed else ""

    def num(x: float) -> str:
        return "-" if x != x else f"{x:.1f}"  # not timed: counted only

    table = "\n".join(f"| {n} | {e} | {c} | {num(w)} | {num(u)} |" for n, e, c, w, u in rows)
    text = (
        f"{START}\n## Dubbed deliveries (issue 14, bench/bench_dubs.py)\n\n"
        f"Command: `.venv/bin/python bench/bench_dubs.py{' --quick' if args.quick else ''} "
        f"--speed {args.speed} --runs {args.runs}{timed_flag}` ({time.strftime('%Y-%m-%d')}, "
        f"the shared 2-core dev box). Master: fixtures {size[0]}x{size[1]}, {minutes:g} min, "
        f"{episodes} episodes; the built-in presets at the master's size (as `make demo` does), "
        f"--min 40 --max 60, x264 {args.speed}, --no-promo; 5 subtitle languages "
        f"({', '.join(LANGS)}); dubs en and ko = real speech over a real music bed "
        "(../shared/realmedia), cut to the master's length. Encodes/copies = video encodes and "
        "video stream copies among the commands of `--dry-run`; CPU = user + system of vidpack "
        "and its ffmpeg children.\n\n"
        "| run | video encodes | video copies | wall s | CPU s |\n|---|---|---|---|---|\n"
        f"{table}\n\n"
        f"Dubbed languages sharing the drama app's textless picture: {dubbed[4] / one[4]:.2f}x "
        f"the CPU of one language ({dubbed[3] / one[3]:.2f}x wall; target <= 1.1x CPU). "
        f"Pictures: {rows[3][1]} encodes for {rows[3][1] // max(1, episodes)} distinct pictures "
        f"an episode, the same as without dubs ({rows[2][1]}); the dubbed sets are "
        f"{rows[3][2]} copies.\n{END}\n"
    )
    print(text)
    if not args.no_write:
        write_section(RESULTS, text, START, END)


if __name__ == "__main__":
    main()
