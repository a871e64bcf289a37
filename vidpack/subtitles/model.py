"""The subtitle value types shared by every step: a cue and a track (one language's cues)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vidpack.subtitles.languages import Language


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle: plain text (lines joined by ``\\n``) shown over ``[start, end)`` ms.

    Attributes:
        start: milliseconds from the master's (or episode's) first frame.
        end: milliseconds, exclusive.
        text: plain text without markup.
        line: the line number in the source file where the cue's timing is (0 if unknown).
    """

    start: int
    end: int
    text: str
    line: int = 0

    @property
    def duration(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Track:
    """One subtitle file read, decoded and repaired.

    Attributes:
        path: the file given.
        language: its language.
        format: the source format (``srt``, ``ass``, ``ssa``, ``vtt``).
        encoding: the encoding it was decoded with.
        cues: in time order, non-overlapping, non-empty, inside the master.
        warnings: one line per repair, naming the file and line numbers.
    """

    path: Path
    language: Language
    format: str
    encoding: str
    cues: tuple[Cue, ...]
    warnings: tuple[str, ...] = ()
