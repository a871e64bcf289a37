"""The single analysis pass on real media: generated masters with known truth.

Hard cuts must be frame-exact (time and frame number), dissolves and dips to black within half a
second of their middle, flashes and fast motion must not read as cuts, speech must overlap the
truth dialogue, the cache must spare the decode, and timestamps must follow the master's
presentation times (delayed start, variable frame rate).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.scene_masters import build_effects_master
from fixtures.generate import MasterFixture, generate_master
from vidpack.analyze import AnalysisSettings, analyze
from vidpack.analyze.model import Analysis
from vidpack.analyze.shots import face_cascade
from vidpack.errors import InputError
from vidpack.media import runner
from vidpack.media.probe import probe
from vidpack.media.runner import run_ffmpeg

pytestmark = pytest.mark.integration


def _match(analysis: Analysis, truth: dict[str, Any]) -> tuple[list[Any], list[Any], list[Any]]:
    """(matched pairs, missed truth, extra detections): cuts exact, gradual within 0.5 s."""
    fps = truth["fps"]
    left = list(analysis.transitions)
    pairs, missed = [], []
    for cut in truth["cuts"]:
        tol = 0 if cut["kind"] == "cut" else fps / 2
        near = [t for t in left if abs(t.frame - cut["frame"]) <= tol]
        if near:
            best = min(near, key=lambda t: abs(t.frame - cut["frame"]))
            left.remove(best)
            pairs.append((cut, best))
        else:
            missed.append(cut)
    return pairs, missed, left


def _iou(a: list[tuple[float, float]], b: list[tuple[float, float]], total: float) -> float:
    grid = np.arange(0.0, total, 0.01)
    ma, mb = np.zeros(grid.size, bool), np.zeros(grid.size, bool)
    for s, e in a:
        ma |= (grid >= s) & (grid < e)
    for s, e in b:
        mb |= (grid >= s) & (grid < e)
    return float((ma & mb).sum() / max(1, (ma | mb).sum()))


@pytest.fixture(scope="module")
def vertical(vertical_master: MasterFixture) -> Analysis:
    return analyze(vertical_master.path, use_cache=False)


@pytest.fixture(scope="module")
def effects(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Analysis]:
    path, truth = build_effects_master(
        tmp_path_factory.mktemp("effects"), size=(144, 256), fps=30, shots=9, seed=7
    )
    return path, truth, analyze(path, use_cache=False)


def test_fixture_transitions_match_the_truth(
    vertical_master: MasterFixture, vertical: Analysis
) -> None:
    truth = vertical_master.truth
    pairs, missed, extra = _match(vertical, truth)
    assert not missed, f"missed {missed}"
    assert not extra, f"false transitions {extra}"
    for cut, found in pairs:
        assert found.kind == cut["kind"]
        if cut["kind"] == "cut":
            assert found.time == pytest.approx(cut["time"], abs=1e-6)
            assert found.frame == cut["frame"]
        else:
            assert abs(found.time - cut["time"]) <= 0.5
        assert 0.0 < found.score <= 1.0


def test_horizontal_fixture(horizontal_master: MasterFixture) -> None:
    analysis = analyze(horizontal_master.path)
    _, missed, extra = _match(analysis, horizontal_master.truth)
    assert not missed and not extra, (missed, extra)
    assert analysis.settings["frame_size"] == [160, 90]


def test_speech_matches_the_dialogue(vertical_master: MasterFixture, vertical: Analysis) -> None:
    truth = [(d["start"], d["end"]) for d in vertical_master.truth["dialogue"]]
    found = [(i.start, i.end) for i in vertical.speech]
    assert _iou(truth, found, vertical.duration) >= 0.85
    # Every line is found (most of its time is speech) and nothing is found between lines: a
    # line may come back as two stretches where the voice pauses between its sentences.
    for start, end in truth:
        inside = sum(max(0.0, min(end, b) - max(start, a)) for a, b in found)
        assert inside >= 0.8 * (end - start), (start, end)
    for a, b in found:
        assert any(min(b, end) - max(a, start) > 0 for start, end in truth), (a, b)
    assert len(truth) <= len(found) <= 2 * len(truth)


def test_loudness_every_tenth_of_a_second(
    vertical_master: MasterFixture, vertical: Analysis
) -> None:
    assert vertical.loudness_step == 0.1
    assert len(vertical.loudness) == round(vertical.duration / 0.1)
    loud = np.asarray(vertical.loudness)
    speaking, near = np.zeros(loud.size, bool), np.zeros(loud.size, bool)
    for d in vertical_master.truth["dialogue"]:
        speaking[int(d["start"] * 10) + 3 : int(d["end"] * 10) - 3] = True
        near[max(0, int(d["start"] * 10) - 5) : int(d["end"] * 10) + 6] = True
    assert speaking.any() and (~near).any()
    assert np.median(loud[speaking]) > np.median(loud[~near]) + 20


def test_shots_cover_the_master(vertical: Analysis) -> None:
    shots = vertical.shots
    assert len(shots) == len(vertical.transitions) + 1
    assert shots[0].start == 0.0 and shots[-1].end == pytest.approx(vertical.duration)
    for a, b in itertools.pairwise(shots):
        assert a.end == b.start
    for s in shots:
        assert 0 < s.exposure < 1 and 0 < s.contrast < 1 and s.sharpness > 0
        assert not s.black and not s.frozen
        assert s.loudness is None or -121 <= s.loudness < 0


def test_cache_spares_the_decode(vertical_master: MasterFixture, vertical: Analysis) -> None:
    before = runner.settings.commands_run
    probe(vertical_master.path)
    probe_cost = runner.settings.commands_run - before
    before = runner.settings.commands_run
    again = analyze(vertical_master.path)
    assert runner.settings.commands_run - before == probe_cost  # no decode, only the probe
    assert again == vertical
    cache_dir = vertical_master.path.parent / ".vidpack-cache"
    assert len(list(cache_dir.glob("vertical.*.analysis.json"))) == 1


def test_no_cache_decodes_again(vertical_master: MasterFixture) -> None:
    settings = AnalysisSettings(min_gap=0.5)  # own cache entry, independent of other tests
    analyze(vertical_master.path, settings=settings)
    before = runner.settings.commands_run
    progress: list[float] = []
    analyze(vertical_master.path, settings=settings, use_cache=False, on_progress=progress.append)
    probe_and_decode = runner.settings.commands_run - before
    assert len(progress) > 10 and progress[-1] == 1.0
    assert progress == sorted(progress)
    before = runner.settings.commands_run
    analyze(vertical_master.path, settings=settings)
    assert runner.settings.commands_run - before < probe_and_decode


def test_effects_master_cuts_exact_and_no_false_alarms(
    effects: tuple[Path, dict[str, Any], Analysis],
) -> None:
    _, truth, analysis = effects
    pairs, missed, extra = _match(analysis, truth)
    assert not missed, f"missed {missed}"
    assert not extra, f"false transitions {extra}"
    assert all(found.kind == cut["kind"] for cut, found in pairs)


def test_flashes_and_fast_motion_are_not_cuts(
    effects: tuple[Path, dict[str, Any], Analysis],
) -> None:
    _, truth, analysis = effects
    assert truth["flashes"] and truth["fast"]
    for t in analysis.transitions:
        for flash in truth["flashes"]:
            assert abs(t.time - flash["time"]) > 0.3, f"flash at {flash['time']} read as {t}"
        for span in truth["fast"]:
            inside = span["start"] + 0.6 < t.time < span["end"] - 0.6
            assert not inside, f"fast motion {span} read as {t}"


def test_skipped_frames_are_refined(effects: tuple[Path, dict[str, Any], Analysis]) -> None:
    """No keyframes at the cuts and B-frames everywhere: some cuts fall on skipped frames and
    need the second decode, and still come out frame-exact (checked above)."""
    _, _, analysis = effects
    assert analysis.settings["skip_used"] == "noref"
    assert analysis.settings["refined_cuts"] >= 1
    assert analysis.settings["analysed_frames"] < analysis.frame_count


def _two_shot_clip(path: Path, *, video_args: list[str], graph: str, seconds: float) -> None:
    run_ffmpeg(
        [
            *("-filter_complex", graph),
            *("-f", "lavfi", "-i", f"sine=f=300:sample_rate=48000:d={seconds}"),
            *video_args,
            str(path),
        ]
    )


def test_delayed_start_keeps_presentation_times(tmp_path: Path) -> None:
    """Video starting 0.6 s after the audio: the cut at 2 s of picture is at 2.6 s."""
    raw = tmp_path / "raw.mp4"
    graph = (
        "testsrc2=s=96x160:r=25,trim=end_frame=50[a];"
        "smptebars=s=96x160:r=25,trim=end_frame=50[b];[a][b]concat=n=2:v=1:a=0[v]"
    )
    _two_shot_clip(raw, video_args=["-map", "[v]", "-c:v", "libx264"], graph=graph, seconds=5)
    master = tmp_path / "delayed.mp4"
    run_ffmpeg(
        [
            *("-itsoffset", "0.6", "-i", str(raw), "-f", "lavfi"),
            *("-i", "sine=f=300:sample_rate=48000:d=5"),
            *("-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", str(master)),
        ]
    )
    analysis = analyze(master, use_cache=False)
    cuts = [t for t in analysis.transitions if t.kind == "cut"]
    assert len(cuts) == 1
    assert cuts[0].time == pytest.approx(2.6, abs=0.002)
    assert cuts[0].frame == 50


def test_variable_frame_rate_master(tmp_path: Path) -> None:
    """25 fps then 12.5 fps: the cut is found at its presentation time and decoded frame."""
    master = tmp_path / "vfr.mp4"
    graph = (
        "testsrc2=s=96x160:r=25,trim=end_frame=60,setpts=PTS-STARTPTS[a];"
        "smptebars=s=96x160:r=12.5,trim=end_frame=30,setpts=PTS-STARTPTS[b];"
        "[a][b]concat=n=2:v=1:a=0,settb=1/1000[v]"
    )
    _two_shot_clip(
        master,
        video_args=["-map", "[v]", "-map", "0:a", "-c:v", "libx264", "-fps_mode", "passthrough"],
        graph=graph,
        seconds=4.8,
    )
    assert probe(master).video.is_vfr  # type: ignore[union-attr]
    analysis = analyze(master, use_cache=False)
    assert analysis.settings["skip_used"] == "none"
    cuts = [t for t in analysis.transitions if t.kind == "cut"]
    assert [(round(c.time, 3), c.frame) for c in cuts] == [(2.4, 60)]


def test_faces_are_counted_per_shot(tmp_path: Path) -> None:
    if face_cascade() is None:
        pytest.skip("this OpenCV build has no Haar cascades (opencv-python 5 dropped them)")
    fixture = generate_master(tmp_path, name="faces", size=(180, 320), minutes=0.25, faces=True)
    analysis = analyze(fixture.path, use_cache=False)
    with_face = [s for s in fixture.truth["shots"] if "face" in s]
    assert with_face
    counted = [s.faces for s in analysis.shots]
    assert sum(1 for c in counted if c >= 1) >= len(with_face) - 1
    assert analysis.settings["faces_detector"] == "haar"
    json.dumps(analysis.to_dict())  # stays serialisable


def test_audio_only_file_is_refused(tmp_path: Path) -> None:
    audio = tmp_path / "sound.m4a"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=d=1", str(audio)])
    with pytest.raises(InputError, match="no video stream"):
        analyze(audio)
