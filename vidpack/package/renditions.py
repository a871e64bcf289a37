"""Renditions: the distinct encodes a package needs, and placing them into platform folders.

Platforms whose presets resolve to the same encode (same encode key, burned language and burn
style, muxed languages, reframe, sound tracks) share one rendition: it is rendered once into the
package's work folder and hard-linked (copied when linking fails) into every platform folder that
uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vidpack.media.atomic import atomic_output
from vidpack.presets.model import Preset
from vidpack.render.model import AudioTrack, RenderOptions
from vidpack.subtitles.model import Track

if TYPE_CHECKING:
    from vidpack.media.probe import MediaInfo
    from vidpack.render.dubs import Dub

WORK_DIR = ".vidpack"


@dataclass(frozen=True, slots=True)
class Rendition:
    """One distinct set of episode files.

    Attributes:
        key: the hash naming its work folder (shared by every platform with the same encode).
        preset: the preset it is rendered with (the first platform using it).
        mode: the subtitle hook mode (``burn``, ``mux`` or ``none``).
        tracks: the tracks burned (one) or muxed (every language).
        audio: its sound tracks (empty: the master's sound), see
            :func:`vidpack.render.dubs.delivery_tracks`.
        dub_language: the language of a textless dubbed set (its folder's name).
    """

    key: str
    preset: Preset
    mode: str
    tracks: tuple[Track, ...] = ()
    audio: tuple[AudioTrack, ...] = ()
    dub_language: str | None = None

    @property
    def language(self) -> str | None:
        """The set's language: the burned one, or the dubbed one of a textless dubbed set
        (``None``: the master's)."""
        if self.mode == "burn" and self.tracks:
            return self.tracks[0].language.tag
        return self.dub_language

    def folder(self, out: Path) -> Path:
        """Its work folder under the package output ``out``."""
        return out / WORK_DIR / "renditions" / self.key


@dataclass(frozen=True, slots=True)
class Placement:
    """A rendition placed in a platform folder: ``subdir`` is ``""`` or the burned language."""

    rendition: Rendition
    subdir: str


def render_for(render: RenderOptions, rendition: Rendition) -> RenderOptions:
    """The render options of ``rendition``'s episodes: its sound tracks, and its language's
    cards (label, font and the series title in that language)."""
    language = rendition.language
    titles = dict(render.card_titles)
    title = titles.get(language or "", render.card_title)
    if language and language not in titles:  # a tag's primary language may have its title
        title = titles.get(language.split("-")[0], title)
    return replace(render, audio=rendition.audio, card_language=language, card_title=title)


def rendition_key(
    preset: Preset,
    mode: str,
    tracks: Sequence[Track],
    reframe: str,
    audio: Sequence[AudioTrack] = (),
) -> str:
    """The identity of an encode: encode key (with burn style when burning), subtitle hook mode,
    the languages and files of the burned or muxed tracks, the reframe mode, and the sound
    tracks when there are dubs."""
    data: dict[str, object] = {
        "encode": preset.encode_key(burn_style=mode == "burn"),
        "mode": mode,
        "tracks": [[t.language.tag, str(t.path)] for t in tracks] if mode != "none" else [],
        "reframe": reframe,
    }
    if audio:  # only with dubs (other keys unchanged)
        data["audio"] = [t.to_dict() for t in audio]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _rendition(
    preset: Preset,
    mode: str,
    tracks: Sequence[Track],
    reframe: str,
    audio: tuple[AudioTrack, ...] = (),
    dub_language: str | None = None,
) -> Rendition:
    key = rendition_key(preset, mode, tracks, reframe, audio)
    return Rendition(key, preset, mode, tuple(tracks), audio, dub_language)


def platform_placements(
    preset: Preset,
    mode: str,
    tracks: Sequence[Track],
    reframe: str,
    dubs: Sequence[Dub] = (),
    info: MediaInfo | None = None,
) -> list[Placement]:
    """The renditions one platform needs: burn gives one per language (in ``<lang>/``), mux one
    with every track, sidecar/none one textless set at the top of the folder.

    With dubs (``info`` is then the master's probe facts): a burned language's set carries its
    dub; in ``mux`` mode the one set carries the master's sound and every dub; otherwise each
    dubbed language without a burned set gets a textless set of its own in ``<lang>/``.
    """
    from vidpack.render.dubs import delivery_tracks, dubbed_languages

    def sound(language: str | None, several: bool = False) -> tuple[AudioTrack, ...]:
        if not dubs or info is None:
            return ()
        return delivery_tracks(info, dubs, language=language, several=several)

    out: list[Placement] = []
    if mode == "burn" and tracks:
        for t in tracks:
            audio = sound(t.language.tag)
            out.append(Placement(_rendition(preset, "burn", [t], reframe, audio), t.language.tag))
    else:
        hook = "mux" if mode == "mux" and tracks else "none"
        used = tuple(tracks) if hook == "mux" else ()
        audio = sound(None, several=mode == "mux")
        out.append(Placement(_rendition(preset, hook, used, reframe, audio), ""))
        if mode == "mux":
            return out
    burned = [t.language.tag for t in tracks] if mode == "burn" else []
    for lang in dubbed_languages(dubs, burned) if info is not None else ():
        rendition = _rendition(preset, "none", (), reframe, sound(lang), lang)
        out.append(Placement(rendition, lang))
    return out


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
