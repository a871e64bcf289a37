"""Plan files: the episode plan as JSON an editor may edit, and its validation against a master.

Format (``vidpack_plan`` 1)::

    {"vidpack_plan": 1,
     "master": {"path", "size", "duration", "fps", "fingerprint"},
     "options": {"min_s", "max_s", "target_s", ...},
     "episodes": [{"index", "start", "end", "duration", "start_frame", "end_frame",
                   "cut_kind", "cut_score", "in_dialogue",
                   "margin": {"before", "after"} or null}, ...],
     "warnings": ["..."],
     "notes": ["..."]}

Times are seconds from the master's first presentation time. Editors change ``start``/``end``;
``duration`` and the frame numbers are derived again on loading, and ``index`` is renumbered.
Times within half a frame of where they belong are snapped there (each start to the end before,
the first to 0, the last end to the master's); every episode must then hold at least one frame.
The first episode starts at the master's start, no boundary: its ``cut_kind`` is ``start`` and
its ``cut_score``, ``in_dialogue`` and ``margin`` are not read; an unknown ``cut_kind`` of a
later one reads as ``cut``.
``margin`` is the start boundary's distance in seconds from the dialogue (speech or subtitle
cue) before and after it, ``null`` on a side without dialogue and for the first episode; it is
read back as planned (files from before margins, without it, load with no margins).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from pathlib import Path
from typing import Any, cast, get_args

from vidpack.errors import UsageError
from vidpack.media.atomic import write_text_atomic
from vidpack.plan.model import BoundaryKind, Episode, EpisodePlan, Margin, MasterRef, PlanOptions
from vidpack.problems import Problems

PLAN_VERSION = 1
_CHUNK = 1 << 20  # bytes hashed at each end of the master
_LATER_KINDS = frozenset(get_args(BoundaryKind)) - {"start"}


def fingerprint(path: str | os.PathLike[str]) -> str:
    """A quick identity of a file: SHA-256 of its size and its first and last MiB (hex, 24)."""
    p = Path(path)
    size = p.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with p.open("rb") as fh:
        h.update(fh.read(_CHUNK))
        if size > _CHUNK:
            fh.seek(max(size - _CHUNK, _CHUNK))
            h.update(fh.read(_CHUNK))
    return h.hexdigest()[:24]


def master_ref(path: str | os.PathLike[str], duration: float, fps: float) -> MasterRef:
    """The identity of the master at ``path`` (size and fingerprint read from the file)."""
    p = Path(path)
    return MasterRef(
        path=str(p),
        duration=float(duration),
        fps=float(fps),
        size=p.stat().st_size,
        fingerprint=fingerprint(p),
    )


def probe_master_ref(path: str | os.PathLike[str]) -> MasterRef:
    """Probe the master at ``path`` (must have video) and return its identity.

    Raises:
        UsageError, InputError: missing file, not media, no video stream.
    """
    from vidpack.media.probe import probe, require_video

    info = probe(path)
    video = require_video(info)
    return master_ref(path, info.duration, float(video.fps))


def plan_to_dict(plan: EpisodePlan) -> dict[str, Any]:
    """The JSON-ready form of a plan."""
    m = plan.master
    return {
        "vidpack_plan": PLAN_VERSION,
        "master": {
            "path": m.path,
            "size": m.size,
            "duration": round(m.duration, 6),
            "fps": round(m.fps, 6),
            "fingerprint": m.fingerprint,
        },
        "options": plan.options.to_dict(),
        "episodes": [
            {
                "index": e.index,
                "start": round(e.start, 6),
                "end": round(e.end, 6),
                "duration": round(e.duration, 6),
                "start_frame": e.start_frame,
                "end_frame": e.end_frame,
                "cut_kind": e.cut_kind,
                "cut_score": e.cut_score,
                "in_dialogue": e.in_dialogue,
                "margin": e.margin.to_dict() if e.margin is not None else None,
            }
            for e in plan.episodes
        ],
        "warnings": list(plan.warnings),
        "notes": list(plan.notes),
    }


def plan_json(plan: EpisodePlan) -> str:
    """The plan file's text (what :func:`save_plan` writes)."""
    return json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False) + "\n"


def save_plan(plan: EpisodePlan, path: str | os.PathLike[str]) -> None:
    """Write ``plan`` as JSON to ``path`` atomically (temp file, then rename)."""
    write_text_atomic(Path(path), plan_json(plan))


def _number(value: Any) -> float | None:
    """``value`` as a finite float, or ``None`` (not a number, NaN, infinite, an integer beyond
    any float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _kind(value: Any) -> BoundaryKind:
    """A later episode's saved ``cut_kind`` (``cut`` when it is not one vidpack writes)."""
    return cast(BoundaryKind, value) if isinstance(value, str) and value in _LATER_KINDS else "cut"


def _margin(value: Any) -> Margin | None:
    """A saved ``margin`` (``None`` when absent or not ``{"before": s, "after": s}``)."""
    if not isinstance(value, dict):
        return None
    sides: list[float | None] = []
    for key in ("before", "after"):
        raw = value.get(key)
        number = _number(raw)
        if (raw is not None and number is None) or (number is not None and number < 0):
            return None
        sides.append(number)
    return Margin(before=sides[0], after=sides[1])


def _strings(data: dict[str, Any], key: str, problems: list[str]) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        problems.append(f"{key}: not a list of strings")
        return []
    return value


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise UsageError(
            f"plan file {str(path)!r} not found: give the file `vidpack plan -o` wrote"
        )
    name = f"plan file {str(path)!r}"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UsageError(f"{name} cannot be read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{name} is not UTF-8 text: give a plan JSON file") from None
    except json.JSONDecodeError as err:
        raise UsageError(
            f"{name} is not valid JSON: {err.msg} at line {err.lineno} column {err.colno}"
        ) from None
    except ValueError:  # an integer literal longer than Python converts
        raise UsageError(
            f"{name} is not a plan: it holds a number of more than "
            f"{sys.get_int_max_str_digits()} digits"
        ) from None
    except RecursionError:
        raise UsageError(f"{name} is not a plan: its JSON is nested too deeply") from None


def _master_problems(data: Any, actual: MasterRef) -> tuple[list[str], float | None]:
    """Problems with the plan's ``master`` object, and its duration when readable."""
    if not isinstance(data, dict):
        return ["master: missing or not an object: keep the master block vidpack wrote"], None
    problems: list[str] = []
    duration = _number(data.get("duration"))
    if duration is None or duration <= 0:
        problems.append(
            f"master.duration: {data.get('duration')!r} is not a positive number: keep the "
            f"value vidpack wrote ({actual.duration:.3f} for this master)"
        )
        duration = None
    size = data.get("size")
    print_ = data.get("fingerprint")
    different = duration is not None and abs(duration - actual.duration) > actual.frame
    if isinstance(print_, str) and actual.fingerprint and print_ != actual.fingerprint:
        different = True
    if isinstance(size, int) and actual.size is not None and size != actual.size:
        different = True
    if different:
        shown = f"{duration:.3f} s" if duration is not None else "? s"
        theirs = f"{data.get('path', '?')!r} ({shown}, {size if size is not None else '?'} bytes)"
        ours = f"{actual.path!r} ({actual.duration:.3f} s, {actual.size} bytes)"
        problems.append(
            f"the plan is for a different master: it was made for {theirs}, not {ours}: "
            f"run `vidpack plan {actual.path}` to plan this master"
        )
    return problems, duration


_Span = tuple[float, float, dict[str, Any]]


def _episode_problems(raw: Any, actual: MasterRef) -> tuple[list[str], list[_Span]]:
    """Problems with the episodes (fields, then order and range), and their snapped spans.

    The order and range checks look at every pair of neighbours whose times are readable, so
    a bad field in one episode does not hide a gap between two others.
    """
    problems: list[str] = []
    if not isinstance(raw, list) or not raw:
        return ["episodes: missing or empty: list at least one episode"], []
    readable: dict[int, _Span] = {}
    for pos, item in enumerate(raw, start=1):
        name = f"episode {pos}"
        if not isinstance(item, dict):
            problems.append(f"{name}: not an object with start and end")
            continue
        start, end = _number(item.get("start")), _number(item.get("end"))
        if start is None:
            problems.append(f"{name} start: {item.get('start')!r} is not a number of seconds")
        if end is None:
            problems.append(f"{name} end: {item.get('end')!r} is not a number of seconds")
        if start is None or end is None:
            continue
        if end <= start:
            problems.append(f"{name} end: {end:.3f} is not after its start {start:.3f}")
            continue
        readable[pos] = (start, end, item)
    order, snapped = _order_problems(readable, len(raw), actual)
    return problems + order, snapped


def _order_problems(
    spans: dict[int, _Span], count: int, actual: MasterRef
) -> tuple[list[str], list[_Span]]:
    """Episode 1 at 0, neighbours meeting, the last at the master's end, and each one holding a
    frame once snapped there (readable ones only); and the snapped spans (all of them when
    there are no problems)."""
    problems: list[str] = []
    tol = actual.frame / 2
    off: set[int] = set()  # episodes with a time reported out of place
    if 1 in spans and abs(spans[1][0]) > tol:
        off.add(1)
        problems.append(
            f"episode 1 start: {spans[1][0]:.3f} should be 0 (the master's start): set it to 0"
        )
    for pos in range(2, count + 1):
        if pos not in spans or pos - 1 not in spans:
            continue
        prev_end, start = spans[pos - 1][1], spans[pos][0]
        if start < prev_end - tol:
            off.add(pos)
            problems.append(
                f"episode {pos} start: {start:.3f} overlaps episode {pos - 1}, which ends at "
                f"{prev_end:.3f}: make them meet at one time"
            )
        elif start > prev_end + tol:
            off.add(pos)
            problems.append(
                f"episode {pos} start: {start:.3f} leaves a gap after episode {pos - 1}, which "
                f"ends at {prev_end:.3f}: make them meet at one time"
            )
    for pos, (_, end, _) in spans.items():
        if end > actual.duration + tol and pos != count:
            off.add(pos)
            problems.append(
                f"episode {pos} end: {end:.3f} is past the master's end {actual.duration:.3f}"
            )
    if count in spans and abs(spans[count][1] - actual.duration) > tol:
        last = spans[count][1]
        verb = "is past" if last > actual.duration else "stops before"
        off.add(count)
        problems.append(
            f"episode {count} end: {last:.3f} {verb} the master's end "
            f"{actual.duration:.3f}: set it to {actual.duration:.3f}"
        )
    snapped: list[_Span] = []
    for pos, (_, end, item) in spans.items():
        if pos > 1 and pos - 1 not in spans:
            continue
        start = spans[pos - 1][1] if pos > 1 else 0.0
        end = actual.duration if pos == count else end
        snapped.append((start, end, item))
        if pos not in off and not _holds_a_frame(actual, start, end):
            problems.append(
                f"episode {pos}: {start:.3f} to {end:.3f} (its times snapped to its neighbours') "
                f"holds no frame of the master: make it at least {actual.frame:.3f} s long or "
                "merge it with a neighbour"
            )
    return problems, snapped


def _holds_a_frame(master: MasterRef, start: float, end: float) -> bool:
    """``[start, end)`` holds a frame as frames are numbered (any time when the rate is unknown)."""
    if master.fps > 0:
        return master.frame_at(end) > master.frame_at(start)
    return end > start


def load_plan(path: str | os.PathLike[str], master: MasterRef) -> EpisodePlan:
    """Read a plan file and check it against the master it will be applied to.

    Args:
        path: the plan JSON.
        master: the actual master's identity (see :func:`master_ref` / :func:`probe_master_ref`).

    Returns:
        The plan, with times snapped to meet exactly, frames derived from the master's frame rate
        and episodes numbered 1..n.

    Raises:
        UsageError: every problem at once (syntax, schema, different master, gaps, overlaps,
            out-of-range times, episodes that hold no frame), each naming the episode and field.
    """
    p = Path(path)
    data = _read_json(p)
    if not isinstance(data, dict):
        raise UsageError(f"plan file {str(p)!r}: not a JSON object with master and episodes")
    problems: list[str] = []
    version = data.get("vidpack_plan", PLAN_VERSION)
    if version != PLAN_VERSION:
        problems.append(f"vidpack_plan: {version!r} is not a plan version this vidpack reads (1)")
    master_problems, _ = _master_problems(data.get("master"), master)
    problems += master_problems
    ep_problems, spans = _episode_problems(data.get("episodes"), master)
    problems += ep_problems
    raw_options = data.get("options", {})
    if not isinstance(raw_options, dict):
        problems.append("options: not an object: remove it or keep the one vidpack wrote")
        raw_options = {}
    warnings = _strings(data, "warnings", problems)
    notes = _strings(data, "notes", problems)
    if problems:
        raise Problems(problems, source=f"plan file {str(p)!r}")

    numeric = {k: v for k, v in raw_options.items() if _number(v) is not None}
    try:
        options = PlanOptions.from_dict(numeric)
    except TypeError:
        options = PlanOptions()
    episodes: list[Episode] = []
    for pos, (start, end, item) in enumerate(spans, start=1):
        first = pos == 1  # the master's start, no boundary: nothing about a cut to read
        episodes.append(
            Episode(
                index=pos,
                start=start,
                end=end,
                start_frame=master.frame_at(start),
                end_frame=master.frame_at(end),
                cut_kind="start" if first else _kind(item.get("cut_kind")),
                cut_score=None if first else _number(item.get("cut_score")),
                in_dialogue=not first and item.get("in_dialogue") is True,
                margin=None if first else _margin(item.get("margin")),
            )
        )
    return EpisodePlan(
        master=master,
        options=options,
        episodes=tuple(episodes),
        warnings=tuple(warnings),
        notes=tuple(notes),
    )


def load_plan_for(path: str | os.PathLike[str], master_path: str | os.PathLike[str]) -> EpisodePlan:
    """Probe ``master_path`` and :func:`load_plan` ``path`` against it (for ``--plan`` options)."""
    return load_plan(path, probe_master_ref(master_path))
