"""Masking burned-in dialogue inside the episode encode (``--hardsubs``), on real footage with
Chinese, Korean and Thai lines burned in and its textless twin (fixtures/hardsubs.py).

One plan, two splits of the burned master with the same preset: without masking and with
``--hardsubs auto --hardsubs-method box``. In the masked episodes the text's contrast (its edge
energy above the textless footage's, on the truth's text pixels) is mostly gone, in both
episodes (the second one's ranges are shifted to its own time); outside the dialogue boxes the
picture is the unmasked encode's (PSNR >= 45 dB); the title and the filing number are untouched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from fixtures.hardsubs import HardsubMaster, build_hardsub_master, gray_frames, plain_preset
from fixtures.real import realmedia_missing
from vidpack.cli.main import cli

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(realmedia_missing() is not None, reason=str(realmedia_missing())),
]

W, H = 360, 640
# The master's own size (no scaling: pixels compare one to one) and no loudness passes.
_PRESET = plain_preset("mask-test", "tiktok", (W, H))


def _gray(path: Path) -> np.ndarray:
    return gray_frames(path, (W, H))


def _edges(frame: np.ndarray) -> np.ndarray:
    import cv2

    return np.abs(frame - cv2.blur(frame, (5, 5)))


@pytest.fixture(scope="module")
def splits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hardsubs_mask")
    master = build_hardsub_master(folder, seconds=20.0, seed=0)
    preset = folder / "mask-test.toml"
    preset.write_text(_PRESET, encoding="utf-8")
    plan = folder / "plan.json"
    runner = CliRunner()
    made = runner.invoke(
        cli, ["plan", str(master.path), "--min", "8", "--max", "12", "-o", str(plan)]
    )
    assert made.exit_code == 0, made.output
    base = ["split", str(master.path), "--plan", str(plan), "--preset", str(preset)]
    base += ["--speed", "ultrafast", "--progress", "none"]
    for name, extra in (("plain", []), ("box", ["--hardsubs", "auto", "--hardsubs-method", "box"])):
        result = runner.invoke(cli, [*base, *extra, "-o", str(folder / name)])
        assert result.exit_code == 0, result.output
    cache = next((folder / ".vidpack-cache").glob("hardsubs.*.hardsubs.json"))
    return {
        "master": master,
        "folder": folder,
        "plan": json.loads(plan.read_text(encoding="utf-8")),
        "regions": json.loads(cache.read_text(encoding="utf-8"))["regions"],
    }


@pytest.mark.parametrize("episode", [1, 2])
def test_box_masking_removes_the_band_and_nothing_else(
    splits: dict[str, Any], episode: int
) -> None:
    master: HardsubMaster = splits["master"]
    truth, folder = master.truth, splits["folder"]
    ep = splits["plan"]["episodes"][episode - 1]
    first, count = ep["start_frame"], ep["end_frame"] - ep["start_frame"]
    name = f"series_E{episode:03d}.mp4"
    masked, plain = _gray(folder / "box" / name), _gray(folder / "plain" / name)
    clean = _gray(master.textless)[first : first + count]
    assert masked.shape == plain.shape == clean.shape
    fps = truth["fps"]

    left = burned = 0.0
    cues = 0
    for cue in truth["cues"]:
        mask = master.mask(cue["key"])
        on = [
            f for f in range(count) if cue["start"] + 0.05 <= (first + f) / fps < cue["end"] - 0.05
        ]
        cues += bool(on)
        for f in on[::5]:
            textless = _edges(clean[f])[mask].mean()
            left += max(0.0, _edges(masked[f])[mask].mean() - textless)
            burned += _edges(plain[f])[mask].mean() - textless
    assert cues >= 2 and burned > 0
    assert left / burned <= 0.10, left / burned  # the text's contrast is mostly gone

    band = np.zeros((H, W), bool)
    for region in splits["regions"]:
        if region["kind"] == "dialogue":
            x, y, w, h = region["box"]
            band[max(0, y - 6) : y + h + 6, max(0, x - 6) : x + w + 6] = True
    mse = float(((masked - plain)[:, ~band] ** 2).mean())
    assert 10 * np.log10(255**2 / mse) >= 45.0  # the picture outside the band is unchanged

    for item in truth["static"][:2]:  # the title and the filing number (the opening)
        mask = master.mask(item["key"])
        shown = [f for f in range(count) if item["start"] <= (first + f) / fps < item["end"]]
        if shown:
            diff = (masked[shown] - plain[shown])[:, mask]
            assert 10 * np.log10(255**2 / max(1e-6, float((diff**2).mean()))) >= 45.0, item
