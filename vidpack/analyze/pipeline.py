"""The single analysis pass: :func:`analyze` turns a master into an :class:`Analysis`.

One ffmpeg process decodes the master once, cheaply (see :mod:`vidpack.media.decode`), and
streams small frames, mono audio (at its own rate and at 16 kHz) and face samples as one
Matroska stream. Frames feed :class:`~.features.FrameAnalyzer`, audio feeds
:class:`~.audio.AudioAnalyzer` (speech-band energy, momentary loudness) and the 16 kHz copy
:class:`~.voice.VoiceDetector` (silero-vad, on a worker thread), face samples
:class:`~.shots.FaceCounter`, all as they arrive.
Then transitions are decided (:mod:`.transitions`; or, with ``detector`` ``content`` or
``adaptive``, by PySceneDetect's detector that saw the same frames as they arrived,
:mod:`.psd`), hard cuts between frames that the decoder skipped are made frame-exact
(:mod:`.refine`), and per-shot statistics are gathered. The result is cached (:mod:`.cache`).
"""

from __future__ import annotations

import bisect
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.analyze import cache
from vidpack.analyze.model import Analysis, Interval, Transition
from vidpack.analyze.settings import AnalysisSettings
from vidpack.errors import InputError

if TYPE_CHECKING:
    from vidpack.analyze.audio import AudioAnalyzer
    from vidpack.analyze.features import FrameFeatures
    from vidpack.analyze.psd import SceneDetectFeed
    from vidpack.analyze.transitions import Found
    from vidpack.analyze.voice import VoiceDetector
    from vidpack.media.probe import MediaInfo

log = logging.getLogger("vidpack.analyze")

ProgressFn = Callable[[float], None]
LOUDNESS_STEP = 0.1
SMALL_PICTURE = 600_000  # pixels: up to about 540x960 one decoder thread is enough


@dataclass(frozen=True, slots=True)
class _Timing:
    """How analysed-frame times map to master frame numbers.

    Constant rate (``exact``): frame n is at ``first + n / fps``. Variable rate: the analysis
    decoded every frame, ``times`` holds them all in order, and frame n is at ``times[n]``.
    """

    first: float  # time of the first video frame
    fps: float
    exact: bool  # constant frame rate: frame number = round((t - first) * fps)
    times: tuple[float, ...] = ()  # every frame's time, when not exact

    def frame(self, t: float) -> int:
        """The number of the master frame nearest to time ``t``."""
        if self.exact or not self.times:
            return max(0, round((t - self.first) * self.fps))
        i = bisect.bisect_left(self.times, t)
        if i >= len(self.times) or (i > 0 and t - self.times[i - 1] <= self.times[i] - t):
            return i - 1
        return i

    def snap(self, t: float) -> float:
        """``t`` moved onto the nearest frame's time (Matroska times are whole milliseconds)."""
        if self.exact:
            return round(self.first + self.frame(t) / self.fps, 6)
        if self.times:
            return round(self.times[self.frame(t)], 6)
        return round(t, 6)


def analysis_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """Even (width, height) of the small analysis frames for a display size."""
    if width <= 0 or height <= 0:
        raise InputError(f"video size {width}x{height} cannot be analysed")
    scale = long_side / max(width, height)
    w = max(16, 2 * round(width * scale / 2))
    h = max(16, 2 * round(height * scale / 2))
    return w, h


def analyze(
    master: Path | str,
    *,
    settings: AnalysisSettings | None = None,
    use_cache: bool = True,
    on_progress: ProgressFn | None = None,
) -> Analysis:
    """Analyse ``master`` in one decode (or load the cached result).

    Args:
        master: the master video file.
        settings: analysis options (defaults: :class:`AnalysisSettings`).
        use_cache: reuse a cached analysis of the same file and settings, and write one;
            False forces a fresh pass (the new result still replaces the cache).
        on_progress: called with the fraction done (0..1) during the decode.

    Returns:
        Transitions, speech, loudness and per-shot statistics of the master.

    Raises:
        InputError: the file is missing, not media, or has no video stream.
        FFmpegError: the decode failed.
    """
    from vidpack.media.probe import probe, require_video

    settings = settings or AnalysisSettings()
    path = Path(master)
    info = probe(path)
    require_video(info)
    if use_cache:
        cached = cache.load(path, settings)
        if cached is not None:
            log.debug("analysis of %s loaded from cache", path)
            if on_progress:
                on_progress(1.0)
            return cached
    result = _run(path, info, settings, on_progress)
    from vidpack.media.runner import settings as run

    if not run.dry_run:  # a dry run leaves the disk as it was
        cache.save(path, settings, result)
    return result


def _run(
    path: Path, info: MediaInfo, settings: AnalysisSettings, on_progress: ProgressFn | None
) -> Analysis:
    from vidpack.analyze.audio import AudioAnalyzer
    from vidpack.analyze.features import FrameAnalyzer
    from vidpack.analyze.mkv import read_blocks
    from vidpack.analyze.shots import FaceCounter, face_cascade, shot_stats
    from vidpack.analyze.transitions import detect
    from vidpack.analyze.voice import VoiceDetector
    from vidpack.media.decode import VIDEO_TRACK, DecodePlan, analysis_argv
    from vidpack.media.runner import default_threads, pipe_ffmpeg

    video = info.video
    assert video is not None
    fps = float(video.fps) if video.fps > 0 else 25.0
    variable = video.is_vfr  # decided by the probe from the packet timestamps
    skip = settings.skip
    if skip == "auto":
        skip = "none" if variable or settings.detector != "vidpack" else "noref"
    width, height = analysis_size(video.width, video.height, settings.size)
    audio = info.audio[0] if info.audio else None
    cascade = face_cascade() if settings.faces else None
    face_size = None
    if cascade is not None:
        face_size = analysis_size(video.width, video.height, _long_for_short(video, settings))
    # Small pictures decode fast on one core, leaving the other to the analysis itself; big
    # ones need every core for the decode.
    small = video.width * video.height <= SMALL_PICTURE
    threads = settings.threads or (1 if small else default_threads())
    analyzer = FrameAnalyzer(
        width,
        height,
        lags=settings.flash_frames + 1,
        window=settings.dissolve_window,
        fps=fps,
    )
    rate = audio.sample_rate if audio and audio.sample_rate > 0 else 48000
    sound = AudioAnalyzer(rate, audio.channels if audio else 2)
    voice = VoiceDetector() if audio and settings.voice_model == "silero" else None
    faces = FaceCounter(cascade, *face_size) if cascade is not None and face_size else None
    psd = _scenedetect_feed(settings, width, height, video.fps, exact=not variable)
    duration = info.duration
    plan = DecodePlan(
        width=width,
        height=height,
        skip=skip,
        threads=threads,
        audio_index=audio.index if audio else None,
        audio_rate=rate,
        face_size=face_size,
        face_interval=settings.face_interval,
        voice=voice is not None,
    )
    args = analysis_argv(path, video.index, plan)
    next_report = 0.0
    with _closing(voice), pipe_ffmpeg(args, label=f"analysing {path.name}") as out:
        for block in read_blocks(out):
            if block.track == VIDEO_TRACK:
                analyzer.add(block.time, block.data)
                if psd is not None:
                    psd.add(block.time, block.data)
                if on_progress and duration > 0 and block.time >= next_report:
                    on_progress(min(0.99, block.time / duration))
                    next_report = block.time + max(1.0, duration / 100)
            elif block.track == plan.audio_track:
                sound.add(block.time, block.data)
            elif voice is not None and block.track == plan.voice_track:
                voice.add(block.time, block.data)
            elif faces is not None and block.track == plan.face_track:
                faces.add(block.time, block.data)
    loudness = sound.loudness(LOUDNESS_STEP, duration) if audio else ()
    features = analyzer.finish()
    if features.count == 0:
        raise InputError(f"{str(path)!r}: no video frame could be decoded: give a playable master")
    timing = _Timing(
        float(features.times[0]),
        fps,
        exact=not variable,
        times=tuple(features.times.tolist()) if variable else (),
    )
    found = psd.finish() if psd is not None else detect(features, settings)
    transitions, refined = _transitions(
        path, video.index, (width, height), features, found, timing, skip
    )
    bounds = [0.0, *(t.time for t in transitions), duration]
    stats = shot_stats(bounds, features, faces.samples if faces else (), loudness, LOUDNESS_STEP)
    speech = _speech(sound, voice, settings)
    if on_progress:
        on_progress(1.0)
    frame_count = video.frame_count if timing.exact else features.count
    used: dict[str, Any] = settings.to_dict()
    used.update(
        skip_used=skip,
        frame_size=[width, height],
        faces_detector="haar" if faces is not None else "unavailable",
        analysed_frames=features.count,
        refined_cuts=refined,
        face_samples_checked=faces.runs if faces is not None else 0,
    )
    if psd is not None:
        from vidpack.analyze.psd import scenedetect_version

        used["scenedetect"] = scenedetect_version()
    return Analysis(
        master=str(path),
        duration=round(duration, 6),
        fps=round(fps, 6),
        frame_count=frame_count,
        transitions=tuple(transitions),
        speech=speech,
        shots=stats,
        loudness_step=LOUDNESS_STEP,
        loudness=loudness,
        settings=used,
    )


def _scenedetect_feed(
    settings: AnalysisSettings, width: int, height: int, fps: Any, *, exact: bool
) -> SceneDetectFeed | None:
    """PySceneDetect's detector to feed the frames to, when ``settings.detector`` asks for one."""
    if settings.detector == "vidpack":
        return None
    from vidpack.analyze.psd import SceneDetectFeed

    return SceneDetectFeed(settings.detector, width, height, fps, exact=exact)


def _closing(voice: VoiceDetector | None) -> contextlib.AbstractContextManager[object]:
    """Stops the voice worker however the decode ends."""
    return contextlib.closing(voice) if voice is not None else contextlib.nullcontext()


def _speech(
    sound: AudioAnalyzer, voice: VoiceDetector | None, settings: AnalysisSettings
) -> tuple[Interval, ...]:
    """Speech intervals: from the voice model when it ran, else from speech-band energy."""
    from vidpack.analyze.voice import speech_intervals

    if voice is not None:
        probs = voice.probabilities()
        return speech_intervals(
            probs, voice.start or 0.0, settings.voice_threshold, settings.speech_merge
        )
    return sound.intervals(
        threshold_db=settings.speech_threshold_db,
        min_len=settings.speech_min,
        merge=settings.speech_merge,
        hangover=settings.speech_hangover,
    )


def _long_for_short(video: Any, settings: AnalysisSettings) -> int:
    """The long side giving face frames whose short side is ``settings.face_size``."""
    short, long = sorted((video.width, video.height))
    target = min(settings.face_size, short)
    return max(32, round(target * long / max(1, short)))


def _transitions(
    path: Path,
    video_index: int,
    size: tuple[int, int],
    f: FrameFeatures,
    found: list[Found],
    timing: _Timing,
    skip: str,
) -> tuple[list[Transition], int]:
    """Turn detections into :class:`Transition` values, making hard cuts frame-exact.

    Returns:
        The transitions and how many hard cuts were refined by a second, short decode.
    """
    from vidpack.analyze.refine import refine_cuts

    times = f.times
    exact_time: dict[int, float] = {}
    if skip != "none" and timing.exact:
        keys = [
            x.index
            for x in found
            if x.kind == "cut"
            and x.index > 0
            and timing.frame(times[x.index]) - timing.frame(times[x.index - 1]) > 1
        ]
        gaps = [(float(times[k - 1]), float(times[k])) for k in keys]
        if gaps:
            refined = refine_cuts(path, video_index, size, gaps, timing.fps)
            for key, value in zip(keys, refined, strict=True):
                if value is not None:
                    exact_time[key] = value
    out: list[Transition] = []
    for x in found:
        if x.kind == "cut":
            t = exact_time.get(x.index, float(times[x.index]))
        else:
            t = 0.5 * (float(times[x.start]) + float(times[x.end]))
        t = timing.snap(t)
        frame = timing.frame(t)
        out.append(Transition(time=t, frame=frame, kind=x.kind, score=float(x.score)))
    return out, len(exact_time)
