"""``vidpack qc``: check a finished platform package against its preset (qc_preset), its files
and manifest facts re-measured (qc_files), independently of how it was made: a :class:`QcReport`."""

from __future__ import annotations

import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.errors import UsageError
from vidpack.package.manifest import (
    CHECKSUMS,
    MANIFEST,
    listed_files,
    load_manifest,
    read_checksums,
)
from vidpack.package.qc_model import Check, QcReport

if TYPE_CHECKING:
    from vidpack.presets import Preset

FPS_TOL = 0.01
LOUDNESS_TOL_LU = 1.0


# Profiles each preset profile's decoders also play (a Main stream is valid where High is asked).
_PROFILE_FAMILY = {
    "baseline": ("baseline", "constrained baseline"),
    "main": ("baseline", "constrained baseline", "main"),
    "high": ("baseline", "constrained baseline", "main", "high"),
    "main10": ("main", "main 10", "main still picture"),
}


def profile_fits(actual: str, wanted: str) -> bool:
    """True when ffprobe's ``actual`` profile is ``wanted`` or a subset of it."""
    return actual.lower() in _PROFILE_FAMILY.get(wanted.lower(), (wanted.lower(),))


def platform_dirs(root: Path) -> list[Path]:
    """The platform folders under ``root``: itself when it has a manifest, else its children.

    Raises:
        UsageError: neither ``root`` nor any child folder has a manifest.json.
    """
    root = Path(root)
    if (root / MANIFEST).is_file():
        return [root]
    found = sorted(p for p in root.iterdir() if (p / MANIFEST).is_file()) if root.is_dir() else []
    if not found:
        raise UsageError(
            f"{root} has no manifest.json: not a finished package "
            "(run vidpack package again to finish it)"
        )
    return found


def write_qc(folder: Path, report: QcReport) -> Path:
    """Write ``qc.json`` into ``folder`` atomically; return its path."""
    from vidpack.media.atomic import write_text_atomic

    path = Path(folder) / "qc.json"
    write_text_atomic(path, json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return path


def run_qc(
    platform_dir: Path,
    *,
    jobs: int = 2,
    preset: Preset | None = None,
    manifest: dict[str, Any] | None = None,
) -> QcReport:
    """Check one platform folder: its files, the manifest's facts and the media against a preset.

    Args:
        platform_dir: folder holding ``manifest.json``.
        jobs: files measured in parallel (each runs ffprobe/ffmpeg).
        preset: the rules (see :func:`vidpack.package.qc_preset.qc_preset`); None only for a
            caller that has just written the manifest from its preset (the copy is then the same).
        manifest: the manifest the package is about to write (``package`` checks its folder
            before writing manifest.json last, so a run stopped during QC leaves none); None:
            read ``manifest.json``.

    Raises:
        UsageError: no manifest.json (not a finished package).
        InputError: the manifest is unreadable or incomplete.
    """
    folder = Path(platform_dir)
    from vidpack.package.qc_files import fact_checks, file_checks
    from vidpack.package.qc_preset import judged_manifest, preset_label

    m = load_manifest(folder) if manifest is None else manifest
    warnings = tuple[str, ...]()
    if preset is not None:
        m, warnings = judged_manifest(folder, m, preset)
    checks: list[Check] = []
    checks += _integrity(folder, m) + file_checks(folder, m) + fact_checks(folder, m)
    checks += _counts(m)
    rules = m["preset"]
    existing = [ep for ep in m["episodes"] if (folder / ep["file"]).is_file()]
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        for result in pool.map(lambda ep: _episode(folder, ep, rules), existing):
            checks += result
    checks += _trailers(folder, m)
    checks += _covers(folder, m)
    from vidpack.package.qc_slate import slate_checks

    checks += slate_checks(folder, m, existing)
    from vidpack.package.qc_subs import guide_warnings

    warnings += guide_warnings(folder, m)  # sidecar cues off the style guide
    return QcReport(str(folder), str(m["platform"]), tuple(checks), warnings, preset_label(preset))


def _integrity(folder: Path, m: dict[str, Any]) -> list[Check]:
    from vidpack.package import qc_media as qm

    out: list[Check] = []
    sums_path = folder / str(m.get("checksums") or CHECKSUMS)
    sums: dict[str, str] | None = read_checksums(sums_path) if sums_path.is_file() else None
    if sums is None:
        out.append(Check(sums_path.name, "checksums file", False, "present", "missing"))
    for rel, sha in listed_files(m):
        path = folder / rel
        if not path.is_file():
            out.append(Check(rel, "exists", False, "file present", "missing"))
            continue
        actual = qm.sha256(path)
        out.append(Check(rel, "sha256", actual == sha, sha[:16], actual[:16]))
        if sums is not None:
            listed = sums.get(rel)
            out.append(
                Check(rel, "SHA256SUMS", listed == actual, actual[:16], (listed or "absent")[:16])
            )
    return out


def _counts(m: dict[str, Any]) -> list[Check]:
    want = m["series"].get("episode_count")
    by_lang: dict[str, int] = {}
    for ep in m["episodes"]:
        key = ep.get("language") or "-"
        by_lang[key] = by_lang.get(key, 0) + 1
    return [
        Check(
            f"episodes[{lang}]",
            "episode count",
            want is not None and n == want,
            str(want),
            str(n),
        )
        for lang, n in sorted(by_lang.items())
    ] or [Check("episodes", "episode count", False, str(want), "0")]


def _episode(folder: Path, ep: dict[str, Any], preset: dict[str, Any]) -> list[Check]:
    from vidpack.package import qc_media as qm

    rel = ep["file"]
    path = folder / rel
    video, audio, limits = preset["video"], preset["audio"], preset["limits"]
    out: list[Check] = []

    def add(check: str, ok: bool, expected: object, actual: object) -> None:
        out.append(Check(rel, check, bool(ok), str(expected), str(actual)))

    data = qm.probe_all(path)
    streams = data.get("streams") or []
    v: dict[str, Any] = next((s for s in streams if s.get("codec_type") == "video"), {})
    a = next((s for s in streams if s.get("codec_type") == "audio"), None)
    duration = float((data.get("format") or {}).get("duration") or 0.0)
    lo, hi = float(limits["min_episode_s"]), float(limits["max_episode_s"])
    add("duration", lo <= duration <= hi, f"{lo:g}-{hi:g} s", f"{duration:.3f} s")
    cap = int(limits.get("max_file_mb") or 0) * 1_000_000
    size = path.stat().st_size
    add("file size", not cap or size <= cap, f"<= {cap} B" if cap else "no cap", f"{size} B")
    size_want = f"{video['width']}x{video['height']}"
    add(
        "resolution",
        f"{v.get('width')}x{v.get('height')}" == size_want,
        size_want,
        f"{v.get('width')}x{v.get('height')}",
    )
    add("video codec", v.get("codec_name") == video["codec"], video["codec"], v.get("codec_name"))
    profile = str(v.get("profile", "")).lower()
    add("profile", profile_fits(profile, str(video["profile"])), video["profile"], profile)
    add("pix_fmt", v.get("pix_fmt") == video["pix_fmt"], video["pix_fmt"], v.get("pix_fmt"))
    out += _rate_and_gop(rel, v, data, video, path)
    atoms = [n for n in qm.top_level_atoms(path) if n in ("moov", "mdat")]
    if video.get("faststart", True):
        add("faststart", atoms[:1] == ["moov"], "moov before mdat", " ".join(atoms))
    if a is None:
        add("audio", not audio.get("required", False), "audio stream", "none")
    else:
        add(
            "audio codec",
            a.get("codec_name") == audio["codec"],
            audio["codec"],
            a.get("codec_name"),
        )
        add(
            "sample rate",
            int(a.get("sample_rate") or 0) == int(audio["sample_rate"]),
            audio["sample_rate"],
            a.get("sample_rate"),
        )
        add(
            "channels", a.get("channels") == audio["channels"], audio["channels"], a.get("channels")
        )
        sounds = [s for s in streams if s.get("codec_type") == "audio"]
        for k in range(len(sounds)):  # every track is normalised on its own: each is checked
            out += _loudness(rel, path, audio, k, len(sounds))
        listed = ep.get("audio")
        if listed:  # the manifest's tracks are the file's, in order, default where it says
            want = [(_primary(t.get("language")), bool(t.get("default"))) for t in listed]
            got = [(_language_of(s), _is_default(s)) for s in sounds]
            same = len(got) == len(want) and all(
                g[1] == w[1] and (w[0] is None or g[0] == w[0])
                for g, w in zip(got, want, strict=False)
            )
            add("audio tracks", same, want, got)
    edges = qm.edge_defects(path, duration)
    add("black/frozen edges", not edges, "none", ", ".join(edges) or "none")
    out += _subtitles(folder, ep, streams, duration)
    return out


def _primary(tag: object) -> str | None:
    return str(tag).split("-")[0].lower() if tag else None


def _is_default(stream: dict[str, Any]) -> bool:
    return bool((stream.get("disposition") or {}).get("default"))


def _language_of(stream: dict[str, Any]) -> str | None:
    """A stream's language tag as a BCP 47 primary tag (``eng`` -> ``en``), None for ``und``."""
    from vidpack.subtitles.languages import tag_of_iso639_2

    return tag_of_iso639_2(str((stream.get("tags") or {}).get("language") or "und"))


def _loudness(
    rel: str, path: Path, audio: dict[str, Any], stream: int = 0, count: int = 1
) -> list[Check]:
    """Integrated loudness within the tolerance of the target and true peak under the ceiling,
    measured here (``ebur128=peak=true``), whatever the manifest's loudness record says; of
    audio stream ``stream`` (its checks say which track when the file has ``count`` > 1)."""
    from vidpack.package import qc_media as qm

    loud = qm.loudness(path, stream)
    rel = rel if count == 1 else f"{rel} track {stream + 1}"
    target, ceiling = float(audio["loudness_lufs"]), float(audio["true_peak_dbtp"])
    out: list[Check] = []
    if audio.get("normalize", True):
        ok = loud.integrated is not None and abs(loud.integrated - target) <= LOUDNESS_TOL_LU
        out.append(
            Check(rel, "loudness", ok, f"{target:g} ±{LOUDNESS_TOL_LU:g} LUFS",
                  f"{loud.integrated} LUFS")
        )  # fmt: skip
    ok = loud.true_peak is not None and loud.true_peak <= ceiling + 0.05
    out.append(Check(rel, "true peak", ok, f"<= {ceiling:g} dBTP", f"{loud.true_peak} dBTP"))
    return out


def _trailers(folder: Path, m: dict[str, Any]) -> list[Check]:
    """The loudness checks of every trailer with sound (trailers are delivered like episodes)."""
    from vidpack.package import qc_media as qm

    out: list[Check] = []
    for trailer in m.get("trailers") or []:
        rel = str(trailer["file"])
        path = folder / rel
        if not path.is_file():
            continue
        streams = qm.probe_all(path).get("streams") or []
        if any(s.get("codec_type") == "audio" for s in streams):
            out += _loudness(rel, path, m["preset"]["audio"])
    return out


def _rate_and_gop(
    rel: str, v: dict[str, Any], data: dict[str, Any], video: dict[str, Any], path: Path
) -> list[Check]:
    from vidpack.package import qc_media as qm

    out: list[Check] = []
    try:
        fps = float(Fraction(str(v.get("avg_frame_rate") or "0/1")))
    except (ValueError, ZeroDivisionError):
        fps = 0.0
    allowed = [float(x) for x in video.get("allowed_fps") or []]
    ok = any(abs(fps - r) <= FPS_TOL * max(1.0, r / 30) + 0.005 for r in allowed)
    out.append(Check(rel, "frame rate", ok, "/".join(f"{r:g}" for r in allowed), f"{fps:.3f}"))
    times, keys = qm.video_packets(data)
    steps = [b - a for a, b in itertools.pairwise(times)]
    frame = 1.0 / fps if fps else 0.0
    cfr = bool(steps) and frame > 0 and max(abs(s - frame) for s in steps) <= frame * 0.5
    spread = f"{min(steps):.4f}-{max(steps):.4f} s" if steps else "no packets"
    out.append(Check(rel, "constant frame rate", cfr, f"{frame:.4f} s per frame", spread))
    keyint = float(video["gop"]["keyint_seconds"])
    gaps = [b - a for a, b in itertools.pairwise(keys)]
    ok = bool(keys) and keys[0] - times[0] <= 1e-6 and all(g <= keyint + frame + 1e-3 for g in gaps)
    widest = f"{max(gaps):.3f} s" if gaps else f"{len(keys)} keyframe(s)"
    out.append(Check(rel, "keyframe interval", ok, f"<= {keyint:g} s", widest))
    if video["gop"].get("closed", True):
        open_gop = qm.x264_open_gop(path)
        out.append(
            Check(
                rel,
                "closed GOP",
                open_gop is not True,
                "open_gop=0",
                "unknown encoder" if open_gop is None else f"open_gop={int(open_gop)}",
            )
        )
    return out


def _subtitles(
    folder: Path, ep: dict[str, Any], streams: list[dict[str, Any]], duration: float
) -> list[Check]:
    from vidpack.subtitles.languages import language

    rel = ep["file"]
    out: list[Check] = []
    for sub in ep.get("subtitles") or []:
        lang, mode = str(sub.get("language")), sub.get("mode")
        if mode == "mux":
            iso = language(lang).iso639_2
            tags = [
                str((s.get("tags") or {}).get("language", "und"))
                for s in streams
                if s.get("codec_type") == "subtitle"
            ]
            out.append(Check(rel, f"subtitle track {lang}", iso in tags, iso, ",".join(tags)))
        elif mode == "sidecar" and sub.get("file"):
            out.append(_sidecar(folder, str(sub["file"]), duration))
    return out


def _sidecar(folder: Path, rel: str, duration: float) -> Check:
    import pysubs2

    path = folder / rel
    if not path.is_file():
        return Check(rel, "subtitle file", False, "present", "missing")
    try:
        subs = pysubs2.load(str(path))
    except Exception as err:  # pysubs2 raises several types for bad files
        return Check(rel, "subtitle file", False, "parses", f"{type(err).__name__}: {err}")
    events = [e for e in subs.events if not e.is_comment]
    if not events:
        return Check(rel, "subtitle file", False, "cues", "empty")
    last = max(e.end for e in events) / 1000.0
    ok = last <= duration + 0.05 and min(e.start for e in events) >= 0
    return Check(
        rel,
        "subtitle file",
        ok,
        f"{len(events)} cues within {duration:.2f} s",
        f"last cue ends {last:.2f} s",
    )


def _covers(folder: Path, m: dict[str, Any]) -> list[Check]:
    from vidpack.package.qc_media import image_size

    covers = m["preset"].get("covers") or {}
    cap = float(covers.get("max_mb") or 0) * 1_000_000
    out: list[Check] = []
    for cover in m.get("covers") or []:
        rel = cover["file"]
        path = folder / rel
        if not path.is_file():
            continue
        size = image_size(path)
        want = f"{cover.get('width')}x{cover.get('height')}"
        got = f"{size[0]}x{size[1]}" if size else "unreadable"
        out.append(Check(rel, "cover size", got == want, want, got))
        nbytes = path.stat().st_size
        out.append(
            Check(
                rel,
                "cover file size",
                not cap or nbytes <= cap,
                f"<= {int(cap)} B" if cap else "no cap",
                f"{nbytes} B",
            )
        )
    return out
