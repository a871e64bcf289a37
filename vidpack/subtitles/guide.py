"""Checks of subtitle cues against a professional style guide, and the mechanical fixes.

The guide is Netflix's Timed Text Style Guide (TTSG). Figures and where they come from:

- General Requirements (partnerhelp.netflixstudios.com/hc/en-us/articles/215758617): minimum
  duration 5/6 s a subtitle event, maximum 7 s, 2 lines maximum, a frame gap of 2 frames
  minimum between events, whatever the frame rate.
- Characters a line, from each language's TTSG: English (USA) 42 (articles/217350977), Arabic
  42 (215517947), Thai 35 (220448308), Korean 16 (216001127; Latin characters, spaces and
  punctuation count half), Japanese 13 full-width (215767517; half-width counts half),
  Simplified Chinese 16 (as quoted in ../shared/PLATFORMS.md).
- Characters a second: English (USA) adult programs 20 (as quoted in ../shared/PLATFORMS.md and
  read from the guide by caption-checker); Simplified Chinese 9 (PLATFORMS.md); Japanese 4,
  Korean 12, Arabic 17 (the per-language table of sublingo.cc/guides/subtitle-specs-by-language,
  which cites the Netflix guides). Thai: none found: 17, **vidpack's choice** (the figure most
  non-English Netflix guides use). Other languages: 42 a line and 17 a second, vidpack's choice.
- Shot changes (Subtitle Timing Guidelines, articles/360051554394): subtitles should not cross a
  shot change. A cue that crosses a cut by a frame or two (starts 1-2 frames before it, or ends
  1-2 frames after it) is reported and snapped onto the cut; the 2-frame window is **vidpack's
  choice**.
- Counting: every character but line breaks counts, combining marks (Thai and Arabic vowel
  signs) do not (vidpack's choice: they take no room on the line).

:func:`check` reports every violation of one track; :func:`fix` changes what can be changed
mechanically (re-break lines, extend a short or fast cue into the gap after it, open a too
small gap, snap onto cuts) and says what it changed.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from vidpack.subtitles.layout import width, wrap
from vidpack.subtitles.model import Cue, Track

GUIDE_NAME = "Netflix Timed Text Style Guide"
# primary language -> (characters a line, characters a second)
RULES: dict[str, tuple[int, float]] = {
    "en": (42, 20.0),
    "zh": (16, 9.0),
    "ja": (13, 4.0),
    "ko": (16, 12.0),
    "ar": (42, 17.0),
    "th": (35, 17.0),
}
DEFAULT_RULES = (42, 17.0)
MAX_LINES = 2
MIN_DURATION_MS = 5000 / 6
MAX_DURATION_MS = 7000.0
MIN_GAP_FRAMES = 2
CUT_FRAMES = 2
_TOLERANCE_MS = 1.0  # SRT times are whole milliseconds: 83 ms is 2 frames at 24 fps
_HALF_WIDTH_LANGS = frozenset({"ja", "ko", "zh"})


@dataclass(frozen=True, slots=True)
class Violation:
    """One cue off the guide.

    Attributes:
        kind: ``line_length``, ``lines``, ``reading_speed``, ``min_duration``, ``max_duration``,
            ``gap`` or ``shot_cut``.
        cue: the cue's number in the file (from 1).
        message: the one-line warning, naming the file, cue, time, value and limit.
    """

    kind: str
    cue: int
    message: str


def line_length(line: str, primary: str) -> float:
    """Characters of one line as the guide counts them (half-width counts half in CJK)."""
    if primary not in _HALF_WIDTH_LANGS:
        return float(width(line))
    total = 0.0
    for ch in line:
        if unicodedata.category(ch) == "Mn":
            continue
        total += 0.5 if unicodedata.east_asian_width(ch) in ("Na", "H") else 1.0
    return total


def rules_for(primary: str) -> tuple[int, float]:
    """(characters a line, characters a second) for a primary language subtag."""
    return RULES.get(primary, DEFAULT_RULES)


def _clock(ms: float) -> str:
    ms = round(ms)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def check(
    cues: Sequence[Cue],
    primary: str,
    *,
    name: str,
    fps: float,
    cuts_ms: Sequence[float] = (),
) -> list[Violation]:
    """Every violation of the guide in ``cues`` (one track, in time order).

    Args:
        cues: the track's cues; numbered from 1 in messages.
        primary: the language's primary subtag (``en``, ``zh``).
        name: the file name put in front of each message.
        fps: the video's frame rate (frame gaps and the cut window are frames).
        cuts_ms: shot cuts (first frame of the new shot) in the cues' time base.
    """
    cpl, cps = rules_for(primary)
    frame = 1000.0 / fps
    out: list[Violation] = []
    for number, cue in enumerate(cues, 1):
        where = f"{name} cue {number} ({_clock(cue.start)})"

        def add(kind: str, text: str, number: int = number, where: str = where) -> None:
            out.append(Violation(kind, number, f"{where}: {text}"))

        lines = [line for line in cue.text.split("\n") if line.strip()]
        if len(lines) > MAX_LINES:
            add("lines", f"{len(lines)} lines, the guide allows {MAX_LINES}")
        longest = max((line_length(line, primary) for line in lines), default=0.0)
        if longest > cpl:
            add(
                "line_length",
                f"a line of {_num(longest)} characters, the guide's limit for {primary} is {cpl}",
            )
        seconds = cue.duration / 1000
        speed = width(cue.text.replace("\n", "")) / seconds if seconds > 0 else math.inf
        if speed > cps + 1e-9:
            add(
                "reading_speed",
                f"{_num(speed)} characters a second, the guide's limit for {primary} is "
                f"{_num(cps)}",
            )
        if cue.duration < MIN_DURATION_MS - _TOLERANCE_MS:
            add(
                "min_duration",
                f"on screen {seconds:.3f} s, the guide's minimum is 5/6 s (0.833 s)",
            )
        if cue.duration > MAX_DURATION_MS + _TOLERANCE_MS:
            add("max_duration", f"on screen {seconds:.3f} s, the guide's maximum is 7 s")
        if number > 1:
            gap = cue.start - cues[number - 2].end
            if gap < MIN_GAP_FRAMES * frame - _TOLERANCE_MS:
                add(
                    "gap",
                    f"{gap:.0f} ms after cue {number - 1}, the guide's minimum gap is "
                    f"{MIN_GAP_FRAMES} frames ({MIN_GAP_FRAMES * frame:.0f} ms at {_num(fps)} fps)",
                )
        for edge, cut in _crossings(cue, cuts_ms, frame):
            frames = round(abs(cut - getattr(cue, edge)) / frame)
            verb = "starts" if edge == "start" else "ends"
            side = "before" if edge == "start" else "after"
            add(
                "shot_cut",
                f"{verb} {max(frames, 1)} frame{'s' if frames > 1 else ''} {side} the shot cut "
                f"at {_clock(cut)}: snap it onto the cut",
            )
    return out


def _crossings(cue: Cue, cuts_ms: Sequence[float], frame: float) -> list[tuple[str, float]]:
    """The edges of ``cue`` that cross a cut by a frame or two: (``start``/``end``, cut)."""
    window = CUT_FRAMES * frame + _TOLERANCE_MS
    out: list[tuple[str, float]] = []
    for cut in cuts_ms:
        if _TOLERANCE_MS < cut - cue.start <= window and cut < cue.end:
            out.append(("start", cut))
        if _TOLERANCE_MS < cue.end - cut <= window and cut > cue.start:
            out.append(("end", cut))
    return out


@dataclass(frozen=True, slots=True)
class FixResult:
    """The fixed cues and one line per change."""

    cues: tuple[Cue, ...]
    changes: tuple[str, ...]


def fix(
    cues: Sequence[Cue],
    primary: str,
    *,
    name: str,
    fps: float,
    cuts_ms: Sequence[float] = (),
    end_ms: float | None = None,
) -> FixResult:
    """Fix what can be fixed mechanically, in this order: re-break lines (when the text fits
    the guide's lines), snap edges onto cuts, extend a too short or too fast cue into the gap
    after it (never past the next cue's gap, the next cut or ``end_ms``), open a too small gap
    (the earlier cue ends sooner, or else the later one starts later, when each keeps 5/6 s).
    What cannot be fixed so (too much text, a cue over 7 s) is left for :func:`check` to report.
    """
    cpl, cps = rules_for(primary)
    frame = 1000.0 / fps
    gap_ms = math.ceil(MIN_GAP_FRAMES * frame)
    out = list(cues)
    changes: list[tuple[int, str]] = []

    def note(i: int, text: str) -> None:
        changes.append((i, f"{name} cue {i + 1} ({_clock(cues[i].start)}): {text}"))

    for i, cue in enumerate(out):
        lines = [line for line in cue.text.split("\n") if line.strip()]
        longest = max((line_length(line, primary) for line in lines), default=0.0)
        if len(lines) > MAX_LINES or longest > cpl:
            text = wrap(cue.text, primary, cpl, MAX_LINES)
            new = text.split("\n")
            if max(line_length(line, primary) for line in new) <= cpl and text != cue.text:
                out[i] = replace(cue, text=text)
                shown = " / ".join(new)
                note(i, f"lines re-broken: {shown!r}")
        for edge, cut in _crossings(out[i], cuts_ms, frame):
            snapped = round(cut)
            out[i] = (
                replace(out[i], start=snapped) if edge == "start" else replace(out[i], end=snapped)
            )
            note(i, f"{edge} snapped onto the shot cut at {_clock(cut)}")
    for i, cue in enumerate(out):
        need = max(MIN_DURATION_MS, width(cue.text.replace("\n", "")) / cps * 1000)
        if cue.duration >= need - _TOLERANCE_MS:
            continue
        limit = out[i + 1].start - gap_ms if i + 1 < len(out) else math.inf
        limit = min(limit, end_ms if end_ms is not None else math.inf)
        limit = min([limit, *(c for c in cuts_ms if c > cue.end)])
        new_end = min(cue.start + math.ceil(need), limit)
        if new_end > cue.end:
            out[i] = replace(cue, end=round(new_end))
            note(i, f"end extended to {_clock(new_end)} ({(new_end - cue.start) / 1000:.3f} s)")
    for i in range(1, len(out)):
        prev, cue = out[i - 1], out[i]
        if cue.start - prev.end >= MIN_GAP_FRAMES * frame - _TOLERANCE_MS:
            continue
        if cue.start - gap_ms - prev.start >= MIN_DURATION_MS:
            out[i - 1] = replace(prev, end=cue.start - gap_ms)
            note(
                i - 1,
                f"end moved to {_clock(cue.start - gap_ms)} (gap to cue {i + 1}: {gap_ms} ms)",
            )
        elif cue.end - (prev.end + gap_ms) >= MIN_DURATION_MS:
            out[i] = replace(cue, start=prev.end + gap_ms)
            note(i, f"start moved to {_clock(prev.end + gap_ms)} (gap after cue {i}: {gap_ms} ms)")
    changes.sort(key=lambda change: change[0])  # cue by cue (stable: pass order within one)
    return FixResult(tuple(out), tuple(text for _, text in changes))


def review_tracks(
    tracks: Sequence[Track],
    *,
    fps: float,
    cuts_ms: Sequence[float] = (),
    end_ms: float | None = None,
    apply_fixes: bool = False,
) -> tuple[list[Track], list[str], list[str]]:
    """Check (and with ``apply_fixes``, first fix) every track against the guide.

    Returns:
        The tracks (fixed or as given), the changes made (one line each) and the violations
        left (one line each), file by file.
    """
    out: list[Track] = []
    changes: list[str] = []
    left: list[str] = []
    for track in tracks:
        primary, name = track.language.primary, track.path.name
        if apply_fixes:
            result = fix(track.cues, primary, name=name, fps=fps, cuts_ms=cuts_ms, end_ms=end_ms)
            track = replace(track, cues=result.cues)
            changes += result.changes
        found = check(track.cues, primary, name=name, fps=fps, cuts_ms=cuts_ms)
        left += [v.message for v in found]
        out.append(track)
    return out, changes, left
