"""Preset rules that involve several keys (limits, codec/profile, safe zone and margins).

Each rule runs only when the keys it reads passed their own checks in ``schema.check_values``,
so one mistake is reported once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vidpack.presets.model import REFERENCE_SIZE
from vidpack.presets.schema import ABSENT, Entry, Problem, show_value


def cross_check(
    values: dict[str, Any], merged: dict[str, Entry], leaf_origin: str
) -> list[Problem]:
    """Rules that involve several keys; each runs only when its keys passed on their own."""
    problems: list[Problem] = []
    frame_w, frame_h = REFERENCE_SIZE
    v = values

    def have(*keys: str) -> bool:
        return all(k in v for k in keys)

    def add(key: str, hint: str, value: Any = ABSENT, index: int | None = None) -> None:
        origin = merged[key].origin if key in merged else leaf_origin
        if value is ABSENT:
            value = merged[key].value if key in merged else v[key]
        where = key if index is None else f"{key}[{index}]"
        problems.append(Problem(origin, where, hint, value))

    if have("limits.min_episode_s", "limits.max_episode_s"):
        lo, hi = v["limits.min_episode_s"], v["limits.max_episode_s"]
        if lo >= hi:
            add("limits.min_episode_s", f"must be below limits.max_episode_s ({hi:g})")
        if have("trailers.lengths") and lo < hi:
            for i, length in enumerate(v["trailers.lengths"]):
                if not lo <= length <= hi:
                    hint = f"the platform takes {lo:g} to {hi:g} s (see [limits])"
                    add("trailers.lengths", hint, length, i)
    if have("video.codec", "video.profile"):
        codec, profile = v["video.codec"], v["video.profile"]
        takes = _PROFILES[codec]
        if profile not in takes:
            add("video.profile", f"{codec} takes " + ", ".join(f'"{p}"' for p in takes))
        if have("video.pix_fmt") and v["video.pix_fmt"] == "yuv420p10le" and profile != "main10":
            add("video.pix_fmt", 'use "yuv420p", or codec "hevc" with profile "main10"')
    if have("video.fps", "video.allowed_fps") and isinstance(v["video.fps"], float):
        rates = v["video.allowed_fps"]
        if not any(abs(v["video.fps"] - r) < 0.01 for r in rates):
            add("video.fps", f"use one of video.allowed_fps {show_value(list(rates))}")
    if have("subtitles.mode", "subtitles.sidecar_formats") and (
        v["subtitles.mode"] == "sidecar" and not v["subtitles.sidecar_formats"]
    ):
        add("subtitles.sidecar_formats", 'mode "sidecar" needs at least one format: ["srt"]')
    sides = ("top", "bottom", "left", "right")
    if have(*(f"safe_zone.{k}" for k in sides)):
        top, bottom, left, right = (int(v[f"safe_zone.{k}"]) for k in sides)
        if top + bottom >= frame_h:
            add("safe_zone.bottom", f"top + bottom must leave room on the {frame_h}-px frame")
        if left + right >= frame_w:
            add("safe_zone.right", f"left + right must leave room on the {frame_w}-px frame")
        _check_margins(v, add, top, bottom, left, right)
    return problems


_PROFILES = {"h264": ("baseline", "main", "high"), "hevc": ("main", "main10")}


def _check_margins(
    v: dict[str, Any], add: Callable[..., None], top: int, bottom: int, left: int, right: int
) -> None:
    """Burned subtitles sit inside the safe zone, above the bottom UI band."""
    frame_w, frame_h = REFERENCE_SIZE
    style = "subtitles.style"
    if f"{style}.margin_v" in v and not bottom <= v[f"{style}.margin_v"] < frame_h - top:
        add(
            f"{style}.margin_v",
            f"keep it inside the safe zone: from {bottom} to {frame_h - top - 1}",
        )
    for key, side, edge in (("margin_l", "left", left), ("margin_r", "right", right)):
        if f"{style}.{key}" in v and v[f"{style}.{key}"] < edge:
            add(f"{style}.{key}", f"use at least safe_zone.{side} ({edge}) to keep text off the UI")
    if (
        f"{style}.margin_l" in v
        and f"{style}.margin_r" in v
        and (v[f"{style}.margin_l"] + v[f"{style}.margin_r"] > frame_w - 100)
    ):
        add(f"{style}.margin_r", f"margin_l + margin_r must leave at least 100 of {frame_w} px")
