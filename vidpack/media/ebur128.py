"""What ffmpeg's ``ebur128`` (true peak on) reports of a file's sound: the one reading that QC
and the loudness check pass both trust, so they measure the same thing the same way."""

from __future__ import annotations

import re
from pathlib import Path

from vidpack.media.runner import run_capture

_I = re.compile(r"^\s*I:\s+(-?[\d.]+|-inf)\s+LUFS", re.M)
_PEAK = re.compile(r"True peak:\s*\n\s*Peak:\s+(-?[\d.]+|-inf)\s+dBFS", re.M)


def ebur128_summary(
    path: Path, *, label: str, stream: int = 0
) -> tuple[float | None, float | None]:
    """Integrated loudness (LUFS) and true peak (dBTP) of ``path``'s audio stream ``stream``
    (counting audio streams only), from one ebur128 pass; None where the summary has no value,
    ``-inf`` for silence.

    Raises:
        FFmpegError: ffmpeg failed.
    """
    _, err = run_capture(
        ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", str(path),
         "-map", f"0:a:{stream}", "-af", "ebur128=peak=true", "-f", "null", "-"],
        label=label,
    )  # fmt: skip
    summary = err[err.rfind("Summary:") :] if "Summary:" in err else err

    def num(m: re.Match[str] | None) -> float | None:
        if m is None:
            return None
        return float("-inf") if m.group(1) == "-inf" else float(m.group(1))

    return num(_I.search(summary)), num(_PEAK.search(summary))
