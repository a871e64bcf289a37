"""The render stage's values: options, one episode's render spec (with the subtitle hooks), its
render key, and the results and observer interface of a split run.

An :class:`EpisodeSpec` says everything that shapes one output file; :func:`render_key` hashes it
so identical encodes (two presets with the same encode signature) are made once and files whose
inputs did not change are not made again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from vidpack.hardsubs.model import Masking
from vidpack.media.probe import MediaInfo
from vidpack.render.croppath import CropPath

ReframeMode = Literal["fit", "crop", "smart"]
REFRAME_MODES: tuple[str, ...] = ("fit", "crop", "smart")

# Seconds of fade at each episode boundary (against clicks); a few milliseconds.
FADE_S = 0.005


@dataclass(frozen=True, slots=True)
class AudioTrack:
    """One sound track of an episode file: the master's own sound or a dub, with its own
    loudness plan (each track is normalised on its own).

    Attributes:
        language: the BCP 47 tag (``""``: the master's sound in an unknown language).
        iso639_2: the container's language tag (``eng``; ``und`` when unknown).
        source: ``master`` or ``dub``.
        path: the file the sound is read from (the master itself for ``master``).
        stream: the audio stream's index in that file.
        ident: the file's identity (part of the render key: a replaced dub re-renders).
        default: the track players start with.
        gain_db: its loudness gain (``None``: not normalised).
        limit: its sound goes through the true-peak limiter.
        loudness: its loudness plan settings (:meth:`LoudnessPlan.settings`), or None.
    """

    language: str
    iso639_2: str
    source: str
    path: str
    stream: int
    ident: str
    default: bool = False
    gain_db: float | None = None
    limit: bool = False
    loudness: dict[str, Any] | None = None

    def record(self) -> dict[str, Any]:
        """The manifest's entry: language, source and default flag."""
        return {"language": self.language or None, "source": self.source, "default": self.default}

    def to_dict(self) -> dict[str, Any]:
        """What of the track shapes the file (the render key's part)."""
        return {
            **self.record(),
            "iso": self.iso639_2,
            "ident": self.ident,
            "stream": self.stream,
            "gain_db": None if self.gain_db is None else round(self.gain_db, 2),
            "limit": self.limit,
            "loudness": self.loudness,
        }


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render, beyond what the preset says.

    Attributes:
        reframe: how a master that is not 9:16 becomes the preset's size.
        jobs: episodes rendered at the same time.
        x264_preset: the encoder's speed/quality trade-off (x264/x265 ``-preset``).
        series: the series name for file names (``None``: the preset's ``naming.series``).
        license_number: the licence/filing number shown on the compliance slate of presets with
            ``license_number_required`` (``None``: none given).
        mask: the burned-in dialogue text to mask (master seconds; ``None``: none), from
            :func:`vidpack.hardsubs.masking.resolve_masking`.
        audio: the sound tracks of every episode (empty: the master's own sound), from
            :func:`vidpack.render.dubs.delivery_tracks`.
        audio_infos: the probe facts of the dub files among them.
        cards: which cards every episode gets: ``none``, ``title``, ``next`` or ``both``.
        card_title: the series title the title card shows (in the set's language).
        card_language: the set's language (the cards' labels and font; None: the default).
        card_titles: the series title in each language that has its own, ``(tag, title)``.
    """

    reframe: ReframeMode = "fit"
    jobs: int = 1
    x264_preset: str = "medium"
    series: str | None = None
    license_number: str | None = None
    mask: Masking | None = None
    audio: tuple[AudioTrack, ...] = ()
    audio_infos: tuple[MediaInfo, ...] = ()
    cards: str = "none"
    card_title: str = ""
    card_language: str | None = None
    card_titles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Slate:
    """The compliance slate drawn over an episode's opening (output pixels, episode seconds).

    Attributes:
        text: the licence/filing number as given.
        start: when it appears (episode time).
        duration: how long it stays.
        font_file: the font file fontconfig resolves the family to (part of the render key).
        font_px: the text height in output pixels.
        box: ``(x, y, w, h)`` of the opaque box behind the text, output pixels.
        font_family: the preset's CJK subtitle font family, drawn through fontconfig (which
            picks the right face of a collection: Noto Sans CJK SC is face 2 of its ``.ttc``).
    """

    text: str
    start: float
    duration: float
    font_file: str
    font_px: int
    box: tuple[int, int, int, int]
    font_family: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": round(self.start, 6),
            "duration": round(self.duration, 6),
            "font_px": self.font_px,
            "box": list(self.box),
        }


@dataclass(frozen=True, slots=True)
class Card:
    """A title or "next episode" card drawn over an episode (libass, output pixels, episode
    seconds), from :func:`vidpack.render.cards.episode_cards`.

    Attributes:
        kind: ``title`` (series title and episode label over the opening) or ``next`` (the next
            episode's label over the ending).
        lines: the text, one entry a line.
        sizes: each line's font height in pixels.
        start: when it appears (episode time).
        duration: how long it stays.
        font_family: the font family of the language's script (from the preset's style).
        box: ``(x, y, w, h)`` the area it is centred in (the preset's safe zone).
    """

    kind: str
    lines: tuple[str, ...]
    sizes: tuple[int, ...]
    start: float
    duration: float
    font_family: str
    box: tuple[int, int, int, int]

    def to_dict(self) -> dict[str, Any]:
        """The manifest's record of the card."""
        return {
            "kind": self.kind,
            "text": "\n".join(self.lines),
            "start": round(self.start, 6),
            "duration": round(self.duration, 6),
        }


@dataclass(frozen=True, slots=True)
class ExtraInput:
    """An additional ffmpeg input (e.g. a subtitle file to mux): its options and path."""

    path: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hooks:
    """What later stages add to an episode's encode without changing the render code.

    Attributes:
        video_filters: filters appended after the reframe (e.g. burned subtitles), each a
            filter string like ``subtitles=f=ep1.ass``.
        inputs: extra inputs; they are numbered from 1 (or 2 when a silent track is added) in
            the order given: use :attr:`first_extra_input` style maps via ``maps``.
        maps: extra ``-map`` targets with ``{k}`` placeholders for the k-th extra input's ffmpeg
            index, e.g. ``"{0}:s:0"`` maps the first extra input's first subtitle stream and
            ``"{1}:0"`` the second extra input's first stream.
        args: extra output arguments (codecs and metadata of the mapped streams, e.g.
            ``-c:s mov_text -metadata:s:s:0 language=eng``).
        key: a hash of what the files behind the hooks contain (e.g. the episode's retimed
            subtitles and the subtitle mode): part of the render key, so a rerun re-renders an
            episode whose subtitles changed even though the hook paths did not.
    """

    video_filters: tuple[str, ...] = ()
    inputs: tuple[ExtraInput, ...] = ()
    maps: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    key: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "video_filters": list(self.video_filters),
            "inputs": [[i.path, list(i.options)] for i in self.inputs],
            "maps": list(self.maps),
            "args": list(self.args),
            "key": self.key,
        }


@dataclass(frozen=True, slots=True)
class EpisodeSpec:
    """Everything that shapes one episode file.

    Attributes:
        index: 1-based episode number.
        output: the final file path.
        master: the master's path.
        master_id: the master's fingerprint (identity for the render key).
        start: the episode's first presentation time in the master, seconds.
        frames: output frames (at ``out_fps``).
        src_fps: the master's frame rate.
        out_fps: the output's constant frame rate.
        resample: convert the rate with the fps filter (variable rate or a different rate).
        start_frame: the master frame the episode starts on.
        encode_key: the preset's encode signature hash.
        encode: the resolved encode settings (for the key and the argv).
        reframe: the vertical conversion mode.
        gain_db: the loudness gain applied to the audio (``None``: no normalisation).
        limit: add a true-peak limiter (the gain would push the peak over the ceiling).
        hooks: the subtitle stage's additions.
        crop_path: for ``smart`` reframe: the tracked crop path of the whole master (cut to the
            episode when the filter is built); None gives a centre crop.
        slate: the compliance slate drawn over the opening (None: none).
        mask: the burned-in dialogue text masked before the reframe, ranges in episode seconds
            (None: masking off).
        audio: its sound tracks in stream order, each with its own loudness plan (empty: the
            master's first audio stream alone, normalised by ``gain_db``/``limit``).
        cards: the title and "next episode" cards drawn in its encode (empty: none).
    """

    index: int
    output: Path
    master: str
    master_id: str
    start: float
    frames: int
    src_fps: float
    out_fps: float
    resample: bool
    start_frame: int
    encode_key: str
    encode: dict[str, Any]
    reframe: str
    gain_db: float | None = None
    limit: bool = False
    hooks: Hooks = field(default_factory=Hooks)
    crop_path: CropPath | None = None
    slate: Slate | None = None
    mask: Masking | None = None
    audio: tuple[AudioTrack, ...] = ()
    cards: tuple[Card, ...] = ()

    @property
    def duration(self) -> float:
        """The episode's duration in seconds (its frames at the output rate)."""
        return self.frames / self.out_fps


def render_key(spec: EpisodeSpec) -> str:
    """A stable hash (20 hex digits) of what makes ``spec``'s file: master identity, range,
    encode signature, reframe, loudness gain, hooks and the slate. Equal keys mean equal files,
    so the package stage can share one rendition between presets and reruns can skip it."""
    data = {
        "v": 2,  # 2: loudness decided per episode (limiter compensated, checked)
        "master": spec.master_id,
        "start_frame": spec.start_frame,
        "start": round(spec.start, 6),
        "frames": spec.frames,
        "out_fps": round(spec.out_fps, 6),
        "encode": spec.encode_key,
        "encode_settings": spec.encode,
        "reframe": spec.reframe,
        "gain_db": None if spec.gain_db is None else round(spec.gain_db, 2),
        "limit": spec.limit,
        "hooks": spec.hooks.to_dict(),
    }
    if spec.crop_path is not None:
        data["crop_path"] = spec.crop_path.to_dict()
    if spec.mask is not None and spec.mask.regions:  # only when masked (other keys unchanged)
        data["hardsubs"] = {**spec.mask.to_dict(), "size": list(spec.mask.size)}
    if spec.slate is not None:  # only when drawn, so the keys of slate-free files stay as they were
        data["slate"] = {
            **spec.slate.to_dict(),
            "font": [spec.slate.font_family, spec.slate.font_file],
        }
    if spec.audio:  # only with dubs (other keys unchanged)
        data["audio"] = [t.to_dict() for t in spec.audio]
    if spec.cards:  # only when drawn
        data["cards"] = [[asdict(c)] for c in spec.cards]
    text = json.dumps(data, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def picture_key(spec: EpisodeSpec) -> str:
    """The hash of what shapes ``spec``'s picture alone (its render key without the sound and
    the muxed subtitle tracks): two files with equal picture keys carry the same video stream,
    so the second is made by copying the first's video (:mod:`vidpack.render.remux`)."""
    hooks = Hooks(video_filters=spec.hooks.video_filters)
    if spec.hooks.video_filters:  # burned text: what the filters' files say is picture
        hooks = replace(hooks, key=spec.hooks.key)
    encode = {k: v for k, v in spec.encode.items() if k != "loudness" and not k.startswith("audio")}
    bare = replace(
        spec, gain_db=None, limit=False, hooks=hooks, audio=(), encode=encode, output=Path("-")
    )
    return render_key(bare)


Status = Literal["done", "skipped", "failed", "shared"]


@dataclass(frozen=True, slots=True)
class EpisodeResult:
    """What happened to one episode.

    Attributes:
        index: the episode number.
        output: its file.
        status: ``done`` (rendered), ``skipped`` (up to date), ``shared`` (a copy of an
            identical rendition made in this run), ``failed``.
        error: one line saying why it failed (empty otherwise).
        seconds: wall time spent on it.
    """

    index: int
    output: Path
    status: Status
    error: str = ""
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class SplitResult:
    """The outcome of a split run, one entry per episode in order, and warnings (one line each,
    e.g. a file over the preset's size cap)."""

    episodes: tuple[EpisodeResult, ...]
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> tuple[EpisodeResult, ...]:
        return tuple(e for e in self.episodes if e.status == "failed")
