"""`vidpack plan` on a generated 4-minute master: boundaries on true cuts outside true dialogue,
exports that OpenTimelineIO reads back, and a plan that only fits its own master."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fixtures.generate import MasterFixture, generate_master
from vidpack.cli.main import cli
from vidpack.errors import UsageError
from vidpack.plan.planfile import load_plan_for

pytestmark = pytest.mark.integration

MIN_S, MAX_S = 20.0, 60.0


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> MasterFixture:
    folder = tmp_path_factory.mktemp("plan-master")
    return generate_master(folder, name="drama", size=(180, 320), minutes=4.0, fps=25, seed=5)


@pytest.fixture(scope="module")
def planned(master: MasterFixture, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("plan-out")
    args = ["plan", str(master.path), "--min", f"{MIN_S:g}", "--max", f"{MAX_S:g}"]
    args += ["-o", str(out / "plan.json"), "--otio", str(out / "plan.otio")]
    args += ["--edl", str(out / "plan.edl"), "--png", str(out / "plan.png")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return {"out": out, "result": result, "plan": load_plan_for(out / "plan.json", master.path)}


def _inside_dialogue(truth: dict[str, Any], t: float) -> bool:
    return any(d["start"] < t < d["end"] for d in truth["dialogue"])


def _clean_plan_exists(truth: dict[str, Any]) -> bool:
    """Whether the truth allows a valid plan on cuts outside dialogue (exhaustive search)."""
    cuts = sorted(c["time"] for c in truth["cuts"] if not _inside_dialogue(truth, c["time"]))
    end = truth["duration"]
    reachable = {0.0}
    for t in [*cuts, end]:
        if any(MIN_S <= t - r <= MAX_S for r in reachable):
            reachable.add(t)
    return end in reachable


def test_boundaries_sit_on_true_cuts_outside_dialogue(
    master: MasterFixture, planned: dict[str, Any]
) -> None:
    truth = master.truth
    assert _clean_plan_exists(truth), (
        "the fixture must allow a clean plan for this test to mean much"
    )
    plan = planned["plan"]
    frame = 1 / truth["fps"]
    assert plan.boundaries, "a 4-minute master with --max 60 needs boundaries"
    for b in plan.boundaries:
        # On a true transition: a hard cut within one frame; a gradual one (dissolve, fade)
        # anywhere within its span, give or take a frame.
        assert any(
            abs(c["time"] - b) <= frame + 1e-6
            or (c["kind"] != "cut" and c["start"] - frame <= b <= c["end"] + frame)
            for c in truth["cuts"]
        ), f"boundary {b} is not on a true transition"
        assert not _inside_dialogue(truth, b), f"boundary {b} is inside dialogue"
    for ep in plan.episodes:
        assert MIN_S - frame <= ep.duration <= MAX_S + frame
    assert plan.episodes[-1].end == pytest.approx(truth["duration"], abs=frame)
    assert plan.warnings == ()
    assert planned["result"].stderr == ""


def test_exports_read_back_with_the_boundaries(planned: dict[str, Any]) -> None:
    import cv2
    import opentimelineio as otio

    out, plan = planned["out"], planned["plan"]
    frames = [e.start_frame for e in plan.episodes]
    timeline = otio.adapters.read_from_file(str(out / "plan.otio"))
    assert [m.marked_range.start_time.value for m in timeline.tracks.markers] == frames
    got = [m.marked_range.start_time.to_seconds() for m in timeline.tracks.markers][1:]
    assert got == pytest.approx(list(plan.boundaries), abs=0.5 / 25)
    edl = otio.adapters.read_from_file(str(out / "plan.edl"), adapter_name="cmx_3600", rate=25)
    clips = list(edl.tracks[0].find_clips())
    assert [c.source_range.start_time.value for c in clips] == frames
    assert clips[-1].source_range.end_time_exclusive().value == plan.episodes[-1].end_frame
    picture = cv2.imread(str(out / "plan.png"))
    assert picture is not None and picture.shape[1] == 1600


def test_plan_file_names_its_master_and_rejects_another(
    master: MasterFixture, planned: dict[str, Any], vertical_master: MasterFixture
) -> None:
    data = json.loads((planned["out"] / "plan.json").read_text())
    assert data["master"]["path"] == str(master.path)
    assert data["master"]["duration"] == pytest.approx(master.truth["duration"], abs=0.05)
    assert data["master"]["size"] == Path(master.path).stat().st_size
    with pytest.raises(UsageError, match="the plan is for a different master"):
        load_plan_for(planned["out"] / "plan.json", vertical_master.path)
