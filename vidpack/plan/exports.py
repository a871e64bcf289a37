"""Editorial exports of a plan: an OpenTimelineIO timeline and a CMX 3600 EDL.

Both show the whole master as one clip per episode on a timeline that starts at 01:00:00:00,
with a red marker named ``EP01``, ``EP02``... at every episode start (so at every boundary).

The EDL is written here (OpenTimelineIO 0.17+ ships no cmx_3600 adapter; the separate
``otio-cmx3600-adapter`` reads it back). Its timecodes count frames at the nominal rate (30 for
29.97) without drop frame, so source timecodes are exact frame numbers of the master; locators
(``* LOC:``) carry the record (timeline) timecode of each episode start, as Avid and Resolve write
them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.media.atomic import atomic_output, write_text_atomic
from vidpack.media.timecode import frame_timecode, nominal_rate
from vidpack.plan.model import EpisodePlan

if TYPE_CHECKING:
    import opentimelineio as otio

RECORD_START_HOURS = 1  # timelines start at 01:00:00:00, as editors expect


def _stem(plan: EpisodePlan) -> str:
    return Path(plan.master.path).stem or "master"


def _clip_name(plan: EpisodePlan, index: int) -> str:
    return f"{_stem(plan)} - episode {index:02d}"


def build_timeline(plan: EpisodePlan) -> otio.schema.Timeline:
    """An OTIO timeline: a video and an audio track with one clip per episode (each an
    ExternalReference to the master), and a marker at every episode start."""
    import opentimelineio as otio

    rt, tr = otio.opentime.RationalTime, otio.opentime.TimeRange
    rate = plan.master.fps if plan.master.fps > 0 else 25.0
    total = max(plan.master.frame_at(plan.master.duration), plan.episodes[-1].end_frame)
    url = Path(plan.master.path).resolve().as_uri()
    timeline = otio.schema.Timeline(name=f"{_stem(plan)} episodes")
    # 01:00:00:00 counted at the nominal rate, as in the EDL (108000 frames at 29.97 too).
    timeline.global_start_time = rt(RECORD_START_HOURS * 3600 * nominal_rate(rate), rate)
    timeline.metadata["vidpack"] = {
        "master": plan.master.path,
        "fingerprint": plan.master.fingerprint,
        "warnings": list(plan.warnings),
    }
    for kind in (otio.schema.TrackKind.Video, otio.schema.TrackKind.Audio):
        track = otio.schema.Track(
            name="V1" if kind == otio.schema.TrackKind.Video else "A1", kind=kind
        )
        for ep in plan.episodes:
            ref = otio.schema.ExternalReference(
                target_url=url, available_range=tr(rt(0, rate), rt(total, rate))
            )
            clip = otio.schema.Clip(
                name=_clip_name(plan, ep.index),
                media_reference=ref,
                source_range=tr(rt(ep.start_frame, rate), rt(ep.end_frame - ep.start_frame, rate)),
            )
            clip.metadata["vidpack"] = _episode_metadata(ep)
            track.append(clip)
        timeline.tracks.append(track)
    for ep in plan.episodes:
        timeline.tracks.markers.append(
            otio.schema.Marker(
                name=f"EP{ep.index:02d}",
                marked_range=tr(rt(ep.start_frame, rate), rt(0, rate)),
                color=otio.schema.MarkerColor.RED,
                metadata={"vidpack": _episode_metadata(ep)},
            )
        )
    return timeline


def _episode_metadata(ep: Any) -> dict[str, Any]:
    return {
        "episode": ep.index,
        "start": round(ep.start, 6),
        "end": round(ep.end, 6),
        "cut_kind": ep.cut_kind,
        "cut_score": ep.cut_score,
        "in_dialogue": ep.in_dialogue,
        "margin": ep.margin.to_dict() if ep.margin is not None else None,
    }


def write_otio(plan: EpisodePlan, path: str | os.PathLike[str]) -> None:
    """Write the plan's timeline as an ``.otio`` (JSON) file, atomically."""
    import opentimelineio as otio

    timeline = build_timeline(plan)
    with atomic_output(Path(path)) as tmp:
        otio.adapters.write_to_file(timeline, str(tmp), adapter_name="otio_json")


def _reel(plan: EpisodePlan) -> str:
    reel = re.sub(r"[^A-Za-z0-9]+", "", _stem(plan)).upper()[:8]
    return reel or "AX"


def edl_text(plan: EpisodePlan) -> str:
    """The plan as a CMX 3600 EDL (one event per episode, video and two audio channels)."""
    nominal = nominal_rate(plan.master.fps)
    record0 = RECORD_START_HOURS * 3600 * nominal
    title = re.sub(r"[\r\n]+", " ", f"{_stem(plan)} episodes")
    lines = [f"TITLE: {title}", "FCM: NON-DROP FRAME", ""]
    path = Path(plan.master.path).resolve().as_posix()
    reel = _reel(plan)
    for ep in plan.episodes:
        src_in, src_out = ep.start_frame, ep.end_frame
        rec_in, rec_out = record0 + src_in, record0 + src_out
        lines.append(
            f"{ep.index:03d}  {reel:<8} AA/V  C        {frame_timecode(src_in, nominal)} "
            f"{frame_timecode(src_out, nominal)} {frame_timecode(rec_in, nominal)} "
            f"{frame_timecode(rec_out, nominal)}"
        )
        lines.append(f"* FROM CLIP NAME:  {_clip_name(plan, ep.index)}")
        lines.append(f"* FROM CLIP: {path}")
        lines.append(f"* LOC: {frame_timecode(rec_in, nominal)} RED     EP{ep.index:02d}")
        lines.append("")
    return "\r\n".join(lines)


def write_edl(plan: EpisodePlan, path: str | os.PathLike[str]) -> None:
    """Write the plan as a CMX 3600 EDL file, atomically."""
    write_text_atomic(Path(path), edl_text(plan))
