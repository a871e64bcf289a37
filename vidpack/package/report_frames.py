"""The report's burned-subtitle stills: for each language burned into a set of episodes, one
frame of one of its episodes at the middle of a cue, so a reader sees the subtitles as the
platform will show them (font, size, place, direction).

The stills are files of the platform folder, ``report-frames/<language>.jpg``. They belong to
the report, not to the delivery: QC knows them by name from the manifest's burned languages
(:func:`frame_files`), as it knows ``report.html``, and neither the manifest nor ``SHA256SUMS``
lists them. A still is taken once (one fast-seeked ffmpeg run through
:func:`vidpack.promo.thumbs.extract_frame`): a rerun keeps a still newer than the episode file
it was taken from; a re-rendered episode is newer than its old still and gets a new one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidpack.subtitles.model import Cue, Track

FRAMES_DIR = "report-frames"
MAX_WIDTH = 540  # stills of wider episodes are scaled down to this (half of 1080)
_SAFE_TAG = re.compile(r"^[A-Za-z0-9-]{1,35}$")  # a language tag that is a safe file name


@dataclass(frozen=True, slots=True)
class SubtitleFrame:
    """One burned language's still, or why it has none.

    Attributes:
        language: the burned language's tag.
        file: the still, relative to the platform folder (empty when there is none).
        episode: the episode file it shows (relative; empty when none was usable).
        time: the moment shown, in the episode's seconds.
        text: the cue on screen then.
        note: why there is no still (empty when there is one).
    """

    language: str
    file: str = ""
    episode: str = ""
    time: float = 0.0
    text: str = ""
    note: str = ""


def burned_languages(manifest: Mapping[str, Any]) -> list[str]:
    """The languages burned into the manifest's episodes, in the order they first appear
    (tags that would not make a plain file name are left out)."""
    out: list[str] = []
    for ep in manifest.get("episodes") or []:
        for sub in ep.get("subtitles") or []:
            tag = str(sub.get("language") or "")
            if sub.get("mode") == "burn" and _SAFE_TAG.match(tag) and tag not in out:
                out.append(tag)
    return out


def frame_name(language: str) -> str:
    """The still of ``language``, relative to the platform folder."""
    return f"{FRAMES_DIR}/{language}.jpg"


def frame_files(manifest: Mapping[str, Any]) -> list[str]:
    """Every still the report may keep in a folder with this manifest (QC's known names)."""
    return [frame_name(tag) for tag in burned_languages(manifest)]


def cue_moment(episode: Mapping[str, Any], cues: Sequence[Cue]) -> tuple[float, str] | None:
    """The episode time to show and the cue shown then: the middle of the first cue wholly
    inside the episode and clear of its title cards and slate (which may cover it), else of the
    first one inside at all; None when no cue lies wholly inside the episode."""
    start = float(episode["start"])
    length = min(float(episode["end"]) - start, float(episode["duration"]))
    covered = [
        (float(c["start"]), float(c["start"]) + float(c["duration"]))
        for c in [*(episode.get("cards") or []), episode.get("slate") or {}]
        if "start" in c
    ]
    fallback: tuple[float, str] | None = None
    for cue in cues:
        a, b = cue.start / 1000 - start, cue.end / 1000 - start
        if a < 0 or b > length:
            continue
        moment = ((a + b) / 2, cue.text)
        if not any(x <= moment[0] < y for x, y in covered):
            return moment
        fallback = fallback or moment
    return fallback


def burned_frames(
    folder: Path, manifest: Mapping[str, Any], tracks: Sequence[Track]
) -> list[SubtitleFrame]:
    """One :class:`SubtitleFrame` per burned language, its still taken (or kept) in
    ``folder/report-frames/``. A language with no track, no cue inside an episode, or a still
    ffmpeg could not take gets a note instead: the report is written all the same."""
    from vidpack.errors import VidpackError

    by_tag = {t.language.tag: t for t in tracks}
    out: list[SubtitleFrame] = []
    for tag in burned_languages(manifest):
        track = by_tag.get(tag)
        if track is None:
            out.append(SubtitleFrame(tag, note="its subtitle file was not given to this run"))
            continue
        found = _first_moment(manifest, tag, track, folder)
        if found is None:
            out.append(SubtitleFrame(tag, note="no cue lies wholly inside an episode"))
            continue
        ep, (time, text) = found
        rel = frame_name(tag)
        try:
            _still(folder / ep["file"], time, folder / rel, (int(ep["width"]), int(ep["height"])))
        except VidpackError as err:
            note = f"no still taken from {ep['file']}: {err}"
            out.append(SubtitleFrame(tag, episode=ep["file"], time=time, text=text, note=note))
            continue
        out.append(SubtitleFrame(tag, rel, ep["file"], time, text))
    return out


def _first_moment(
    manifest: Mapping[str, Any], tag: str, track: Track, folder: Path
) -> tuple[dict[str, Any], tuple[float, str]] | None:
    """The first present episode burned in ``tag`` with a cue to show, and that moment."""
    for ep in manifest.get("episodes") or []:
        burned = any(
            s.get("mode") == "burn" and s.get("language") == tag for s in ep.get("subtitles") or []
        )
        if burned and (folder / ep["file"]).is_file():
            moment = cue_moment(ep, track.cues)
            if moment is not None:
                return ep, moment
    return None


def _still(source: Path, time: float, out: Path, size: tuple[int, int]) -> None:
    """Write the frame of ``source`` at ``time`` to ``out`` (scaled to :data:`MAX_WIDTH` at
    most), unless ``out`` is already newer than ``source``."""
    from vidpack.media.atomic import atomic_output
    from vidpack.promo.thumbs import extract_frame

    if out.is_file() and out.stat().st_size and out.stat().st_mtime_ns >= source.stat().st_mtime_ns:
        return
    width, height = size
    scaled = None
    if width > MAX_WIDTH:
        scaled = (MAX_WIDTH, max(2, round(height * MAX_WIDTH / width / 2) * 2))
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(out) as tmp:
        extract_frame(str(source), time, tmp, size=scaled)
