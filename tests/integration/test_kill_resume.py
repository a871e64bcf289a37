"""Kill and resume: a `vidpack package` run with trailers and covers, killed at a random point
of each phase (analysis, renders, trailers, covers, QC) by SIGKILL, SIGTERM or SIGINT, resumes
to the very package an uninterrupted run makes (SHA256SUMS, trailers and covers included).

The kill points are random (a seed per run, printed in a failure); bench/bench_kill.py runs 20
of them for the figures in bench/RESULTS.md.
"""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest

from fixtures.generate import generate_master
from fixtures.kills import (
    KILL_PHASES,
    expected_code,
    package_sums,
    phase_times,
    random_kills,
    run_events,
    run_killed,
    write_promo_preset,
)

pytestmark = pytest.mark.integration

SEED = int(os.environ.get("VIDPACK_KILL_SEED", random.SystemRandom().randrange(10_000)))


def _argv(master: Path, out: Path, preset: Path) -> list[str]:
    return [
        "package", str(master), "-o", str(out), "--platform", str(preset), "--min", "8",
        "--max", "16", "--speed", "ultrafast", "--title", "Test Show",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A 30-second master of this module's own (its analysis cache too), the preset, and one
    run never interrupted: its packages' SHA256SUMS and how long each phase took."""
    folder = tmp_path_factory.mktemp("kills")
    master = generate_master(folder, name="master", minutes=0.5, seed=3).path
    preset = write_promo_preset(folder, "tiny-kill", trailers="5", covers='"180x320"')
    code, events = run_events(_argv(master, folder / "reference", preset))
    assert code == 0, events[-3:]
    sums = package_sums(folder / "reference")
    listed = sums["tiny-kill"]
    assert "_trailer_5s.mp4" in listed and "covers/" in listed, listed  # the kill test covers both
    return {"folder": folder, "master": master, "preset": preset, "sums": sums,
            "spans": phase_times(events), "events": events}  # fmt: skip


def test_the_reference_run_names_every_phase_in_order(reference: Any) -> None:
    spans = reference["spans"]
    assert list(spans) == ["probe", "analysis", "renders", "assemble", "trailers", "covers",
                           "qc", "report"]  # fmt: skip
    assert all(end >= start for start, end in spans.values())
    events = reference["events"]
    assert (events[-1]["event"], events[-1]["phase"]) == ("phase", "done")  # to the very end
    fractions = [e["fraction"] for e in events if e["phase"] == "analysis" and "fraction" in e]
    assert fractions and fractions == sorted(fractions)  # the analysis has a bar of its own
    renders = [e for e in events if e["event"] in ("begin", "start", "finish", "end")]
    assert renders and {e["phase"] for e in renders} == {"renders"}
    assert all(e["item"] == "tiny-kill" for e in events if e["phase"] in ("trailers", "qc"))


@pytest.mark.parametrize("case", range(len(KILL_PHASES)))
def test_a_random_kill_resumes_to_the_same_package(reference: Any, case: int) -> None:
    kill = random_kills(reference["spans"], len(KILL_PHASES), SEED)[case]
    where = f"seed {SEED} (VIDPACK_KILL_SEED): {kill.describe()}"
    out = reference["folder"] / f"killed-{case}"
    cache = reference["master"].parent / ".vidpack-cache"
    shutil.rmtree(cache, ignore_errors=True)
    argv = _argv(reference["master"], out, reference["preset"])
    killed = run_killed(argv, out, kill)
    if not killed.signalled or killed.phase != kill.phase:
        # This run left the phase sooner than the reference did (a shared machine's timing):
        # the same signal again from scratch, at the very start of the phase.
        kill = dataclasses.replace(kill, delay=0.0)
        where = f"seed {SEED} (VIDPACK_KILL_SEED): {kill.describe()} (retried at its start)"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        killed = run_killed(argv, out, kill)
    assert killed.signalled, f"{where}: the run ended before the kill"
    assert killed.phase == kill.phase, f"{where}: killed in {killed.phase}"
    assert killed.code == expected_code(kill.signum), (where, killed)
    if kill.signum != signal.SIGKILL:  # a caught signal cleans up after itself
        assert killed.partials == (), (where, killed.partials)
        assert killed.stderr_tail.endswith("partial outputs removed"), (where, killed)
    assert killed.manifests == (), (where, killed.manifests)  # written last, after QC
    code, _ = run_events(argv)
    assert code == 0, where
    assert package_sums(out) == reference["sums"], where
    assert not [p for p in out.rglob("*") if ".partial-" in p.name], where
