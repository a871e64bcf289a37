"""`vidpack package --dry-run` leaves the disk as it was and prints commands that carry the
measured loudness, naming the files vidpack itself would make before them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixtures.generate import generate_master
from vidpack.cli.main import cli

pytestmark = pytest.mark.integration


def _tree(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_dry_run_writes_nothing_and_prints_the_measured_gains(tmp_path: Path) -> None:
    made = generate_master(tmp_path / "m", name="m", size=(180, 320), minutes=0.5, fps=25, seed=2)
    before = _tree(tmp_path)
    out = tmp_path / "out"
    args = ["package", str(made.path), "--platform", "tiktok", "--min", "8", "--max", "15"]
    args += ["--subs", str(made.subtitles["en"]), "-o", str(out), "--dry-run"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert _tree(tmp_path) == before  # no -o folder, no lock, no analysis cache beside the master
    lines = result.output.splitlines()
    encodes = [ln for ln in lines if "libx264" in ln]
    assert len(encodes) >= 2
    assert all("vidpack-dry-run" not in ln and str(out) in ln for ln in encodes)
    gains = [float(g) for g in re.findall(r'"gain_db": (-?[\d.]+)', "\n".join(encodes))]
    assert len(gains) == len(encodes) and any(abs(g) > 0.5 for g in gains)  # measured, not 0
    assert (
        lines[-2]
        == f"# dry run: nothing was written; the outputs' folders would be made under {out}"
    )
    staged = lines[-1].removeprefix("# and, by vidpack before the encode reading it, ").split()
    assert len(staged) == len(encodes) and all(s.endswith(".en.ass") for s in staged)
    assert all(s in "\n".join(encodes) for s in staged)
