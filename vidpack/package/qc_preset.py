"""Which preset QC judges a package by: never the copy inside ``manifest.json`` (editing that copy
must not change the rules), but the built-in preset of the manifest's name or a preset given with
``--preset``. The manifest's copy is only compared with it, and the differing keys reported.

Presets carry no version number, so a built-in is found by name alone; a package made with a
user preset (a name that is not built in) needs ``--preset FILE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError
from vidpack.presets import Preset, list_presets, load_preset


def qc_preset(m: dict[str, Any], folder: Path, given: Sequence[Preset] = ()) -> Preset:
    """The preset to judge the package in ``folder`` (manifest ``m``) by.

    Args:
        m: the loaded manifest.
        folder: the platform folder (for messages).
        given: the presets of ``--preset`` (loaded): the one named like the manifest's preset,
            else the only one given; with none of them, the built-in preset the manifest names.

    Raises:
        UsageError: no given preset fits and the manifest's preset is not built in (exit 2).
    """
    copy = m.get("preset")
    name = str((copy.get("name") if isinstance(copy, dict) else None) or m.get("platform"))
    named = [p for p in given if p.name == name]
    if named or len(given) == 1:
        return (named or list(given))[0]
    if name in list_presets():
        return load_preset(name)
    raise UsageError(
        f"--preset: {folder} was made with preset {name!r}, which is not built in: "
        f"pass the preset it was made with, e.g. --preset {name}.toml "
        f"(built-ins: {', '.join(list_presets())})"
    )


def preset_mismatch(copy: object, preset: Preset) -> list[str]:
    """The dotted keys where the manifest's preset copy differs from ``preset`` (sorted)."""
    mine = _flat(copy if isinstance(copy, dict) else {})
    real = _flat(preset.to_dict())
    return sorted(k for k in mine.keys() | real.keys() if mine.get(k, _GONE) != real.get(k, _GONE))


def mismatch_warning(folder: Path, keys: list[str], preset: Preset) -> str:
    """The one-line warning for a manifest whose preset copy differs from the preset used."""
    shown = ", ".join(keys[:12]) + (f" and {len(keys) - 12} more" if len(keys) > 12 else "")
    where = preset.path or "built in"
    return (
        f"{folder}/manifest.json: its preset copy differs from preset {preset.name!r} "
        f"({where}) in {shown}; QC judges by the preset"
    )


_GONE = object()


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, name + "."))
        else:
            out[name] = list(value) if isinstance(value, tuple) else value
    return out


def judged_manifest(
    folder: Path, m: dict[str, Any], preset: Preset
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """``m`` with its preset copy replaced by ``preset`` (what the checks read), and the warning
    about the copy's differing keys (empty when the copy matches)."""
    keys = preset_mismatch(m.get("preset"), preset)
    warnings = (mismatch_warning(folder, keys, preset),) if keys else ()
    return {**m, "preset": preset.to_dict()}, warnings


def preset_label(preset: Preset | None) -> str:
    """Where the rules came from, for the report: a file path, ``built-in NAME`` or the copy."""
    if preset is None:
        return "manifest copy"
    return preset.path or f"built-in {preset.name}"
