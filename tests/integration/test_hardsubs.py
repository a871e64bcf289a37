"""Burned-in text on real footage: the fixture's truth checked against its pictures, then the
detector measured against that truth (issue 13's detection targets).

The master is 40 s of real footage at 360x640 with Chinese, Korean and Thai lines burned in four
looks, a series title and a filing number in the opening and a faint watermark all through
(fixtures/hardsubs.py). Detection time against a bare decode is measured in
bench/bench_hardsubs.py, not here.
"""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from fixtures.hardsubs import HardsubMaster, build_hardsub_master, score_detection
from fixtures.real import realmedia_missing
from vidpack.hardsubs.run import HardsubSettings, find_hardsubs
from vidpack.media import runner
from vidpack.media.probe import probe

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(realmedia_missing() is not None, reason=str(realmedia_missing())),
]


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> HardsubMaster:
    return build_hardsub_master(tmp_path_factory.mktemp("hardsubs"), seconds=40.0, seed=0)


def _frames(path: str, frames: list[int], size: tuple[int, int]) -> np.ndarray:
    pick = "+".join(f"eq(n\\,{n})" for n in frames)
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", path, "-vf", f"select='{pick}',format=gray",
         "-fps_mode", "passthrough", "-f", "rawvideo", "pipe:1"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(-1, size[1], size[0]).astype(np.int16)


def test_truth_masks_are_where_the_pictures_differ(master: HardsubMaster) -> None:
    t = master.truth
    w, h = t["size"]
    cues = t["cues"]
    mids = [round((c["start"] + c["end"]) / 2 * t["fps"]) for c in cues]
    burned = _frames(str(master.path), mids, (w, h))
    clean = _frames(str(master.textless), mids, (w, h))
    assert len(burned) == len(clean) == len(cues)
    for k, c in enumerate(cues):
        diff = np.abs(burned[k] - clean[k]) > 40
        shown = np.zeros((h, w), bool)
        for item in [c, *(s for s in t["static"] if s["start"] <= c["start"] < s["end"])]:
            x, y, bw, bh = item["box"]
            shown[max(0, y - 2) : y + bh + 2, max(0, x - 2) : x + bw + 2] = True
        # What the burn changed is inside the truth's boxes (the encoder's noise aside) ...
        assert (diff & ~shown).sum() <= 0.01 * diff.sum(), c["key"]
        # ... and the cue's mask is where it changed the picture (a half-transparent dark box
        # over dark footage changes it little: there only its glyphs count).
        mask = master.mask(c["key"])
        share = 0.25 if c["look"] == "box" else 0.5
        assert (diff & mask).sum() >= share * mask.sum(), c["key"]
    assert {c["lang"] for c in cues} == {"zh", "ko", "th"}
    assert {c["look"] for c in cues} == {"white", "yellow", "box", "two"}
    assert [s["kind"] for s in t["static"]] == ["title", "filing", "watermark"]


def test_detection_meets_the_targets(master: HardsubMaster) -> None:
    info = probe(master.path)
    before = runner.settings.commands_run
    found = find_hardsubs(master.path, info, HardsubSettings(cache=False))
    assert runner.settings.commands_run - before == 1  # one sampling decode, nothing else
    # A few frames per second, not every frame.
    assert found.samples <= info.duration / 0.25 + 2 < master.truth["frame_count"] / 7
    score = score_detection(found.to_dict(), master)
    assert score["precision"] >= 0.97, score
    assert score["recall"] >= 0.97, score
    assert score["coverage"] >= 0.95, score
    assert score["static_as_dialogue"] == 0, score
    # The title and the filing number are found as static text (the faint watermark is not).
    assert score["static_found"] >= 2, score
    filing = master.truth["static"][1]["box"]
    assert any(
        r.kind == "static"
        and r.box[0] <= filing[0]
        and r.box[1] <= filing[1]
        and r.box[0] + r.box[2] >= filing[0] + filing[2]
        and r.box[1] + r.box[3] >= filing[1] + filing[3]
        for r in found.regions
    )


def test_the_result_is_cached_beside_the_master(master: HardsubMaster) -> None:
    info = probe(master.path)
    first = find_hardsubs(master.path, info)
    before = runner.settings.commands_run
    again = find_hardsubs(master.path, info)
    assert runner.settings.commands_run == before
    assert again == first
    assert list((master.path.parent / ".vidpack-cache").glob("hardsubs.*.hardsubs.json"))
