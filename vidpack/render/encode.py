"""The ffmpeg argument list of one episode: frame-exact input seek, picture chain (rotation,
square pixels, burned-in dialogue masked, reframe, hooks' filters, compliance slate, rate), audio
chain (layout, exact length, gain, limiter, boundary fades) and the preset's encode settings.

Exactness: a constant-rate master is seeked (decoding, so frame-accurate) half a frame before
the episode's first frame; the picture's timestamps are rebased so that frame is at 0, the audio
drops the same half frame, and ``-frames:v`` stops after exactly the planned frames. A variable
rate master (or a rate change) is seeked to the episode's start and resampled by the fps filter
on a grid anchored at it, so no drift accumulates across episodes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from vidpack.media.probe import MediaInfo
from vidpack.presets.model import Preset
from vidpack.render.loudness import LIMIT_MARGIN_DB
from vidpack.render.model import FADE_S, AudioTrack, EpisodeSpec
from vidpack.render.reframe import reframe_filter


def encode_settings(preset: Preset, out_fps: float, x264_preset: str) -> dict[str, Any]:
    """The settings an encode is made from (part of the render key)."""
    v, a = preset.video, preset.audio
    return {
        "width": v.width,
        "height": v.height,
        "codec": v.codec,
        "profile": v.profile,
        "pix_fmt": v.pix_fmt,
        "fps": round(out_fps, 6),
        "crf": v.crf,
        "maxrate_kbps": v.maxrate_kbps,
        "bufsize_kbps": v.bufsize_kbps,
        "faststart": v.faststart,
        "gop_closed": v.gop.closed,
        "keyint": max(1, round(v.gop.keyint_seconds * out_fps)),
        "bframes": v.gop.bframes,
        "speed": x264_preset,
        "audio_codec": a.codec,
        "sample_rate": a.sample_rate,
        "channels": a.channels,
        "audio_kbps": a.bitrate_kbps,
        "audio_required": a.required,
        "true_peak_dbtp": a.true_peak_dbtp,
    }


def video_chain(spec: EpisodeSpec, info: MediaInfo) -> str:
    """The episode's picture chain: trim to its frames, rate, reframe, hooks (burned text), the
    compliance slate."""
    video = info.video
    assert video is not None
    enc = spec.encode
    steps: list[str] = []
    if spec.resample:
        steps.append(f"fps={spec.out_fps:.6f}:start_time=0:round=near")
    else:
        steps.append("setpts=PTS-STARTPTS")
    # Stop after the planned frames inside the graph: `-frames:v` would also cut the audio short.
    steps.append(f"trim=end_frame={spec.frames}")
    # Rotation is applied by ffmpeg's autorotate on decoding; the display size already has it.
    src_w, src_h = video.width, video.height
    if video.sar != 1:
        steps.append(f"scale={src_w}:{src_h}")
    steps.append("setsar=1")
    head = ""
    if spec.mask is not None and spec.mask.regions:
        head, steps = _masked(spec, steps, (src_w, src_h)), []
    steps.append(
        reframe_filter(
            spec.reframe,
            src_w,
            src_h,
            enc["width"],
            enc["height"],
            spec.crop_path,
            spec.start,
            t1=spec.start + spec.duration,
        )
    )
    steps.append("setsar=1")
    steps.extend(spec.hooks.video_filters)
    if spec.cards:  # over the burned subtitles, under the slate
        from vidpack.render.cards import card_filter

        steps.append(card_filter(spec))
    if spec.slate is not None:  # over the burned text; `t` is episode time (rebased above)
        from vidpack.render.slate import slate_filter

        steps.append(slate_filter(spec.slate))
    steps.append(f"format={enc['pix_fmt']}")
    return head + ",".join(steps)


def _masked(spec: EpisodeSpec, steps: list[str], size: tuple[int, int]) -> str:
    """The chain so far, then the mask fragment (:func:`vidpack.hardsubs.filters.mask_chain`) on
    the master-size picture before the reframe, ending in a label the rest of the chain starts
    from. Its ``t`` is episode time (timestamps were rebased above), as the spec's ranges are;
    its labels carry a tag of the output's name, so several episodes fit one graph."""
    import hashlib

    from vidpack.errors import UsageError
    from vidpack.hardsubs.filters import mask_chain

    mask = spec.mask
    assert mask is not None
    if tuple(mask.size) != size:
        raise UsageError(
            f"the burned-in text mask is for a {mask.size[0]}x{mask.size[1]} picture, the master "
            f"is {size[0]}x{size[1]}: make the mask file from this master"
        )
    tag = "hm" + hashlib.sha256(str(spec.output).encode()).hexdigest()[:8]
    fragment = mask_chain(
        mask.regions, mask.method, size, source=f"{tag}i", output=f"{tag}o", tag=tag
    )
    return ",".join(steps) + f"[{tag}i];{fragment};[{tag}o]"


def audio_chain(spec: EpisodeSpec, source: str, skip: float, out: str = "a") -> str:
    """The episode's sound from ``source`` into ``[out]``: trim, gain, limiter, fades, layout."""
    enc = spec.encode
    layout = "mono" if enc["channels"] == 1 else "stereo"
    dur = spec.duration
    steps = [
        f"aresample={enc['sample_rate']}",
        f"aformat=sample_fmts=fltp:channel_layouts={layout}",
    ]
    if skip > 0:
        steps.append(f"atrim=start={skip:.6f}")
    steps += [
        "asetpts=PTS-STARTPTS",
        f"atrim=end={dur:.6f}",
        f"apad=whole_dur={dur:.6f}",
    ]
    steps += loudness_filters(spec.gain_db, spec.limit, enc)
    steps += [
        f"afade=t=in:d={FADE_S}",
        f"afade=t=out:st={max(0.0, dur - FADE_S):.6f}:d={FADE_S}",
    ]
    return f"[{source}]" + ",".join(steps) + f"[{out}]"


def loudness_filters(gain_db: float | None, limit: bool, enc: dict[str, Any]) -> list[str]:
    """The loudness part of an audio chain (see :mod:`vidpack.render.loudness`): the gain, then
    in ``limited`` mode a limiter on the 4x oversampled signal (so it limits true peaks, not
    sample peaks) or in ``dynamic`` mode ``loudnorm`` (``linear=false``), back at the output rate.

    Args:
        gain_db: the gain (None or about 0: none).
        limit: a limiter is wanted (used when ``enc`` carries no ``loudness`` plan: the limiter
            then sits :data:`~vidpack.render.loudness.LIMIT_MARGIN_DB` under the ceiling).
        enc: the encode settings, with the span's ``loudness`` plan when it was decided.
    """
    plan: dict[str, Any] = enc.get("loudness") or {}
    mode = plan.get("mode") or ("limited" if limit else "linear")
    rate = int(enc["sample_rate"])
    steps = []
    if gain_db is not None and abs(gain_db) > 0.005:
        steps.append(f"volume={gain_db:.2f}dB")
    ceiling = plan.get("limiter_db")
    if ceiling is None:
        ceiling = float(enc["true_peak_dbtp"]) - LIMIT_MARGIN_DB
    if mode == "limited":
        level = max(0.0625, 10 ** (ceiling / 20))
        # A 1 ms attack makes the AAC encode overshoot the limit by 2.5 dB on real dialogue;
        # 5 ms keeps the overshoot near 0.3 dB for the same loudness.
        steps += [
            f"aresample={rate * 4}",
            f"alimiter=limit={level:.4f}:attack=5:release=50:level=0",
            f"aresample={rate}",
        ]
    elif mode == "dynamic":  # loudness range target 20: keep as much of the dynamics as it can
        steps += [
            f"loudnorm=I={plan['target_lufs']:.1f}:TP={max(-9.0, ceiling):.1f}:LRA=20:linear=false",
            f"aresample={rate}",
        ]
    return steps


def loudness_tag(enc: dict[str, Any]) -> list[str]:
    """Output arguments recording the span's loudness plan in the file (``comment`` tag
    ``vidpack-loudness {json}``), read back for the manifest; none when no plan was decided."""
    plan = enc.get("loudness")
    if not plan:
        return []
    text = json.dumps(
        {k: plan[k] for k in ("mode", "gain_db", "limiter_db") if k in plan}, sort_keys=True
    )
    return ["-metadata", f"comment={LOUDNESS_TAG} {text}"]


LOUDNESS_TAG = "vidpack-loudness"


def seek_point(spec: EpisodeSpec) -> tuple[float, float]:
    """Where the master input is seeked for ``spec`` and the half frame the audio then drops.

    Seek half a frame early on a constant-rate master so float rounding cannot skip the first
    frame; the audio then drops the same half frame.

    Returns:
        ``(seek, half)`` in seconds.
    """
    half = 0.0 if spec.resample or spec.start_frame == 0 else 0.5 / spec.src_fps
    return max(0.0, spec.start - half), half


def silent_input(enc: dict[str, Any]) -> list[str]:
    """The input arguments of a silent track in the output's rate and layout."""
    layout = "mono" if enc["channels"] == 1 else "stereo"
    return ["-f", "lavfi", "-i", f"anullsrc=r={enc['sample_rate']}:cl={layout}"]


def hook_inputs(spec: EpisodeSpec) -> list[str]:
    """The input arguments of ``spec``'s hooks' extra inputs (subtitle files to mux)."""
    args: list[str] = []
    for extra in spec.hooks.inputs:
        args += [*extra.options, "-i", extra.path]
    return args


@dataclass(frozen=True, slots=True)
class Sound:
    """One sound track to render: read from the master (``path`` None) or a dub file, at
    ``stream``, with the loudness of ``spec`` (the episode spec carrying the track's plan)."""

    path: str | None
    stream: int
    spec: EpisodeSpec
    track: AudioTrack | None = None


def sounds(spec: EpisodeSpec, info: MediaInfo) -> list[Sound]:
    """The episode's sound tracks in stream order: its :attr:`~EpisodeSpec.audio` tracks, or
    the master's first audio stream (none when the master is silent)."""
    if spec.audio:
        return [
            Sound(None if t.source == "master" else t.path, t.stream, track_spec(spec, t), t)
            for t in spec.audio
        ]
    return [Sound(None, info.audio[0].index, spec)] if info.audio else []


def track_spec(spec: EpisodeSpec, track: AudioTrack) -> EpisodeSpec:
    """``spec`` with ``track``'s loudness plan, for its audio chain."""
    encode = {k: v for k, v in spec.encode.items() if k != "loudness"}
    if track.loudness:
        encode["loudness"] = track.loudness
    return replace(spec, gain_db=track.gain_db, limit=track.limit, encode=encode, audio=())


def dub_inputs(items: list[Sound], seek: float, first: int) -> tuple[list[str], list[str]]:
    """The input arguments of the dub files among ``items`` (each seeked as the master is) and
    the ffmpeg source of every item: ``0:<stream>`` for the master, ``<n>:<stream>`` for a dub
    opened as input ``n`` (counting from ``first``)."""
    args: list[str] = []
    sources: list[str] = []
    n = first
    for item in items:
        if item.path is None:
            sources.append(f"0:{item.stream}")
            continue
        args += ["-ss", f"{seek:.6f}", "-vn", "-sn", "-dn", "-i", item.path]
        sources.append(f"{n}:{item.stream}")
        n += 1
    return args, sources


def output_args(
    spec: EpisodeSpec,
    video: str,
    audio: str | Sequence[str] | None,
    first_hook_input: int,
    output: str,
    *,
    copy_video: bool = False,
) -> list[str]:
    """The arguments of one output file: maps, codecs, hooks' options, metadata, the path.

    Args:
        spec: the episode.
        video: the filter graph label of its picture (without brackets), or with
            ``copy_video`` a stream to copy (``0:v:0``).
        audio: the label(s) of its sound tracks, in stream order (``None``: no audio track).
        first_hook_input: the ffmpeg input index of the spec's first hook input.
        output: the output path.
        copy_video: copy the picture's coded stream instead of encoding it.
    """
    enc = spec.encode
    labels = [audio] if isinstance(audio, str) else list(audio or ())
    args = ["-map", video if copy_video else f"[{video}]"]
    for label in labels:
        args += ["-map", f"[{label}]"]
    numbers = range(first_hook_input, first_hook_input + len(spec.hooks.inputs))
    for target in spec.hooks.maps:
        args += ["-map", target.format(*numbers)]
    args += ["-c:v", "copy"] if copy_video else video_codec_args(enc)
    if labels:
        args += audio_codec_args(enc)
    for k, track in enumerate(spec.audio if labels else ()):
        args += [f"-metadata:s:a:{k}", f"language={track.iso639_2}"]
        args += [f"-disposition:a:{k}", "default" if track.default else "0"]
    args += list(spec.hooks.args)
    args += ["-map_metadata", "-1", "-map_chapters", "-1", "-metadata:s:v", "rotate=0"]
    if labels:
        first = spec.audio[0] if spec.audio else None
        args += loudness_tag(track_spec(spec, first).encode if first else enc)
    if enc["faststart"]:
        args += ["-movflags", "+faststart"]
    args.append(output)
    return args


def episode_args(spec: EpisodeSpec, info: MediaInfo, tmp_output: str, threads: int) -> list[str]:
    """The ffmpeg arguments (after the house flags) that render ``spec`` into ``tmp_output``.

    Args:
        spec: the episode.
        info: the master's probe facts.
        tmp_output: the temporary output path (from ``atomic_output``).
        threads: encoder/decoder threads for this process.
    """
    enc = spec.encode
    seek, half = seek_point(spec)
    args: list[str] = ["-threads", str(threads), "-ss", f"{seek:.6f}", "-i", spec.master]
    items = sounds(spec, info)
    next_input = 1
    silent = not items and enc["audio_required"]
    if silent:
        args += silent_input(enc)
        next_input = 2
    extra, sources = dub_inputs(items, seek, next_input)
    args += extra
    next_input += sum(1 for item in items if item.path is not None)
    args += hook_inputs(spec)

    graph = f"[0:v:0]{video_chain(spec, info)}[v]"
    labels = []
    for k, (item, source) in enumerate(zip(items, sources, strict=True)):
        labels.append("a" if len(items) == 1 else f"a{k}")
        graph += ";" + audio_chain(item.spec, source, half, labels[-1])
    if silent:
        graph += ";" + audio_chain(spec, "1:a:0", 0.0)
        labels = ["a"]
    args += ["-filter_complex", graph]
    args += output_args(spec, "v", labels or None, next_input, tmp_output)
    return args


def video_codec_args(enc: dict[str, Any]) -> list[str]:
    """The video encoder arguments for settings from :func:`encode_settings`: codec, speed,
    profile, pixel format, CRF with VBV caps, fixed closed GOP without scene-cut keyframes."""
    codec = "libx265" if enc["codec"] == "hevc" else "libx264"
    keyint = str(enc["keyint"])
    args = [
        *("-c:v", codec, "-preset", str(enc["speed"])),
        *("-profile:v", str(enc["profile"]), "-pix_fmt", str(enc["pix_fmt"])),
        *("-crf", str(enc["crf"])),
        *("-maxrate", f"{enc['maxrate_kbps']}k", "-bufsize", f"{enc['bufsize_kbps']}k"),
        *("-g", keyint, "-keyint_min", keyint, "-sc_threshold", "0", "-bf", str(enc["bframes"])),
    ]
    if codec == "libx264" and enc["gop_closed"]:
        args += ["-flags", "+cgop", "-x264-params", "open-gop=0"]
    elif codec == "libx265" and enc["gop_closed"]:
        args += ["-x265-params", "open-gop=0"]
    return args


def audio_codec_args(enc: dict[str, Any]) -> list[str]:
    """AAC at the preset's bitrate, sample rate and channel count."""
    return [
        *("-c:a", "aac", "-b:a", f"{enc['audio_kbps']}k"),
        *("-ar", str(enc["sample_rate"]), "-ac", str(enc["channels"])),
    ]
