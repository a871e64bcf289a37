"""Subtitles inside a split: per-episode :class:`Hooks` from subtitle tracks, and sidecars.

- ``burn``: one track; each episode's retimed cues are written as an ASS script (styled by the
  preset at the output size) into ``workdir`` and burned by libass after the reframe, in the
  episode's one encode. In an episode whose burned-in source text is masked, the lines sit on
  the masked band (its centre mapped through the reframe to output pixels:
  :func:`band_centre`) unless that leaves the preset's safe area; then the preset's position
  is kept, and said once per render. Several languages burned means several renders: the
  caller gives one track per call (``vidpack split`` renders each language into ``DIR/<lang>/``).
- ``mux``: every track; each episode's retimed cues are written as SRT into ``workdir`` and muxed
  as text tracks (``mov_text`` in MP4) with ISO 639-2 tags and titles, the first default.
- ``sidecar``: no hooks; :func:`write_sidecars` writes the files beside the episodes with the
  preset's formats and naming.

The hook files keep stable names in ``workdir`` (so render keys are stable); each hook's ``key``
hashes the mode and the episode's subtitle content, so a rerun re-renders exactly the episodes
whose subtitles changed. ``workdir`` must exist until the split is done; the caller removes it.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidpack.analyze.model import Analysis
from vidpack.errors import UsageError
from vidpack.hardsubs.model import Masking
from vidpack.media.probe import probe
from vidpack.plan.model import EpisodePlan
from vidpack.presets.model import Preset
from vidpack.render.model import (
    EpisodeSpec,
    ExtraInput,
    Hooks,
    RenderOptions,
    SplitResult,
)
from vidpack.render.observer import Observer
from vidpack.subtitles.model import Track
from vidpack.subtitles.run import EpisodeSpan

HOOK_MODES = ("burn", "mux")


def spans_from_specs(specs: Sequence[EpisodeSpec]) -> list[EpisodeSpan]:
    """The exact (frame-aligned) span and file stem of each episode spec."""
    return [EpisodeSpan(s.index, s.start, s.start + s.duration, s.output.stem) for s in specs]


def episode_spans(
    master: str, plan: EpisodePlan, preset: Preset, options: RenderOptions, out_dir: Path
) -> list[EpisodeSpan]:
    """The spans the split will render (same start frames and lengths as its specs).

    Args:
        master: the master's path (probed).
        plan: the episode plan.
        preset: the resolved preset.
        options: render options (series name for the stems).
        out_dir: the output folder.
    """
    from vidpack.render.split import build_specs

    info = probe(master)
    specs = build_specs(info, plan.master.fingerprint or "", plan, preset, options, out_dir)
    return spans_from_specs(specs)


def _hash(mode: str, *texts: bytes) -> str:
    digest = hashlib.sha256(mode.encode())
    for text in texts:
        digest.update(len(text).to_bytes(8, "big"))
        digest.update(text)
    return digest.hexdigest()[:20]


def subtitle_hooks(
    tracks: Sequence[Track],
    spans: Sequence[EpisodeSpan],
    preset: Preset,
    mode: str,
    out_size: tuple[int, int],
    workdir: Path,
    *,
    container: str = "mp4",
    on_warning: Callable[[str], None] | None = None,
    mask: Masking | None = None,
    reframe: str = "crop",
) -> dict[int, Hooks]:
    """The per-episode hooks that burn or mux ``tracks`` (files written into ``workdir``).

    Args:
        tracks: the loaded tracks (``burn``: exactly one).
        spans: the episodes (from :func:`episode_spans` or :func:`spans_from_specs`).
        preset: the resolved preset (burn style).
        mode: ``burn`` or ``mux`` (``sidecar``/``none`` give no hooks).
        out_size: the output (width, height) the ASS script is laid out for.
        workdir: a folder for the per-episode files (created if needed).
        container: the output extension (``mp4``: mov_text; ``mkv``: SRT).
        on_warning: receives glyph-coverage warnings (one per cue) and, once, a masked band
            the burned lines cannot sit on.
        mask: the master's masking of burned-in text (master seconds; ``burn`` places the
            lines of episodes it masks over the band).
        reframe: the episodes' reframe mode (maps the band to output pixels).

    Returns:
        Hooks by episode index.

    Raises:
        UsageError: burn with more than one track.
    """
    if mode not in HOOK_MODES or not tracks:
        return {}
    workdir.mkdir(parents=True, exist_ok=True)
    if mode == "burn":
        if len(tracks) != 1:
            langs = ", ".join(t.language.tag for t in tracks)
            raise UsageError(
                f"--subs-mode burn takes one language per render, got {len(tracks)} ({langs}): "
                "burn them one at a time, or use --subs-mode mux or sidecar"
            )
        placing = _Placing(mask, reframe)
        return _burn_hooks(tracks[0], spans, preset, out_size, workdir, on_warning, placing)
    return _mux_hooks(tracks, spans, workdir, container)


def band_centre(mask: Masking, reframe: str, out_size: tuple[int, int]) -> float | None:
    """Where the centre of ``mask``'s main dialogue band (the region shown longest) lands in
    the output, in pixels from the top, mapped as :func:`vidpack.render.reframe.reframe_filter`
    maps the master; ``None`` with no region, or when the reframe or the ``crop`` method cuts
    the band away (the preset's own placement is then used)."""
    if not mask.regions or mask.method == "crop":
        return None
    region = max(mask.regions, key=lambda r: sum(b - a for a, b in r.ranges))
    (src_w, src_h), (dst_w, dst_h) = mask.size, out_size
    y = region.box[1] + region.box[3] / 2

    def even(value: float) -> int:  # as the reframe rounds its sizes
        return max(2, round(value / 2) * 2)

    ratio = (src_w * dst_h) / (src_h * dst_w)  # > 1: the master is wider than the output
    if abs(ratio - 1) <= 0.01 or (ratio > 1) == (reframe != "fit"):
        return y * dst_h / src_h  # scaled at full height (a wider master's window, or fit)
    if reframe == "fit":  # a wider master letterboxed at full width
        shown = min(dst_h, even(src_h * dst_w / src_w))
        return (dst_h - shown) // 2 + y * shown / src_h
    window = min(src_h, even(src_w * dst_h / dst_w))  # a taller master's centre window
    top = (src_h - window) // 2
    return (y - top) * dst_h / window if top <= y <= top + window else None


@dataclass(frozen=True, slots=True)
class _Placing:
    """What places burned lines over a masked band: the masking and the reframe."""

    mask: Masking | None
    reframe: str


def _placed_style(
    track: Track, span: EpisodeSpan, preset: Preset, size: tuple[int, int], placing: _Placing
) -> tuple[Any, str | None]:
    """The burn style over the episode's masked band (``None``: the preset's own), and why
    not when there is a band but it cannot be used."""
    from vidpack.subtitles.style import over_band, resolve_style

    if placing.mask is None:
        return None, None
    centre = band_centre(placing.mask.window(span.start, span.end), placing.reframe, size)
    if centre is None:
        return None, None
    style = over_band(resolve_style(preset, track.language, *size), centre, preset)
    if style is not None:
        return style, None
    top, bottom, _, _ = preset.safe_zone.scaled(*size)
    return None, (
        f"burned {track.language.tag} subtitles stay at the preset's position, not over the "
        f"masked band: its centre, {centre:.0f} px from the top of the {size[0]}x{size[1]} "
        f"output, is outside the preset's safe area (top {top} px, bottom {bottom} px)"
    )


def _burn_hooks(
    track: Track,
    spans: Sequence[EpisodeSpan],
    preset: Preset,
    size: tuple[int, int],
    workdir: Path,
    on_warning: Callable[[str], None] | None,
    placing: _Placing,
) -> dict[int, Hooks]:
    from vidpack.media.atomic import write_text_atomic
    from vidpack.subtitles.burn import burn_filter
    from vidpack.subtitles.glyphs import check_cues
    from vidpack.subtitles.run import episode_cues, write_burn_script
    from vidpack.subtitles.style import ass_text

    out: dict[int, Hooks] = {}
    said = False
    for span in spans:
        path = workdir / f"{span.stem}.{track.language.tag}.ass"
        style, why = _placed_style(track, span, preset, size, placing)
        if why is not None and not said and on_warning is not None:
            on_warning(why)
            said = True
        if style is None:
            warnings = write_burn_script(track, span, preset, size, path)
        else:  # the preset's style with its bottom margin on the band
            cues = episode_cues(track, span)
            write_text_atomic(path, ass_text(cues, track.language, style))
            name = f"{track.path.name} (episode {span.index})"
            warnings = check_cues(cues, style.font, name=name)
        for warning in warnings:
            if on_warning is not None:
                on_warning(warning)
        out[span.index] = Hooks(
            video_filters=(burn_filter(path),), key=_hash("burn", path.read_bytes())
        )
    return out


def _mux_hooks(
    tracks: Sequence[Track], spans: Sequence[EpisodeSpan], workdir: Path, container: str
) -> dict[int, Hooks]:
    from vidpack.subtitles.mux import MuxTrack, mux_args
    from vidpack.subtitles.run import episode_cues
    from vidpack.subtitles.sidecar import write_sidecar

    out: dict[int, Hooks] = {}
    for span in spans:
        muxed: list[MuxTrack] = []
        for track in tracks:
            path = workdir / f"{span.stem}.{track.language.tag}.srt"
            write_sidecar(episode_cues(track, span), path, "srt")
            muxed.append(MuxTrack(path, track.language))
        built = mux_args(muxed, container=container, first_input=0)
        inputs = []
        for k in range(len(muxed)):
            fmt_opts, path_arg = built.inputs[4 * k : 4 * k + 2], built.inputs[4 * k + 3]
            inputs.append(ExtraInput(path_arg, tuple(fmt_opts)))
        maps = tuple(
            "{" + target.split(":", 1)[0] + "}:" + target.split(":", 1)[1]
            for target in built.maps[1::2]
        )
        content = [m.path.read_bytes() for m in muxed]
        out[span.index] = Hooks(
            inputs=tuple(inputs),
            maps=maps,
            args=tuple(built.options),
            key=_hash("mux", *[m.language.tag.encode() for m in muxed], *content),
        )
    return out


def write_sidecars(
    tracks: Sequence[Track], spans: Sequence[EpisodeSpan], out_dir: Path, preset: Preset
) -> list[Path]:
    """Write every track's retimed cues beside each episode, in the preset's
    ``subtitles.sidecar_formats`` and ``subtitles.sidecar_naming``.

    Returns:
        The files written.
    """
    from vidpack.subtitles.run import write_episode_sidecars

    subs = preset.subtitles
    return write_episode_sidecars(
        tracks, spans, out_dir, formats=subs.sidecar_formats, naming=subs.sidecar_naming
    )


WORKDIR_NAME = ".vidpack-subs"


@dataclass(frozen=True, slots=True)
class SubsRun:
    """One split render: its output folder and the subtitle tracks rendered with it.

    Attributes:
        out_dir: the episodes' folder.
        tracks: the tracks of this render (burn: one).
        mode: ``burn``, ``mux``, ``sidecar`` or ``none``.
    """

    out_dir: Path
    tracks: tuple[Track, ...] = ()
    mode: str = "none"

    def render(
        self,
        master: str,
        plan: EpisodePlan,
        preset: Preset,
        options: RenderOptions,
        *,
        observer: Observer | None = None,
        analysis: Analysis | None = None,
        on_warning: Callable[[str], None] | None = None,
    ) -> SplitResult:
        """Split ``master`` into :attr:`out_dir` with this run's subtitles.

        Burn/mux files are staged in ``out_dir/.vidpack-subs`` (stable names, removed after the
        run); sidecars are written beside the episodes that were rendered or are up to date.
        """
        from vidpack.media.atomic import check_writable_dir
        from vidpack.media.lock import folder_lock
        from vidpack.media.runner import settings
        from vidpack.render.split import split_master

        check_writable_dir(self.out_dir)
        # staged subtitle files are written even in a dry run: hold the folder throughout
        with folder_lock(self.out_dir, "split"):
            hooks: dict[int, Hooks] = {}
            workdir = self.out_dir / WORKDIR_NAME
            spans: list[EpisodeSpan] = []
            if self.tracks and self.mode != "none":
                spans = episode_spans(master, plan, preset, options, self.out_dir)
            size = (preset.video.width, preset.video.height)
            try:
                if self.tracks and self.mode in HOOK_MODES:
                    hooks = subtitle_hooks(
                        self.tracks, spans, preset, self.mode, size, workdir,
                        on_warning=on_warning, mask=options.mask, reframe=options.reframe,
                    )  # fmt: skip
                result = split_master(
                    master, plan, preset, self.out_dir, options,
                    observer=observer, hooks=hooks, analysis=analysis,
                )  # fmt: skip
            finally:
                if workdir.is_dir():
                    shutil.rmtree(workdir, ignore_errors=True)
            if self.tracks and self.mode == "sidecar" and not settings.dry_run:
                good = {e.index for e in result.episodes if e.status != "failed"}
                kept = [s for s in spans if s.index in good]
                write_sidecars(self.tracks, kept, self.out_dir, preset)
            return result


def plan_subs_runs(tracks: Sequence[Track], mode: str, out_dir: Path) -> list[SubsRun]:
    """The renders a split makes: one into ``out_dir``, or with several tracks burned one per
    language into ``out_dir/<lang>/`` (a language's episodes differ in every frame)."""
    if mode == "burn" and len(tracks) > 1:
        return [SubsRun(out_dir / t.language.tag, (t,), mode) for t in tracks]
    return [SubsRun(out_dir, tuple(tracks), mode)]
