"""QC of a package's subtitle sidecars against the style guide (vidpack/subtitles/guide.py).

Every sidecar file the manifest lists is read back (pysubs2) and its cues checked with the
guide's rules for the file's language: characters a line and a second, lines, duration, gaps.
The frame rate for the 2-frame gap is the preset's (``video.fps``; for ``"source"`` its highest
allowed rate, so no gap is called too small that is not too small at the real rate). Shot cuts
are not in the manifest, so QC does not check cue edges against cuts, and burned or muxed
tracks are checked where they are made (``vidpack subs``, ``split`` and ``package`` read the
same cues from the same files). Findings are warnings, one line per cue: the reading speed is
the subtitler's call, so a package with them still passes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _fps(m: dict[str, Any]) -> float:
    """The preset's fixed rate, else its highest allowed one (the shortest frame: a gap QC
    calls too small is too small at any rate the package may have)."""
    video = (m.get("preset") or {}).get("video") or {}
    try:
        return float(video.get("fps", ""))
    except (TypeError, ValueError):
        pass
    rates = [float(r) for r in video.get("allowed_fps") or [] if isinstance(r, (int, float))]
    return max(rates, default=25.0)


def guide_warnings(folder: Path, m: dict[str, Any]) -> tuple[str, ...]:
    """One warning per cue off the guide in every sidecar the manifest ``m`` lists (files that
    are missing or unreadable are QC's own ``subtitle file`` checks, not repeated here)."""
    import pysubs2

    from vidpack.subtitles.guide import GUIDE_NAME, check
    from vidpack.subtitles.languages import is_language_tag, language
    from vidpack.subtitles.model import Cue

    fps = _fps(m)
    out: list[str] = []
    for ep in m.get("episodes") or []:
        for sub in ep.get("subtitles") or []:
            rel, tag = sub.get("file"), str(sub.get("language") or "")
            if sub.get("mode") != "sidecar" or not rel or not is_language_tag(tag):
                continue
            path = Path(folder) / str(rel)
            try:
                events = [e for e in pysubs2.load(str(path)).events if not e.is_comment]
            except Exception:  # pysubs2 raises several types; QC's subtitle file check reports it
                continue
            cues = [Cue(e.start, e.end, e.plaintext) for e in events]
            for v in check(cues, language(tag).primary, name=str(rel), fps=fps):
                out.append(f"{GUIDE_NAME}: {v.message}")
    return tuple(out)
