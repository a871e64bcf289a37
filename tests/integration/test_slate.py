"""The compliance slate of Chinese-platform presets, end to end: a douyin-based package of the
generated vertical master shows the licence number (CJK text) in the slate box of every episode
during the slate's seconds and not after, the manifest records it, QC passes it and fails a
package whose episode lacks it; no number (or one too long for the safe zone) is a one-line usage
error before any work; the number is part of the render key."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fixtures.generate import MasterFixture
from vidpack.cli.main import cli
from vidpack.package.qc_slate import shows_slate, slate_contrast
from vidpack.presets import load_preset
from vidpack.render.model import EpisodeSpec, render_key
from vidpack.render.slate import slate_for

pytestmark = pytest.mark.integration

NUMBER = "备案号：粤网微剧备字(2025)第00123号"
_TINY_DOUYIN = """
name = "tiny-douyin"
extends = "douyin"
[video]
width = 360
height = 640
[limits]
min_episode_s = 1
max_episode_s = 180
[trailers]
lengths = []
[covers]
sizes = []
"""


@pytest.fixture(scope="module")
def slate_package(vertical_master: MasterFixture, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("slate")
    preset = folder / "tiny-douyin.toml"
    preset.write_text(_TINY_DOUYIN)
    out = folder / "out"
    args = ["package", str(vertical_master.path), "--platform", str(preset), "-o", str(out)]
    args += ["--min", "20", "--max", "40", "--no-promo", "--speed", "ultrafast", "--progress"]
    args += ["none", "--license-number", NUMBER]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    pkg = out / "tiny-douyin"
    return pkg, json.loads((pkg / "manifest.json").read_text()), preset


def test_every_episode_shows_the_number_in_its_opening(slate_package: Any) -> None:
    pkg, manifest, _ = slate_package
    seconds = load_preset("douyin").metadata.slate_seconds
    assert len(manifest["episodes"]) >= 2
    for ep in manifest["episodes"]:
        slate = ep["slate"]
        assert slate["text"] == NUMBER
        assert slate["start"] == 0.0 and slate["duration"] == seconds
        box = tuple(slate["box"])
        x, y, w, _ = box
        top, _, left, right = (round(v) for v in (288 / 3, 0, 120 / 3, 192 / 3))
        assert y >= top and x >= left and x + w <= 360 - right  # inside the safe zone
        path = pkg / ep["file"]
        dark, bright = slate_contrast(path, 0.5, box)
        assert dark >= 0.35 and bright >= 0.02, (dark, bright)
        assert shows_slate(path, seconds / 2, box)
        assert not shows_slate(path, seconds + 0.5, box)  # gone once the slate ends
        after = slate_contrast(path, seconds + 0.5, box)
        assert after[1] < bright / 2 or after[0] < 0.35


def test_qc_passes_the_package_and_fails_an_episode_without_slate(
    slate_package: Any, tmp_path: Path
) -> None:
    pkg, manifest, preset = slate_package
    qc = json.loads((pkg / "qc.json").read_text())
    shown = [c for c in qc["checks"] if c["check"] in ("slate recorded", "slate shown")]
    assert len(shown) == 2 * len(manifest["episodes"]) and all(c["ok"] for c in shown)

    tampered = tmp_path / "tiny-douyin"
    shutil.copytree(pkg, tampered)
    first = manifest["episodes"][0]
    ep = tampered / first["file"]
    seconds = float(first["slate"]["duration"])
    # the same episode with its opening replaced by a later second of itself: no slate
    later = f"trim=start={seconds + 1},setpts=PTS-STARTPTS,loop=loop=-1:size=1"
    graph = f"[0:v]{later},trim=duration={first['duration']}[v]"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
         "-i", str(pkg / first["file"]), "-filter_complex", graph, "-map", "[v]", "-map", "0:a",
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "copy", str(ep)],
        check=True,
    )  # fmt: skip
    result = CliRunner().invoke(cli, ["qc", str(tampered), "--json", "--preset", str(preset)])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    failed = {(c["file"], c["check"]) for c in report["checks"] if not c["ok"]}
    assert (first["file"], "slate shown") in failed
    assert not any(c == "slate shown" and f != first["file"] for f, c in failed)

    data = json.loads((tampered / "manifest.json").read_text())
    data["episodes"][1]["slate"] = None  # a manifest that says nothing of the slate
    (tampered / "manifest.json").write_text(json.dumps(data))
    report = json.loads(
        CliRunner().invoke(cli, ["qc", str(tampered), "--json", "--preset", str(preset)]).output
    )
    second = data["episodes"][1]["file"]
    assert any(
        c["file"] == second and c["check"] == "slate recorded" and not c["ok"]
        for c in report["checks"]
    )


def test_missing_number_is_a_usage_error_before_any_work(
    vertical_master: MasterFixture, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["package", str(vertical_master.path), "--platform", "douyin", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.output == (
        "Error: platform douyin requires a licence number on every episode: give "
        "--license-number or license_number in the --series-file "
        '(e.g. --license-number "备案号：粤网微剧备字(2025)第00123号")\n'
    )
    assert not out.exists()
    long = "备" * 40
    result = CliRunner().invoke(cli, [*args, "--license-number", long])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: --license-number {long!r} is too long for platform douyin's safe zone: "
        "use at most about 31 wide characters\n"
    )
    assert not out.exists()


def test_series_file_number_and_render_key() -> None:
    preset = load_preset("douyin")
    assert slate_for(load_preset("tiktok"), NUMBER) is None
    one, two = slate_for(preset, NUMBER), slate_for(preset, NUMBER.replace("123", "124"))
    assert one is not None and two is not None and one.text == NUMBER
    spec = EpisodeSpec(
        index=1, output=Path("e.mp4"), master="m.mp4", master_id="x", start=0.0, frames=25,
        src_fps=25.0, out_fps=25.0, resample=False, start_frame=0, encode_key="k",
        encode={}, reframe="fit",
    )  # fmt: skip
    keys = {
        render_key(spec),
        render_key(replace(spec, slate=one)),
        render_key(replace(spec, slate=two)),
    }
    assert len(keys) == 3
    assert preset.encode_key() != load_preset("tiktok").encode_key()


def test_split_and_batch_without_number_are_refused(
    vertical_master: MasterFixture, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    example = '"备案号：粤网微剧备字(2025)第00123号"'
    master = str(vertical_master.path)
    result = CliRunner().invoke(cli, ["split", master, "--preset", "kuaishou", "-o", str(out)])
    assert result.exit_code == 2
    assert result.output == (
        "Error: platform kuaishou requires a licence number on every episode: give "
        f"--license-number (e.g. --license-number {example})\n"
    )
    result = CliRunner().invoke(cli, ["batch", master, "--platform", "douyin", "-o", str(out)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.startswith("Error: ")]
    assert len(lines) == 1 and lines[0].endswith(
        "platform douyin requires a licence number on every episode: give --license-number or "
        f"set license_number in the --series-file file (e.g. license_number = {example})"
    ), result.output
    assert not out.exists()
