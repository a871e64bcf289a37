"""Benchmark kill and resume (issue 15): ``vidpack package`` with trailers and covers, killed
at random points of every phase (analysis, renders, trailers, covers, QC) by SIGKILL, SIGTERM and
SIGINT in turn, each resumed by running the same command again; then a rerun of the finished
package.

Usage::

    .venv/bin/python bench/bench_kill.py [--quick] [--kills 20] [--seed 1] [--no-write]

The master is real footage with real speech under a real music bed (fixtures/real.py, 180x320,
2 min, from ../shared/realmedia or ``VIDPACK_REALMEDIA``), or with ``--quick`` the fixtures'
generated 1-minute drama. A kill passes when the signal found the run still running, the run
ended with 130 (SIGINT), 143 (SIGTERM) or by the signal (SIGKILL), a caught signal left no
partial file, no manifest was left (it is written last, after QC), and the resumed run's
SHA256SUMS (episodes, trailers, covers, metadata) equal those of a run never interrupted.
Results go into bench/RESULTS.md between the bench_kill markers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import write_section  # noqa: E402
from fixtures.kills import (  # noqa: E402
    KILL_PHASES,
    expected_code,
    package_sums,
    phase_times,
    random_kills,
    run_events,
    run_killed,
    write_promo_preset,
)

WORK = ROOT / "bench" / "work" / "kill"
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench_kill:start -->", "<!-- bench_kill:end -->"
REAL = Path(os.environ.get("VIDPACK_REALMEDIA") or ROOT.parent / "shared" / "realmedia")


def _master(quick: bool) -> tuple[Path, str]:
    if quick:
        from fixtures.generate import generate_master

        made = generate_master(WORK, name="generated", size=(180, 320), minutes=1.0, seed=0)
        return made.path, "fixtures' generated drama, 180x320, 1 min"
    from fixtures.real import build_real_master

    real = build_real_master(WORK, name="real", size=(180, 320), minutes=2.0)
    return real.path, "real footage, speech and music bed (fixtures/real.py), 180x320, 2 min"


def _argv(master: Path, out: Path, preset: Path) -> list[str]:
    return [
        "package", str(master), "-o", str(out), "--platform", str(preset), "--min", "20",
        "--max", "40", "--speed", "ultrafast", "--title", "Kill Test",
    ]  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the generated 1-minute master")
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md")
    args = ap.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    master, what = _master(args.quick)
    preset = write_promo_preset(WORK, "tiny-kill", trailers="5, 15", covers='"180x320"')
    cache = master.parent / ".vidpack-cache"
    shutil.rmtree(cache, ignore_errors=True)
    ref_out = WORK / "reference"
    began = time.monotonic()
    code, events = run_events(_argv(master, ref_out, preset))
    ref_wall = time.monotonic() - began
    assert code == 0, events[-3:]
    sums = package_sums(ref_out)
    spans = phase_times(events)
    stamps = {p: p.stat().st_mtime_ns for p in ref_out.rglob("*") if p.is_file()}
    began = time.monotonic()
    code, events = run_events(_argv(master, ref_out, preset))
    rerun_wall = time.monotonic() - began
    rendered = sum(1 for e in events if e["event"] == "finish" and e["status"] == "done")
    rewritten = [p for p, t in stamps.items() if p.stat().st_mtime_ns != t]
    rows, passed = [], 0
    for n, kill in enumerate(random_kills(spans, args.kills, args.seed), start=1):
        out = WORK / f"killed-{n}"
        shutil.rmtree(cache, ignore_errors=True)
        killed = run_killed(_argv(master, out, preset), out, kill)
        began = time.monotonic()
        resumed, _ = run_events(_argv(master, out, preset))
        resume_wall = time.monotonic() - began
        clean = kill.signum == signal.SIGKILL or not killed.partials
        checks = {
            "signalled": killed.signalled,
            "exit": killed.code == expected_code(kill.signum),
            "cleaned": clean,
            "no manifest": not killed.manifests,
            "identical": resumed == 0 and package_sums(out) == sums,
        }
        ok = all(checks.values())
        passed += ok
        failed = ", ".join(k for k, v in checks.items() if not v)
        rows.append(
            f"| {n} | {kill.phase} | {signal.Signals(kill.signum).name} | {kill.delay:.2f} | "
            f"{killed.phase} | "
            f"{killed.code} | {len(killed.partials)} | {resume_wall:.1f} | "
            f"{'yes' if ok else '**no**: ' + failed} |"
        )
        print(rows[-1], flush=True)
        shutil.rmtree(out, ignore_errors=True)
    phases = ", ".join(f"{p} {spans[p][1] - spans[p][0]:.1f} s" for p in KILL_PHASES)
    section = "\n".join([
        START,
        "## Kill and resume (issue 15, bench/bench_kill.py)",
        "",
        f"Command: `.venv/bin/python bench/bench_kill.py{' --quick' if args.quick else ''} "
        f"--kills {args.kills} --seed {args.seed}` ({time.strftime('%Y-%m-%d')}, the shared "
        "2-core dev box). Master: " + what + "; `vidpack package` for one 180x320 drama-app "
        "preset with trailers of 5 and 15 s and one cover size, --min 20 --max 40, x264 "
        f"ultrafast. The uninterrupted run took {ref_wall:.1f} s ({phases}). Each kill: a random "
        "point in the first half of its phase (as long as the uninterrupted run took; "
        "'killed in' is the phase the run had reached), the signals in turn (SIGINT to the process "
        "group as Ctrl-C does, SIGTERM and SIGKILL to vidpack alone); then the same command "
        "again, whose SHA256SUMS must equal the uninterrupted run's.",
        "",
        "| # | phase | signal | s into phase | killed in | exit | partial files left | resume s "
        "| passed |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"**{passed} of {len(rows)}** kills resumed to identical packages (target 20 of 20). "
        f"A rerun of the finished package took {rerun_wall:.1f} s (uninterrupted run "
        f"{ref_wall:.1f} s) with {rendered} renders and {len(rewritten)} files rewritten.",
        END,
    ])  # fmt: skip
    print(section)
    if not args.no_write:
        write_section(RESULTS, section, START, END)
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
