"""QC checks that trust nothing in ``manifest.json`` they can measure: every file in the platform
folder is accounted for (a file neither listed nor written by vidpack itself fails, a listed file
that is missing fails, ``SHA256SUMS`` lists exactly the manifest's files), and the facts the
manifest records about each episode and trailer (duration, bytes, size, loudness) are compared
with what ffprobe and ``ebur128`` measure in the file.

A file forged together with both of its checksums (the manifest's and ``SHA256SUMS``) is not
caught here: the media checks judge it by the preset like any other file.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from vidpack.errors import InputError
from vidpack.package.manifest import CHECKSUMS, MANIFEST, listed_files, read_checksums
from vidpack.package.qc_model import Check
from vidpack.package.report_frames import frame_files

QC_FILE = "qc.json"
REPORT_FILE = "report.html"
# The files vidpack writes beside the listed media, known by name (never guessed from a pattern);
# the report's stills are known by name too, one per burned language of the manifest.
OWN_FILES = (MANIFEST, CHECKSUMS, QC_FILE, REPORT_FILE)
LOUDNESS_TOL = 0.1  # LU/dB between the manifest's record and the measurement (rounding)


def file_checks(folder: Path, m: dict[str, Any]) -> list[Check]:
    """Every file in ``folder`` (recursively) listed or vidpack's own (its own files and the
    report's stills, ``report-frames/<language>.jpg`` of each burned language); ``SHA256SUMS``
    in step.

    Missing listed files are reported by the integrity checks (``exists``); this adds one failed
    ``listed in manifest`` check per unlisted file and one ``SHA256SUMS`` check per entry of
    that file the manifest does not list.
    """

    folder = Path(folder)
    listed = {rel for rel, _ in listed_files(m)}
    known = listed | set(OWN_FILES) | set(frame_files(m))
    out: list[Check] = []
    present = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    extra = [rel for rel in present if rel not in known]
    for rel in extra:
        out.append(Check(rel, "listed in manifest", False, "listed in manifest.json", "not listed"))
    out.append(
        Check(
            "(folder)",
            "unlisted files",
            not extra,
            "none",
            ", ".join(extra) if extra else "none",
        )
    )
    sums_path = folder / CHECKSUMS
    if sums_path.is_file():
        try:
            sums = read_checksums(sums_path)
        except InputError:
            sums = {}  # the integrity checks report the unreadable file
        for rel in sorted(set(sums) - listed):
            out.append(
                Check(rel, "SHA256SUMS", False, "listed in manifest.json", "only in SHA256SUMS")
            )
    return out


def fact_checks(folder: Path, m: dict[str, Any]) -> list[Check]:
    """The manifest's duration, bytes, size and loudness of each present episode and trailer (and
    each cover's bytes), compared with the measured file: a mismatch names both values."""
    out: list[Check] = []
    for entry in [*(m.get("episodes") or []), *(m.get("trailers") or [])]:
        path = Path(folder) / str(entry.get("file"))
        if path.is_file():
            out += _entry_facts(str(entry["file"]), path, entry)

    for cover in m.get("covers") or []:  # their pixel size is a cover check of qc.py
        path = Path(folder) / str(cover.get("file"))
        if path.is_file() and "bytes" in cover:
            size, rel = path.stat().st_size, str(cover["file"])
            ok = cover["bytes"] == size
            out.append(
                Check(
                    rel,
                    "manifest bytes",
                    ok,
                    f"{size} B (measured)",
                    f"{cover['bytes']} B (manifest)",
                )
            )
    return out


def _entry_facts(rel: str, path: Path, entry: dict[str, Any]) -> list[Check]:
    from vidpack.package import qc_media as qm

    out: list[Check] = []

    def add(check: str, ok: bool, measured: str, recorded: str) -> None:
        out.append(Check(rel, check, ok, f"{measured} (measured)", f"{recorded} (manifest)"))

    data = qm.probe_all(path)
    streams = data.get("streams") or []
    v: dict[str, Any] = next((s for s in streams if s.get("codec_type") == "video"), {})
    duration = float((data.get("format") or {}).get("duration") or 0.0)
    try:
        fps = float(Fraction(str(v.get("avg_frame_rate") or "0/1")))
    except (ValueError, ZeroDivisionError):
        fps = 0.0
    tol = max(1.0 / fps if fps > 0 else 0.04, 0.02)  # one frame
    if "duration" in entry:
        recorded = _number(entry["duration"])
        ok = recorded is not None and abs(recorded - duration) <= tol
        add("manifest duration", ok, f"{duration:.3f} s", _show(entry["duration"], " s"))
    if "bytes" in entry:
        size = path.stat().st_size
        add("manifest bytes", entry["bytes"] == size, f"{size} B", f"{entry['bytes']} B")
    if "width" in entry or "height" in entry:
        got = f"{v.get('width')}x{v.get('height')}"
        want = f"{entry.get('width')}x{entry.get('height')}"
        add("manifest resolution", got == want, got, want)
    record = entry.get("loudness")
    if isinstance(record, dict) and record.get("integrated") is not None:
        loud = qm.loudness(path)
        for key, value, unit in (
            ("integrated", loud.integrated, " LUFS"),
            ("true_peak", loud.true_peak, " dBTP"),
        ):
            recorded = _number(record.get(key))
            ok = (
                recorded is not None and value is not None and abs(recorded - value) <= LOUDNESS_TOL
            )
            add(f"manifest loudness {key}", ok, _show(value, unit), _show(record.get(key), unit))
    return out


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _show(value: object, unit: str) -> str:
    number = _number(value)
    return f"{number:.3f}{unit}" if number is not None else f"{value!r}"
