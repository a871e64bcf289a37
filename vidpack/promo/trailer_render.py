"""Trailer rendering: a :class:`~vidpack.promo.trailer.TrailerPlan` to one file at the preset's
encode settings.

Two ffmpeg runs. The first builds only the sound (each range seeked, trimmed to its frames,
joined with ``acrossfade``, silence under the end card) into a temporary WAV, which is metered
with :func:`vidpack.render.loudness.measure` and given its loudness plan as episodes are
(:func:`vidpack.render.loudness.settle`: linear gain, or a true-peak limiter checked by encoding
the WAV alone with the delivery's chain and AAC settings, or a deliberate dynamic mode). The
second builds the picture (ranges joined with ``xfade`` at the master's size, reframed once to
the preset's size, the end card drawn by libass on a plain background and faded in) and muxes
it with the planned sound. Lengths are counted in output frames, so the result lasts
exactly ``length`` seconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.media.atomic import atomic_output
from vidpack.media.probe import MediaInfo
from vidpack.media.rates import rate_text
from vidpack.media.runner import run_ffmpeg
from vidpack.presets.model import Preset
from vidpack.promo.trailer import TrailerPlan
from vidpack.render.encode import audio_codec_args, loudness_filters, loudness_tag, video_codec_args
from vidpack.render.loudness import Loudness, LoudnessPlan

if TYPE_CHECKING:
    from vidpack.hardsubs.model import Masking

CARD_COLOUR = "0x3c3470"  # a dark violet that blackdetect does not read as black


def _inputs(plan: TrailerPlan) -> list[str]:
    args: list[str] = []
    for rng, frames in zip(plan.ranges, plan.frames, strict=True):
        # Input seeking while transcoding is frame-accurate; read a little past the end.
        args += [
            "-ss",
            f"{rng.start:.6f}",
            "-t",
            f"{frames / plan.fps + 0.5:.6f}",
            "-i",
            plan.master,
        ]
    return args


def audio_graph(plan: TrailerPlan, info: MediaInfo, sample_rate: int, channels: int) -> str:
    """The filtergraph ending in ``[aout]``: the ranges' sound crossfaded, then the card's."""
    layout = "mono" if channels == 1 else "stereo"
    xf = plan.crossfade_frames / plan.fps
    chains, labels = [], []
    for i, frames in enumerate(plan.frames):
        dur = frames / plan.fps
        if info.audio:
            src = f"[{i}:a:0]aresample={sample_rate},"
        else:
            src = f"anullsrc=r={sample_rate}:cl={layout},"
        chains.append(
            f"{src}aformat=sample_fmts=fltp:channel_layouts={layout},asetpts=PTS-STARTPTS,"
            f"atrim=end={dur:.6f},apad=whole_dur={dur:.6f}[a{i}]"
        )
        labels.append(f"[a{i}]")
    if plan.card_frames:
        dur = plan.card_frames / plan.fps
        chains.append(f"anullsrc=r={sample_rate}:cl={layout},atrim=end={dur:.6f}[acard]")
        labels.append("[acard]")
    current = labels[0]
    for n, label in enumerate(labels[1:], 1):
        chains.append(f"{current}{label}acrossfade=d={xf:.6f}:c1=tri:c2=tri[ax{n}]")
        current = f"[ax{n}]"
    total = plan.total_frames / plan.fps
    chains.append(f"{current}atrim=end={total:.6f},apad=whole_dur={total:.6f}[aout]")
    return ";".join(chains)


def _range_mask(mask: Masking | None, start: float, seconds: float, i: int) -> str:
    """The end of range ``i``'s chain: into ``[v{i}]`` directly, or through the mask fragment
    of the master's mask cut to the range (its ``t`` is range time: rebased above)."""
    if mask is None:
        return f"[v{i}]"
    from vidpack.hardsubs.filters import mask_chain

    cut = mask.window(start, start + seconds)
    if not cut.regions:
        return f"[v{i}]"
    fragment = mask_chain(cut.regions, cut.method, cut.size, source=f"tm{i}i", output=f"v{i}",
                          tag=f"tm{i}")  # fmt: skip
    return f"[tm{i}i];{fragment}"


def video_graph(
    plan: TrailerPlan,
    info: MediaInfo,
    preset: Preset,
    reframe: str,
    card_ass: Path | None,
    mask: Masking | None = None,
) -> str:
    """The filtergraph ending in ``[vout]``: ranges (masked by ``mask``, in master seconds, at
    the master's size) crossfaded, reframed, then the end card.

    Raises:
        UsageError: ``mask`` is for another picture size than the master's.
    """
    from vidpack.render.reframe import reframe_filter
    from vidpack.subtitles.burn import burn_filter

    if mask is not None and tuple(mask.size) != (info.width, info.height):
        from vidpack.errors import UsageError

        raise UsageError(
            f"the burned-in text mask is for a {mask.size[0]}x{mask.size[1]} picture, the master "
            f"is {info.width}x{info.height}: make the mask file from this master"
        )
    w, h = preset.video.width, preset.video.height
    fps = plan.fps
    xf = plan.crossfade_frames / fps
    chains = []
    for i, (rng, frames) in enumerate(zip(plan.ranges, plan.frames, strict=True)):
        chains.append(
            f"[{i}:v:0]fps={rate_text(fps)}:start_time=0:round=near,setpts=PTS-STARTPTS,"
            f"trim=end_frame={frames},setpts=PTS-STARTPTS,"
            f"scale={info.width}:{info.height},setsar=1,format=yuv420p"
            + _range_mask(mask, rng.start, frames / fps, i)
        )
    current, elapsed = "[v0]", plan.frames[0]
    for i in range(1, len(plan.frames)):
        offset = (elapsed - plan.crossfade_frames) / fps
        chains.append(
            f"{current}[v{i}]xfade=transition=fade:duration={xf:.6f}:offset={offset:.6f}[vx{i}]"
        )
        current = f"[vx{i}]"
        elapsed += plan.frames[i] - plan.crossfade_frames
    reframed = reframe_filter(reframe, info.width, info.height, w, h)
    chains.append(f"{current}{reframed},setsar=1,format=yuv420p[vmain]")
    current = "[vmain]"
    if plan.card_frames:
        card = (
            f"color=c={CARD_COLOUR}:s={w}x{h}:r={rate_text(fps)}:d={plan.card_frames / fps:.6f},"
            "setsar=1,format=yuv420p"
        )
        if card_ass is not None:
            card += "," + burn_filter(card_ass)
        chains.append(f"{card},trim=end_frame={plan.card_frames},format=yuv420p[vcard]")
        offset = (elapsed - plan.crossfade_frames) / fps
        chains.append(
            f"{current}[vcard]xfade=transition=fade:duration={xf:.6f}:offset={offset:.6f}[vend]"
        )
        current = "[vend]"
    pix = preset.video.pix_fmt
    chains.append(
        f"{current}trim=end_frame={plan.total_frames},setpts=PTS-STARTPTS,format={pix}[vout]"
    )
    return ";".join(chains)


def codec_args(enc: dict[str, Any]) -> list[str]:
    """Encoder arguments from :func:`vidpack.render.encode.encode_settings` (as episodes use)."""
    args = [*video_codec_args(enc), *audio_codec_args(enc)]
    if enc["faststart"]:
        args += ["-movflags", "+faststart"]
    return args


def _sound(
    enc: dict[str, Any], plan: LoudnessPlan, target: float, source: str, length: float
) -> str:
    """The trailer's sound from ``source`` into ``[asnd]``: the plan's filters, exact length."""
    total = f"{length:.6f}"
    planned = {**enc, "loudness": plan.settings(target)}
    layout = "mono" if enc["channels"] == 1 else "stereo"
    steps = [f"aformat=sample_fmts=fltp:channel_layouts={layout}"]
    steps += loudness_filters(plan.gain_db, plan.mode != "linear", planned)
    steps.append(f"atrim=end={total},apad=whole_dur={total}")
    return f"[{source}]" + ",".join(steps) + "[asnd]"


def _check(
    wav: Path, enc: dict[str, Any], plan: LoudnessPlan, target: float, length: float
) -> Loudness:
    """What QC will measure of the trailer's sound with ``plan`` (the WAV alone, encoded)."""
    from vidpack.render.loudness import measure_encoded

    out = wav.with_name("check.m4a")
    graph = _sound(enc, plan, target, "0:a:0", length)
    args = ["-threads", "1", "-i", str(wav), "-filter_complex", graph,
            "-map", "[asnd]", *audio_codec_args(enc), "-f", "mp4", str(out)]  # fmt: skip
    return measure_encoded(args, out, label="trailer loudness check")


def end_card_ass(path: Path, preset: Preset, title: str, call_to_action: str) -> None:
    """Write the end card's text layer: ``title`` (a language's own, shaped and right to left
    where needed by libass) at the top of the cover text box, ``call_to_action`` centred, in the
    preset's font for the text's script."""
    from vidpack.promo.covers import text_box
    from vidpack.promo.text import script_of, write_ass

    w, h = preset.video.width, preset.video.height
    font = preset.subtitles.style.fonts.for_script(script_of(title + call_to_action))
    write_ass(path, text_box(preset, w, h), font, top_text=title, middle_text=call_to_action,
              top_size=h * 0.06, bottom_size=h * 0.05, middle_size=h * 0.045)  # fmt: skip


def render_trailer(
    plan: TrailerPlan,
    info: MediaInfo,
    preset: Preset,
    out: Path,
    *,
    reframe: str = "crop",
    speed: str = "veryfast",
    threads: int = 2,
    mask: Masking | None = None,
) -> float:
    """Render ``plan`` to ``out``; returns the gain (dB) applied to reach the loudness target.

    ``mask``: the master's burned-in text masking (master seconds), cut to each range inside
    the picture's own encode.

    Raises:
        FFmpegError: an ffmpeg run failed (nothing is left at ``out``).
        UsageError: ``mask`` does not fit the master.
    """
    from vidpack.render.encode import encode_settings
    from vidpack.render.loudness import measure, settle

    enc = encode_settings(preset, plan.fps, speed)
    a = preset.audio
    total = plan.total_frames / plan.fps
    with tempfile.TemporaryDirectory(prefix="vidpack-trailer-") as tmp:
        wav = Path(tmp) / "sound.wav"
        run_ffmpeg(
            [*("-threads", str(threads)), *_inputs(plan),
             "-filter_complex", audio_graph(plan, info, a.sample_rate, a.channels),
             "-map", "[aout]", "-c:a", "pcm_f32le", str(wav)],
            duration=total, label="trailer sound",
        )  # fmt: skip
        sound = LoudnessPlan("linear", 0.0)
        if info.audio and wav.exists() and a.normalize:
            meter = measure(str(wav), stream=0, sample_rate=a.sample_rate, channels=a.channels)
            target = a.loudness_lufs
            sound = settle(meter.span(0.0, total), target, a.true_peak_dbtp,
                           lambda p: _check(wav, enc, p, target, total))  # fmt: skip
        ass = None
        if plan.card_frames and (plan.title or plan.call_to_action):
            ass = Path(tmp) / "card.ass"
            end_card_ass(ass, preset, plan.title, plan.call_to_action)
        audio = _sound(enc, sound, a.loudness_lufs, f"{len(plan.frames)}:a:0", total)
        graph = video_graph(plan, info, preset, reframe, ass, mask) + ";" + audio
        tag = loudness_tag({"loudness": sound.settings(a.loudness_lufs)})
        with atomic_output(out) as tmp_out:
            run_ffmpeg(
                [*("-threads", str(threads)), *_inputs(plan), "-i", str(wav),
                 "-filter_complex", graph, "-map", "[vout]", "-map", "[asnd]",
                 *codec_args(enc), "-map_metadata", "-1", *tag, str(tmp_out)],
                duration=total, label="trailer",
            )  # fmt: skip
    return sound.gain_db
