"""The `thumbs` run: analysis (cached) -> candidates -> picks, contact sheet and covers.

Writes into the output folder: ``thumb_NN.jpg`` (full-size picks), ``contact_sheet.jpg``,
per-episode covers (with a plan, or ``episode`` for an episode file) and series covers in every
size the preset asks for, and returns a JSON-ready summary.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.errors import StorageError, UsageError, VidpackError
from vidpack.media.atomic import check_writable_dir
from vidpack.presets.model import Preset
from vidpack.promo.covers import Cover, cover_name, make_cover
from vidpack.promo.sheet import SheetText, contact_sheet
from vidpack.promo.thumbs import Candidate, extract_frame, find_candidates, pick, sample_size

if TYPE_CHECKING:
    from vidpack.hardsubs.masking import HardsubsOptions
    from vidpack.hardsubs.model import Masking


@dataclass(frozen=True, slots=True)
class ThumbsResult:
    """What a run wrote."""

    picks: tuple[tuple[str, Candidate], ...]  # (file name, candidate)
    candidates: int
    sheet: Path | None  # None: not asked for (package's covers)
    covers: tuple[Cover, ...] = field(default=())
    episodes: tuple[int | None, ...] = field(default=())  # per cover: its episode, None: series
    skipped: tuple[SkippedCover, ...] = field(default=())
    masking: Masking | None = None  # what was hidden in every written frame
    notes: tuple[str, ...] = field(default=())  # burned-in text left unmasked, and why

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: picks (file, time, score, parts), sheet, covers, masking."""
        return {
            "picks": [{"file": name, **cand.to_dict()} for name, cand in self.picks],
            "candidates": self.candidates,
            "contact_sheet": self.sheet.name if self.sheet is not None else None,
            "covers": [c.to_dict() for c in self.covers],
            "skipped": [s.to_dict() for s in self.skipped],
            "hardsubs": self.masking.to_dict() if self.masking is not None else None,
            "warnings": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class SkippedCover:
    """A cover that could not be made: its file name, episode (``None``: series) and why;
    ``lasting`` when these inputs can never make it (not a failed encode worth retrying)."""

    file: str
    episode: int | None
    reason: str
    lasting: bool = True

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"file": self.file, "episode": self.episode, "skipped": self.reason}


def run_thumbs(
    master: str,
    out_dir: Path,
    *,
    preset: Preset,
    plan_file: Path | None = None,
    count: int = 3,
    at: float | None = None,
    title: str = "",
    series: str | None = None,
    episode: int | None = None,
    covers: bool = True,
    language: str | None = None,
    hardsubs: HardsubsOptions | None = None,
    mask: Masking | None = None,
    sheet: bool = True,
) -> ThumbsResult:
    """Score candidate frames of ``master``, write the picks, a contact sheet and covers.

    Args:
        master: a master (with ``plan_file`` for per-episode covers) or an episode file.
        out_dir: output folder (created).
        preset: cover sizes, format, cap, safe area, fonts and names.
        plan_file: the plan; each episode gets a cover from a frame within it.
        count: picks to write.
        at: force this time (seconds in ``master``) as the pick.
        title: series title drawn on covers (empty: none).
        series: series name in file names (default: the preset's), by
            :func:`vidpack.presets.naming.series_name`.
        episode: treat ``master`` as this episode (its number on the cover) when no plan.
        covers: write covers at all.
        language: the language tag of the covers' episode label (None: ``EP 2``).
        sheet: draw the contact sheet (package's covers need none: it costs a text pass).
        hardsubs: ``--hardsubs`` and its options, resolved here against ``master``
            (:func:`vidpack.hardsubs.masking.resolve_masking`).
        mask: a masking already resolved against ``master`` (a package's); wins over
            ``hardsubs``. Candidates are scored, and picks and covers drawn, from masked frames.

    Raises:
        UsageError: bad --count/--at/--episode/--series, a mask that does not fit the master;
            InputError: unreadable master or plan.
    """
    from vidpack.analyze import analyze
    from vidpack.media.probe import probe, require_video
    from vidpack.presets.naming import series_name

    problems = []
    named = ""
    try:  # the one series-name rule, checked before any work
        named = series_name(series, preset.naming)
    except UsageError as err:
        problems.append(str(err))
    if count < 1:
        problems.append(f"--count {count}: give 1 or more")
    if episode is not None and episode < 1:
        problems.append(f"--episode {episode}: episode numbers start at 1")
    if episode is not None and plan_file is not None:
        problems.append("--episode and --plan: give one (a plan numbers its episodes itself)")
    info = probe(master)
    require_video(info)
    if at is not None and not 0 <= at < info.duration:
        problems.append(f"--at {at:g}: the master is {info.duration:.2f} s long; give 0 to "
                        f"{info.duration:.2f}")  # fmt: skip
    if problems:
        raise UsageError("; ".join(problems))
    plan = None
    if plan_file is not None:
        from vidpack.plan.planfile import load_plan_for

        plan = load_plan_for(plan_file, master)
    notes: list[str] = []
    if mask is None and hardsubs is not None:  # a bad mask fails before anything is written
        from vidpack.hardsubs.masking import resolve_masking

        mask, notes = resolve_masking(master, info, hardsubs)
    out_dir.mkdir(parents=True, exist_ok=True)
    check_writable_dir(out_dir)
    analysis = analyze(master)
    small = sample_size(info.width, info.height)
    with tempfile.TemporaryDirectory(prefix="vidpack-thumbs-") as tmp:
        cands = find_candidates(master, analysis, Path(tmp), size=small, at=at, mask=mask)
        picks = pick(cands, count)
        text = SheetText(float(info.fps), title, master)
        drawn = (
            contact_sheet(cands, picks, out_dir / "contact_sheet.jpg", text,
                          fonts=preset.subtitles.style.fonts) if sheet else None
        )  # fmt: skip
        written: list[tuple[str, Candidate]] = []
        for rank, cand in enumerate(picks, 1):
            name = f"thumb_{rank:02d}.jpg"
            extract_frame(master, cand.time, out_dir / name, mask=mask)
            written.append((name, cand))
        made: list[tuple[Cover, int | None]] = []
        skipped: list[SkippedCover] = []
        if covers and preset.covers.sizes:
            made, skipped = _covers(master, out_dir, preset, analysis, picks, plan, Path(tmp),
                                    small, (info.width, info.height), title, named,
                                    episode, at, language, mask)  # fmt: skip
    return ThumbsResult(
        tuple(written),
        len(cands),
        drawn,
        tuple(c for c, _ in made),
        tuple(n for _, n in made),
        tuple(skipped),
        mask,
        tuple(notes),
    )


def masked_cover(
    master: str, time: float, out: Path, *, mask: Masking | None, tmp: Path, **cover: Any
) -> Cover:
    """:func:`~vidpack.promo.covers.make_cover` of the frame at ``time`` with the burned-in
    text of ``mask`` hidden first: the frame is masked at the master's size by the encodes' own
    chain (:func:`~vidpack.promo.thumbs.still_mask`) into a raw still in ``tmp``, and the
    cover is composed on that still. ``cover``: make_cover's other keywords."""
    from vidpack.promo.thumbs import still_mask

    if still_mask(mask, time, "0:v:0", "x") is None:
        return make_cover(master, time, out, **cover)
    still = tmp / f"masked_{round(time * 1000):09d}.y4m"  # raw 4:2:0, as covers are encoded
    if not still.is_file():
        extract_frame(master, time, still, mask=mask, pix_fmt="yuv420p")
    return replace(make_cover(str(still), 0.0, out, **cover), time=time)


def _covers(
    master: str,
    out_dir: Path,
    preset: Preset,
    analysis: Any,
    picks: list[Candidate],
    plan: Any,
    tmp: Path,
    small: tuple[int, int],
    src: tuple[int, int],
    title: str,
    series: str,
    episode: int | None,
    at: float | None,
    language: str | None = None,
    mask: Masking | None = None,
) -> tuple[list[tuple[Cover, int | None]], list[SkippedCover]]:
    """Every cover on its own: one that cannot be made is skipped with its reason (a full or
    read-only disk and an interruption are not skips: they end the run)."""
    cap = round(preset.covers.max_mb * 1_000_000) if preset.covers.max_mb else None
    made: list[tuple[Cover, int | None]] = []
    skipped: list[SkippedCover] = []

    def write(time: float, name: str, size: str, number: int | None) -> None:
        w, h = (int(v) for v in size.split("x"))
        try:
            cover = masked_cover(
                master, time, out_dir / name, mask=mask, tmp=tmp, src_size=src, size=(w, h),
                preset=preset, title=title, number=number, language=language, max_bytes=cap,
            )  # fmt: skip
        except StorageError:
            raise
        except VidpackError as err:
            skipped.append(SkippedCover(name, number, str(err), isinstance(err, UsageError)))
            return
        made.append((cover, number))

    series_time = picks[0].time if picks else analysis.duration / 2
    for size in preset.covers.sizes:
        write(series_time, cover_name(preset, series, size, None), size, None)
    episodes: list[tuple[int, float]] = []
    if plan is not None:
        for ep in plan.episodes:
            folder = tmp / f"ep{ep.index}"
            folder.mkdir()
            cands = find_candidates(
                master, analysis, folder, size=small, span=(ep.start, ep.end), mask=mask
            )
            best = pick(cands, 1)
            episodes.append((ep.index, best[0].time if best else (ep.start + ep.end) / 2))
    elif episode is not None:
        episodes.append((episode, at if at is not None else series_time))
    for index, time in episodes:
        for size in preset.covers.sizes:
            write(time, cover_name(preset, series, size, index), size, index)
    return made, skipped
