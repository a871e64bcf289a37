"""The analysis options: one frozen object holding every default, validated in one place.

The settings that change the result are part of the cache key (:meth:`AnalysisSettings.key`);
the ones that only change where or how fast it runs (cache folder, threads) are not.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from vidpack.errors import UsageError

# Bump when the detector's logic changes so old cache files are not reused.
ALGORITHM_VERSION = 5
SKIP_CHOICES = ("auto", "none", "noref", "bidir")
VOICE_MODELS = ("silero", "energy")
# vidpack's own detector, or PySceneDetect's ContentDetector / AdaptiveDetector (hard cuts only).
DETECTORS = ("vidpack", "content", "adaptive")
# Not part of the cache key: they do not change the result.
_NOT_IN_KEY = ("cache_dir", "threads")


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    """Options of the analysis pass.

    Attributes:
        size: long side of the small analysis frames in pixels (the short side follows the
            display aspect ratio).
        detector: what finds the transitions: ``vidpack`` (hard cuts, dissolves and dips to
            black, :mod:`.transitions`), or PySceneDetect's ``content`` (ContentDetector) or
            ``adaptive`` (AdaptiveDetector), fed with this pass's frames (:mod:`.psd`): hard
            cuts only.
        skip: frames the decoder may skip: ``auto`` (non-reference frames when the frame rate
            is constant and the detector is vidpack's, none otherwise: PySceneDetect's
            detectors count frames, so they see every one), ``none``, ``noref`` or ``bidir``.
        threads: decoder threads (0: one per core).
        cut_threshold: smallest frame-to-frame change (0..1) that can be a hard cut.
        cut_ratio: how many times larger than the changes around it a hard cut must be.
        flash_frames: frames a flash may last and still not read as a cut.
        dissolve_window: half-width in seconds of the window that finds dissolves.
        min_gap: transitions closer than this (seconds) are merged into the stronger one.
        speech_threshold_db: how far above the noise floor (dB) speech energy must rise
            (``voice_model="energy"``).
        speech_min: shortest speech burst kept (seconds; ``energy``).
        speech_merge: pauses shorter than this (seconds) do not split speech (both models).
        speech_hangover: seconds kept after speech energy falls (``energy``).
        voice_model: what marks speech: ``silero`` (silero-vad's ONNX model on the 16 kHz
            audio, gated by the speech-band energy) or ``energy`` (speech-band energy alone,
            blind to music).
        voice_threshold: speech probability (0..1) the voice model must reach.
        faces: detect faces on sampled frames (needs OpenCV's Haar cascades).
        face_interval: seconds between sampled frames for face detection.
        face_size: short side in pixels of the frames faces are detected on.
        cache_dir: folder for cache files (default: ``.vidpack-cache`` beside the master).
    """

    size: int = 160
    detector: str = "vidpack"
    skip: str = "auto"
    threads: int = 0
    cut_threshold: float = 0.06
    cut_ratio: float = 3.0
    flash_frames: int = 4
    dissolve_window: float = 0.5
    min_gap: float = 0.3
    speech_threshold_db: float = 15.0
    speech_min: float = 0.12
    speech_merge: float = 0.2
    speech_hangover: float = 0.05
    voice_model: str = "silero"
    voice_threshold: float = 0.5
    faces: bool = True
    face_interval: float = 2.0
    face_size: int = 160
    cache_dir: str | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Check every value; report all problems at once.

        Raises:
            UsageError: naming each bad setting, its value and what would work.
        """
        problems: list[str] = []

        def need(ok: bool, name: str, allowed: str) -> None:
            if not ok:
                problems.append(f"{name}={getattr(self, name)!r} ({allowed})")

        need(isinstance(self.size, int) and 32 <= self.size <= 640, "size", "use 32-640")
        need(self.detector in DETECTORS, "detector", f"use one of {', '.join(DETECTORS)}")
        need(self.skip in SKIP_CHOICES, "skip", f"use one of {', '.join(SKIP_CHOICES)}")
        need(isinstance(self.threads, int) and 0 <= self.threads <= 64, "threads", "use 0-64")
        need(0 < self.cut_threshold < 1, "cut_threshold", "use a value between 0 and 1")
        need(self.cut_ratio >= 1, "cut_ratio", "use 1 or more")
        need(
            isinstance(self.flash_frames, int) and 1 <= self.flash_frames <= 12,
            "flash_frames",
            "use 1-12",
        )
        need(0.1 <= self.dissolve_window <= 3, "dissolve_window", "use 0.1-3 seconds")
        need(0 <= self.min_gap <= 5, "min_gap", "use 0-5 seconds")
        need(0 < self.speech_threshold_db <= 60, "speech_threshold_db", "use 1-60 dB")
        need(0 <= self.speech_min <= 5, "speech_min", "use 0-5 seconds")
        need(0 <= self.speech_merge <= 5, "speech_merge", "use 0-5 seconds")
        need(0 <= self.speech_hangover <= 2, "speech_hangover", "use 0-2 seconds")
        need(self.voice_model in VOICE_MODELS, "voice_model", f"use {' or '.join(VOICE_MODELS)}")
        need(0 < self.voice_threshold < 1, "voice_threshold", "use a value between 0 and 1")
        need(0.1 <= self.face_interval <= 60, "face_interval", "use 0.1-60 seconds")
        need(
            isinstance(self.face_size, int) and 64 <= self.face_size <= 1080,
            "face_size",
            "use 64-1080",
        )
        if problems:
            raise UsageError("bad analysis settings: " + "; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        """All settings as a JSON-ready dict."""
        return asdict(self)

    def key_dict(self) -> dict[str, Any]:
        """The settings that change the result, with the algorithm version."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_IN_KEY}
        data["algorithm"] = ALGORITHM_VERSION
        if self.detector != "vidpack":
            from vidpack.analyze.psd import scenedetect_version

            data["scenedetect"] = scenedetect_version()  # its detectors may change with it
        return data

    def key(self) -> str:
        """A short hash of :meth:`key_dict` (part of the cache file name)."""
        text = json.dumps(self.key_dict(), sort_keys=True)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
