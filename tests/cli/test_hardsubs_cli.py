"""`vidpack hardsubs` through Click: the table (exact), --json, -o, and bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixtures.hardsubs import SYNTHETIC_CUES, build_text_master
from vidpack.cli.main import cli
from vidpack.hardsubs import run
from vidpack.hardsubs.maskfile import load_mask_file
from vidpack.hardsubs.model import Hardsubs, Region
from vidpack.media.probe import probe


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_text_master(tmp_path_factory.mktemp("hardsubs_cli"))


def test_table_is_exact(master: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = Hardsubs(
        360,
        640,
        10.0,
        (
            Region("dialogue", (93, 542, 166, 31), ((0.96, 3.04), (3.48, 5.5), (5.5, 8.04)), 1.0),
            Region("static", (66, 72, 232, 45), ((0.0, 3.98),), 0.875),
        ),
        samples=31,
    )
    monkeypatch.setattr(run, "find_hardsubs", lambda path, info: found)
    result = CliRunner().invoke(cli, ["hardsubs", str(master)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "#  kind      x   y    w    h   from  to    ranges  seconds  confidence\n"
        "-  --------  --  ---  ---  --  ----  ----  ------  -------  ----------\n"
        "1  dialogue  93  542  166  31  0.96  8.04  3       6.6      1.00\n"
        "2  static    66  72   232  45  0.00  3.98  1       4.0      0.88\n"
        "2 regions (1 dialogue, 1 static) in 360x640, 10.0 s; 31 frames sampled\n"
    )


def test_json_and_mask_file_find_the_burned_lines(master: Path, tmp_path: Path) -> None:
    out = tmp_path / "mask.json"
    result = CliRunner().invoke(cli, ["hardsubs", str(master), "--json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == result.output
    data = json.loads(result.output)
    assert data["size"] == [360, 640]
    dialogue = [r for r in data["regions"] if r["kind"] == "dialogue"]
    static = [r for r in data["regions"] if r["kind"] == "static"]
    assert len(dialogue) == 1 and len(static) == 1
    ranges = dialogue[0]["ranges"]
    assert len(ranges) == len(SYNTHETIC_CUES)
    for (a, b), (start, end, _text) in zip(ranges, SYNTHETIC_CUES, strict=True):
        assert abs(a - start) <= 0.1 and abs(b - end) <= 0.1  # within 2.5 frames at 25 fps
    x, y, w, h = dialogue[0]["box"]
    assert y > 0.75 * 640 and y + h <= 640 and abs(x + w / 2 - 180) < 20
    assert static[0]["box"][1] < 0.2 * 640 and static[0]["ranges"][0][1] == pytest.approx(
        4.0, abs=0.1
    )
    # The file is accepted back for the same master.
    assert load_mask_file(out, probe(master)).regions[0].kind == "dialogue"


def test_bad_inputs(master: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["hardsubs", str(tmp_path / "none.mp4")])
    assert missing.exit_code == 2
    assert (
        missing.output == f"Error: file not found: {str(tmp_path / 'none.mp4')!r}: check the path\n"
    )
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    bad_out = runner.invoke(cli, ["hardsubs", str(master), "-o", str(blocker / "mask.json")])
    assert bad_out.exit_code == 2
    assert bad_out.output == (
        f"Error: output folder {str(blocker)!r} is a file: choose another -o\n"
    )
