"""A trailer cut from a real 29.97 fps master: the end card and the shots share one time base."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vidpack.cli.main import cli

pytestmark = pytest.mark.integration


def test_trailer_of_a_ntsc_rate_master(real_master: Any, tmp_path: Path) -> None:
    preset = tmp_path / "t360.toml"
    preset.write_text('extends = "tiktok"\nname = "t360"\n[video]\nwidth = 360\nheight = 640\n')
    out = tmp_path / "tr15.mp4"
    args = ["trailer", str(real_master.path), "--preset", str(preset), "--length", "15"]
    result = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-of", "json",
         "-show_entries", "stream=r_frame_rate,nb_read_frames,width,height", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    video: dict[str, Any] = json.loads(probe.stdout)["streams"][0]
    assert video["r_frame_rate"] == "30000/1001" == real_master.truth["fps_rational"]
    assert int(video["nb_read_frames"]) == round(15 * 30000 / 1001)
    assert (video["width"], video["height"]) == (360, 640)
