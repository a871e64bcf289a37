"""Covers and trailers for a platform package, made once per distinct promo settings in the
package's work folder (reused by reruns and by platforms with equal settings) and placed by hard
link into ``<platform>/covers/`` and ``<platform>/``.

A package delivering languages (its subtitle and dub languages) gets each language's covers in
``<platform>/<lang>/covers/``, drawn with the language's own title and episode label and named
from its title; languages whose title and label are the same share one rendering (hard links),
and the frames are searched once: every other language's covers are drawn on the first one's.
Trailers differ per language only by their end card's title: one trailer at the top of the
folder when every language shows the same title, else one per distinct title, placed in each
language's folder.

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
from vidpack.package.series import Series
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset
from vidpack.render.observer import NullObserver, Observer
from vidpack.subtitles.labels import label_template

if TYPE_CHECKING:
    from vidpack.hardsubs.model import Masking
    from vidpack.package.model import PackageOptions

_DONE = "done.json"
_SKIP_KEYS = ("name", "description", "source", "checked", "unverified", "limits", "metadata")


def delivered_languages(options: PackageOptions) -> list[str]:
    """The language tags a package delivers: its subtitle languages (none under ``--subs-mode
    none``), then its dubs' languages, in the order given."""
    subs = [] if options.subs_mode == "none" else [s.language.tag for s in options.subs]
    return list(dict.fromkeys([*subs, *(d.language.tag for d in options.audio)]))


def promo_key(
    preset: Preset,
    plan: EpisodePlan,
    options: PackageOptions,
    what: str,
    series: Series | None = None,
    label: str = "",
    mask: Masking | None = None,
) -> str:
    """The identity of a platform's covers or trailers: the preset minus what does not shape
    them, the series title and name (``series``: a language's, else the default), the episode
    label template of covers, the episode spans, the reframe and the burned-in text masking."""
    series = series or options.series
    data = {k: v for k, v in preset.to_dict().items() if k not in _SKIP_KEYS}
    naming = json.dumps(data.get("naming", {}))
    data.update(
        what=what,
        platform=preset.name if "{platform}" in naming else "",
        title=series.title,
        series=series.file_name(),
        master=plan.master.fingerprint,
        episodes=[[round(e.start, 6), round(e.end, 6)] for e in plan.episodes],
        reframe=options.reframe,
    )
    if label:
        data["label"] = label
    if mask is not None:
        data["hardsubs"] = {**mask.to_dict(), "size": list(mask.size)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _trailer_masking(mask: Masking | None, trailer: Path) -> dict[str, Any] | None:
    """The manifest's masking record of a trailer: the method and, per source range of its
    ranges file, the regions masked in that range (their times in the range's own seconds, as
    an episode's are in the episode's); None when nothing was masked."""
    if mask is None or not mask.regions:
        return None
    from vidpack.promo.trailer_run import ranges_path_for

    data = json.loads(ranges_path_for(trailer).read_text(encoding="utf-8"))
    ranges = []
    for rng in data["ranges"]:
        cut = mask.window(float(rng["start"]), float(rng["end"]))
        ranges.append(
            {"start": rng["start"], "end": rng["end"], "regions": cut.to_dict()["regions"]}
        )
    return {"method": mask.method, "ranges": ranges}


def make_promo(
    master: str,
    plan: EpisodePlan,
    preset: Preset,
    folder: Path,
    options: PackageOptions,
    warnings: list[str],
    mask: Masking | None = None,
    observer: Observer | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Make (or reuse) and place the platform's trailers and covers; ``mask`` is the
    package's masking of burned-in text (master seconds): the trailers' encodes mask it, the
    covers are picked and drawn from masked frames; ``observer`` is told each phase.

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
    languages = delivered_languages(options)
    each: list[str | None] = list(languages) or [None]
    trailers: list[dict[str, Any]] = []
    covers: list[dict[str, Any]] = []
    watch = observer or NullObserver()
    if preset.trailers.lengths:
        watch.phase("trailers", preset.name)
        titles = {options.series.title_for(lang) for lang in languages}
        shared = len(titles) <= 1  # one end card for every language: one trailer, at the top
        for lang in [None] if shared else each:
            series = options.series.for_language(lang or each[0])
            cache = work / promo_key(preset, plan, options, "trailers", series, mask=mask)
            made = _trailers(master, plan_path, preset, cache, options, series, warnings, mask)
            for entry in made:
                rel = entry["file"] if lang is None else f"{lang}/{entry['file']}"
                target = folder / rel
                place(cache / entry["file"], target)
                sha, facts = file_facts(target)
                trailers.append(
                    {
                        "file": rel,
                        "sha256": sha,
                        "bytes": target.stat().st_size,
                        "length": entry["length"],
                        "duration": round(facts.duration, 6),
                        "width": facts.width,
                        "height": facts.height,
                        "loudness": loudness_record(target),
                        "language": lang,
                        "hardsubs": _trailer_masking(mask, cache / entry["file"]),
                    }
                )
    if preset.covers.sizes:
        watch.phase("covers", preset.name)
        drawn: dict[tuple[str, str], Path] = {}  # (title, file) of a series cover: its first file
        like: list[dict[str, Any]] | None = None  # a language's covers: where their frames are
        for lang in each:
            series = options.series.for_language(lang)
            label = label_template(lang)
            cache = work / promo_key(preset, plan, options, "covers", series, label, mask)
            entries = _cached(cache)
            if entries is None:
                try:
                    entries = _covers_like(master, preset, cache, series, lang, like, mask)
                    if entries is None:
                        entries = _covers(master, plan_path, preset, cache, series, lang, mask)
                except StorageError:
                    raise
                except VidpackError as err:  # not recorded: the next run tries again
                    warnings.append(f"covers skipped: {err}")
                    entries = []
            if like is None and entries and all("time" in e for e in entries):
                like = entries
            prefix = "covers" if lang is None else f"{lang}/covers"
            for entry in entries:
                if "skipped" in entry:
                    warnings.append(f"cover {prefix}/{entry['file']} skipped: {entry['skipped']}")
                    continue
                target = folder / prefix / entry["file"]
                source = cache / entry["file"]
                if entry["episode"] is None:  # a series cover shows no label: by title alone
                    source = drawn.setdefault((series.title, entry["file"]), source)
                place(source, target)  # a language drawn alike: the same file
                covers.append(
                    {
                        "file": f"{prefix}/{entry['file']}",
                        "sha256": sha256_of(target),
                        "bytes": target.stat().st_size,
                        "episode": entry["episode"],
                        "width": entry["width"],
                        "height": entry["height"],
                        "language": lang,
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
    series: Series,
    warnings: list[str],
    mask: Masking | None = None,
) -> list[dict[str, Any]]:
    """Make (or reuse) each trailer length on its own, its end card showing ``series``' title
    and ``mask`` masked; return the made ones.

    ``done.json`` is rewritten after every length, so an interrupted run keeps what it finished
    and a rerun renders only what is missing (nothing, once every length is made or skipped).
    """
    from vidpack.media.runner import default_threads
    from vidpack.promo.trailer_run import run_trailer

    cache.mkdir(parents=True, exist_ok=True)
    name = series.file_name() or preset.naming.series
    known = {int(e["length"]): e for e in _records(cache) or [] if "length" in e}
    records: list[dict[str, Any]] = []
    for length in preset.trailers.lengths:
        file = trailer_file(preset, name, length)
        entry = known.get(length)
        if entry is not None and entry.get("file") == file and "skipped" in entry:
            records.append(entry)
        elif (cache / file).is_file():
            records.append({"file": file, "length": length})
        else:
            try:
                run_trailer(
                    master, cache / file, preset=preset, length=length, plan_file=plan_path,
                    reframe=options.reframe, title=series.title, speed=options.speed,
                    threads=default_threads(), mask=mask,
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
    from vidpack.promo.trailer_run import trailer_name

    return trailer_name(preset, series, length)  # the one naming scheme


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
    master: str,
    plan_path: Path,
    preset: Preset,
    cache: Path,
    series: Series,
    language: str | None,
    mask: Masking | None = None,
) -> list[dict[str, Any]]:
    from vidpack.promo.thumbs_run import run_thumbs

    result = run_thumbs(
        master, cache, preset=preset, plan_file=plan_path, count=1,
        title=series.title, series=series.file_name(), language=language, mask=mask,
        sheet=False,
    )  # fmt: skip
    made: list[dict[str, Any]] = [
        {
            "file": cover.path.name,
            "episode": episode,
            "width": cover.width,
            "height": cover.height,
            "time": cover.time,
        }
        for cover, episode in zip(result.covers, result.episodes, strict=True)
    ]
    made += [{"file": s.file, "episode": s.episode, "skipped": s.reason} for s in result.skipped]
    if all(s.lasting for s in result.skipped):  # else not recorded: the next run tries again
        write_text_atomic(cache / _DONE, json.dumps(made, indent=1) + "\n")
    return made


def _covers_like(
    master: str,
    preset: Preset,
    cache: Path,
    series: Series,
    language: str | None,
    like: list[dict[str, Any]] | None,
    mask: Masking | None = None,
) -> list[dict[str, Any]] | None:
    """``language``'s covers drawn on the frames of another language's covers ``like`` (the
    picks do not depend on the text, so the frame search is not run again); ``None`` when
    ``like`` is not there or skipped a cover (then the covers are made from the start)."""
    if not like or any("skipped" in e or "time" not in e for e in like):
        return None
    import tempfile

    from vidpack.media.probe import probe
    from vidpack.promo.covers import cover_name
    from vidpack.promo.thumbs_run import masked_cover

    info = probe(master)
    cap = round(preset.covers.max_mb * 1_000_000) if preset.covers.max_mb else None
    cache.mkdir(parents=True, exist_ok=True)
    made: list[dict[str, Any]] = []
    lasting = True
    stills = tempfile.TemporaryDirectory(prefix="vidpack-stills-")  # masked frames
    try:
        for entry in like:
            episode, size = entry["episode"], (int(entry["width"]), int(entry["height"]))
            name = cover_name(preset, series.file_name() or preset.naming.series,
                              f"{size[0]}x{size[1]}", episode)  # fmt: skip
            try:
                cover = masked_cover(
                    master, float(entry["time"]), cache / name, mask=mask,
                    tmp=Path(stills.name), src_size=(info.width, info.height), size=size,
                    preset=preset, title=series.title, number=episode, language=language,
                    max_bytes=cap,
                )  # fmt: skip
            except StorageError:
                raise
            except VidpackError as err:
                made.append({"file": name, "episode": episode, "skipped": str(err)})
                lasting = lasting and isinstance(err, UsageError)
                continue
            made.append({"file": name, "episode": episode, "width": cover.width,
                         "height": cover.height, "time": cover.time})  # fmt: skip
    finally:
        stills.cleanup()
    if lasting:  # else not recorded: the next run tries again
        write_text_atomic(cache / _DONE, json.dumps(made, indent=1) + "\n")
    return made
