"""Per-master package options as plain data: the one converter from a dict (command-line options
or a TOML jobs file) to :class:`~vidpack.package.build.PackageOptions`, with every problem
reported at once, each naming the key (or option), the bad value and what would work.

Keys (a jobs file's ``[defaults]`` and ``[[master]]`` tables use the same names)::

    platforms = ["tiktok", "presets/mine.toml"]   plan = "a.plan.json"
    min = 60   max = 180   target = 120           subs = ["en=a.en.srt", "a.ar.srt"]
    subs_mode = "burn"   subs_encoding = "cp1256" strict = false
    title = ".."  synopsis = ".."  tagline = ".."  license_number = ".."  series_file = ".."
    reframe = "fit"   speed = "medium"            promo = true
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.errors import UsageError

if TYPE_CHECKING:
    from vidpack.package.build import PackageOptions

Label = Callable[[str], str]

SPEEDS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower",
          "veryslow")  # fmt: skip
REFRAMES = ("fit", "crop", "smart")
SUBS_MODES = ("burn", "mux", "sidecar", "none")
_TEXT = ("title", "synopsis", "tagline", "license_number", "subs_encoding")
_PATHS = ("plan", "series_file")
_NUMBERS = ("min", "max", "target")
KEYS = ("platforms", "plan", *_NUMBERS, "subs", "subs_mode", "strict", *_TEXT, "series_file",
        "reframe", "speed", "promo")  # fmt: skip


def cli_label(key: str) -> str:
    """The ``vidpack batch`` option that sets ``key`` (``platforms`` -> ``--platform``)."""
    special = {"platforms": "--platform", "promo": "--no-promo"}
    return special.get(key, "--" + key.replace("_", "-"))


def normalise(data: dict[str, Any], base: Path, label: Label) -> dict[str, Any]:
    """Check the option keys and value types and make paths absolute (relative to ``base``).

    Args:
        data: option key -> value (``None`` values are dropped).
        base: the folder relative paths are resolved against.
        label: how a key is named in messages (``--min`` or ``jobs.toml: master[2].min``).

    Raises:
        UsageError: every unknown key and badly typed value, in one line.
    """
    problems: list[str] = []
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key not in KEYS:
            problems.append(f"{label(key)}: unknown key; use one of {', '.join(KEYS)}")
        elif key in ("platforms", "subs"):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                problems.append(f"{label(key)} = {value!r}: give a list of strings")
                continue
            out[key] = [_absolute(v, base, key) for v in value]
        elif key in _NUMBERS:
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"{label(key)} = {value!r}: give a number of seconds, e.g. 60")
                continue
            out[key] = float(value)
        elif key in ("strict", "promo"):
            if not isinstance(value, bool):
                problems.append(f"{label(key)} = {value!r}: give true or false")
                continue
            out[key] = value
        elif not isinstance(value, str):
            problems.append(f"{label(key)} = {value!r}: give a string")
        elif key in _PATHS:
            out[key] = str((base / value).resolve())
        else:
            out[key] = value
    problems += _choice_problems(out, label)
    if problems:
        raise UsageError("; ".join(problems))
    return out


def _absolute(value: str, base: Path, key: str) -> str:
    """Platform files and subtitle files as absolute paths (preset names stay names)."""
    if key == "platforms":
        looks_like_file = value.endswith(".toml") or "/" in value
        return str((base / value).resolve()) if looks_like_file else value
    lang, sep, rest = value.partition("=")
    if sep and not (base / value).exists() and "/" not in lang:
        return f"{lang}={(base / rest).resolve()}"
    return str((base / value).resolve())


def _choice_problems(out: dict[str, Any], label: Label) -> list[str]:
    problems = []
    for key, allowed in (("speed", SPEEDS), ("reframe", REFRAMES), ("subs_mode", SUBS_MODES)):
        if key in out and out[key] not in allowed:
            problems.append(f"{label(key)} = {out[key]!r}: use one of {', '.join(allowed)}")
    return problems


def package_options(data: dict[str, Any], out: Path, label: Label) -> PackageOptions:
    """The :class:`PackageOptions` of one master from normalised ``data``.

    Raises:
        UsageError: bad plan lengths, presets, subtitle files or series file (all at once).
    """
    from vidpack.package.build import PackageOptions, load_presets
    from vidpack.package.series import load_series
    from vidpack.plan.model import PlanOptions
    from vidpack.subtitles.inputs import parse_subs_args

    problems: list[str] = []
    defaults = PlanOptions()
    plan_options = PlanOptions(
        min_s=data.get("min", defaults.min_s),
        max_s=data.get("max", defaults.max_s),
        target_s=data.get("target"),
    )
    problems += plan_options.problems()
    if not data.get("platforms"):
        problems.append(f"{label('platforms')}: missing; give at least one preset name or file")
    steps = {
        "platforms": lambda: load_presets(data["platforms"]) if data.get("platforms") else None,
        "subs": lambda: parse_subs_args(data.get("subs", [])),
        "series": lambda: load_series(
            Path(data["series_file"]) if "series_file" in data else None,
            **{k: data[k] for k in ("title", "synopsis", "tagline", "license_number") if k in data},
        ),
    }
    made: dict[str, Any] = {}
    for step, make in steps.items():
        try:
            made[step] = make()
        except UsageError as err:
            problems.append(str(err))
    if "plan" in data and not Path(data["plan"]).is_file():
        problems.append(f"{label('plan')} {data['plan']!r}: no such file; give a saved plan JSON")
    if problems:
        raise UsageError("; ".join(problems))
    return PackageOptions(
        platforms=tuple(data["platforms"]),
        out=out,
        plan_file=Path(data["plan"]) if "plan" in data else None,
        plan_options=plan_options,
        subs=tuple(made["subs"]),
        subs_mode=data.get("subs_mode"),
        subs_encoding=data.get("subs_encoding"),
        strict=bool(data.get("strict", False)),
        series=made["series"],
        reframe=data.get("reframe", "fit"),
        jobs=1,
        speed=data.get("speed", "medium"),
        promo=bool(data.get("promo", True)),
    )
