"""The package manifest contract: load/validate ``manifest.json``, write it, and the
``SHA256SUMS`` file (``sha256sum`` format) beside it. Shared by ``vidpack package`` and QC.

The manifest stays plain JSON data (a dict) so both sides follow the documented contract
exactly; :func:`load_manifest` checks the keys QC relies on and reports every problem at once.

Each episode (and trailer) carries a ``loudness`` record (:func:`loudness_record`): the mode the
render chose (``linear`` gain, ``limited`` by a true-peak limiter, or ``dynamic``), its gain and
limiter ceiling, and the file's integrated loudness and true peak as QC measures them. An
episode's ``hardsubs`` record says what its encode masked (``{"method", "regions": [{"kind",
"box", "ranges", "confidence"}]}``, boxes in master pixels, ranges in the episode's seconds;
``null`` with masking off). An episode's drama-app terms are ``access`` (``free``/``paid``,
``null`` when the series file says nothing of sales), ``intro`` and ``price_tier``; covers and
trailers made per language carry its ``language``; ``metadata`` is the ``metadata.csv`` sheet
(:mod:`vidpack.package.metadata_csv`), listed with the other files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from vidpack.errors import InputError, UsageError

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
MANIFEST_VERSION = 1

_REQUIRED_TOP = ("platform", "series", "preset", "episodes", "trailers", "covers")
_REQUIRED_EPISODE = ("index", "file", "sha256", "duration", "width", "height", "subtitles")


def sha256_file(path: Path) -> str:
    """The SHA-256 of ``path`` as lowercase hex, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def listed_files(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """Every ``(relative path, sha256)`` listed: episodes, sidecars, trailers, covers and the
    drama-app sheet (``metadata.csv``)."""
    out: list[tuple[str, str]] = []
    for ep in manifest.get("episodes", []):
        out.append((ep["file"], ep["sha256"]))
        out += [(s["file"], s.get("sha256", "")) for s in ep.get("subtitles", []) if s.get("file")]
    out += [(t["file"], t["sha256"]) for t in manifest.get("trailers", [])]
    out += [(c["file"], c["sha256"]) for c in manifest.get("covers", [])]
    sheet = manifest.get("metadata")
    if isinstance(sheet, dict) and sheet.get("file"):
        out.append((str(sheet["file"]), str(sheet.get("sha256", ""))))
    return out


def write_checksums(folder: Path, manifest: dict[str, Any]) -> Path:
    """Write ``SHA256SUMS`` (``<hex>  <path>`` per listed file) atomically; return its path."""
    from vidpack.media.atomic import write_text_atomic

    path = Path(folder) / CHECKSUMS
    write_text_atomic(path, "".join(f"{sha}  {rel}\n" for rel, sha in listed_files(manifest)))
    return path


def read_checksums(path: Path) -> dict[str, str]:
    """``{relative path: sha256}`` from a ``sha256sum``-format file (text or ``*`` binary mode).

    Raises:
        InputError: a line is not ``<64 hex>  <path>``.
    """
    out: dict[str, str] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        digest, _, rel = line.partition(" ")
        rel = rel[1:] if rel[:1] in (" ", "*") else rel
        if len(digest) != 64 or not rel:
            raise InputError(f"{path}: line {number} is not '<sha256>  <path>': {line!r}")
        out[rel] = digest.lower()
    return out


def loudness_record(path: Path) -> dict[str, Any] | None:
    """The ``loudness`` record of an episode or trailer file, None when it has no sound.

    ``mode``, ``gain_db`` and ``limiter_dbtp`` are what the render decided, read from the
    file's ``vidpack-loudness`` tag (so a file reused by a rerun keeps its record; ``mode`` is
    None for a file made without normalisation); ``integrated`` (LUFS) and ``true_peak``
    (dBTP) are QC's own ``ebur128`` measurement, made once per file: QC reuses it.
    """
    from vidpack.package import qc_media as qm
    from vidpack.render.encode import LOUDNESS_TAG

    data = qm.probe_all(Path(path))
    if not any(s.get("codec_type") == "audio" for s in data.get("streams") or []):
        return None
    tag = str(((data.get("format") or {}).get("tags") or {}).get("comment") or "")
    plan: dict[str, Any] = {}
    if tag.startswith(LOUDNESS_TAG + " "):
        try:
            loaded = json.loads(tag[len(LOUDNESS_TAG) + 1 :])
        except json.JSONDecodeError:
            loaded = None
        plan = loaded if isinstance(loaded, dict) else {}
    measured = qm.loudness(Path(path))
    return {
        "mode": plan.get("mode"),
        "gain_db": plan.get("gain_db"),
        "limiter_dbtp": plan.get("limiter_db"),
        "integrated": measured.integrated,
        "true_peak": measured.true_peak,
    }


def manifest_text(manifest: dict[str, Any]) -> str:
    """The text :func:`write_manifest` writes (QC reads it back before the file exists)."""
    data = {"vidpack_manifest": MANIFEST_VERSION, **manifest}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` into ``folder`` atomically (call it LAST); return its path."""
    from vidpack.media.atomic import write_text_atomic

    path = Path(folder) / MANIFEST
    write_text_atomic(path, manifest_text(manifest))
    return path


def load_manifest(folder: Path) -> dict[str, Any]:
    """Read and validate ``<folder>/manifest.json``.

    Raises:
        UsageError: the folder has no manifest (not a finished package).
        InputError: the manifest is unreadable or misses keys (all problems in one line).
    """
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise UsageError(
            f"{folder} has no manifest.json: not a finished package "
            "(run vidpack package again to finish it)"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: unreadable manifest ({err})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: manifest is not a JSON object")
    problems = [f"missing '{key}'" for key in _REQUIRED_TOP if key not in data]
    for i, ep in enumerate(data.get("episodes") or []):
        missing = [k for k in _REQUIRED_EPISODE if not isinstance(ep, dict) or k not in ep]
        if missing:
            problems.append(f"episodes[{i}] missing {', '.join(missing)}")
    if problems:
        raise InputError(f"{path}: invalid manifest: {'; '.join(problems)}")
    return data
