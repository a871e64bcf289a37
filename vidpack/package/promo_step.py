"""Covers and trailers for a platform package, made once per distinct promo settings in the
package's work folder (reused by reruns and by platforms with equal settings) and placed by hard
link into ``<platform>/covers/`` and ``<platform>/``. A promo step that fails becomes a warning
in the manifest: the episodes are the delivery, promo material is extra."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.errors import VidpackError
from vidpack.media.atomic import write_text_atomic
from vidpack.package.renditions import WORK_DIR, place
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset

if TYPE_CHECKING:
    from vidpack.package.build import PackageOptions

_DONE = "done.json"
_SKIP_KEYS = ("name", "description", "source", "checked", "unverified", "limits", "metadata")


def promo_key(preset: Preset, plan: EpisodePlan, options: PackageOptions, what: str) -> str:
    """The identity of a platform's covers or trailers: the preset minus what does not shape
    them, the series title and name, the episode spans and the reframe."""
    data = {k: v for k, v in preset.to_dict().items() if k not in _SKIP_KEYS}
    naming = json.dumps(data.get("naming", {}))
    data.update(
        what=what,
        platform=preset.name if "{platform}" in naming else "",
        title=options.series.title,
        series=options.series.file_name(),
        master=plan.master.fingerprint,
        episodes=[[round(e.start, 6), round(e.end, 6)] for e in plan.episodes],
        reframe=options.reframe,
    )
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def make_promo(
    master: str,
    plan: EpisodePlan,
    preset: Preset,
    folder: Path,
    options: PackageOptions,
    warnings: list[str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Make (or reuse) and place the platform's trailers and covers.

    Returns:
        The manifest's ``trailers`` and ``covers`` entries (without ``sha256``/``bytes``, which
        are added here from the placed files).
    """
    from vidpack.package.assemble import file_facts, sha256_of

    work = options.out / WORK_DIR / "promo"
    plan_path = options.out / WORK_DIR / "plan.json"
    from vidpack.plan.planfile import save_plan

    save_plan(plan, plan_path)
    trailers: list[dict[str, Any]] = []
    covers: list[dict[str, Any]] = []
    if preset.trailers.lengths:
        cache = work / promo_key(preset, plan, options, "trailers")
        try:
            made = _cached(cache) or _trailers(master, plan_path, preset, cache, options)
        except VidpackError as err:
            warnings.append(f"trailers skipped: {err}")
            made = []
        for entry in made:
            target = folder / entry["file"]
            place(cache / entry["file"], target)
            sha, facts = file_facts(target)
            trailers.append(
                {
                    "file": entry["file"],
                    "sha256": sha,
                    "bytes": target.stat().st_size,
                    "length": entry["length"],
                    "duration": round(facts.duration, 6),
                    "width": facts.width,
                    "height": facts.height,
                }
            )
    if preset.covers.sizes:
        cache = work / promo_key(preset, plan, options, "covers")
        try:
            made = _cached(cache) or _covers(master, plan_path, preset, cache, options)
        except VidpackError as err:
            warnings.append(f"covers skipped: {err}")
            made = []
        for entry in made:
            target = folder / "covers" / entry["file"]
            place(cache / entry["file"], target)
            covers.append(
                {
                    "file": f"covers/{entry['file']}",
                    "sha256": sha256_of(target),
                    "bytes": target.stat().st_size,
                    "episode": entry["episode"],
                    "width": entry["width"],
                    "height": entry["height"],
                }
            )
    return trailers, covers


def _cached(cache: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads((cache / _DONE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list) or not all((cache / e["file"]).is_file() for e in data):
        return []
    return data


def _trailers(
    master: str, plan_path: Path, preset: Preset, cache: Path, options: PackageOptions
) -> list[dict[str, Any]]:
    from vidpack.media.runner import default_threads
    from vidpack.promo.trailer_run import run_trailer

    cache.mkdir(parents=True, exist_ok=True)
    series = options.series.file_name() or preset.naming.series
    made: list[dict[str, Any]] = []
    for length in preset.trailers.lengths:
        name = preset.naming.trailer.format(series=series, length=length, platform=preset.name)
        run_trailer(
            master, cache / f"{name}.mp4", preset=preset, length=length, plan_file=plan_path,
            reframe=options.reframe, title=options.series.title, speed=options.speed,
            threads=default_threads(),
        )  # fmt: skip
        made.append({"file": f"{name}.mp4", "length": length})
    write_text_atomic(cache / _DONE, json.dumps(made, indent=1) + "\n")
    return made


def _covers(
    master: str, plan_path: Path, preset: Preset, cache: Path, options: PackageOptions
) -> list[dict[str, Any]]:
    from vidpack.promo.thumbs_run import run_thumbs

    result = run_thumbs(
        master, cache, preset=preset, plan_file=plan_path, count=1,
        title=options.series.title, series=options.series.file_name(),
    )  # fmt: skip
    made: list[dict[str, Any]] = []
    series_names = {
        preset.naming.series_cover.format(
            series=options.series.file_name() or preset.naming.series,
            size=size,
            platform=preset.name,
        )
        for size in preset.covers.sizes
    }
    for cover in result.covers:
        episode = None if cover.path.stem in series_names else _episode_of(cover.path, preset)
        made.append(
            {
                "file": cover.path.name,
                "episode": episode,
                "width": cover.width,
                "height": cover.height,
            }
        )
    write_text_atomic(cache / _DONE, json.dumps(made, indent=1) + "\n")
    return made


def _episode_of(path: Path, preset: Preset) -> int | None:
    """The episode number of a per-episode cover name (the digits the template's index gave)."""
    import re

    pattern = re.escape(preset.naming.cover)
    pattern = re.sub(r"\\\{index[^}]*\\\}", r"(?P<index>\\d+)", pattern)
    pattern = re.sub(r"\\\{[a-z]+\\\}", ".*?", pattern)
    match = re.fullmatch(pattern, path.stem)
    return int(match.group("index")) if match else None
