"""Cropping burned-in dialogue away (``--hardsubs-method crop``) on a 16:9 master of real footage
with Chinese, Korean and Thai lines burned in at the bottom (fixtures/hardsubs.py) and its
textless twin, cut to 9:16 with ``--reframe crop``, both given the truth's mask file.

`split --hardsubs FILE` offers the crop in one line; taken, the episodes of the burned master
equal those of the textless twin cut the same way (the rows holding the text are gone: nothing
is painted over, so nothing of the text is left), in every frame below the opening's static text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from fixtures.hardsubs import build_hardsub_master, gray_frames, plain_preset
from fixtures.real import realmedia_missing
from vidpack.cli.main import cli

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(realmedia_missing() is not None, reason=str(realmedia_missing())),
]

OUT_W, OUT_H = 180, 320
_PRESET = plain_preset("crop-test", "tiktok", (OUT_W, OUT_H))


def _gray(path: Path) -> np.ndarray:
    return gray_frames(path, (OUT_W, OUT_H))


def _truth_mask(truth: dict[str, Any]) -> str:
    """The mask file of the truth: one dialogue region over every cue's box, shown during the
    cues, and the static items as static regions. (The detection finds no text on this 640x360
    master: its lines are 14-29 px tall, under what it looks for; see the issue's note.)"""
    from vidpack.hardsubs.maskfile import dumps
    from vidpack.hardsubs.model import Hardsubs, Region

    cues = truth["cues"]
    x0, y0 = min(c["box"][0] for c in cues), min(c["box"][1] for c in cues)
    x1 = max(c["box"][0] + c["box"][2] for c in cues)
    y1 = max(c["box"][1] + c["box"][3] for c in cues)
    ranges = tuple((c["start"], c["end"]) for c in cues)
    regions = [Region("dialogue", (x0, y0, x1 - x0, y1 - y0), ranges, 1.0)]
    regions += [
        Region("static", tuple(s["box"]), ((s["start"], s["end"]),), 1.0) for s in truth["static"]
    ]
    w, h = truth["size"]
    return dumps(Hardsubs(w, h, truth["duration"], tuple(regions), samples=len(cues)))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hardsubs_crop")
    master = build_hardsub_master(folder, size=(640, 360), seconds=16.0, seed=2)
    preset = folder / "crop-test.toml"
    preset.write_text(_PRESET, encoding="utf-8")
    runner = CliRunner()
    mask = folder / "mask.json"
    mask.write_text(_truth_mask(master.truth), encoding="utf-8")
    plans = {}
    for source in (master.path, master.textless):  # the same cuts: the footage is the same
        plans[source] = folder / f"{source.stem}.plan.json"
        planned = runner.invoke(
            cli, ["plan", str(source), "--min", "6", "--max", "10", "-o", str(plans[source])]
        )
        assert planned.exit_code == 0, planned.output
    frames = [
        [(e["start_frame"], e["end_frame"]) for e in json.loads(p.read_text())["episodes"]]
        for p in plans.values()
    ]
    assert frames[0] == frames[1]
    runs = {}
    for name, source, hardsubs in (
        ("offer", master.path, ["--hardsubs", str(mask), "--hardsubs-method", "box"]),
        ("burned", master.path, ["--hardsubs", str(mask), "--hardsubs-method", "crop"]),
        ("textless", master.textless, ["--hardsubs", str(mask), "--hardsubs-method", "crop"]),
        ("plain", master.path, []),
        ("plain-textless", master.textless, []),
    ):
        runs[name] = runner.invoke(cli, [
            "split", str(source), "--plan", str(plans[source]), "--preset", str(preset),
            "--reframe", "crop", "--speed", "ultrafast", "--progress", "none", *hardsubs,
            "-o", str(folder / name),
        ])  # fmt: skip
        assert runs[name].exit_code == 0, (name, runs[name].output)
    return {"master": master, "folder": folder, "runs": runs}


def test_split_offers_the_crop_once(made: dict[str, Any]) -> None:
    offer = made["runs"]["offer"]
    assert offer.exit_code == 0, offer.output
    lines = [ln for ln in offer.stderr.splitlines() if "can be cropped away" in ln]
    assert len(lines) == 1 and "--hardsubs-method crop keeps rows 0-" in lines[0], (
        offer.stderr,
        made["folder"],
    )
    assert "can be cropped away" not in made["runs"]["burned"].stderr  # taken: offered no more


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255**2 / max(float(((a - b) ** 2).mean()), 1e-6)))


def test_cropped_episodes_hold_none_of_the_burned_text(made: dict[str, Any]) -> None:
    """The textless twin was cut with the same mask file: while a line is shown, the cropped
    burned episode is as close to it as the encodes allow (what is left is x264's noise),
    where the same cut without the crop is far from it (the line is there)."""
    folder, truth = made["folder"], made["master"].truth
    fps, low = truth["fps"], slice(OUT_H // 4, OUT_H)  # below the watermark (top right)
    starts = {}
    plan = json.loads((folder / "hardsubs.plan.json").read_text(encoding="utf-8"))
    for ep in plan["episodes"]:
        starts[f"series_E{ep['index']:03d}.mp4"] = ep["start_frame"]
    cropped, plain = [], []
    for name, first in starts.items():
        burned, clean = _gray(folder / "burned" / name), _gray(folder / "textless" / name)
        raw, raw_clean = _gray(folder / "plain" / name), _gray(folder / "plain-textless" / name)
        for f in range(0, len(burned), 5):
            t = (first + f) / fps
            if any(c["start"] + 0.1 <= t < c["end"] - 0.1 for c in truth["cues"]):
                cropped.append(_psnr(burned[f, low], clean[f, low]))
                plain.append(_psnr(raw[f, low], raw_clean[f, low]))
    assert len(cropped) >= 10
    assert min(cropped) >= 35.0, min(cropped)  # nothing of the text: encode noise only
    assert float(np.median(plain)) <= float(np.median(cropped)) - 6.0, (plain, cropped)
