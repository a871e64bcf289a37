"""The preset's limits on a plan and on the files made: episode lengths and file-size caps."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from vidpack.errors import UsageError
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset
from vidpack.render.model import EpisodeResult


def check_plan_limits(plan: EpisodePlan, preset: Preset) -> None:
    """Refuse a plan with episodes longer or shorter than the preset allows, naming them and the
    fix (both problems in one message).

    Raises:
        UsageError: one line naming the episodes, the preset keys and the options that fix it.
    """
    limits = preset.limits
    tol = plan.master.frame / 2
    problems: list[str] = []
    long = [e for e in plan.episodes if e.duration > limits.max_episode_s + tol]
    if long:
        top = limits.max_episode_s
        problems.append(
            f"{_listed(long)} longer than preset {preset.name}'s limits.max_episode_s "
            f"{top:g} s: plan with --max {top:g} (or less), or give a --plan whose episodes "
            f"are at most {top:g} s"
        )
    low = limits.min_episode_s
    short = [e for e in plan.episodes if low > 0 and e.duration < low - tol]
    if short:
        problems.append(
            f"{_listed(short)} shorter than preset {preset.name}'s limits.min_episode_s "
            f"{low:g} s: plan with --min {low:g} (or more), or give a --plan whose episodes "
            f"are at least {low:g} s"
        )
    if problems:
        raise UsageError("; ".join(problems))


def _listed(episodes: list[Any]) -> str:
    shown = ", ".join(f"{e.index} ({e.duration:.1f} s)" for e in episodes[:8])
    more = f" and {len(episodes) - 8} more" if len(episodes) > 8 else ""
    noun = "episode" if len(episodes) == 1 else "episodes"
    return f"{noun} {shown}{more}"


def size_warnings(results: Sequence[EpisodeResult], preset: Preset) -> list[str]:
    """One line per episode file larger than the preset's ``limits.max_file_mb`` (0: no cap)."""
    cap_mb, cap = preset.limits.max_file_mb, preset.limits.max_file_bytes
    out: list[str] = []
    for res in results:
        with contextlib.suppress(OSError):
            size = res.output.stat().st_size
            if cap is not None and size > cap:
                out.append(
                    f"episode {res.index} ({res.output.name}) is {size / 1e6:.1f} MB, over "
                    f"preset {preset.name}'s limits.max_file_mb {cap_mb}: use a lower "
                    "video.maxrate_kbps or shorter episodes (--max)"
                )
    return out
