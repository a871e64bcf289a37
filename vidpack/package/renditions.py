"""Renditions: the distinct encodes a package needs, and placing them into platform folders.

Platforms whose presets resolve to the same encode (same encode key, burned language and burn
style, muxed languages, reframe) share one rendition: it is rendered once into the package's work
folder and hard-linked (copied when linking fails) into every platform folder that uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vidpack.media.atomic import atomic_output
from vidpack.presets.model import Preset
from vidpack.subtitles.model import Track

WORK_DIR = ".vidpack"


@dataclass(frozen=True, slots=True)
class Rendition:
    """One distinct set of episode files.

    Attributes:
        key: the hash naming its work folder (shared by every platform with the same encode).
        preset: the preset it is rendered with (the first platform using it).
        mode: the subtitle hook mode (``burn``, ``mux`` or ``none``).
        tracks: the tracks burned (one) or muxed (every language).
    """

    key: str
    preset: Preset
    mode: str
    tracks: tuple[Track, ...] = ()

    @property
    def language(self) -> str | None:
        """The burned language's tag (``None`` unless burned)."""
        return self.tracks[0].language.tag if self.mode == "burn" and self.tracks else None

    def folder(self, out: Path) -> Path:
        """Its work folder under the package output ``out``."""
        return out / WORK_DIR / "renditions" / self.key


@dataclass(frozen=True, slots=True)
class Placement:
    """A rendition placed in a platform folder: ``subdir`` is ``""`` or the burned language."""

    rendition: Rendition
    subdir: str


def rendition_key(preset: Preset, mode: str, tracks: Sequence[Track], reframe: str) -> str:
    """The identity of an encode: encode key (with burn style when burning), subtitle hook mode,
    the languages and files of the burned or muxed tracks, and the reframe mode."""
    data = {
        "encode": preset.encode_key(burn_style=mode == "burn"),
        "mode": mode,
        "tracks": [[t.language.tag, str(t.path)] for t in tracks] if mode != "none" else [],
        "reframe": reframe,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def platform_placements(
    preset: Preset, mode: str, tracks: Sequence[Track], reframe: str
) -> list[Placement]:
    """The renditions one platform needs: burn gives one per language (in ``<lang>/``), mux one
    with every track, sidecar/none one textless set at the top of the folder."""
    if mode == "burn" and tracks:
        return [
            Placement(
                Rendition(rendition_key(preset, "burn", [t], reframe), preset, "burn", (t,)),
                t.language.tag,
            )
            for t in tracks
        ]
    hook = "mux" if mode == "mux" and tracks else "none"
    used = tuple(tracks) if hook == "mux" else ()
    return [
        Placement(Rendition(rendition_key(preset, hook, used, reframe), preset, hook, used), "")
    ]


def share(
    placements: dict[str, list[Placement]],
) -> tuple[list[Rendition], dict[str, list[Placement]]]:
    """Deduplicate renditions across platforms (the first platform's preset renders each).

    Returns:
        The distinct renditions in first-use order, and the placements rewritten to use them.
    """
    first: dict[str, Rendition] = {}
    out: dict[str, list[Placement]] = {}
    for platform, items in placements.items():
        out[platform] = []
        for item in items:
            rendition = first.setdefault(item.rendition.key, item.rendition)
            out[platform].append(Placement(rendition, item.subdir))
    return list(first.values()), out


def place(source: Path, target: Path) -> str:
    """Put ``source`` at ``target``: a hard link, or a copy when linking fails (other disk).

    An existing ``target`` that already is ``source`` (same inode) is kept.

    Returns:
        ``"kept"``, ``"linked"`` or ``"copied"``.
    """
    with contextlib.suppress(OSError):
        if os.path.samefile(source, target):
            return "kept"
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(target) as tmp:
        try:
            os.link(source, tmp)
            how = "linked"
        except OSError:
            shutil.copyfile(source, tmp)
            how = "copied"
    return how
