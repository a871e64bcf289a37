"""`vidpack batch` end to end on two generated 8-second masters (and one broken one) with tiny
presets: the local pool is killed with SIGTERM mid-batch (exit 143, nothing partial under a
final name) and resumed (finished tasks skipped); a real Dask scheduler with two workers on
loopback loses a worker while it renders; an exported OpenJD job passes `openjd check` and runs
with `openjd run`. Every package passes `vidpack qc` and the three paths give the same
checksums."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fixtures.generate import MasterFixture, generate_master
from tests.integration.test_package import write_tiny_preset
from vidpack.cli.main import cli

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("farm")
    masters: dict[str, MasterFixture] = {
        name: generate_master(root / name, name=name, minutes=0.14, seed=seed, threads=1)
        for name, seed in (("alpha", 11), ("beta", 12))
    }
    (root / "broken.mp4").write_text("not a video\n")
    presets = []
    for name, base, covers in (
        ("tiny-tiktok", "tiktok", ""),
        ("tiny-drama", "drama-app", '"180x320"'),
    ):
        path = write_tiny_preset(root, name, base, max_s=60, covers=covers)
        presets += ["--platform", str(path)]
    options = [
        *presets, "--min", "3", "--max", "6", "--speed", "ultrafast", "--threads", "1",
        "--subs", f"en={masters['alpha'].subtitles['en']}", "--title", "Farm Test",
    ]  # fmt: skip
    return {"root": root, "masters": masters, "options": options}


def _batch(
    farm: dict[str, Any], out: Path, *extra: str, broken: bool = False, only: str = ""
) -> list[str]:
    paths = [str(m.path) for name, m in farm["masters"].items() if only in ("", name)]
    if broken:
        paths.append(str(farm["root"] / "broken.mp4"))
    return [*paths, *farm["options"], "-o", str(out), "--progress", "none", *extra]


def _events(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(ln) for ln in path.read_text().splitlines() if ln.endswith("}")]


def _wait_for(predicate: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _sums(out: Path, master: str) -> dict[str, str]:
    """Every platform's SHA256SUMS lines (episodes, sidecars, covers) of one master."""
    sums = {}
    for folder in sorted((out / master).iterdir()):
        if (folder / "SHA256SUMS").is_file():
            sums[folder.name] = (folder / "SHA256SUMS").read_text()
    assert sums, f"no packages in {out / master}"
    return sums


def _qc_ok(out: Path, master: str) -> None:
    presets = [a for p in sorted(out.parent.glob("tiny-*.toml")) for a in ("--preset", str(p))]
    result = CliRunner().invoke(cli, ["qc", str(out / master), *presets])
    assert result.exit_code == 0, result.output
    assert result.output.count(": pass") == 2


@pytest.fixture(scope="module")
def local_run(farm: dict[str, Any]) -> dict[str, Any]:
    """Killed with SIGTERM after the first episode render, then resumed to the end."""
    out = farm["root"] / "local"
    events = farm["root"] / "local-events.jsonl"
    argv = [sys.executable, "-m", "vidpack", "batch",
            *_batch(farm, out, "--workers", "2", "--events", str(events), broken=True)]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for(
        lambda: (
            proc.poll() is not None
            or any(e["kind"] == "render" and e["state"] == "done" for e in _events(events))
        ),
        120,
        "a finished render",
    )
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGTERM)
    _, killed_err = proc.communicate(timeout=60)
    killed_events = _events(events)
    partials = [p for p in out.rglob("*") if ".partial-" in p.name]
    manifests = list(out.glob("*/*/manifest.json"))
    events.unlink()
    resumed = CliRunner().invoke(
        cli, ["batch", *_batch(farm, out, "--workers", "2", "--events", str(events), broken=True)]
    )
    return {
        "out": out, "killed_code": proc.returncode, "killed_err": killed_err,
        "killed_events": killed_events, "partials": partials, "manifests": manifests,
        "resumed": resumed, "resumed_events": _events(events),
    }  # fmt: skip


def test_sigterm_stops_cleanly(local_run: dict[str, Any]) -> None:
    assert local_run["killed_code"] == 143, local_run["killed_err"]
    assert "interrupted by SIGTERM" in local_run["killed_err"]
    assert local_run["partials"] == []
    assert local_run["manifests"] == []
    states = {e["task"]: e["state"] for e in local_run["killed_events"]}
    assert "cancelled" in states.values()


def test_resume_skips_finished_tasks(local_run: dict[str, Any]) -> None:
    done_before = {e["task"] for e in local_run["killed_events"] if e["state"] == "done"}
    after = {e["task"]: e["state"] for e in local_run["resumed_events"]}
    assert done_before and all(after[t] == "skipped" for t in done_before)
    assert any(s == "done" and "/render/" in t for t, s in after.items())


def test_failing_master_does_not_stop_others(local_run: dict[str, Any]) -> None:
    result = local_run["resumed"]
    assert result.exit_code == 1
    rows = {ln.split()[0]: ln for ln in result.output.splitlines() if ln[:1].isalpha()}
    assert "ok" in rows["alpha"].split() and "ok" in rows["beta"].split()
    assert "FAILED" in rows["broken"] and "broken/analyze" in rows["broken"]
    assert "1 of 3 masters failed (broken)" in result.output
    for master in ("alpha", "beta"):
        _qc_ok(local_run["out"], master)


def test_rerun_of_finished_batch_skips_everything(
    farm: dict[str, Any], local_run: dict[str, Any]
) -> None:
    events = farm["root"] / "rerun-events.jsonl"
    result = CliRunner().invoke(
        cli, ["batch", *_batch(farm, local_run["out"], "--events", str(events))]
    )
    assert result.exit_code == 0, result.output
    finished = [e for e in _events(events) if e["state"] in ("done", "skipped", "failed")]
    assert finished and {e["state"] for e in finished} == {"skipped"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    logs = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(name: str, argv: list[str]) -> None:
        log = (logs / f"{name}.log").open("wb")
        procs[name] = subprocess.Popen(argv, stdout=log, stderr=log, start_new_session=True)

    start("scheduler", [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", port,
                        "--no-dashboard"])  # fmt: skip
    _wait_for(lambda: "Scheduler at" in (logs / "scheduler.log").read_text(), 60, "scheduler")
    for name in ("w1", "w2"):
        start(name, [str(BIN / "dask"), "worker", address, "--name", name, "--nthreads", "1",
                     "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"])  # fmt: skip
    from distributed import Client

    client = Client(address, timeout=30)
    _wait_for(lambda: len(client.scheduler_info()["workers"]) == 2, 60, "two workers")
    try:
        yield {"address": address, "client": client, "procs": procs}
    finally:
        client.close()
        for proc in procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_dask_batch_survives_a_dead_worker(
    farm: dict[str, Any], cluster: dict[str, Any], local_run: dict[str, Any]
) -> None:
    out = farm["root"] / "dask"
    events = farm["root"] / "dask-events.jsonl"
    extra = ("--scheduler", cluster["address"], "--events", str(events))
    argv = [sys.executable, "-m", "vidpack", "batch", *_batch(farm, out, *extra)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    client = cluster["client"]

    def w1_rendering() -> list[str]:
        for address, keys in client.processing().items():
            info = client.scheduler_info()["workers"].get(address, {})
            if info.get("name") == "w1":
                return [str(k) for k in keys if "/render/" in str(k)]
        return []

    interrupted = _wait_for(w1_rendering, 120, "worker w1 running a render")
    os.killpg(cluster["procs"]["w1"].pid, signal.SIGKILL)  # the node dies: worker and ffmpeg
    killed_at = time.time()
    stdout, stderr = proc.communicate(timeout=240)
    assert proc.returncode == 0, stdout + stderr
    finished = {e["task"]: e for e in _events(events) if e["state"] == "done"}
    started = [e for e in _events(events) if e["state"] == "running"]
    assert {e["worker"].rsplit("/", 1)[1] for e in started} == {"w1", "w2"}
    task = interrupted[0].split("-", 2)[2]  # vidpack-<token>-<task id>
    assert finished[task]["worker"].endswith("/w2")
    late = [
        e
        for e in finished.values()
        if datetime.fromisoformat(e["time"]).timestamp() > killed_at + 1
    ]
    assert not [e for e in late if e["worker"].endswith("/w1")]
    for master in ("alpha", "beta"):
        _qc_ok(out, master)
        assert _sums(out, master) == _sums(local_run["out"], master)


def test_openjd_export_checks_and_runs(farm: dict[str, Any], local_run: dict[str, Any]) -> None:
    out = farm["root"] / "openjd"
    template = out / "job.json"
    result = CliRunner().invoke(
        cli, ["batch", *_batch(farm, out, "--export-openjd", str(template), only="alpha")]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(template.read_text())
    assert data["specificationVersion"] == "jobtemplate-2023-09"
    steps = {s["name"]: s for s in data["steps"]}
    render = steps["alpha render"]["parameterSpace"]["taskParameterDefinitions"]
    assert [p["name"] for p in render] == ["Rendition", "Episode"]
    assert steps["alpha package"]["dependencies"] == [
        {"dependsOn": "alpha render"},
        {"dependsOn": "alpha promo"},
    ]
    assert not (out / "alpha" / "tiny-drama").exists()  # exported, not rendered
    check = subprocess.run(
        [str(BIN / "openjd"), "check", str(template)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    run = subprocess.run(
        [str(BIN / "openjd"), "run", str(template), "--step", "alpha package",
         "--run-dependencies"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    _qc_ok(out, "alpha")
    assert _sums(out, "alpha") == _sums(local_run["out"], "alpha")
