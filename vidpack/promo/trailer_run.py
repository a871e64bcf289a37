"""The `trailer` run: check the options, select (or load) the ranges, render, write the ranges
JSON beside the trailer (``<name>.ranges.json``). A trailer written into a folder is named by the
preset's ``naming.trailer`` (:func:`trailer_name`), like every other output."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.errors import UsageError
from vidpack.presets.model import Preset
from vidpack.promo.trailer import TrailerPlan, load_ranges, select

if TYPE_CHECKING:
    from vidpack.hardsubs.masking import HardsubsOptions
    from vidpack.hardsubs.model import Masking

EARLY_SHARE = 1 / 3  # by default trailers draw from the first third (no finale spoilers)


@dataclass(frozen=True, slots=True)
class TrailerResult:
    """What a run wrote."""

    path: Path
    ranges_path: Path
    plan: TrailerPlan
    gain_db: float
    masking: Masking | None = None  # cut to each range inside the encode
    notes: tuple[str, ...] = ()  # burned-in text left unmasked, and why

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "file": str(self.path),
            "ranges": str(self.ranges_path),
            "frames": self.plan.total_frames,
            "seconds": round(self.plan.total_frames / self.plan.fps, 6),
            "gain_db": round(self.gain_db, 2),
            **{k: v for k, v in self.plan.to_dict().items() if k == "ranges"},
            "hardsubs": self.masking.to_dict() if self.masking is not None else None,
            "warnings": list(self.notes),
        }


def parse_episode_range(text: str) -> tuple[int, int]:
    """``"1-10"`` or ``"3"`` to ``(first, last)``.

    Raises:
        UsageError: not N or N-M with 1 <= N <= M.
    """
    parts = text.strip().split("-")
    try:
        first, last = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (0, 0)
    except ValueError:
        first, last = 0, 0
    if not 1 <= first <= last:
        raise UsageError(f"--from-episodes {text!r}: give N or N-M with 1 <= N <= M, e.g. 1-10")
    return first, last


def ranges_path_for(out: Path) -> Path:
    """Where the chosen ranges of ``out`` are written."""
    return out.with_name(out.stem + ".ranges.json")


def trailer_name(preset: Preset, series: str | None, length: int) -> str:
    """The trailer's file name from the preset's ``naming.trailer`` template, by
    :func:`vidpack.presets.naming.file_name` (``series`` None: the preset's).

    Raises:
        UsageError: the series name or the template gives no plain file name.
    """
    from vidpack.presets.naming import file_name

    return file_name(
        preset.naming, "trailer", series=series, ext="mp4", platform=preset.name, length=length
    )


def trailer_path(out: Path, preset: Preset, series: str | None, length: int) -> Path:
    """``out`` itself when it names an ``.mp4`` file, else the folder ``out`` with the trailer
    named by :func:`trailer_name` in it."""
    if out.suffix.lower() == ".mp4":
        return out
    return out / trailer_name(preset, series, length)


def run_trailer(
    master: str,
    out: Path,
    *,
    preset: Preset,
    length: int,
    plan_file: Path | None = None,
    from_episodes: str | None = None,
    ranges_file: Path | None = None,
    reframe: str = "fit",
    title: str = "",
    speed: str = "medium",
    threads: int = 2,
    series: str | None = None,
    hardsubs: HardsubsOptions | None = None,
    mask: Masking | None = None,
) -> TrailerResult:
    """Select (or load) a trailer's ranges from ``master`` and render it to ``out`` (a folder:
    into it, named by :func:`trailer_path` from ``series``, default the preset's).

    ``hardsubs`` (``--hardsubs`` and its options) is resolved against ``master``; ``mask``, a
    masking already resolved (a package's), wins over it. The trailer's encode masks each range
    with the master's mask cut to that range (:meth:`~vidpack.hardsubs.model.Masking.window`).

    Raises:
        UsageError: a length the preset does not list, --from-episodes without --plan or past
            the plan, too little material, an unusable --series, a mask that does not fit the
            master; InputError: unreadable master, plan or ranges.
    """
    from vidpack.analyze import analyze
    from vidpack.media.atomic import check_writable_dir, write_text_atomic
    from vidpack.media.probe import probe, require_video
    from vidpack.presets.naming import series_name
    from vidpack.promo.trailer_render import render_trailer

    problems = []
    named = ""
    try:  # the one series-name rule, checked before any work
        named = series_name(series, preset.naming)
    except UsageError as err:
        problems.append(str(err))
    if length not in preset.trailers.lengths:
        allowed = ", ".join(str(n) for n in preset.trailers.lengths)
        problems.append(f"--length {length}: preset {preset.name} makes {allowed} s trailers")
    if from_episodes is not None and plan_file is None:
        problems.append("--from-episodes needs --plan (the plan says where episodes are)")
    if problems:
        raise UsageError("; ".join(problems))
    out = trailer_path(out, preset, named, length)
    info = probe(master)
    require_video(info)
    notes: list[str] = []
    if mask is None and hardsubs is not None:  # a bad mask fails before anything is written
        from vidpack.hardsubs.masking import resolve_masking

        mask, notes = resolve_masking(master, info, hardsubs)
    fps = preset.video.pick_fps(float(info.fps))
    out.parent.mkdir(parents=True, exist_ok=True)
    check_writable_dir(out.parent)
    if ranges_file is not None:
        plan = load_ranges(ranges_file, master, info.duration, length, fps)
    else:
        span = (0.0, info.duration * EARLY_SHARE)
        if plan_file is not None:
            from vidpack.plan.planfile import load_plan_for

            episodes = load_plan_for(plan_file, master).episodes
            if from_episodes is not None:
                first, last = parse_episode_range(from_episodes)
            else:
                first, last = 1, max(1, math.ceil(len(episodes) * EARLY_SHARE))
            if first > len(episodes):
                raise UsageError(
                    f"--from-episodes {from_episodes}: the plan has {len(episodes)} episodes"
                )
            last = min(last, len(episodes))
            span = (episodes[first - 1].start, episodes[last - 1].end)
        analysis = analyze(master)
        cta = preset.trailers.call_to_action
        spans = [span]
        if from_episodes is None:  # the default early share may be too short: widen it
            spans += [(0.0, span[1] + (info.duration - span[1]) * k / 2) for k in (1, 2)]
        for n, span in enumerate(spans):
            try:
                plan = select(
                    analysis, length=length, fps=fps, span=span, card=preset.trailers.end_card,
                    title=title or preset.naming.series, call_to_action=cta,
                )  # fmt: skip
                break
            except UsageError:
                if n == len(spans) - 1:
                    raise
        plan = TrailerPlan(**{**_fields(plan), "master": master})
    gain = render_trailer(
        plan, info, preset, out, reframe=reframe, speed=speed, threads=threads, mask=mask
    )
    import json

    ranges_path = ranges_path_for(out)
    write_text_atomic(ranges_path, json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n")
    return TrailerResult(out, ranges_path, plan, gain, mask, tuple(notes))


def _fields(plan: TrailerPlan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in TrailerPlan.__dataclass_fields__}
