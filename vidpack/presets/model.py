"""The typed preset: one frozen dataclass per TOML section, each field with its rule.

These classes are the schema: the TOML keys, their types, ranges and choices all come from the
fields below (see ``rules.spec``), so adding a key here is all it takes to validate and load it.
Values are in the units the key names say; pixel positions (safe zone, subtitle margins) are on
the 1080x1920 reference frame and scaled to the output size by the users of a preset.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from vidpack.presets.rules import (
    check_color,
    check_date,
    check_fps,
    check_name,
    check_size,
    parse_size,
    spec,
    template_checker,
)

REFERENCE_SIZE = (1080, 1920)
"""Width and height of the frame that safe-zone and margin pixels refer to."""

SUBTITLE_MODES = ("burn", "mux", "sidecar", "none")
SCRIPTS = ("latin", "cjk-sc", "cjk-tc", "ja", "ko", "arabic", "thai")

_FRAME_W, _FRAME_H = REFERENCE_SIZE


@dataclass(frozen=True, slots=True, kw_only=True)
class Gop:
    """[video.gop]: group-of-pictures structure."""

    closed: bool = spec(doc="closed GOPs (no references across keyframes)")
    keyint_seconds: float = spec(lo=0.1, hi=20, doc="seconds between keyframes")
    bframes: int = spec(lo=0, hi=16, doc="consecutive B-frames")


@dataclass(frozen=True, slots=True, kw_only=True)
class Video:
    """[video]: picture size, codec and rate control."""

    width: int = spec(lo=16, hi=8192, even=True, doc="output width in pixels")
    height: int = spec(lo=16, hi=8192, even=True, doc="output height in pixels")
    codec: str = spec(choices=("h264", "hevc"))
    profile: str = spec(choices=("baseline", "main", "high", "main10"))
    pix_fmt: str = spec(choices=("yuv420p", "yuv420p10le"))
    fps: float | str = spec(check=check_fps, doc='"source" keeps the master rate if allowed')
    allowed_fps: tuple[float, ...] = spec(lo=1, hi=240, nonempty=True, doc="constant rates")
    crf: int = spec(lo=0, hi=51, doc="constant rate factor")
    maxrate_kbps: int = spec(lo=100, hi=200_000, doc="VBV maximum rate")
    bufsize_kbps: int = spec(lo=100, hi=400_000, doc="VBV buffer size")
    faststart: bool = spec(doc="moov atom first")
    gop: Gop

    def pick_fps(self, source_fps: float) -> float:
        """The output frame rate for a master of ``source_fps`` under this policy.

        A fixed ``fps`` wins; with ``"source"`` the master's rate is kept when it is in
        ``allowed_fps`` (within 0.01), otherwise the nearest allowed rate is used.
        """
        if not isinstance(self.fps, str):
            return self.fps
        for rate in self.allowed_fps:
            if abs(rate - source_fps) < 0.01:
                return source_fps
        return min(self.allowed_fps, key=lambda rate: (abs(rate - source_fps), -rate))


@dataclass(frozen=True, slots=True, kw_only=True)
class Audio:
    """[audio]: codec, layout and loudness target."""

    codec: str = spec(choices=("aac",))
    sample_rate: int = spec(choices=(44100, 48000))
    channels: int = spec(choices=(1, 2))
    bitrate_kbps: int = spec(lo=32, hi=512)
    required: bool = spec(doc="add a silent track when the master has no audio")
    normalize: bool = spec(doc="bring each output to loudness_lufs")
    loudness_lufs: float = spec(lo=-40, hi=0, doc="integrated loudness target")
    true_peak_dbtp: float = spec(lo=-9, hi=0, doc="true-peak ceiling")


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """[limits]: what the platform accepts; 0 means no published limit."""

    min_episode_s: float = spec(lo=0, hi=36_000)
    max_episode_s: float = spec(lo=1, hi=36_000)
    max_file_mb: int = spec(lo=0, hi=10_000_000, doc="1 MB = 1,000,000 bytes; 0 = none")

    @property
    def max_file_bytes(self) -> int | None:
        """The file-size cap in bytes, or ``None`` when there is none."""
        return self.max_file_mb * 1_000_000 if self.max_file_mb else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Fonts:
    """[subtitles.style.fonts]: a font family per script (fontconfig names)."""

    latin: str = spec(nonempty=True)
    cjk_sc: str = spec(key="cjk-sc", nonempty=True)
    cjk_tc: str = spec(key="cjk-tc", nonempty=True)
    ja: str = spec(nonempty=True)
    ko: str = spec(nonempty=True)
    arabic: str = spec(nonempty=True)
    thai: str = spec(nonempty=True)

    def for_script(self, script: str) -> str:
        """The family for ``script`` (one of :data:`SCRIPTS`); unknown scripts get Latin's."""
        attr = script.replace("-", "_")
        return str(getattr(self, attr)) if attr in _FONT_ATTRS else self.latin


_FONT_ATTRS = frozenset(s.replace("-", "_") for s in SCRIPTS)


@dataclass(frozen=True, slots=True, kw_only=True)
class SubtitleStyle:
    """[subtitles.style]: how burned subtitles look and where they sit."""

    size: float = spec(lo=0.01, hi=0.2, doc="font size as a fraction of frame height")
    outline: float = spec(lo=0, hi=20, doc="outline width, px on 1080x1920")
    shadow: float = spec(lo=0, hi=20, doc="shadow offset, px on 1080x1920")
    bold: bool = spec()
    color: str = spec(check=check_color)
    outline_color: str = spec(check=check_color)
    margin_v: int = spec(lo=0, hi=_FRAME_H, doc="bottom margin, px on 1080x1920")
    margin_l: int = spec(lo=0, hi=_FRAME_W, doc="left margin, px on 1080x1920")
    margin_r: int = spec(lo=0, hi=_FRAME_W, doc="right margin, px on 1080x1920")
    rtl_mirror: bool = spec(doc="swap left and right margins for right-to-left languages")
    fonts: Fonts

    def margins(self, rtl: bool = False) -> tuple[int, int]:
        """``(left, right)`` margins, mirrored for right-to-left text when ``rtl_mirror``."""
        if rtl and self.rtl_mirror:
            return self.margin_r, self.margin_l
        return self.margin_l, self.margin_r


_SIDECAR_NAMING = template_checker({"stem", "lang", "locale", "ext"}, [{"ext"}, {"lang", "locale"}])


@dataclass(frozen=True, slots=True, kw_only=True)
class Subtitles:
    """[subtitles]: how subtitles reach the viewer on this platform."""

    mode: str = spec(choices=SUBTITLE_MODES)
    sidecar_formats: tuple[str, ...] = spec(choices=("srt", "vtt"))
    sidecar_naming: str = spec(check=_SIDECAR_NAMING, doc="e.g. {stem}.{locale}.{ext}")
    max_lines: int = spec(lo=1, hi=3)
    style: SubtitleStyle


@dataclass(frozen=True, slots=True, kw_only=True)
class SafeZone:
    """[safe_zone]: bands covered by the platform's UI, px on the 1080x1920 frame."""

    top: int = spec(lo=0, hi=_FRAME_H)
    bottom: int = spec(lo=0, hi=_FRAME_H)
    left: int = spec(lo=0, hi=_FRAME_W)
    right: int = spec(lo=0, hi=_FRAME_W)

    def scaled(self, width: int, height: int) -> tuple[int, int, int, int]:
        """``(top, bottom, left, right)`` in pixels of a ``width`` x ``height`` frame."""
        sx, sy = width / _FRAME_W, height / _FRAME_H
        return (
            round(self.top * sy),
            round(self.bottom * sy),
            round(self.left * sx),
            round(self.right * sx),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Covers:
    """[covers]: uploaded cover images; an empty ``sizes`` means the platform takes none."""

    sizes: tuple[str, ...] = spec(check=check_size, doc='"WIDTHxHEIGHT" each')
    format: str = spec(choices=("jpg", "png"))
    max_mb: float = spec(lo=0, hi=1000, doc="file-size cap; 0 = none published")
    grid_aspect: str = spec(choices=("none", "3:4", "4:5", "1:1"), doc="centre band shown")

    @property
    def size_pairs(self) -> tuple[tuple[int, int], ...]:
        """The sizes as ``(width, height)`` pairs."""
        return tuple(parse_size(s) for s in self.sizes)


@dataclass(frozen=True, slots=True, kw_only=True)
class Trailers:
    """[trailers]: promo cut lengths and the end card."""

    lengths: tuple[int, ...] = spec(lo=5, hi=600, doc="seconds")
    end_card: bool = spec()
    call_to_action: str = spec(default="", doc="end-card text; empty for none")


@dataclass(frozen=True, slots=True, kw_only=True)
class Naming:
    """[naming]: file-name templates (``str.format`` syntax) and the default series name."""

    series: str = spec(nonempty=True, doc="series name when none is given")
    episode: str = spec(check=template_checker({"series", "index", "platform"}, [{"index"}]))
    trailer: str = spec(check=template_checker({"series", "length", "platform"}, [{"length"}]))
    cover: str = spec(
        check=template_checker({"series", "index", "size", "platform"}, [{"index"}, {"size"}])
    )
    series_cover: str = spec(check=template_checker({"series", "size", "platform"}, [{"size"}]))


@dataclass(frozen=True, slots=True, kw_only=True)
class Metadata:
    """[metadata]: text limits and required notices; 0 means no published limit."""

    title_max_chars: int = spec(lo=0, hi=100_000)
    caption_max_chars: int = spec(lo=0, hi=100_000)
    description_max_chars: int = spec(lo=0, hi=100_000)
    license_number_required: bool = spec(doc="licence/filing number in the opening titles")
    # The slate's duration, size and place: no public source gives them (vidpack's choice).
    slate_seconds: float = spec(
        default=3.0, lo=0.5, hi=30, doc="seconds the slate shows from the start (vidpack's choice)"
    )
    slate_font_px: int = spec(
        default=48, lo=16, hi=400, doc="slate text height, px on 1080x1920 (vidpack's choice)"
    )
    slate_top_px: int = spec(
        default=48, lo=0, hi=1600, doc="slate top below the safe zone's top, px (vidpack's choice)"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Preset:
    """A resolved platform preset. Build with :func:`vidpack.presets.load_preset`.

    Attributes beyond the TOML keys: ``extends`` names the preset this one was based on and
    ``path`` the file it came from (``None`` for built-ins); neither is part of :meth:`to_dict`.
    """

    name: str = spec(check=check_name)
    description: str = spec(default="")
    source: str = spec(nonempty=True, doc="where the values were published")
    checked: str = spec(check=check_date, doc="when the source was last checked")
    unverified: bool = spec(default=False, doc="values guessed from a similar platform")
    video: Video
    audio: Audio
    limits: Limits
    subtitles: Subtitles
    safe_zone: SafeZone
    covers: Covers
    trailers: Trailers
    naming: Naming
    metadata: Metadata
    extends: str | None = field(default=None, compare=False, metadata={"internal": True})
    path: str | None = field(default=None, compare=False, metadata={"internal": True})

    def to_dict(self) -> dict[str, Any]:
        """The resolved preset as plain TOML/JSON data (TOML key names, lists for tuples)."""
        return _as_dict(self)

    def encode_signature(self, *, burn_style: bool = False) -> dict[str, Any]:
        """The settings that define an encode: [video] and [audio] (loudness included), and the
        compliance slate's place for presets that draw one.

        Two presets with equal signatures can share one rendition.

        Args:
            burn_style: Also include what shapes burned subtitles (style, line count), for
                renditions that burn text into the picture.
        """
        signature: dict[str, Any] = {"video": _as_dict(self.video), "audio": _as_dict(self.audio)}
        if self.metadata.license_number_required:  # the slate is drawn into the picture
            m = self.metadata
            signature["slate"] = [m.slate_seconds, m.slate_font_px, m.slate_top_px]
        if burn_style:
            signature["subtitles"] = {
                "max_lines": self.subtitles.max_lines,
                "style": _as_dict(self.subtitles.style),
            }
        return signature

    def encode_key(self, *, burn_style: bool = False) -> str:
        """A short stable hash of :meth:`encode_signature` (16 hex digits)."""
        text = json.dumps(self.encode_signature(burn_style=burn_style), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def toml_key(f: Any) -> str:
    """The TOML key of dataclass field ``f``."""
    rule = f.metadata.get("rule")
    return rule.key if rule is not None and rule.key else str(f.name)


def _as_dict(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):
        if f.metadata.get("internal"):
            continue
        value = getattr(obj, f.name)
        if is_dataclass(value):
            value = _as_dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[toml_key(f)] = value
    return out
