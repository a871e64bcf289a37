"""`vidpack subs`: retime whole-master subtitles to each planned episode and write them."""

from __future__ import annotations

from pathlib import Path

import click

from vidpack.cli.common import master_argument, old_series_option, series_title
from vidpack.cli.options import plan_options, plan_options_from, refuse_plan_options_with_plan
from vidpack.cli.options_subs import (
    check_guide_options,
    guide_options,
    load_subs,
    review_subs,
    subs_inputs_from,
)

_DIR = click.Path(file_okay=False, path_type=Path)


@click.command()
@master_argument
@click.option(
    "--subs",
    "subs",
    multiple=True,
    required=True,
    metavar="[LANG=]FILE",
    help="Subtitles for the whole master; repeat per language (master.en.srt or ko=FILE).",
)
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Episode plan JSON (from `vidpack plan`)  [default: plan now]",
)
@plan_options
@click.option("-o", "--output", type=_DIR, required=True, help="Folder to write into.")
@click.option(
    "--subs-encoding",
    default=None,
    metavar="ENC",
    help="Encoding of every --subs file  [default: detect]",
)
@click.option("--strict", is_flag=True, help="Refuse malformed subtitles instead of repairing.")
@click.option(
    "--format",
    "formats",
    type=click.Choice(("srt", "vtt", "ass")),
    multiple=True,
    help="Output format; repeatable  [default: the preset's sidecar formats, else srt]",
)
@click.option(
    "--naming",
    default=None,
    help="File names: {stem} (episode), {lang} (zh-Hans) or {locale} (zh_CN), {ext}  "
    "[default: the preset's sidecar naming, else the built-in presets']",
)
@click.option(
    "--preset",
    "preset_ref",
    default=None,
    metavar="NAME|FILE",
    help="Take sidecar formats and naming (episode stems too) from this platform preset.",
)
@click.option(
    "--title",
    "series",
    default=None,
    metavar="TITLE",
    help="Series title in the episode stems, as for `split`  [default: the preset's]",
)
@old_series_option
@guide_options
def subs(
    master: str,
    subs: tuple[str, ...],
    plan_path: Path | None,
    min_s: float,
    max_s: float,
    target_s: float | None,
    output: Path,
    subs_encoding: str | None,
    strict: bool,
    formats: tuple[str, ...],
    naming: str | None,
    preset_ref: str | None,
    series: str | None,
    old_series: str | None,
    guide: str,
    fix: bool,
) -> None:
    """Cut subtitles for the whole master into one file per episode and language.

    Each episode gets the cues that overlap it, shifted to its start and clipped at its edges
    (fragments under 0.3 s dropped), in files named after the episodes `split` writes with
    the same preset and --title (series_E001.en.srt beside series_E001.mp4). Repairs to
    malformed files are reported as warnings, and so is every cue off the style guide
    (--guide); --fix fixes those it can first.

    \b
    Examples:
      vidpack subs master.mp4 --subs master.en.srt --subs ko=korean.srt --plan plan.json -o out
      vidpack subs master.mp4 --subs master.ar.srt --format srt --format vtt -o out
      vidpack subs master.mp4 --subs master.ar.srt --preset drama-app --plan plan.json -o out
      vidpack subs master.mp4 --subs master.en.srt --fix -o out
    """
    series = series_title(series, old_series)
    from vidpack.media.atomic import check_writable_dir
    from vidpack.presets.naming import builtin_naming, episode_file
    from vidpack.subtitles.run import (
        EpisodeSpan,
        check_sidecar_naming,
        write_episode_sidecars,
    )
    from vidpack.subtitles.sidecar import check_naming

    refuse_plan_options_with_plan(plan_path is not None)
    options = plan_options_from(min_s, max_s, target_s) if plan_path is None else None
    items = subs_inputs_from(subs)
    check_guide_options(guide, fix)
    default_formats: tuple[str, ...] = ("srt",)
    naming_from = "--naming"
    platform = ""
    if preset_ref is None:
        names, default_naming = builtin_naming()  # the built-in presets' templates
    else:
        from vidpack.presets import load_preset

        preset = load_preset(preset_ref)
        default_formats = preset.subtitles.sidecar_formats
        if naming is None:
            naming_from = f"preset {preset.name} subtitles.sidecar_naming"
        names, platform = preset.naming, preset.name
        default_naming = preset.subtitles.sidecar_naming
    naming = naming or default_naming
    episode_file(names, series, 1, platform=platform)  # a bad --series or template: before work
    check_naming(naming)
    check_sidecar_naming(naming, what=naming_from)  # a name leaving -o is refused up front
    check_writable_dir(output)
    from vidpack.plan.planfile import load_plan, probe_master_ref

    ref = probe_master_ref(master)  # once: the tracks need its duration, the planner its identity
    tracks = load_subs(items, ref.duration, subs_encoding, strict)  # read once, used twice
    if plan_path is not None:
        plan = load_plan(plan_path, ref)
        from vidpack.analyze.cache import load
        from vidpack.analyze.settings import AnalysisSettings

        analysis = load(Path(master), AnalysisSettings())  # its cuts, when one is at hand
    else:
        from vidpack.plan.dialogue import cue_intervals
        from vidpack.plan.run import plan_master

        assert options is not None
        plan, analysis = plan_master(master, options, ref=ref, cues=cue_intervals(tracks))
    cuts = [t.time for t in analysis.transitions] if analysis is not None else []
    tracks = review_subs(
        tracks, guide=guide, fix=fix, fps=ref.fps, cuts=cuts, duration=ref.duration
    )
    spans = [  # the stems of split's episodes: X.mp4 gets X.<lang>.srt
        EpisodeSpan(
            ep.index,
            ep.start,
            ep.end,
            Path(episode_file(names, series, ep.index, platform=platform)).stem,
        )
        for ep in plan.episodes
    ]
    written = write_episode_sidecars(
        tracks, spans, output, formats=formats or default_formats, naming=naming, what=naming_from
    )
    for track in tracks:
        click.echo(
            f"{track.path.name}: {track.language.tag} ({track.encoding}), {len(track.cues)} cues"
        )
    click.echo(f"{len(written)} subtitle files for {len(spans)} episodes written to {output}")
