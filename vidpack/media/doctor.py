"""Capability checks: does this machine's ffmpeg and font set do what vidpack needs?"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from vidpack.errors import VidpackError
from vidpack.media.runner import run_capture, run_tool_output

# script -> (fontconfig language tag, the font vidpack's presets name for it, sample text)
SCRIPTS: dict[str, tuple[str, str]] = {
    "latin": ("en", "Noto Sans"),
    "cjk (chinese simplified)": ("zh-cn", "Noto Sans CJK SC"),
    "cjk (chinese traditional)": ("zh-tw", "Noto Sans CJK TC"),
    "japanese": ("ja", "Noto Sans CJK JP"),
    "korean": ("ko", "Noto Sans CJK KR"),
    "arabic": ("ar", "Noto Sans Arabic"),
    "thai": ("th", "Noto Sans Thai"),
}

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


def _fonts(lang: str) -> list[str]:
    if shutil.which("fc-list") is None:
        return []
    out = subprocess.run(
        ["fc-list", f":lang={lang}", "family"], capture_output=True, text=True, check=False
    ).stdout
    return sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})


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


def run_checks() -> list[Check]:
    """Everything the doctor reports, in display order."""
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
        ("subtitles", "burned subtitles (libass)"),
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
    for script, (lang, wanted) in SCRIPTS.items():
        families = _fonts(lang)
        ok = bool(families)
        detail = (
            (wanted if wanted in families else f"{families[0]} (preset font {wanted} missing)")
            if ok
            else f"no font: {APT_HINT}"
        )
        checks.append(Check(f"font for {script}", ok, detail))
    return checks
