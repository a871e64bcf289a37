"""`vidpack qc` through Click: exit codes, the table, --json and --write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.integration.qc_package import build_package, tiny_preset, write_package
from vidpack.cli.main import cli
from vidpack.presets import dumps_toml


def test_no_manifest_is_exit_2_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["qc", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {tmp_path} has no manifest.json: not a finished package "
        "(run vidpack package again to finish it)"
    )


@pytest.mark.integration
def test_root_json_write_and_failure_exit(tmp_path: Path) -> None:
    folder = build_package(tmp_path / "out" / "tiny")
    rules = tiny_preset()
    rules["trailers"]["lengths"] = []  # tiktok's 15-60 s trailers exceed the 10 s limit
    write_package(folder, rules)
    preset = tmp_path / "tiny.toml"  # a user preset: QC needs its file
    preset.write_text(dumps_toml(rules), encoding="utf-8")
    runner = CliRunner()
    args = ["qc", str(tmp_path / "out"), "--preset", str(preset)]
    result = runner.invoke(cli, [*args, "--json", "--write"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["verdict"] == "pass" and data["failed"] == 0
    assert json.loads((folder / "qc.json").read_text())["verdict"] == "pass"

    (folder / "covers" / "cover.jpg").write_bytes(b"not a jpeg")
    result = runner.invoke(cli, ["qc", str(folder), "--preset", str(preset)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if "FAIL" in ln]
    assert any("covers/cover.jpg" in ln and "sha256" in ln for ln in lines)
    assert any("cover size" in ln and "unreadable" in ln for ln in lines)
