"""Dubbed sound: ``--audio LANG=FILE`` parsed and checked against the master, the tracks each
delivery carries, and each track's loudness (every track is normalised on its own).

A dub is a mix for the whole master, in the master's timeline: it is cut with the picture, to
the frame, by seeking it exactly as the master's own sound is seeked. A dub whose length differs
from the master's by more than :data:`LENGTH_SLACK_FRAMES` frames is refused unless ``--audio-fit``
says what to do: ``pad`` accepts a shorter dub (silence after its end), ``trim`` a longer one
(its tail after the master's end is not used).

Which tracks a delivery carries (:func:`delivery_tracks`): a language's own deliveries (its
burned folder, or its dubbed folder) have its dub as their only sound; a platform that takes
several tracks (subtitle mode ``mux``, the drama apps) gets the master's sound first and default
and every dub after it, each tagged with its ISO 639-2 code. Without dubs nothing changes: the
spec's audio stays empty and files and render keys are as they were.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from vidpack.errors import UsageError
from vidpack.media.probe import MediaInfo, probe
from vidpack.problems import Problems, check_choice
from vidpack.render.model import AudioTrack, EpisodeSpec
from vidpack.subtitles.languages import Language, is_language_tag, language

FITS = ("exact", "pad", "trim")
LENGTH_SLACK_FRAMES = 2  # a dub may differ from the master's length by this many frames


@dataclass(frozen=True, slots=True)
class DubInput:
    """One ``--audio LANG=FILE`` value, parsed (the file not yet read)."""

    language: Language
    path: Path
    given: str


@dataclass(frozen=True, slots=True)
class Dub:
    """A checked dub: its language, file, audio stream, length, identity and probe facts."""

    language: Language
    path: Path
    stream: int
    duration: float
    ident: str
    info: MediaInfo

    def track(self, *, default: bool) -> AudioTrack:
        """The dub as an episode's sound track (loudness not yet decided)."""
        return AudioTrack(
            language=self.language.tag,
            iso639_2=self.language.iso639_2,
            source="dub",
            path=str(self.path),
            stream=self.stream,
            ident=self.ident,
            default=default,
        )


def parse_audio_args(values: Sequence[str], *, what: str = "--audio") -> list[DubInput]:
    """Every ``LANG=FILE`` value; all problems at once.

    Raises:
        Problems: one line per bad value (not LANG=FILE, unknown language, missing file,
            language given twice).
    """
    problems: list[str] = []
    out: list[DubInput] = []
    seen: dict[str, str] = {}
    for value in values:
        head, sep, rest = value.partition("=")
        if not sep or not head or not rest or "/" in head or os.sep in head:
            problems.append(
                f"{what} {value!r} is not LANG=FILE: give the dub's language and file, "
                "e.g. en=dub.en.wav"
            )
            continue
        if not is_language_tag(head):
            problems.append(
                f"{what} {value!r}: bad language tag {head!r}; use one vidpack knows, such as "
                f"en, ko, ja, th, ar or zh-Hans (e.g. en={rest})"
            )
            continue
        path = Path(rest)
        if not path.is_file():
            problems.append(f"{what} {value!r}: no such file; give an existing audio file")
            continue
        lang = language(head)
        if lang.tag in seen:
            problems.append(
                f"{what} {value!r}: language {lang.tag} is already given by {seen[lang.tag]!r}; "
                "give one dub per language"
            )
            continue
        seen[lang.tag] = value
        out.append(DubInput(lang, path, value))
    if problems:
        raise Problems(problems)
    return out


def check_fit(fit: str, *, what: str = "--audio-fit") -> str:
    """``fit`` when it is one of :data:`FITS` (else a UsageError naming ``what``)."""
    return check_choice(fit, FITS, what=what, is_not="a way to fit a dub")


def load_dubs(
    items: Sequence[DubInput], master: MediaInfo, fit: str = "exact", *, what: str = "--audio"
) -> tuple[Dub, ...]:
    """Probe every dub and check it against the master; all problems at once.

    Raises:
        Problems: a dub that is not audio, or whose length differs from the master's by more
            than :data:`LENGTH_SLACK_FRAMES` frames (unless ``fit`` allows it), naming both.
    """
    check_fit(fit)
    fps = float(master.video.fps) if master.video is not None and master.video.fps else 25.0
    slack = LENGTH_SLACK_FRAMES / fps + 1e-3
    problems: list[str] = []
    dubs: list[Dub] = []
    for item in items:
        try:
            info = probe(item.path)
        except UsageError as err:
            problems.append(f"{what} {item.given!r}: {err}")
            continue
        except Exception as err:  # an unreadable file is this value's problem, said once
            problems.append(f"{what} {item.given!r}: {err}")
            continue
        if not info.audio:
            problems.append(f"{what} {item.given!r} has no audio stream: give the dub's sound file")
            continue
        gap = info.duration - master.duration
        short_ok = fit == "pad" and gap < 0
        long_ok = fit == "trim" and gap > 0
        if abs(gap) > slack and not (short_ok or long_ok):
            hint = "pad" if gap < 0 else "trim"
            problems.append(
                f"{what} {item.given!r} is {info.duration:.3f} s long, the master "
                f"{master.duration:.3f} s: give a dub of the master's length or add "
                f"--audio-fit {hint}"
            )
            continue
        st = item.path.stat()
        ident = f"{item.path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        dubs.append(Dub(item.language, item.path, info.audio[0].index, info.duration, ident, info))
    if problems:
        raise Problems(problems)
    return tuple(dubs)


def master_track(info: MediaInfo, *, default: bool) -> AudioTrack | None:
    """The master's own first audio stream as a track (None when the master is silent)."""
    if not info.audio:
        return None
    stream = info.audio[0]
    tag = stream.language if stream.language and stream.language != "und" else ""
    lang = language(tag) if tag and is_language_tag(tag) else None
    return AudioTrack(
        language=lang.tag if lang else "",
        iso639_2=lang.iso639_2 if lang else (tag or "und"),
        source="master",
        path=str(info.path),
        stream=stream.index,
        ident="master",
        default=default,
    )


def delivery_tracks(
    info: MediaInfo, dubs: Sequence[Dub], *, language: str | None, several: bool
) -> tuple[AudioTrack, ...]:
    """The sound tracks of one set of deliveries.

    Args:
        info: the master's probe facts.
        dubs: the checked dubs.
        language: the set's language (its burned or dubbed language; None: the master's).
        several: the platform takes several tracks (the master's first and default, then every
            dub).

    Returns:
        The tracks in stream order, or ``()`` (no dubs involved: the master's sound as before).
    """
    if not dubs:
        return ()
    if several:
        master = master_track(info, default=True)
        rest = [d.track(default=master is None and n == 0) for n, d in enumerate(dubs)]
        return tuple([master] if master is not None else []) + tuple(rest)
    own = next((d for d in dubs if d.language.tag == language), None)
    return (own.track(default=True),) if own is not None else ()


def with_tracks(specs: Sequence[EpisodeSpec], tracks: tuple[AudioTrack, ...]) -> list[EpisodeSpec]:
    """``specs`` carrying ``tracks`` (their loudness still to be decided)."""
    return [replace(spec, audio=tracks) if tracks else spec for spec in specs]


def dubbed_languages(dubs: Sequence[Dub], taken: Sequence[str]) -> list[str]:
    """The dubs' languages not in ``taken`` (languages that need a folder of their own)."""
    return [d.language.tag for d in dubs if d.language.tag not in taken]


def audio_runs(
    runs: Sequence[Any], mode: str, out_dir: Path, info: MediaInfo, dubs: Sequence[Dub]
) -> list[tuple[Any, dict[str, Any]]]:
    """The split runs with the sound and the language of each: ``(run, RenderOptions fields)``.

    A burned language's run carries its dub; a dubbed language without a burned run gets a run
    of its own into ``out_dir/<lang>/`` (no subtitles: the textless picture with its dub); in
    ``mux`` mode the one run carries the master's sound and every dub.

    Args:
        runs: the subtitle runs (:func:`vidpack.render.subs_hooks.plan_subs_runs`).
        mode: the subtitle mode.
        out_dir: the split's folder.
        info: the master's probe facts.
        dubs: the checked dubs.
    """
    from vidpack.render.subs_hooks import SubsRun

    infos = {"audio_infos": tuple(d.info for d in dubs)}
    several = mode == "mux"
    out: list[tuple[Any, dict[str, Any]]] = []
    burned: list[str] = []
    for run in runs:
        lang = run.tracks[0].language.tag if mode == "burn" and run.tracks else None
        if lang:
            burned.append(lang)
        tracks = delivery_tracks(info, dubs, language=lang, several=several)
        out.append((run, {"audio": tracks, **infos, "card_language": lang}))
    if not several:
        for lang in dubbed_languages(dubs, burned):
            tracks = delivery_tracks(info, dubs, language=lang, several=False)
            fields = {"audio": tracks, **infos, "card_language": lang}
            out.append((SubsRun(out_dir / lang, (), "none"), fields))
    return out
