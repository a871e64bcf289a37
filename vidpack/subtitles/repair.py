"""Reading a decoded subtitle file into clean cues, repairing what is clearly meant.

pysubs2 parses every format. Before it, SRT text gets a pass that mends timestamps written
loosely (``0:0:1.5``, ``->``) and missing blank lines, remembering original line numbers.
After it, cues are checked: markup removed, empty cues and cues that end before they start
dropped, out-of-order cues sorted, overlaps trimmed, cues past the master's end dropped or
clipped; ASS/SSA cues whose style the file does not define are kept (as plain text, like every
cue: burned cues get the preset's style) with a warning naming the style. Each repair is a
warning naming the file and line; with ``strict`` they are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vidpack.errors import UsageError
from vidpack.subtitles.model import Cue

_LOOSE_TIME = r"(?:(\d{1,2})\s*:\s*)?(\d{1,2})\s*:\s*(\d{1,2})(?:\s*[,.:;]\s*(\d{1,3}))?"
_LOOSE = re.compile(rf"^\s*{_LOOSE_TIME}\s*-{{1,2}}>+\s*{_LOOSE_TIME}\s*(.*)$")
_STRICT = re.compile(r"^\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d$")
_NUMBER = re.compile(r"^\s*\d+\s*$")
_SIMPLE_OVERRIDE = re.compile(r"\{\\(?:[ibu][01]?|[Nnh])\}")
_ANY_OVERRIDE = re.compile(r"\{\\[^}]*\}")
_HTML = re.compile(r"</?[A-Za-z][^<>]*>")


@dataclass(frozen=True, slots=True)
class Repaired:
    """The cues of one file and the repairs made."""

    cues: tuple[Cue, ...]
    warnings: tuple[str, ...]


def _ms(h: str | None, m: str, s: str, frac: str | None) -> int:
    fraction = round(float(f"0.{frac}") * 1000) if frac else 0
    return ((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + fraction


def _stamp(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms_ = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms_:03d}"


def normalize_srt(text: str) -> tuple[str, list[int], list[str]]:
    """Mend an SRT's timing lines and blank lines before parsing.

    Every timing line gets a cue number before it and the file one after its last cue:
    pysubs2 drops a cue's last line when it is a number (taking it for the next cue's), so
    ``Room\\n101`` at the end of a file, or before an unnumbered cue, would lose ``101``.

    Returns:
        ``(normalized text, original line number of each timing line in order, warnings)``.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    timing_lines: list[int] = []
    warnings: list[str] = []
    skipping = False
    for i, line in enumerate(lines):
        no = i + 1
        if "-->" in line or _LOOSE.match(line):
            match = _LOOSE.match(line)
            if not match:
                warnings.append(f"line {no}: unreadable timing {line.strip()!r}: cue dropped")
                skipping = True
                if out and _NUMBER.match(out[-1]):
                    out.pop()
                continue
            skipping = False
            g = match.groups()
            start, end = _ms(*g[0:4]), _ms(*g[4:8])
            fixed = f"{_stamp(start)} --> {_stamp(end)}"
            if not _STRICT.match(line.strip()):
                warnings.append(f"line {no}: timing {line.strip()!r} read as {fixed!r}")
            number = bool(out) and _NUMBER.match(out[-1]) is not None
            before = (
                out[-2] if number and len(out) >= 2 else (out[-1] if out and not number else "")
            )
            if before.strip():
                warnings.append(f"line {no}: no blank line before this cue: added")
                if number:
                    out.insert(len(out) - 1, "")
                else:
                    out.append("")
            if not number:  # else pysubs2 takes a last text line of digits for the number
                out.append(str(len(timing_lines) + 1))
            out.append(fixed)
            timing_lines.append(no)
            continue
        if skipping:
            if not line.strip():
                skipping = False
                out.append("")
            continue
        out.append(line)
    if timing_lines:  # the last cue's text too ends before a number line, as every other's
        while out and not out[-1].strip():
            out.pop()
        dangling = len(out) >= 2 and _NUMBER.match(out[-1]) and not out[-2].strip()
        if not dangling:  # (one there already: normalizing twice changes nothing)
            out += ["", str(len(timing_lines) + 1)]
    return "\n".join(out) + "\n", timing_lines, warnings


def normalize_vtt(text: str) -> str:
    """Number a WebVTT file's cues the way pysubs2 reads them (its reader is its SRT one's).

    A cue identifier that is not a number would otherwise join the text of the cue before it,
    and a cue's last line of digits would be taken for the next cue's number and lost.
    """
    out: list[str] = []
    count = 0
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "-->" in line:
            count += 1
            if out and out[-1].strip() and not out[-1].startswith("WEBVTT"):
                out[-1] = str(count)  # the cue's identifier (vidpack has no use for it)
            else:
                out.append(str(count))
        out.append(line)
    if count:
        while out and not out[-1].strip():
            out.pop()
        out += ["", str(count + 1)]
    return "\n".join(out) + "\n"


def _event_lines(text: str, fmt: str) -> list[int]:
    """Line numbers of the cue timings of an ASS/SSA/VTT file, in order."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if fmt in ("ass", "ssa"):
        return [i + 1 for i, ln in enumerate(lines) if ln.lstrip().startswith("Dialogue:")]
    return [i + 1 for i, ln in enumerate(lines) if "-->" in ln]


def _plain(raw: str) -> tuple[str, bool]:
    """Plain text of a pysubs2 event and whether markup beyond italic/bold/underline was cut."""
    odd = bool(
        _ANY_OVERRIDE.sub("", _SIMPLE_OVERRIDE.sub("", raw)) != _SIMPLE_OVERRIDE.sub("", raw)
    ) or bool(_HTML.search(raw))
    text = _SIMPLE_OVERRIDE.sub("", raw)
    text = _ANY_OVERRIDE.sub("", text).replace("\\N", "\n").replace("\\n", "\n")
    text = text.replace("\\h", "\u00a0")
    text = _HTML.sub("", text)
    lines = [ln.strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln), odd


def parse_cues(text: str, fmt: str) -> tuple[list[Cue], list[str]]:
    """Parse decoded subtitle text with pysubs2 into raw cues (before the checks).

    Raises:
        UsageError: pysubs2 cannot read the text at all.
    """
    import pysubs2

    warnings: list[str] = []
    if fmt == "srt":
        text, lines, warnings = normalize_srt(text)
    else:
        lines = _event_lines(text, fmt)
        if fmt == "vtt":
            text = normalize_vtt(text)
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    except Exception as err:  # pysubs2 raises several types for unreadable input
        raise UsageError(f"not a readable {fmt.upper()} file ({err})") from None
    events = [e for e in subs if not e.is_comment and not e.is_drawing]
    cues: list[Cue] = []
    undefined: dict[str, list[int]] = {}
    for k, event in enumerate(events):
        line = lines[k] if len(lines) == len(events) else 0
        plain, odd = _plain(event.text)
        if odd:
            warnings.append(f"line {line}: markup removed from {event.text[:40]!r}")
        if fmt in ("ass", "ssa") and event.style not in subs.styles:
            undefined.setdefault(event.style, []).append(line)
        cues.append(Cue(start=event.start, end=event.end, text=plain, line=line))
    warnings += [_undefined_style(style, where) for style, where in undefined.items()]
    return cues, warnings


def _undefined_style(style: str, lines: list[int]) -> str:
    """The warning for cues whose style the file's styles section does not define."""
    many = "s" if len(lines) > 1 else ""
    shown = ", ".join(str(n) for n in lines[:5]) + (", ..." if len(lines) > 5 else "")
    return (
        f"line {lines[0]}: style {style!r} is not defined in the file's styles ({len(lines)} "
        f"cue{many}, line{many} {shown}): kept as plain text (vidpack does not use the file's "
        "styles); define the style or use one the file defines"
    )


def _late_warning(late: list[Cue], master_ms: int) -> str:
    """One warning for every cue starting after the master's end (a file made for a longer
    master would otherwise give a line per cue)."""
    if len(late) == 1:
        return (
            f"line {late[0].line}: cue starts at {_stamp(late[0].start)}, after the master ends "
            f"({_stamp(master_ms)}): dropped"
        )
    lines = ", ".join(str(c.line) for c in late[:3]) + (", ..." if len(late) > 3 else "")
    return (
        f"lines {lines}: {len(late)} cues start at {_stamp(late[0].start)} or later, after the "
        f"master ends ({_stamp(master_ms)}): dropped (is the file for a longer master?)"
    )


def check_cues(cues: list[Cue], master_ms: int | None) -> tuple[list[Cue], list[str]]:
    """Drop, sort, trim and clip cues so they are non-empty, ordered, disjoint and in the master."""
    warnings: list[str] = []
    kept: list[Cue] = []
    late: list[Cue] = []
    for cue in cues:
        if not cue.text.strip():
            warnings.append(f"line {cue.line}: empty cue dropped")
        elif cue.end <= cue.start:
            warnings.append(
                f"line {cue.line}: cue ends ({_stamp(max(cue.end, 0))}) before it starts "
                f"({_stamp(cue.start)}): dropped"
            )
        elif master_ms is not None and cue.start >= master_ms:
            late.append(cue)
        else:
            if master_ms is not None and cue.end > master_ms:
                warnings.append(
                    f"line {cue.line}: cue runs past the master's end: clipped at "
                    f"{_stamp(master_ms)}"
                )
                cue = Cue(cue.start, master_ms, cue.text, cue.line)
            kept.append(cue)
    if late:
        warnings.append(_late_warning(late, master_ms or 0))
    ordered = sorted(kept, key=lambda c: (c.start, c.end))
    if ordered != kept:
        warnings.append("cues out of time order: sorted")
    out: list[Cue] = []
    for cue in ordered:
        prev = out[-1] if out else None
        if prev is not None and cue.start < prev.end:
            if cue.start <= prev.start:
                warnings.append(
                    f"lines {prev.line} and {cue.line}: cues start together: merged into one"
                )
                out[-1] = Cue(
                    prev.start, max(prev.end, cue.end), f"{prev.text}\n{cue.text}", prev.line
                )
                continue
            if cue.end < prev.end:  # inside the first: both show while the second does
                warnings.append(
                    f"lines {prev.line} and {cue.line}: the second cue lies inside the first: "
                    f"shown together from {_stamp(cue.start)} to {_stamp(cue.end)}"
                )
                out[-1] = Cue(prev.start, cue.start, prev.text, prev.line)
                out.append(Cue(cue.start, cue.end, f"{prev.text}\n{cue.text}", cue.line))
                out.append(Cue(cue.end, prev.end, prev.text, prev.line))
                continue
            warnings.append(
                f"lines {prev.line} and {cue.line}: cues overlap by {prev.end - cue.start} ms: "
                f"the first now ends at {_stamp(cue.start)}"
            )
            out[-1] = Cue(prev.start, cue.start, prev.text, prev.line)
        out.append(cue)
    return out, warnings


def repair(
    text: str, fmt: str, *, name: str, master_ms: int | None = None, strict: bool = False
) -> Repaired:
    """Parse ``text`` (format ``fmt``) and repair it.

    Args:
        text: the decoded file.
        fmt: ``srt``, ``ass``, ``ssa`` or ``vtt``.
        name: the file name, put in front of every warning.
        master_ms: the master's duration in ms (cues past it are dropped or clipped).
        strict: refuse any repair instead of making it.

    Raises:
        UsageError: unreadable file, or under ``strict`` any problem (all listed).
    """
    try:
        cues, warnings = parse_cues(text, fmt)
    except UsageError as err:
        raise UsageError(f"subtitles {name!r}: {err}") from None
    cues, more = check_cues(cues, master_ms)
    problems = [f"{name}: {w}" for w in (*warnings, *more)]
    if strict and problems:
        raise UsageError(
            f"--strict: subtitles {name!r} need repairs: "
            + "; ".join(problems)
            + " (fix the file or drop --strict)"
        )
    if not cues:
        raise UsageError(f"subtitles {name!r} contain no usable cues: check the file and --subs")
    return Repaired(cues=tuple(cues), warnings=tuple(problems))
