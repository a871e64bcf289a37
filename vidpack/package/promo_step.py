"""Covers and trailers for a platform package, made once per distinct promo settings in the
package's work folder (reused by reruns and by platforms with equal settings) and placed by hard
link into ``<platform>/covers/`` and ``<platform>/``.

Each trailer length and each cover stands on its own: one that cannot be made from these inputs
(too little material) is a warning naming the reason and a fix ``package`` really offers, and is
recorded as skipped in the cache's ``done.json`` so a rerun does not try it again (a change of
inputs gives a new cache folder, where it is tried again). A failed encode is a warning and is
retried by the next run. Promo material is extra: the episodes are the delivery. An interruption
(:class:`~vidpack.errors.Cancelled`, :class:`KeyboardInterrupt`) and a full or read-only disk
(:class:`~vidpack.errors.StorageError`) are never turned into warnings.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.errors import StorageError, UsageError, VidpackError
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
    from vidpack.package.manifest import loudness_record

    work = options.out / WORK_DIR / "promo"
    plan_path = options.out / WORK_DIR / "plan.json"
    from vidpack.plan.planfile import save_plan

    save_plan(plan, plan_path)
    trailers: list[dict[str, Any]] = []
    covers: list[dict[str, Any]] = []
    if preset.trailers.lengths:
        cache = work / promo_key(preset, plan, options, "trailers")
        made = _trailers(master, plan_path, preset, cache, options, warnings)
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
                    "loudness": loudness_record(target),
                }
            )
    if preset.covers.sizes:
        cache = work / promo_key(preset, plan, options, "covers")
        entries = _cached(cache)
        if entries is None:
            try:
                entries = _covers(master, plan_path, preset, cache, options)
            except StorageError:
                raise
            except VidpackError as err:  # not recorded: the next run tries again
                warnings.append(f"covers skipped: {err}")
                entries = []
        for entry in entries:
            if "skipped" in entry:
                warnings.append(f"cover {entry['file']} skipped: {entry['skipped']}")
                continue
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


def _records(cache: Path) -> list[dict[str, Any]] | None:
    """The entries of ``cache``'s ``done.json`` (``None``: none, or unreadable)."""
    try:
        data = json.loads((cache / _DONE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, list) or not all(isinstance(e, dict) and "file" in e for e in data):
        return None
    return data


def _cached(cache: Path) -> list[dict[str, Any]] | None:
    """The finished entries of ``cache`` when every made file is still there, else ``None``."""
    data = _records(cache)
    if data is None or not all("skipped" in e or (cache / e["file"]).is_file() for e in data):
        return None
    return data


def _trailers(
    master: str,
    plan_path: Path,
    preset: Preset,
    cache: Path,
    options: PackageOptions,
    warnings: list[str],
) -> list[dict[str, Any]]:
    """Make (or reuse) each trailer length on its own; return the made ones.

    ``done.json`` is rewritten after every length, so an interrupted run keeps what it finished
    and a rerun renders only what is missing (nothing, once every length is made or skipped).
    """
    from vidpack.media.runner import default_threads
    from vidpack.promo.trailer_run import run_trailer

    cache.mkdir(parents=True, exist_ok=True)
    series = options.series.file_name() or preset.naming.series
    known = {int(e["length"]): e for e in _records(cache) or [] if "length" in e}
    records: list[dict[str, Any]] = []
    for length in preset.trailers.lengths:
        file = trailer_file(preset, series, length)
        entry = known.get(length)
        if entry is not None and entry.get("file") == file and "skipped" in entry:
            records.append(entry)
        elif (cache / file).is_file():
            records.append({"file": file, "length": length})
        else:
            try:
                run_trailer(
                    master, cache / file, preset=preset, length=length, plan_file=plan_path,
                    reframe=options.reframe, title=options.series.title, speed=options.speed,
                    threads=default_threads(),
                )  # fmt: skip
            except UsageError as err:  # these inputs cannot make it: recorded, not retried
                records.append({"file": file, "length": length, "skipped": _reason(err)})
            except StorageError:
                raise
            except VidpackError as err:  # a failed encode: said, and retried by the next run
                warnings.append(f"trailer {length} s not made: {err}; run the command again")
                continue
            else:
                records.append({"file": file, "length": length})
        write_text_atomic(cache / _DONE, json.dumps(records, indent=1) + "\n")
    made = []
    for entry in records:
        if "skipped" in entry:
            warnings.append(f"trailer {entry['length']} s skipped: {entry['skipped']}")
        else:
            made.append(entry)
    return made


def trailer_file(preset: Preset, series: str, length: int) -> str:
    """The trailer's file name from the preset's ``naming.trailer`` template.

    Raises:
        UsageError: the template or the series title gives no plain file name.
    """
    from vidpack.media.names import SIDECAR_ROOM, output_name

    name = preset.naming.trailer.format(series=series, length=length, platform=preset.name)
    return output_name(
        f"{name}.mp4", what=f"preset {preset.name} naming.trailer", example="{series}_trailer",
        companions=SIDECAR_ROOM,  # its <name>.ranges.json
    )  # fmt: skip


def _reason(err: UsageError) -> str:
    """A trailer's skip reason with advice ``package`` can follow (``trailer``'s options, such
    as ``--length`` and ``--from-episodes``, do not exist there)."""
    text = str(err).split("; ", 1)[0]
    if text.startswith("--length "):
        text = text.split(": ", 1)[-1]
    too_short = "the master is too short for it: " if "clean shots" in text else ""
    return (
        f"{text}; {too_short}give --platform a preset file whose [trailers] lengths leave it "
        "out, or --no-promo"
    )


def _covers(
    master: str, plan_path: Path, preset: Preset, cache: Path, options: PackageOptions
) -> list[dict[str, Any]]:
    from vidpack.promo.thumbs_run import run_thumbs

    result = run_thumbs(
        master, cache, preset=preset, plan_file=plan_path, count=1,
        title=options.series.title, series=options.series.file_name(),
    )  # fmt: skip
    made: list[dict[str, Any]] = [
        {
            "file": cover.path.name,
            "episode": episode,
            "width": cover.width,
            "height": cover.height,
        }
        for cover, episode in zip(result.covers, result.episodes, strict=True)
    ]
    made += [{"file": s.file, "episode": s.episode, "skipped": s.reason} for s in result.skipped]
    if all(s.lasting for s in result.skipped):  # else not recorded: the next run tries again
        write_text_atomic(cache / _DONE, json.dumps(made, indent=1) + "\n")
    return made
