"""Platform presets: typed, validated settings per delivery platform.

Public API::

    from vidpack.presets import load_preset, list_presets
    preset = load_preset("tiktok")          # or a path to a user TOML file
    preset.video.width, preset.limits.max_episode_s, preset.encode_signature()

Built-in presets live in the top-level ``presets/`` folder (package ``vidpack._builtin_presets``).
"""

from __future__ import annotations

from vidpack.presets.load import PresetError, list_presets, load_builtin_presets, load_preset
from vidpack.presets.model import (
    REFERENCE_SIZE,
    SCRIPTS,
    SUBTITLE_MODES,
    Audio,
    Covers,
    Fonts,
    Gop,
    Limits,
    Metadata,
    Naming,
    Preset,
    SafeZone,
    Subtitles,
    SubtitleStyle,
    Trailers,
    Video,
)
from vidpack.presets.toml_out import dumps_toml

__all__ = [
    "REFERENCE_SIZE",
    "SCRIPTS",
    "SUBTITLE_MODES",
    "Audio",
    "Covers",
    "Fonts",
    "Gop",
    "Limits",
    "Metadata",
    "Naming",
    "Preset",
    "PresetError",
    "SafeZone",
    "SubtitleStyle",
    "Subtitles",
    "Trailers",
    "Video",
    "dumps_toml",
    "list_presets",
    "load_builtin_presets",
    "load_preset",
]
