"""PySceneDetect inside vidpack, checked against PySceneDetect itself on generated masters.

`--detector content|adaptive` feeds scenedetect's detectors with the analysis pass's own small
frames; the reference is scenedetect decoding the same file itself (`scenedetect.detect`) and
writing its own scene list and HTML. Truth comes from the fixture generator (hard cuts at known
frames, dissolves and dips to black over known spans).
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import scenedetect
from click.testing import CliRunner

from fixtures.generate import MasterFixture
from vidpack.analyze import AnalysisSettings, analyze
from vidpack.analyze.model import Analysis
from vidpack.cli.main import cli
from vidpack.media import runner
from vidpack.media.probe import probe
from vidpack.media.runner import run_ffmpeg

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def vertical_master(
    vertical_master: MasterFixture, tmp_path_factory: pytest.TempPathFactory
) -> MasterFixture:
    """The session's master copied to a folder of its own: the analyses by PySceneDetect's
    detectors keep their cache files apart from the one other modules find beside the master."""
    folder = tmp_path_factory.mktemp("psd")
    path = folder / vertical_master.path.name
    shutil.copy2(vertical_master.path, path)
    return dataclasses.replace(vertical_master, path=path)


def _detector(kind: str) -> Any:
    return scenedetect.ContentDetector() if kind == "content" else scenedetect.AdaptiveDetector()


@pytest.fixture(scope="module")
def reference(vertical_master: MasterFixture) -> dict[str, Any]:
    """PySceneDetect's own run on the master (its own decode): scene lists by detector."""
    return {
        kind: scenedetect.detect(str(vertical_master.path), _detector(kind))
        for kind in ("content", "adaptive")
    }


@pytest.fixture(scope="module")
def analyses(vertical_master: MasterFixture) -> dict[str, Analysis]:
    return {
        kind: analyze(vertical_master.path, settings=AnalysisSettings(detector=kind))
        for kind in ("vidpack", "content", "adaptive")
    }


def _cut_frames(analysis: Analysis) -> list[int]:
    return [t.frame for t in analysis.transitions if t.kind == "cut"]


def _reference_cuts(scenes: Any) -> list[int]:
    return [start.frame_num for start, _ in scenes[1:]]


def _truth_hard_cuts(m: MasterFixture) -> list[int]:
    return [c["frame"] for c in m.truth["cuts"] if c["kind"] == "cut"]


@pytest.mark.parametrize("kind", ["content", "adaptive"])
def test_fed_detector_finds_what_pyscenedetect_finds_on_its_own_decode(
    kind: str, analyses: dict[str, Analysis], reference: dict[str, Any]
) -> None:
    ours = _cut_frames(analyses[kind])
    theirs = _reference_cuts(reference[kind])
    assert theirs, "PySceneDetect found no cut on the fixture"
    assert len(ours) == len(theirs)
    assert all(abs(a - b) <= 1 for a, b in zip(ours, theirs, strict=True)), (ours, theirs)
    assert {t.kind for t in analyses[kind].transitions} == {"cut"}
    assert analyses[kind].settings["skip_used"] == "none"  # every frame, as scenedetect reads
    assert analyses[kind].settings["scenedetect"] == scenedetect.__version__


@pytest.mark.parametrize("kind", ["content", "adaptive"])
def test_detector_finds_every_hard_cut_within_a_frame_and_nothing_inside_a_shot(
    kind: str, analyses: dict[str, Analysis], vertical_master: MasterFixture
) -> None:
    cuts = _cut_frames(analyses[kind])
    for frame in _truth_hard_cuts(vertical_master):
        assert any(abs(c - frame) <= 1 for c in cuts), f"hard cut at frame {frame} missed: {cuts}"
    # Whatever else it reports lies on a dissolve or a dip to black of the truth.
    spans = [(c["start_frame"] - 1, c["end_frame"] + 1) for c in vertical_master.truth["cuts"]]
    for c in cuts:
        assert any(a <= c <= b for a, b in spans), f"cut at frame {c} inside a shot"
    for t in analyses[kind].transitions:
        assert 0.5 <= t.score <= 1.0
        assert t.time == pytest.approx(t.frame / vertical_master.truth["fps"], abs=1e-3)


def test_vidpack_and_pyscenedetect_hard_cuts_agree(
    analyses: dict[str, Analysis], reference: dict[str, Any], vertical_master: MasterFixture
) -> None:
    ours = _cut_frames(analyses["vidpack"])
    theirs = _reference_cuts(reference["content"])
    assert ours == _truth_hard_cuts(vertical_master)
    for frame in ours:
        assert any(abs(frame - t) <= 1 for t in theirs), (ours, theirs)


def test_scene_list_is_pyscenedetects_own_csv(
    vertical_master: MasterFixture, reference: dict[str, Any], tmp_path: Path
) -> None:
    scenes = reference["content"]
    expected = io.StringIO(newline="")
    scenedetect.write_scene_list(expected, scenes, cut_list=[s for s, _ in scenes[1:]])
    result = CliRunner().invoke(
        cli, ["scenes", str(vertical_master.path), "--detector", "content", "--scene-list", "-"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.getvalue()
    html = tmp_path / "out" / "scenes.html"
    expected_html = tmp_path / "reference.html"
    scenedetect.write_scene_list_html(
        str(expected_html), scenes, cut_list=[s for s, _ in scenes[1:]]
    )
    result = CliRunner().invoke(
        cli, ["scenes", str(vertical_master.path), "--detector", "content", "--html", str(html)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"HTML scene list written: {html}"
    assert html.read_text(encoding="utf-8") == expected_html.read_text(encoding="utf-8")
    assert not list(html.parent.glob(".*partial*"))


def test_scene_list_of_vidpacks_detector_covers_the_master(
    vertical_master: MasterFixture, analyses: dict[str, Analysis], tmp_path: Path
) -> None:
    out = tmp_path / "scenes.csv"
    result = CliRunner().invoke(
        cli, ["scenes", str(vertical_master.path), "--scene-list", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["cuts"]  # --json still owns stdout
    assert f"Scene list written: {out}" in result.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    transitions = analyses["vidpack"].transitions
    assert rows[0].split(",")[0] == "Timecode List:"
    assert len(rows[0].split(",")) == len(transitions) + 1
    scenes = [r.split(",") for r in rows[2:]]
    assert len(scenes) == len(transitions) + 1
    # Frames counted from 1 as PySceneDetect counts them; the last scene ends on the last frame.
    assert [int(s[1]) - 1 for s in scenes[1:]] == [t.frame for t in transitions]
    assert int(scenes[-1][4]) == vertical_master.truth["frame_count"]


def test_the_detector_is_part_of_the_cache_key(
    vertical_master: MasterFixture, analyses: dict[str, Analysis]
) -> None:
    keys = {AnalysisSettings(detector=k).key() for k in ("vidpack", "content", "adaptive")}
    assert len(keys) == 3
    before = runner.settings.commands_run
    analyze(vertical_master.path)
    probe_only = runner.settings.commands_run - before  # cached: the probe runs, no decode
    before = runner.settings.commands_run
    again = analyze(vertical_master.path, settings=AnalysisSettings(detector="content"))
    assert runner.settings.commands_run - before == probe_only
    assert again.transitions == analyses["content"].transitions
    assert analyses["vidpack"].transitions != analyses["content"].transitions


def test_variable_frame_rate_master_numbers_frames_by_their_order(tmp_path: Path) -> None:
    """25 fps then 12.5 fps: PySceneDetect's cut lands on the decoded frame and its time."""
    master = tmp_path / "vfr.mp4"
    graph = (
        "testsrc2=s=96x160:r=25,trim=end_frame=60,setpts=PTS-STARTPTS[a];"
        "smptebars=s=96x160:r=12.5,trim=end_frame=30,setpts=PTS-STARTPTS[b];"
        "[a][b]concat=n=2:v=1:a=0,settb=1/1000[v]"
    )
    run_ffmpeg(
        ["-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast",
         "-fps_mode", "passthrough", str(master)]
    )  # fmt: skip
    assert probe(master).video.is_vfr  # type: ignore[union-attr]
    analysis = analyze(master, settings=AnalysisSettings(detector="content"), use_cache=False)
    assert [(round(t.time, 3), t.frame, t.kind) for t in analysis.transitions] == [(2.4, 60, "cut")]
