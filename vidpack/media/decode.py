"""ffmpeg argument lists for the analysis decode and its refinement windows.

The analysis pass asks ffmpeg for *less than a full decode*: non-reference frames skipped (when
the master has a constant frame rate), no loop filter, frames scaled to a few dozen pixels
during decoding, and audio downmixed to mono, all muxed as one Matroska stream on stdout so
every frame and audio block arrives with its presentation time. Refinement windows decode every
frame of short stretches around hard-cut candidates in one further process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SKIP_MODES = ("none", "noref", "bidir")
# Track numbers in the analysis stream (Matroska numbers tracks by -map order, from 1).
VIDEO_TRACK = 1
VOICE_RATE = 16000  # the voice-activity model's sample rate


@dataclass(frozen=True, slots=True)
class DecodePlan:
    """What the analysis decode produces.

    Attributes:
        width, height: size of the small analysis frames (yuv420p).
        skip: ``none``, ``noref`` (skip non-reference frames) or ``bidir`` (skip all B-frames).
        threads: decoder threads.
        audio_index: absolute stream index of the audio to analyse, or None.
        audio_rate: sample rate of that stream.
        face_size: (width, height) of the sampled gray frames for face detection, or None.
        face_interval: seconds between face samples.
        voice: also deliver the audio as 16 kHz mono for the voice-activity model.
    """

    width: int
    height: int
    skip: str
    threads: int
    audio_index: int | None = None
    audio_rate: int = 48000
    face_size: tuple[int, int] | None = None
    face_interval: float = 1.0
    voice: bool = False

    @property
    def audio_track(self) -> int | None:
        return 2 if self.audio_index is not None else None

    @property
    def voice_track(self) -> int | None:
        """The 16 kHz mono copy of the audio that the voice-activity model reads."""
        return 3 if self.audio_index is not None and self.voice else None

    @property
    def face_track(self) -> int | None:
        if self.face_size is None:
            return None
        return 2 + (self.audio_track is not None) + (self.voice_track is not None)


def _input(master: Path) -> str:
    # "file:" keeps names that start with "-" or contain ":" from being read as options/protocols.
    return "file:" + str(master)


def _input_options(skip: str, threads: int) -> list[str]:
    opts = ["-threads", str(threads), "-skip_loop_filter", "all"]
    if skip != "none":
        opts += ["-skip_frame", "noref" if skip == "noref" else "bidir"]
    return opts


def analysis_argv(master: Path, video_index: int, plan: DecodePlan) -> list[str]:
    """The ffmpeg arguments (after the house flags) of the single analysis decode.

    Output: Matroska on ``pipe:1`` with track 1 the small yuv420p frames, then (when
    ``plan.audio_index`` is set) mono s16 PCM in 500 ms blocks, then (when ``plan.voice``) the
    same at 16 kHz, then (when
    ``plan.face_size`` is set) gray frames sampled every ``plan.face_interval`` seconds.
    """
    if plan.skip not in SKIP_MODES:
        raise ValueError(f"skip mode {plan.skip!r}: use one of {', '.join(SKIP_MODES)}")
    scale = f"scale={plan.width}:{plan.height}:flags=area,format=yuv420p,setsar=1"
    chains: list[str] = []
    if plan.face_size is None:
        chains.append(f"[0:{video_index}]{scale}[v]")
    else:
        fw, fh = plan.face_size
        every = f"{plan.face_interval:.3f}"
        chains.append(f"[0:{video_index}]split=2[vs][vf]")
        chains.append(f"[vs]{scale}[v]")
        chains.append(
            f"[vf]select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{every})',"
            f"scale={fw}:{fh}:flags=area,format=gray,setsar=1[f]"
        )
    maps = ["-map", "[v]"]
    if plan.audio_index is not None:
        # Mono s16 at the stream's own rate in 500 ms blocks (speech-band energy, loudness),
        # and the same mono resampled to 16 kHz for the voice-activity model.
        block = max(1, plan.audio_rate // 2)
        mono = f"[0:{plan.audio_index}]aformat=sample_fmts=s16:channel_layouts=mono"
        if plan.voice:
            chains.append(f"{mono},asplit=2[am][av]")
            chains.append(f"[am]asetnsamples=n={block}[a]")
            chains.append(
                f"[av]aresample={VOICE_RATE},aformat=sample_fmts=s16,"
                f"asetnsamples=n={VOICE_RATE // 2}[vo]"
            )
            maps += ["-map", "[a]", "-map", "[vo]"]
        else:
            chains.append(f"{mono},asetnsamples=n={block}[a]")
            maps += ["-map", "[a]"]
    if plan.face_size is not None:
        maps += ["-map", "[f]"]
    return [
        *_input_options(plan.skip, plan.threads),
        "-i",
        _input(master),
        "-filter_complex",
        ";".join(chains),
        *maps,
        "-c:v",
        "rawvideo",
        "-c:a",
        "pcm_s16le",
        "-fps_mode",
        "passthrough",
        "-f",
        "matroska",
        "pipe:1",
    ]


def windows_argv(
    master: Path,
    video_index: int,
    windows: Sequence[tuple[float, float]],
    size: tuple[int, int],
) -> list[str]:
    """The ffmpeg arguments decoding every frame of each ``(start, duration)`` window.

    One input per window (``-ss`` before ``-i`` seeks to the keyframe before ``start`` and
    decodes from there; frames before ``start`` are dropped), each scaled like the analysis
    frames and written as its own track (track ``k + 1`` for window ``k``) of one Matroska stream
    on ``pipe:1``. Timestamps of track ``k`` count from ``start``.
    """
    args: list[str] = []
    for start, duration in windows:
        args += [
            *_input_options("none", 1),
            "-ss",
            f"{max(0.0, start):.6f}",
            "-t",
            f"{duration:.6f}",
            "-i",
            _input(master),
        ]
    chains = [
        f"[{k}:{video_index}]scale={size[0]}:{size[1]}:flags=area,format=yuv420p,setsar=1[w{k}]"
        for k in range(len(windows))
    ]
    maps: list[str] = []
    for k in range(len(windows)):
        maps += ["-map", f"[w{k}]"]
    return [
        *args,
        "-filter_complex",
        ";".join(chains),
        *maps,
        "-c:v",
        "rawvideo",
        "-fps_mode",
        "passthrough",
        "-f",
        "matroska",
        "pipe:1",
    ]
