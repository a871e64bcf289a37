"""Rendering episodes: vertical conversion, encode settings from presets, loudness, and the
split run that turns a plan into episode files.

Public API::

    from vidpack.render import split_master, RenderOptions, render_key
"""

from __future__ import annotations

from vidpack.render.limits import check_plan_limits
from vidpack.render.model import (
    EpisodeResult,
    EpisodeSpec,
    ExtraInput,
    Hooks,
    RenderOptions,
    SplitResult,
    render_key,
)
from vidpack.render.observer import NullObserver, Observer
from vidpack.render.split import build_specs, episode_name, split_master

__all__ = [
    "EpisodeResult",
    "EpisodeSpec",
    "ExtraInput",
    "Hooks",
    "NullObserver",
    "Observer",
    "RenderOptions",
    "SplitResult",
    "build_specs",
    "check_plan_limits",
    "episode_name",
    "render_key",
    "split_master",
]
