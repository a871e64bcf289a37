"""Subtitles end to end for commands: read every ``--subs`` file into a :class:`Track`, cut
tracks to episodes and write them (sidecars) or prepare them for burning and muxing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vidpack.errors import UsageError
from vidpack.presets.model import Preset
from vidpack.subtitles.decode import read_text
from vidpack.subtitles.inputs import SubtitleInput
from vidpack.subtitles.languages import Language
from vidpack.subtitles.model import Cue, Track
from vidpack.subtitles.repair import repair
from vidpack.subtitles.retime import MIN_FRAGMENT_MS, retime, to_ms
from vidpack.subtitles.sidecar import sidecar_name, write_sidecar


def load_track(
    item: SubtitleInput,
    *,
    master_duration: float | None,
    encoding: str | None = None,
    strict: bool = False,
) -> Track:
    """Decode, parse and repair one subtitle file.

    Raises:
        UsageError: undecodable, unreadable, or (``strict``) in need of repairs.
    """
    text, used = read_text(item.path, language_tag=item.language.tag, encoding=encoding)
    fmt = item.format
    repaired = repair(
        text,
        fmt,
        name=item.path.name,
        master_ms=to_ms(master_duration) if master_duration is not None else None,
        strict=strict,
    )
    return Track(
        path=item.path,
        language=item.language,
        format=fmt,
        encoding=used,
        cues=repaired.cues,
        warnings=repaired.warnings,
    )


def load_tracks(
    items: Sequence[SubtitleInput],
    *,
    master_duration: float | None,
    encoding: str | None = None,
    strict: bool = False,
) -> list[Track]:
    """:func:`load_track` for every item; every file's problems are reported together.

    Raises:
        UsageError: one message joining each failing file's problem.
    """
    tracks: list[Track] = []
    problems: list[str] = []
    for item in items:
        try:
            tracks.append(
                load_track(item, master_duration=master_duration, encoding=encoding, strict=strict)
            )
        except UsageError as err:
            problems.append(str(err))
    if problems:
        raise UsageError("; ".join(problems))
    return tracks


@dataclass(frozen=True, slots=True)
class EpisodeSpan:
    """An episode's index, span in master seconds and output file stem."""

    index: int
    start: float
    end: float
    stem: str


def episode_cues(
    track: Track, span: EpisodeSpan, *, min_fragment_ms: int = MIN_FRAGMENT_MS
) -> list[Cue]:
    """``track``'s cues retimed to ``span``."""
    return retime(track.cues, span.start, span.end, min_fragment_ms=min_fragment_ms)


def sidecar_path(
    out_dir: Path,
    naming: str,
    *,
    stem: str,
    language: Language,
    ext: str,
    what: str = "--naming",
) -> Path:
    """Where one episode's subtitles in one language and format go: ``naming`` filled in, and
    checked and shortened by :func:`vidpack.media.names.output_path`.

    Raises:
        UsageError: the name is a path (absolute, ``..``, folders) or hidden, naming ``what``.
    """
    from vidpack.media.names import output_path
    from vidpack.subtitles.sidecar import DEFAULT_NAMING

    name = sidecar_name(naming, stem=stem, language=language, ext=ext)
    return output_path(out_dir, name, what=f"{what} {naming!r}", example=DEFAULT_NAMING)


def check_sidecar_naming(naming: str, *, what: str = "--naming") -> None:
    """Refuse, before any work, a naming template whose names would leave the output folder.

    Raises:
        UsageError: see :func:`sidecar_path`.
    """
    from vidpack.subtitles.languages import language

    sidecar_path(
        Path("."), naming, stem="series_E001", language=language("en"), ext="srt",
        what=what,
    )  # fmt: skip


def write_episode_sidecars(
    tracks: Sequence[Track],
    spans: Sequence[EpisodeSpan],
    out_dir: Path,
    *,
    formats: Sequence[str],
    naming: str,
    what: str = "--naming",
) -> list[Path]:
    """Write one file per track, episode and format into ``out_dir``.

    Episodes without any cue in a language still get a (valid, empty) file, so every episode
    has the same set of files. Every name is checked before the first file is written.

    Args:
        what: where ``naming`` came from, for messages (``--naming`` or a preset key).

    Returns:
        The files written, episode by episode.

    Raises:
        UsageError: a name that is a path or hidden (nothing is written then).
    """
    jobs = [
        (span, track, fmt, sidecar_path(out_dir, naming, stem=span.stem,
                                        language=track.language, ext=fmt, what=what))
        for span in spans
        for track in tracks
        for fmt in formats
    ]  # fmt: skip
    written: list[Path] = []
    for span, track, fmt, path in jobs:
        written.append(write_sidecar(episode_cues(track, span), path, fmt))
    return written


def write_burn_script(
    track: Track, span: EpisodeSpan, preset: Preset, size: tuple[int, int], path: Path
) -> list[str]:
    """Write the ASS script burning ``track`` into episode ``span`` at output ``size``.

    Pass ``path`` to :func:`vidpack.subtitles.burn.burn_filter` for the episode's filter chain.

    Returns:
        Warnings about characters the style's font lacks (one per cue).
    """
    from vidpack.media.atomic import write_text_atomic
    from vidpack.subtitles.glyphs import check_cues
    from vidpack.subtitles.style import ass_text, resolve_style

    style = resolve_style(preset, track.language, *size)
    cues = episode_cues(track, span)
    write_text_atomic(path, ass_text(cues, track.language, style))
    return check_cues(cues, style.font, name=f"{track.path.name} (episode {span.index})")
