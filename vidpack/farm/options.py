"""Per-master package options as plain data: the one converter from a dict (command-line options
or a TOML jobs file) to :class:`~vidpack.package.build.PackageOptions`, with every problem
reported at once, each naming the key (or option), the bad value and what would work.

Keys (a jobs file's ``[defaults]`` and ``[[master]]`` tables use the same names)::

    platforms = ["tiktok", "presets/mine.toml"]   plan = "a.plan.json"
    min = 60   max = 180   target = 120           subs = ["en=a.en.srt", "a.ar.srt"]
    subs_mode = "burn"   subs_encoding = "cp1256" strict = false
    title = ".."  synopsis = ".."  tagline = ".."  license_number = ".."  series_file = ".."
    reframe = "fit"   speed = "medium"            promo = true
    hardsubs = "auto"  hardsubs_method = "box"    hardsubs_keep = ["20,100,320,40"]
    audio = ["en=dub.en.wav"]   audio_fit = "exact"   cards = "none"
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.errors import UsageError
from vidpack.farm.option_checks import encoding_problem, plan_problems
from vidpack.problems import Problems, problem_lines

if TYPE_CHECKING:
    from vidpack.package.model import PackageOptions

Label = Callable[[str], str]

SPEEDS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower",
          "veryslow")  # fmt: skip
REFRAMES = ("fit", "crop", "smart")
SUBS_MODES = ("burn", "mux", "sidecar", "none")
_TEXT = ("title", "synopsis", "tagline", "license_number", "subs_encoding")
_PATHS = ("plan", "series_file")
_NUMBERS = ("min", "max", "target")
KEYS = ("platforms", "plan", *_NUMBERS, "subs", "subs_mode", "strict", *_TEXT, "series_file",
        "reframe", "speed", "promo", "hardsubs", "hardsubs_method", "hardsubs_keep", "audio",
        "audio_fit", "cards")  # fmt: skip


def cli_label(key: str) -> str:
    """The ``vidpack batch`` option that sets ``key`` (``platforms`` -> ``--platform``)."""
    special = {"platforms": "--platform", "promo": "--no-promo"}
    return special.get(key, "--" + key.replace("_", "-"))


@dataclass(frozen=True, slots=True)
class Checked:
    """Options as :func:`check_options` found them: the good values, the problems, and the keys
    given with a bad value (or unknown), which later checks leave out."""

    options: dict[str, Any]
    problems: tuple[str, ...]
    bad: frozenset[str]


def normalise(data: dict[str, Any], base: Path, label: Label) -> dict[str, Any]:
    """:func:`check_options`, refusing any problem.

    Raises:
        Problems: every unknown key and bad value, one a line.
    """
    checked = check_options(data, base, label)
    if checked.problems:
        raise Problems(checked.problems)
    return checked.options


def check_options(data: dict[str, Any], base: Path, label: Label) -> Checked:
    """Check the option keys and value types and make paths absolute (relative to ``base``).

    Args:
        data: option key -> value (``None`` values are dropped).
        base: the folder relative paths are resolved against.
        label: how a key is named in messages (``--min`` or ``jobs.toml: master[2].min``).
    """
    problems: list[str] = []
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key not in KEYS:
            problems.append(f"{label(key)}: unknown key; use one of {', '.join(KEYS)}")
        elif key in ("platforms", "subs", "audio"):
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
            if not math.isfinite(value):
                problems.append(f"{label(key)} = {value!r}: give a finite number, e.g. 60")
                continue
            out[key] = float(value)
        elif key == "hardsubs_keep":
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                problems.append(f'{label(key)} = {value!r}: give a list of "X,Y,W,H" strings')
                continue
            out[key] = list(value)
        elif key == "hardsubs" and isinstance(value, str) and value not in ("auto", "off"):
            out[key] = str((base / value).resolve())  # a mask file, relative to the jobs file
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
    bad = frozenset(k for k, v in data.items() if v is not None and k not in out)
    return Checked(out, tuple(problems), bad)


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
            problems.append(f"{label(key)} = {out.pop(key)!r}: use one of {', '.join(allowed)}")
    bad_encoding = encoding_problem(out["subs_encoding"], label) if "subs_encoding" in out else None
    if bad_encoding:
        problems.append(bad_encoding)
        del out["subs_encoding"]
    return problems


def package_options(
    data: dict[str, Any], out: Path, label: Label, *, skip: Collection[str] = ()
) -> PackageOptions:
    """The :class:`PackageOptions` of one master from normalised ``data``.

    Args:
        skip: keys already reported as bad (not said again as missing or out of range).

    Raises:
        Problems: bad plan lengths, presets, subtitle files or series file, one a line, each
            named by ``label``.
    """
    from vidpack.package.build import load_presets
    from vidpack.package.model import PackageOptions
    from vidpack.package.series import load_series
    from vidpack.plan.model import PlanOptions
    from vidpack.render.cards import check_cards
    from vidpack.render.dubs import check_fit, parse_audio_args
    from vidpack.subtitles.inputs import parse_subs_args

    problems: list[str] = []
    defaults = PlanOptions()
    plan_options = PlanOptions(
        min_s=data.get("min", defaults.min_s),
        max_s=data.get("max", defaults.max_s),
        target_s=data.get("target"),
    )
    problems += plan_problems(plan_options, label, skip)
    if not data.get("platforms") and "platforms" not in skip:
        problems.append(f"{label('platforms')}: missing; give at least one preset name or file")
    steps = {
        "platforms": lambda: (
            load_presets(data["platforms"], what=label("platforms"))
            if data.get("platforms")
            else None
        ),
        "subs": lambda: parse_subs_args(data.get("subs", []), what=label("subs")),
        "audio": lambda: parse_audio_args(data.get("audio", []), what=label("audio")),
        "audio_fit": lambda: check_fit(data.get("audio_fit", "exact"), what=label("audio_fit")),
        "cards": lambda: check_cards(data.get("cards", "none"), what=label("cards")),
        "series": lambda: load_series(
            Path(data["series_file"]) if "series_file" in data else None,
            **{k: data[k] for k in ("title", "synopsis", "tagline", "license_number") if k in data},
            what=label("series_file"),
        ),
    }
    made: dict[str, Any] = {}
    for step, make in steps.items():
        try:
            made[step] = make()
        except UsageError as err:
            problems += problem_lines(err)
    if made.get("platforms") and "series" in made:
        from vidpack.render.slate import check_license

        try:
            check_license(
                made["platforms"], made["series"].license_number,
                hint=f"give {label('license_number')} or set license_number in the "
                f"{label('series_file')} file",
                example='license_number = "备案号：粤网微剧备字(2025)第00123号"',
            )  # fmt: skip
        except UsageError as err:
            problems.append(str(err))
    from vidpack.hardsubs.masking import HardsubsOptions, parse_hardsubs_options

    masking = HardsubsOptions()
    try:
        masking = parse_hardsubs_options(
            data.get("hardsubs"), data.get("hardsubs_method"), data.get("hardsubs_keep", ()),
            label=label,
        )  # fmt: skip
    except UsageError as err:
        problems.append(str(err))
    if "plan" in data and not Path(data["plan"]).is_file():
        problems.append(f"{label('plan')} {data['plan']!r}: no such file; give a saved plan JSON")
    if problems:
        raise Problems(problems)
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
        hardsubs=masking,
        audio=tuple(made["audio"]),
        audio_fit=data.get("audio_fit", "exact"),
        cards=data.get("cards", "none"),
    )
