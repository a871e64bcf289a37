"""One platform's package from the rendered renditions: episodes placed by hard link, subtitle
files, covers and trailers, ``SHA256SUMS``, the QC verdict (``qc.json``) of the folder against
the manifest about to be written, the HTML report, then ``manifest.json``, last: a package
without one is unfinished, however its run was stopped."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack import __version__
from vidpack.media.probe import MediaInfo, probe
from vidpack.package.qc_media import by_file_identity
from vidpack.package.renditions import WORK_DIR, Placement, place, render_for
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset
from vidpack.render.model import RenderOptions, SplitResult
from vidpack.render.observer import NullObserver, Observer
from vidpack.subtitles.model import Track

if TYPE_CHECKING:
    from vidpack.package.model import PackageOptions, PlatformResult


@by_file_identity
def file_facts(path: Path) -> tuple[str, MediaInfo]:
    """SHA-256 and probe facts of ``path``, computed once per file identity (hard links share)."""
    return sha256_of(path), probe(path)


def sha256_of(path: Path) -> str:
    """The file's SHA-256 (hex)."""
    from vidpack.package.manifest import sha256_file

    return sha256_file(path)


def assemble_platform(
    master: str,
    plan: EpisodePlan,
    analysis: Any,
    preset: Preset,
    mode: str,
    tracks: Sequence[Track],
    placements: Sequence[Placement],
    outcome: dict[str, SplitResult],
    options: PackageOptions,
    render: RenderOptions,
    warnings: list[str],
    observer: Observer | None = None,
) -> PlatformResult:
    """Place, describe, check and report one platform's package (see the module docstring)."""
    from vidpack.media.probe import require_video
    from vidpack.package.manifest import loudness_record
    from vidpack.package.model import PlatformResult
    from vidpack.render.limits import size_warnings
    from vidpack.render.split import build_specs

    watch = observer or NullObserver()
    watch.phase("assemble", preset.name)
    folder = options.out / preset.name
    folder.mkdir(parents=True, exist_ok=True)
    info = probe(master)
    require_video(info)
    master_id = plan.master.fingerprint or ""
    episodes: list[dict[str, Any]] = []
    sets: list[tuple[str | None, int]] = []
    for item in placements:
        target_dir = folder / item.subdir if item.subdir else folder
        named = render_for(render, item.rendition)  # its cards; its folder names from its title
        if item.subdir and options.series.title_for(item.subdir) != options.series.title:
            named = replace(named, series=options.series.for_language(item.subdir).file_name())
        specs = build_specs(info, master_id, plan, preset, named, target_dir)
        made = outcome[item.rendition.key].episodes
        for spec, res in zip(specs, made, strict=True):
            place(res.output, spec.output)
        warnings += size_warnings(made, preset)
        sidecars: dict[int, list[dict[str, Any]]] = {}
        if mode == "sidecar" and tracks and item.rendition.dub_language is None:
            sidecars = _sidecars(tracks, specs, folder, preset)
        for spec in specs:
            sha, facts = file_facts(spec.output)
            episodes.append(
                {
                    "index": spec.index,
                    "file": spec.output.relative_to(folder).as_posix(),
                    "sha256": sha,
                    "bytes": spec.output.stat().st_size,
                    "duration": round(facts.duration, 6),
                    "width": facts.width,
                    "height": facts.height,
                    "start": round(spec.start, 6),
                    "end": round(spec.start + spec.duration, 6),
                    "language": item.rendition.language,
                    "subtitles": _subtitle_entries(item, mode, tracks, facts)
                    + sidecars.get(spec.index, []),
                    "loudness": loudness_record(spec.output),
                    "audio": _audio_entries(item, info),
                    "slate": spec.slate.to_dict() if spec.slate is not None else None,
                    "hardsubs": spec.mask.to_dict() if spec.mask is not None else None,
                    "cards": [c.to_dict() for c in spec.cards],
                    **options.series.episode_terms(spec.index),
                }
            )
        sets.append((item.rendition.language, len(specs)))
    trailers: list[dict[str, Any]] = []
    covers: list[dict[str, Any]] = []
    if options.promo:
        from vidpack.package.promo_step import make_promo

        trailers, covers = make_promo(
            master, plan, preset, folder, options, warnings, mask=render.mask, observer=observer
        )
    from vidpack.package.metadata_csv import metadata_rows, write_metadata
    from vidpack.package.promo_step import delivered_languages

    rows = metadata_rows(episodes, covers, options.series, delivered_languages(options))
    metadata = write_metadata(folder, rows)
    unique_warnings = list(dict.fromkeys(warnings))
    manifest: dict[str, Any] = {
        "vidpack_manifest": 1,
        "vidpack_version": __version__,
        "platform": preset.name,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "series": options.series.to_dict(len(plan.episodes)),
        "master": {
            "path": str(Path(master).resolve()),
            "fingerprint": master_id,
            "duration": plan.master.duration,
        },
        "preset": preset.to_dict(),
        "episodes": episodes,
        "trailers": trailers,
        "covers": covers,
        "metadata": metadata,
        "checksums": "SHA256SUMS",
        "qc": "qc.json",
        "report": "report.html",
        "warnings": unique_warnings,
    }
    from vidpack.package.manifest import write_checksums, write_manifest

    write_checksums(folder, manifest)
    watch.phase("qc", preset.name)
    verdict, qc_data = _qc(folder, manifest, options.out / WORK_DIR, preset)
    report = None
    watch.phase("report", preset.name)
    try:
        from vidpack.package.report import write_report

        report = write_report(folder, manifest, qc_data, plan, analysis, tracks)
    except ImportError:
        pass
    write_manifest(folder, manifest)  # last: a run stopped before this leaves no manifest
    return PlatformResult(preset.name, folder, tuple(sets), verdict, report, tuple(unique_warnings))


def _audio_entries(item: Placement, info: MediaInfo) -> list[dict[str, Any]]:
    """The manifest's ``audio`` list: each sound track's language, source and default flag
    (the master's own sound alone when there are no dubs; none for a silent master)."""
    if item.rendition.audio:
        return [t.record() for t in item.rendition.audio]
    from vidpack.render.dubs import master_track

    master = master_track(info, default=True)
    return [master.record()] if master is not None else []


def _subtitle_entries(
    item: Placement, mode: str, tracks: Sequence[Track], facts: MediaInfo
) -> list[dict[str, Any]]:
    if item.rendition.mode == "burn":
        return [{"language": item.rendition.language, "mode": "burn", "file": None}]
    if item.rendition.mode == "mux":
        streams = list(facts.subtitles)
        out = []
        for n, track in enumerate(item.rendition.tracks):
            index = streams[n].index if n < len(streams) else None
            out.append(
                {"language": track.language.tag, "mode": "mux", "file": None, "stream": index}
            )
        return out
    return []


def _sidecars(
    tracks: Sequence[Track], specs: Sequence[Any], folder: Path, preset: Preset
) -> dict[int, list[dict[str, Any]]]:
    from vidpack.render.subs_hooks import spans_from_specs, write_sidecars
    from vidpack.subtitles.run import sidecar_path

    spans = spans_from_specs(specs)
    write_sidecars(tracks, spans, folder, preset)
    subs = preset.subtitles
    out: dict[int, list[dict[str, Any]]] = {}
    for span in spans:
        for track in tracks:
            for fmt in subs.sidecar_formats:
                path = sidecar_path(  # the name write_sidecars used (checked, shortened)
                    folder, subs.sidecar_naming, stem=span.stem, language=track.language, ext=fmt
                )
                out.setdefault(span.index, []).append(
                    {
                        "language": track.language.tag,
                        "mode": "sidecar",
                        "file": path.relative_to(folder).as_posix(),
                        "sha256": sha256_of(path),
                    }
                )
    return out


def _qc(
    folder: Path, manifest: dict[str, Any], work: Path, preset: Preset
) -> tuple[str, dict[str, Any]]:
    """Run QC on the finished folder and write ``qc.json``; return the verdict and the report.

    The verdict is reused when the listed files (by checksum) and the preset are unchanged since
    the last QC of this folder, so a rerun of a finished package stays fast.
    """
    import hashlib
    import json

    from vidpack.media.atomic import write_text_atomic
    from vidpack.package.manifest import listed_files, manifest_text
    from vidpack.package.qc import run_qc, write_qc

    key = hashlib.sha256(
        json.dumps([listed_files(manifest), manifest["preset"]], sort_keys=True).encode()
    ).hexdigest()
    stamp = work / "qc" / f"{folder.name}.key"
    with contextlib.suppress(OSError, ValueError):
        if stamp.read_text(encoding="utf-8").strip() == key:
            data = json.loads((folder / "qc.json").read_text(encoding="utf-8"))
            if isinstance(data, dict) and "verdict" in data:
                return str(data["verdict"]), data
    as_written = json.loads(manifest_text(manifest))  # exactly what manifest.json will hold
    report = run_qc(folder, preset=preset, manifest=as_written)  # the preset, not its copy
    write_qc(folder, report)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(stamp, key + "\n")
    data = report.to_dict()
    return str(data.get("verdict", "n/a")), data
