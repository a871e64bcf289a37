"""Finding, reading and resolving presets: built-in names, user files and ``extends`` chains.

Built-ins are the TOML files of the ``vidpack._builtin_presets`` package (the top-level
``presets/`` folder, shipped in the wheel) read through importlib.resources. A user file may
start with ``extends = "<built-in name or path>"`` and override any key; tables merge key by key,
lists are replaced whole. Every problem of the resolved preset is reported in one
:class:`PresetError`.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError
from vidpack.presets.checks import cross_check
from vidpack.presets.model import Preset
from vidpack.presets.schema import Entry, Problem, build, check_values, flatten

BUILTIN_PACKAGE = "vidpack._builtin_presets"
MAX_EXTENDS_DEPTH = 8


class PresetError(UsageError):
    """An invalid preset; ``problems`` lists every problem found, each naming file and key."""

    def __init__(self, label: str, problems: list[Problem]) -> None:
        self.label = label
        self.problems = list(problems)
        if len(problems) == 1:
            message = f"invalid preset {problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in problems)
            message = f"invalid preset {label} ({len(problems)} problems):\n{lines}"
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class _Layer:
    """One file of an ``extends`` chain: its label for messages and its data."""

    label: str
    data: dict[str, Any]
    path: Path | None  # None for a built-in
    name: str | None  # built-in name


@cache
def list_presets() -> tuple[str, ...]:
    """The names of the built-in presets, sorted."""
    root = resources.files(BUILTIN_PACKAGE)
    names = (e.name.removesuffix(".toml") for e in root.iterdir() if e.name.endswith(".toml"))
    return tuple(sorted(n for n in names if not n.startswith(("_", "."))))


def _unknown(name: str) -> str:
    names = list_presets()
    close = difflib.get_close_matches(name, names, n=1)
    maybe = f' (did you mean "{close[0]}"?)' if close else ""
    listed = ", ".join(names)
    return f'unknown preset "{name}"{maybe}: use one of {listed}, or a path to a .toml file'


def _looks_like_path(text: str) -> bool:
    return text.endswith(".toml") or "/" in text or os.sep in text


def _parse(text: str, label: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"invalid preset {label}: not valid TOML: {err}") from None


def _read_builtin(name: str) -> _Layer:
    resource = resources.files(BUILTIN_PACKAGE).joinpath(f"{name}.toml")
    label = f"{name} (built-in)"
    return _Layer(label, _parse(resource.read_text(encoding="utf-8"), label), None, name)


def _read_file(path: Path) -> _Layer:
    label = str(path)
    if not path.exists():
        raise UsageError(
            f"preset file {label!r} not found: give an existing .toml file or a built-in name "
            f"({', '.join(list_presets())})"
        )
    if path.is_dir():
        raise UsageError(f"preset {label!r} is a folder: give a .toml file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"invalid preset {label}: not UTF-8 text; save it as UTF-8") from None
    except OSError as err:
        raise UsageError(f"cannot read preset file {label!r}: {err.strerror}") from None
    return _Layer(label, _parse(text, label), path, None)


def _open(ref: str | Path, base: Path | None = None) -> _Layer:
    """Read a built-in by name, or a file (relative to ``base`` when given)."""
    if isinstance(ref, Path) or _looks_like_path(ref):
        path = Path(ref)
        if base is not None and not path.is_absolute():
            path = Path(os.path.normpath(base / path))
        return _read_file(path)
    if ref in list_presets():
        return _read_builtin(ref)
    candidate = base / ref if base is not None else Path(ref)
    if candidate.is_file():
        return _read_file(candidate)
    raise UsageError(_unknown(ref))


def _chain(ref: str | Path) -> list[_Layer]:
    """The layers of ``ref``'s ``extends`` chain, base first; ``extends`` removed from data."""
    layers: list[_Layer] = []
    seen: list[str] = []
    layer = _open(ref)
    while True:
        key = str(layer.path.resolve()) if layer.path else f"builtin:{layer.name}"
        if key in seen:
            loop = " -> ".join([*(la.label for la in layers), layer.label])
            raise UsageError(
                f"invalid preset {layers[0].label}: extends goes round in a loop: {loop}"
            )
        seen.append(key)
        data = dict(layer.data)
        parent = data.pop("extends", None)
        layers.append(_Layer(layer.label, data, layer.path, layer.name))
        if parent is None:
            break
        if not isinstance(parent, str) or not parent:
            raise UsageError(
                f"invalid preset {layer.label}: extends = {parent!r}: use a built-in name such "
                f'as "tiktok" or a path to a .toml file'
            )
        if len(layers) > MAX_EXTENDS_DEPTH:
            raise UsageError(f"invalid preset {layers[0].label}: extends chain deeper than 8")
        base = layer.path.parent if layer.path else None
        try:
            layer = _open(parent, base)
        except UsageError as err:
            raise UsageError(f'invalid preset {layer.label}: extends = "{parent}": {err}') from None
    layers.reverse()
    return layers


def load_preset(ref: str | Path) -> Preset:
    """Load a preset by built-in name or TOML file path, resolving ``extends``.

    Args:
        ref: A built-in name (``"tiktok"``, see :func:`list_presets`) or a path to a TOML file.
            Text ending in ``.toml`` or containing a path separator is always a path.

    Returns:
        The resolved, validated preset.

    Raises:
        UsageError: Unknown name, missing file or invalid TOML (one line).
        PresetError: The resolved preset breaks the schema; lists every problem.
    """
    if isinstance(ref, str) and not _looks_like_path(ref) and ref in list_presets():
        return _load_builtin(ref)
    return _resolve(ref)


@cache
def _load_builtin(name: str) -> Preset:
    # Built-ins do not change while vidpack runs, and a Preset is immutable: load each once.
    return _resolve(name)


def _resolve(ref: str | Path) -> Preset:
    layers = _chain(ref)
    leaf = layers[-1]
    merged: dict[str, Entry] = {}
    problems: list[Problem] = []
    for layer in layers:
        flat, found = flatten(layer.data, layer.label)
        problems += found
        merged.update(flat)
    if leaf.path is not None and "name" not in leaf.data:
        merged["name"] = Entry(leaf.path.stem, leaf.label)
    values, found = check_values(merged, leaf.label, extends=len(layers) > 1)
    problems += found
    problems += cross_check(values, merged, leaf.label)
    if problems:
        raise PresetError(leaf.label, problems)
    parent = layers[-2] if len(layers) > 1 else None
    extends = None if parent is None else (parent.name or str(parent.path))
    return build(values, extends=extends, path=None if leaf.path is None else str(leaf.path))


def load_builtin_presets() -> list[Preset]:
    """Every built-in preset, loaded and checked, in :func:`list_presets` order."""
    return [load_preset(name) for name in list_presets()]
