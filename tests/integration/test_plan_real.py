"""`vidpack plan --subs` on a master cut from real footage, speech and music: no boundary inside
a subtitle cue, and each boundary's reported margin is its distance from the cues and the
detected speech."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fixtures.real import RealMaster
from vidpack.cli.main import cli

pytestmark = pytest.mark.integration

MIN_S, MAX_S = 15.0, 40.0  # a 2-minute master: at least 3 episodes


@pytest.fixture(scope="module")
def real(real_master: RealMaster) -> RealMaster:
    return real_master  # the run's shared real-media master (tests/conftest.py)


def _srt_spans(path: Path) -> list[tuple[float, float]]:
    """The cue spans of an SRT file, read here independently of vidpack's reader."""

    def seconds(stamp: str) -> float:
        hms, ms = stamp.strip().split(",")
        h, m, s = (int(v) for v in hms.split(":"))
        return h * 3600 + m * 60 + s + int(ms) / 1000

    spans = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "-->" in line:
            start, end = line.split("-->")
            spans.append((seconds(start), seconds(end)))
    return spans


def _margin(spans: list[tuple[float, float]], t: float) -> tuple[float | None, float | None]:
    if any(s <= t < e for s, e in spans):
        return 0.0, 0.0
    ends = [e for _, e in spans if e <= t]
    starts = [s for s, _ in spans if s > t]
    return (t - max(ends) if ends else None, min(starts) - t if starts else None)


def _clean_plan_exists(truth: dict[str, Any], cues: list[tuple[float, float]]) -> bool:
    """Whether true cuts outside every cue allow episodes of MIN_S..MAX_S (exhaustive)."""
    frame = 1 / truth["fps"]
    cuts = sorted(c["time"] for c in truth["cuts"] if not any(s < c["time"] < e for s, e in cues))
    end = truth["duration"]
    reachable = {0.0}
    for t in [*cuts, end]:
        if any(MIN_S - frame <= t - r <= MAX_S + frame for r in reachable):
            reachable.add(t)
    return end in reachable


def test_plan_with_subs_keeps_out_of_cues_and_reports_true_margins(
    real: RealMaster, tmp_path: Path
) -> None:
    from vidpack.analyze import analyze

    srt = real.subtitles["en"]
    cues = _srt_spans(srt)
    assert len(cues) == len(real.truth["speech"]) > 10
    assert _clean_plan_exists(real.truth, cues), "the fixture must allow a clean plan"
    out = tmp_path / "plan.json"
    args = ["plan", str(real.path), "--min", f"{MIN_S:g}", "--max", f"{MAX_S:g}"]
    result = CliRunner().invoke(cli, [*args, "--subs", f"en={srt}", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["warnings"] == [] and data["notes"] == []
    episodes = data["episodes"]
    assert len(episodes) >= 3
    assert episodes[0]["margin"] is None
    frame = 1 / real.truth["fps"]
    speech = [(iv.start, iv.end) for iv in analyze(real.path).speech]  # the cached analysis
    true_least = []
    for ep in episodes[1:]:
        b = ep["start"]
        assert MIN_S - frame <= ep["duration"] <= MAX_S + frame
        assert not any(s + frame / 2 < b < e - frame / 2 for s, e in cues), f"{b} inside a cue"
        assert not ep["in_dialogue"]
        before, after = _margin(sorted(cues + speech), b)
        assert ep["margin"]["before"] == pytest.approx(before, abs=1e-3), b
        assert ep["margin"]["after"] == pytest.approx(after, abs=1e-3), b
        cue_before, cue_after = _margin(cues, b)  # speech can only bring dialogue closer
        assert cue_before is None or ep["margin"]["before"] <= cue_before + 1e-3
        assert cue_after is None or ep["margin"]["after"] <= cue_after + 1e-3
        sides = [v for v in _margin(cues, b) if v is not None]
        true_least.append(min(sides))
    # The cues are the true speech: the plan keeps the wanted margin from it.
    assert statistics.median(true_least) >= 0.4
    lines = result.stdout.splitlines()
    for ep in episodes[1:]:
        shown = "/".join("-" if v is None else f"{v:.2f}" for v in ep["margin"].values())
        assert any(line.split()[:1] == [str(ep["index"])] and shown in line for line in lines)
