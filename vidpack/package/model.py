"""The values `vidpack package` is given and gives back: its options, and what it made per
platform and in all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidpack.hardsubs.masking import HardsubsOptions
from vidpack.package.series import Series
from vidpack.plan.model import PlanOptions
from vidpack.render.dubs import DubInput
from vidpack.subtitles.inputs import SubtitleInput


@dataclass(frozen=True, slots=True)
class PackageOptions:
    """Everything `vidpack package` was asked to do.

    Attributes:
        platforms: preset names or TOML files, one per platform folder.
        out: the package folder (one sub-folder per platform).
        plan_file: a saved plan (else the master is planned with ``plan_options``).
        plan_options: --min/--max/--target.
        subs: the subtitle files with their languages.
        subs_mode: overrides every preset's subtitle mode (``None``: each preset's).
        subs_encoding: the encoding of every subtitle file (``None``: detect).
        strict: refuse malformed subtitles.
        series: series metadata.
        reframe: fit, crop or smart.
        jobs: episodes rendered at once.
        speed: the x264 preset.
        promo: make covers and trailers.
        hardsubs: masking of burned-in dialogue text (``--hardsubs``, method, keep boxes).
        audio: the dubs (``--audio LANG=FILE``), parsed; probed and checked by the build.
        audio_fit: what a dub of another length than the master's is (exact, pad, trim).
        cards: the title and "next episode" cards of every episode (none, title, next, both).
    """

    platforms: tuple[str, ...]
    out: Path
    plan_file: Path | None = None
    plan_options: PlanOptions = field(default_factory=PlanOptions)
    subs: tuple[SubtitleInput, ...] = ()
    subs_mode: str | None = None
    subs_encoding: str | None = None
    strict: bool = False
    series: Series = field(default_factory=Series)
    reframe: str = "fit"
    jobs: int = 1
    speed: str = "medium"
    promo: bool = True
    hardsubs: HardsubsOptions = field(default_factory=HardsubsOptions)
    audio: tuple[DubInput, ...] = ()
    audio_fit: str = "exact"
    cards: str = "none"


@dataclass(frozen=True, slots=True)
class PlatformResult:
    """One platform's package: its folder, episode sets (language, count), QC verdict."""

    platform: str
    folder: Path
    sets: tuple[tuple[str | None, int], ...]
    verdict: str
    report: Path | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PackageResult:
    """What a package run made: the packages, skipped platforms, warnings, encode counts."""

    platforms: tuple[PlatformResult, ...]
    skipped: tuple[str, ...]
    warnings: tuple[str, ...]
    renditions: int
    rendered: int
    reused: int

    def to_dict(self) -> dict[str, Any]:
        """The run as ``package --json`` prints it: each platform's folder, episode sets, QC
        verdict, report and warnings; the skipped platforms; the encode counts; every warning."""
        platforms = []
        for p in self.platforms:
            sets = [
                {"language": lang, "episodes": count,
                 "folder": str(p.folder / lang if lang else p.folder)}
                for lang, count in p.sets
            ]  # fmt: skip
            platforms.append(
                {"platform": p.platform, "folder": str(p.folder), "qc": p.verdict,
                 "report": str(p.report) if p.report else None, "sets": sets,
                 "warnings": list(p.warnings)}
            )  # fmt: skip
        warnings = list(self.warnings)
        warnings += [w for p in self.platforms for w in p.warnings if w not in warnings]
        return {
            "platforms": platforms,
            "skipped": list(self.skipped),
            "renditions": self.renditions,
            "rendered": self.rendered,
            "reused": self.reused,
            "warnings": list(dict.fromkeys(warnings)),
            "verdict": "fail" if any(p.verdict == "fail" for p in self.platforms) else "pass",
        }
