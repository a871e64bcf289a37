"""Capability checks: does this machine's ffmpeg and font set do what vidpack needs?"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from vidpack.errors import VidpackError
from vidpack.media.runner import run_capture, run_tool_output

APT_HINT = "apt-get install ffmpeg fonts-noto-core fonts-noto-cjk (or run `make demo`)"


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the doctor's report."""

    name: str
    ok: bool
    detail: str
    required: bool = True


def _version(tool: str) -> Check:
    if shutil.which(tool) is None:
        return Check(tool, False, f"not found on PATH: {APT_HINT}")
    out, _ = run_capture([tool, "-hide_banner", "-version"])
    first = out.splitlines()[0] if out else ""
    match = re.search(r"version (\S+)", first)
    return Check(tool, True, match.group(1) if match else first)


def _libass_links(lib: str, why: str) -> Check:
    """Whether the system libass links ``lib`` (HarfBuzz is not visible in ffmpeg's -buildconf)."""
    name = f"libass with {lib}"
    if shutil.which("ldconfig") is None or shutil.which("ldd") is None:
        return Check(name, False, "cannot tell: ldconfig/ldd missing", required=False)
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"=>\s*(\S*libass\.so\.\d+)", cache)
    if not match:
        return Check(name, False, f"libass not found: {APT_HINT}")
    deps = subprocess.run(["ldd", match.group(1)], capture_output=True, text=True, check=False)
    return Check(name, f"lib{lib}" in deps.stdout, why)


def font_checks(preset: str = "tiktok") -> list[Check]:
    """One check per script: the preset's font is installed and draws the script's letters."""
    if shutil.which("fc-match") is None:
        return [Check("fonts", False, f"fc-match not found: {APT_HINT}")]
    from vidpack.presets import load_preset
    from vidpack.subtitles.glyphs import font_table

    checks = []
    for row in font_table(load_preset(preset).subtitles.style.fonts):
        if row.ok:
            detail = f"{row.family} ({row.match.path})"
        elif not row.match.exact:
            detail = f"{row.family} not installed (fontconfig gives {row.match.family}): {APT_HINT}"
        else:
            detail = f"{row.family} lacks {row.missing!r}"
        checks.append(Check(f"font for {row.script}", row.ok, detail))
    return checks


def run_checks(preset: str = "tiktok") -> list[Check]:
    """Everything the doctor reports, in display order; fonts are those of ``preset``."""
    checks = [_version("ffmpeg"), _version("ffprobe")]
    if not checks[0].ok:
        return checks
    try:
        encoders = run_tool_output(["-encoders"])
        filters = run_tool_output(["-filters"])
        buildconf = run_tool_output(["-buildconf"])
    except VidpackError as err:
        return [*checks, Check("ffmpeg features", False, str(err))]

    def has(text: str, word: str) -> bool:
        return re.search(rf"\s{re.escape(word)}\s", text) is not None

    for enc, why in (
        ("libx264", "H.264 encoding"),
        ("aac", "AAC audio"),
        ("mov_text", "MP4 subtitle tracks"),
    ):
        checks.append(Check(f"encoder {enc}", has(encoders, enc), why))
    for flt, why in (
        ("ass", "burned subtitles (libass, HarfBuzz shaping)"),
        ("loudnorm", "loudness normalisation"),
        ("ebur128", "loudness measurement"),
        ("scale", "scaling"),
        ("xfade", "trailer crossfades"),
    ):
        checks.append(Check(f"filter {flt}", has(filters, flt), why))
    for lib, why in (
        ("libass", "subtitle rendering"),
        ("libfribidi", "right-to-left text (Arabic)"),
        ("libfreetype", "text rendering"),
        ("libfontconfig", "font lookup by name"),
    ):
        checks.append(Check(f"built with {lib}", f"--enable-{lib}" in buildconf, why))
    checks.append(_libass_links("harfbuzz", "shaping: Arabic joining, Thai marks"))
    checks.extend(font_checks(preset))
    return checks


def subtitle_checks(preset_name: str, subs: Sequence[str]) -> list[Check]:
    """One check per ``--subs`` file: the preset's font for the file's language has a glyph for
    every character of its cues (the warnings burning it would give, the first shown).

    Raises:
        UsageError: a bad --subs value or an unreadable file (every problem at once).
    """
    from vidpack.presets import load_preset
    from vidpack.subtitles.glyphs import check_cues
    from vidpack.subtitles.inputs import parse_subs_args
    from vidpack.subtitles.run import load_tracks
    from vidpack.subtitles.style import resolve_style

    preset = load_preset(preset_name)
    size = (preset.video.width, preset.video.height)
    checks = []
    for track in load_tracks(parse_subs_args(subs), master_duration=None):
        font = resolve_style(preset, track.language, *size).font
        lacking = check_cues(list(track.cues), font, name=track.path.name)
        name = f"glyphs for {track.language.tag}"
        if lacking:
            more = f" (and {len(lacking) - 1} more cues)" if len(lacking) > 1 else ""
            checks.append(Check(name, False, lacking[0] + more))
        else:
            checks.append(Check(name, True, f"{font}: every character of {track.path.name}"))
    return checks
