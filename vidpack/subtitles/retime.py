"""Cutting a master's cues to one episode: shifted to its start, clipped to its edges."""

from __future__ import annotations

from collections.abc import Iterable

from vidpack.subtitles.model import Cue

MIN_FRAGMENT_MS = 300
"""A cue clipped at an episode edge to less than this is dropped (too short to read)."""


def to_ms(seconds: float) -> int:
    """Seconds to whole milliseconds (rounded half away from zero for positive times)."""
    return int(seconds * 1000 + 0.5)


def retime(
    cues: Iterable[Cue], start: float, end: float, *, min_fragment_ms: int = MIN_FRAGMENT_MS
) -> list[Cue]:
    """The cues overlapping the episode ``[start, end)`` seconds, in episode time.

    Each cue is shifted by ``-start`` and clipped to ``[0, end - start]`` to the millisecond;
    a cue that was clipped and lasts less than ``min_fragment_ms`` is dropped. Cues that fit
    whole are kept whatever their length.
    """
    s, e = to_ms(start), to_ms(end)
    out: list[Cue] = []
    for cue in cues:
        if cue.end <= s or cue.start >= e:
            continue
        a, b = max(cue.start, s), min(cue.end, e)
        clipped = (a, b) != (cue.start, cue.end)
        if clipped and b - a < min_fragment_ms:
            continue
        out.append(Cue(a - s, b - s, cue.text, cue.line))
    return out
