"""Benchmark the farm (issue 8): the same batch of tasks run in this process, on a real Dask
cluster (scheduler and workers on loopback) with one and two workers, and on the local pool with
one and two task processes. Gives the Dask path's overhead against in-process runs and the
speed-up from one to two workers on this machine.

Usage::

    .venv/bin/python bench/bench_farm.py            # 2 masters, 540x960, 2 minutes each
    .venv/bin/python bench/bench_farm.py --quick    # 2 masters, 360x640, 1 minute each
    .venv/bin/python bench/bench_farm.py --write    # also update bench/RESULTS.md

Every run makes a fresh output folder (no task is skipped); the analysis cache beside the
masters is filled by a warm-up run first, so every measured run pays the same analysis cost.
ffmpeg runs with one thread per task in every run, so the runs do the same work.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench_farm:start -->", "<!-- bench_farm:end -->"
BIN = Path(sys.executable).parent


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """A scheduler and ``workers`` single-threaded workers on loopback, started as processes."""

    def __init__(self, workers: int, logs: Path) -> None:
        self.address = f"tcp://127.0.0.1:{_port()}"
        self.procs: list[subprocess.Popen[bytes]] = []
        logs.mkdir(parents=True, exist_ok=True)
        port = self.address.rsplit(":", 1)[1]
        self._start([BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", port,
                     "--no-dashboard"], logs / "scheduler.log")  # fmt: skip
        for n in range(workers):
            self._start([BIN / "dask", "worker", self.address, "--nthreads", "1", "--no-nanny",
                         "--no-dashboard", "--host", "127.0.0.1"], logs / f"w{n}.log")  # fmt: skip
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=60)

    def _start(self, argv: list[Any], log: Path) -> None:
        out = log.open("wb")
        argv = [str(a) for a in argv]
        self.procs.append(subprocess.Popen(argv, stdout=out, stderr=out, start_new_session=True))
        if "scheduler" in argv:
            time.sleep(1.5)

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()


def _run(masters: list[Path], out: Path, common: dict[str, Any], **farm: Any) -> dict[str, Any]:
    from vidpack.farm.build import MasterEntry, build_batch
    from vidpack.farm.driver import Events
    from vidpack.farm.run import JOBFILE_NAME, FarmOptions, run_farm

    shutil.rmtree(out, ignore_errors=True)
    batch = build_batch([MasterEntry(str(m), None, common) for m in masters], out, threads=1)
    began = time.monotonic()
    result = run_farm(batch, out / JOBFILE_NAME, FarmOptions(**farm), Events())
    wall = time.monotonic() - began
    assert result.ok, result.master_rows()
    busy = sum(s.seconds for s in result.states.values())
    return {"wall": wall, "busy": busy, "tasks": len(result.states)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each kind (best kept)")
    args = parser.parse_args()
    from fixtures.generate import generate_master

    size, minutes, span = ((360, 640), 1.0, (15, 30)) if args.quick else ((540, 960), 2.0, (30, 60))
    folder = WORK / f"farm_{size[0]}x{size[1]}_{minutes:g}m"
    masters = []
    for n in range(2):
        path = folder / f"m{n}" / f"m{n}.mp4"
        if not path.is_file():
            generate_master(path.parent, name=f"m{n}", size=size, minutes=minutes, seed=20 + n)
        masters.append(path)
    preset = folder / "feed.toml"
    preset.write_text(
        f'name = "feed"\nextends = "tiktok"\n[video]\nwidth = {size[0]}\nheight = {size[1]}\n'
        "[limits]\nmin_episode_s = 1\n"
    )
    common = {"platforms": [str(preset)], "min": float(span[0]), "max": float(span[1]),
              "speed": "veryfast", "promo": False}  # fmt: skip
    _run(masters, folder / "warmup", common, workers=0)  # fills the analysis cache
    runs: dict[str, dict[str, Any]] = {}

    def keep(name: str, run: dict[str, Any]) -> None:
        if name not in runs or run["wall"] < runs[name]["wall"]:
            runs[name] = run

    # Rounds interleave the kinds, so a burst of load from elsewhere hits them alike; the
    # fastest run of each kind is kept.
    clusters = {n: Cluster(n, folder / f"logs{n}") for n in (1, 2)}
    try:
        for _ in range(args.rounds):
            keep("in-process (1 at a time)", _run(masters, folder / "inproc", common, workers=0))
            for n, cluster in clusters.items():
                name = f"Dask, {n} worker{'s' * (n > 1)}"
                keep(name, _run(masters, folder / f"dask{n}", common, scheduler=cluster.address))
            for n in (1, 2):
                name = f"local pool, {n} process{'es' * (n > 1)}"
                keep(name, _run(masters, folder / f"local{n}", common, workers=n))
    finally:
        for cluster in clusters.values():
            cluster.stop()
    base = runs["in-process (1 at a time)"]["wall"]
    lines = [
        f"2 masters of {minutes:g} min at {size[0]}x{size[1]} (episodes {span[0]}-{span[1]} s), "
        f"one 'feed' platform (tiktok at that size, --no-promo, x264 veryfast, 1 ffmpeg thread "
        f"per task), {runs['in-process (1 at a time)']['tasks']} tasks; `{os.cpu_count()}` cores,"
        f" load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        f"Best of {args.rounds} interleaved rounds per kind.",
        "",
        "| run | wall s | vs in-process | busy s (sum of task times) | wall - busy s |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, run in runs.items():
        serial = "2" not in name  # wall - busy only means overhead when tasks run one at a time
        gap = f"{run['wall'] - run['busy']:.1f}" if serial else "-"
        lines.append(f"| {name} | {run['wall']:.1f} | {run['wall'] / base:.2f}x | "
                     f"{run['busy']:.1f} | {gap} |")  # fmt: skip
    d1, d2 = runs["Dask, 1 worker"]["wall"], runs["Dask, 2 workers"]["wall"]
    l1, l2 = runs["local pool, 1 process"]["wall"], runs["local pool, 2 processes"]["wall"]
    lines += [
        "",
        f"- Dask overhead against in-process, same tasks one at a time: "
        f"**{(d1 / base - 1) * 100:+.1f} %** (target at most +10 %); scheduling alone (wall "
        f"minus task time, one worker): {d1 - runs['Dask, 1 worker']['busy']:.1f} s.",
        f"- Speed-up from 1 to 2 Dask workers: **{d1 / d2:.2f}x**; local pool 1 to 2 processes: "
        f"**{l1 / l2:.2f}x**.",
        "",
        "Reproduce: `.venv/bin/python bench/bench_farm.py" + (" --quick" if args.quick else "")
        + "`",
    ]  # fmt: skip
    text = "\n".join(lines)
    print(text)
    if args.write:
        _write(text)


def _write(text: str) -> None:
    body = f"{START}\n{text}\n{END}"
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else "# Benchmarks\n"
    if START in current:
        current = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: body, current,
                         flags=re.S)  # fmt: skip
    else:
        current = current.rstrip("\n") + "\n\n## Farm (issue 8, bench/bench_farm.py)\n\n" + body
        current += "\n"
    RESULTS.write_text(current, encoding="utf-8")


if __name__ == "__main__":
    main()
