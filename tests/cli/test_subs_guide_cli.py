"""`vidpack subs --guide/--fix`: style-guide warnings per cue, the fixes listed and written, and
bad option combinations refused in one line before any work (real ffmpeg on a tiny master)."""

from __future__ import annotations

import json
from pathlib import Path

import pysubs2
import pytest
from click.testing import CliRunner

from fixtures.guide import TRUTH, write_guide_master, write_guide_violations
from vidpack.cli.main import cli

FIXED = """\
Fixed: guide.en.srt cue 2 (00:00:03.500): end extended to 00:00:04.334 (0.834 s)
Fixed: guide.en.srt cue 3 (00:00:05.000): lines re-broken: 'I told you, I was working / late at the office again.'
Fixed: guide.en.srt cue 3 (00:00:05.000): end moved to 00:00:07.960 (gap to cue 4: 80 ms)
Fixed: guide.en.srt cue 5 (00:00:09.960): start snapped onto the shot cut at 00:00:10.000
Fixed: guide.en.srt cue 6 (00:00:13.000): end extended to 00:00:15.050 (2.050 s)
Fixed: guide.en.srt cue 7 (00:00:16.000): lines re-broken: 'Then why did you turn off your phone?'
Fixed: guide.en.srt cue 8 (00:00:19.100): end snapped onto the shot cut at 00:00:20.000
Fixed: guide.zh-Hans.srt cue 2 (00:00:03.500): lines re-broken: '我跟你说过我在办公 / 室里一直加班到很晚'
Fixed: guide.zh-Hans.srt cue 3 (00:00:07.500): end extended to 00:00:09.167 (1.667 s)
"""  # noqa: E501


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path], Path]:
    """The master, its subtitle files, and a plan made by `vidpack plan` (which caches the
    analysis, so `subs --plan` has the cuts at hand)."""
    folder = tmp_path_factory.mktemp("guide")
    master = write_guide_master(folder)
    files = write_guide_violations(folder)
    plan = folder / "plan.json"
    result = CliRunner().invoke(
        cli, ["plan", str(master), "--min", "10", "--max", "20", "-o", str(plan)]
    )
    assert result.exit_code == 0, result.output
    return master, files, plan


def _args(media: tuple[Path, dict[str, Path], Path], out: Path, *extra: str) -> list[str]:
    master, files, plan = media
    subs = [a for path in files.values() for a in ("--subs", str(path))]
    return ["subs", str(master), *subs, "--plan", str(plan), "-o", str(out), *extra]


def test_every_violation_is_a_one_line_warning(
    media: tuple[Path, dict[str, Path], Path], tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, _args(media, tmp_path))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == len(TRUTH)
    for lang, cue, _ in TRUTH:
        assert any(w.startswith(f"Warning: guide.{lang}.srt cue {cue} (") for w in warnings)
    assert (
        "Warning: guide.en.srt cue 6 (00:00:13.000): 41 characters a second, the guide's "
        "limit for en is 20"
    ) in warnings
    assert "Fixed:" not in result.stdout


def test_fix_lists_its_changes_and_writes_them(
    media: tuple[Path, dict[str, Path], Path], tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, _args(media, tmp_path, "--fix"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(FIXED)
    assert result.stderr.splitlines() == [
        "Warning: guide.en.srt cue 9 (00:00:21.000): on screen 8.000 s, the guide's maximum is 7 s"
    ]
    plan = json.loads(media[2].read_text(encoding="utf-8"))
    cues = []
    for ep in plan["episodes"]:
        path = tmp_path / f"series_E{ep['index']:03d}.en.srt"  # split's episode stem
        offset = round(ep["start"] * 1000)
        cues += [(e.start + offset, e.end + offset, e.text) for e in pysubs2.load(str(path))]
    assert (10_000, 12_500, "Your sister saw you at the hotel.") in cues
    assert (19_100, 20_000, "The battery died.") in cues
    assert (5000, 7960, "I told you, I was working\\Nlate at the office again.") in cues


def test_planning_in_the_same_run_gives_the_cuts(
    media: tuple[Path, dict[str, Path], Path], tmp_path: Path
) -> None:
    master, files, _ = media
    args = ["subs", str(master), "--subs", str(files["en"]), "--min", "10", "--max", "20"]
    result = CliRunner().invoke(cli, [*args, "--fix", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(FIXED.split("Fixed: guide.zh")[0])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--fix", "--guide", "none"],
            "Error: --fix needs a style guide: give --guide netflix (or drop --fix)",
        ),
        (
            ["--guide", "bbc"],
            "Error: Invalid value for '--guide': 'bbc' is not one of 'netflix', 'none'; "
            "see `vidpack subs --help`",
        ),
    ],
)
def test_bad_guide_options_are_one_line_and_write_nothing(
    media: tuple[Path, dict[str, Path], Path], tmp_path: Path, extra: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, _args(media, out, *extra), prog_name="vidpack")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == message
    assert not out.exists()
