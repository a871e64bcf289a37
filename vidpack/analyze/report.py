"""Ways to hand the transitions of an :class:`Analysis` to people and tools: a JSON object, CSV
rows and a CMX 3600 EDL with one event per shot (timeline from 01:00:00:00, non-drop frame,
source timecodes counting the master's frames at the nominal rate).
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Any

from vidpack.analyze.model import Analysis
from vidpack.media.atomic import write_text_atomic
from vidpack.media.timecode import frame_timecode, nominal_rate

RECORD_START_HOURS = 1


def scenes_json(analysis: Analysis) -> dict[str, Any]:
    """``{"master", "duration", "fps", "cuts": [{time, frame, kind, score}],
    "speech": [{start, end}]}``: the speech is what the planner treats as dialogue."""
    return {
        "master": analysis.master,
        "duration": analysis.duration,
        "fps": analysis.fps,
        "cuts": [
            {"time": t.time, "frame": t.frame, "kind": t.kind, "score": t.score}
            for t in analysis.transitions
        ],
        "speech": [{"start": i.start, "end": i.end} for i in analysis.speech],
    }


def scenes_csv(analysis: Analysis) -> str:
    """CSV with the header ``time,frame,kind,score`` and one row per transition."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["time", "frame", "kind", "score"])
    for t in analysis.transitions:
        writer.writerow([f"{t.time:.6f}", t.frame, t.kind, f"{t.score:.3f}"])
    return out.getvalue()


def shot_frames(analysis: Analysis) -> list[tuple[int, int, str]]:
    """(first frame, end frame, how the shot begins) of every shot, covering the master."""
    fps = analysis.fps if analysis.fps > 0 else 25.0
    total = max(analysis.frame_count, round(analysis.duration * fps))
    starts = [0, *(t.frame for t in analysis.transitions if 0 < t.frame < total)]
    kinds = ["start", *(t.kind for t in analysis.transitions if 0 < t.frame < total)]
    ends = [*starts[1:], total]
    return [(a, b, k) for a, b, k in zip(starts, ends, kinds, strict=True) if b > a]


def edl_text(analysis: Analysis) -> str:
    """The shots as a CMX 3600 EDL: one cut event per shot, the shot's opening transition and
    score in a comment."""
    nominal = nominal_rate(analysis.fps)
    record0 = RECORD_START_HOURS * 3600 * nominal
    stem = Path(analysis.master).stem or "master"
    reel = re.sub(r"[^A-Za-z0-9]+", "", stem).upper()[:8] or "AX"
    title = re.sub(r"[\r\n]+", " ", stem)
    lines = [f"TITLE: {title} shots", "FCM: NON-DROP FRAME", ""]
    path = Path(analysis.master).resolve().as_posix()
    scores = {t.frame: t.score for t in analysis.transitions}
    for n, (a, b, kind) in enumerate(shot_frames(analysis), start=1):
        lines.append(
            f"{n:03d}  {reel:<8} AA/V  C        {frame_timecode(a, nominal)} "
            f"{frame_timecode(b, nominal)} {frame_timecode(record0 + a, nominal)} "
            f"{frame_timecode(record0 + b, nominal)}"
        )
        lines.append(f"* FROM CLIP NAME:  {stem} - shot {n:03d}")
        lines.append(f"* FROM CLIP: {path}")
        if kind != "start":
            lines.append(f"* COMMENT: begins with a {kind} (score {scores.get(a, 0.0):.2f})")
        lines.append("")
    return "\r\n".join(lines)


def write_edl(analysis: Analysis, path: str | os.PathLike[str]) -> None:
    """Write :func:`edl_text` to ``path`` atomically."""
    write_text_atomic(Path(path), edl_text(analysis))
