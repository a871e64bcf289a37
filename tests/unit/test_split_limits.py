"""The preset limits a split enforces: episodes shorter than ``limits.min_episode_s`` refused up
front (naming them and --min), files over ``limits.max_file_mb`` warned about."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from vidpack.errors import UsageError
from vidpack.plan.model import Episode, EpisodePlan, MasterRef, PlanOptions
from vidpack.presets import load_preset
from vidpack.render.limits import check_plan_limits, size_warnings
from vidpack.render.model import EpisodeResult


def _plan(times: list[float], fps: float = 25.0) -> EpisodePlan:
    episodes = tuple(
        Episode(i + 1, a, b, round(a * fps), round(b * fps))
        for i, (a, b) in enumerate(itertools.pairwise(times))
    )
    return EpisodePlan(MasterRef("m.mp4", times[-1], fps), PlanOptions(), episodes)


def test_short_episodes_refused_naming_them_and_min() -> None:
    preset = load_preset("tiktok")  # limits.min_episode_s = 3
    with pytest.raises(UsageError) as err:
        check_plan_limits(_plan([0.0, 2.0, 40.0, 41.5]), preset)
    assert str(err.value) == (
        "episodes 1 (2.0 s), 3 (1.5 s) shorter than preset tiktok's limits.min_episode_s 3 s: "
        "plan with --min 3 (or more), or give a --plan whose episodes are at least 3 s"
    )
    check_plan_limits(_plan([0.0, 2.98, 40.0]), preset)  # within half a frame: accepted


def test_files_over_the_size_cap_are_warned(tmp_path: Path) -> None:
    preset = load_preset("tiktok")
    preset = replace(preset, limits=replace(preset.limits, max_file_mb=1))
    big, small = tmp_path / "big.mp4", tmp_path / "small.mp4"
    big.write_bytes(b"\0" * 1_000_001)
    small.write_bytes(b"\0" * 1_000_000)
    results = [EpisodeResult(1, big, "done"), EpisodeResult(2, small, "done")]
    assert size_warnings(results, preset) == [
        "episode 1 (big.mp4) is 1.0 MB, over preset tiktok's limits.max_file_mb 1: use a lower "
        "video.maxrate_kbps or shorter episodes (--max)"
    ]
    none = replace(preset, limits=replace(preset.limits, max_file_mb=0))
    assert size_warnings(results, none) == []
