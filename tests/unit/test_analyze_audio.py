"""Speech intervals and momentary loudness from PCM (synthetic audio, no ffmpeg)."""

from __future__ import annotations

import numpy as np
import pytest

from vidpack.analyze.audio import SILENCE_LUFS, AudioAnalyzer

RATE = 48000

RNG = np.random.default_rng(5)


def _speechlike(seconds: float) -> np.ndarray:
    """Band-limited noise with a 4 Hz syllable envelope, like voiced speech."""
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    carrier = (
        np.sin(2 * np.pi * 180 * t)
        + 0.6 * np.sin(2 * np.pi * 720 * t)
        + 0.3 * RNG.standard_normal(n)
    )
    envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)
    return 0.2 * carrier * envelope


def _pcm(
    parts: list[tuple[str, float]], noise_db: float | None = None
) -> tuple[bytes, list[tuple[float, float]]]:
    chunks, truth, t = [], [], 0.0
    for kind, seconds in parts:
        if kind == "speech":
            chunks.append(_speechlike(seconds))
            truth.append((t, t + seconds))
        else:
            chunks.append(np.zeros(int(seconds * RATE)))
        t += seconds
    x = np.concatenate(chunks)
    if noise_db is not None:
        x = x + 10 ** (noise_db / 20) * RNG.standard_normal(x.size)
    return (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes(), truth


def _iou(a: list[tuple[float, float]], b: list[tuple[float, float]], total: float) -> float:
    grid = np.arange(0, total, 0.005)
    ma = np.zeros(grid.size, bool)
    mb = np.zeros(grid.size, bool)
    for s, e in a:
        ma |= (grid >= s) & (grid < e)
    for s, e in b:
        mb |= (grid >= s) & (grid < e)
    return float((ma & mb).sum() / max(1, (ma | mb).sum()))


@pytest.mark.parametrize("noise_db", [None, -50.0])
def test_speech_intervals_match_the_truth(noise_db: float | None) -> None:
    parts = [
        ("pause", 1.0),
        ("speech", 2.2),
        ("pause", 0.8),
        ("speech", 1.5),
        ("pause", 2.0),
        ("speech", 3.0),
        ("pause", 1.0),
    ]
    pcm, truth = _pcm(parts, noise_db)
    det = AudioAnalyzer(RATE, channels=1)
    step = 2 * RATE // 5  # 200 ms blocks, as the decode delivers them
    for k in range(0, len(pcm), step):
        det.add(k / 2 / RATE, pcm[k : k + step])
    got = det.intervals(threshold_db=15, min_len=0.12, merge=0.35, hangover=0.05)
    assert len(got) == 3
    assert _iou([(i.start, i.end) for i in got], truth, 12.0) > 0.9
    for iv, (s, e) in zip(got, truth, strict=True):
        assert abs(iv.start - s) < 0.1 and abs(iv.end - e) < 0.15


def test_short_pauses_do_not_split_and_clicks_are_dropped() -> None:
    pcm, _ = _pcm(
        [
            ("pause", 1.0),
            ("speech", 1.0),
            ("pause", 0.2),
            ("speech", 1.0),
            ("pause", 1.0),
            ("speech", 0.04),
            ("pause", 1.0),
        ]
    )
    det = AudioAnalyzer(RATE, channels=1)
    det.add(0.0, pcm)
    got = det.intervals(threshold_db=15, min_len=0.12, merge=0.35, hangover=0.0)
    assert [(round(i.start, 1), round(i.end, 1)) for i in got] == [(1.0, 3.2)]


def test_silence_has_no_speech() -> None:
    det = AudioAnalyzer(RATE, channels=1)
    det.add(0.0, bytes(2 * RATE * 3))
    assert det.intervals(threshold_db=15, min_len=0.1, merge=0.3, hangover=0.05) == ()


def test_start_time_offsets_the_intervals() -> None:
    pcm, _ = _pcm([("pause", 0.5), ("speech", 1.0), ("pause", 0.5)])
    det = AudioAnalyzer(RATE, channels=1)
    det.add(10.0, pcm)
    (iv,) = det.intervals(threshold_db=15, min_len=0.1, merge=0.3, hangover=0.0)
    assert iv.start == pytest.approx(10.5, abs=0.05)


def test_momentary_loudness_of_a_tone() -> None:
    """A 997 Hz sine at -20 dBFS in one channel is -23.0 LUFS (BS.1770 calibration)."""
    t = np.arange(6 * RATE) / RATE
    x = np.where((t >= 2) & (t < 4), 0.1 * np.sin(2 * np.pi * 997 * t), 0.0)
    det = AudioAnalyzer(RATE, channels=1)
    det.add(0.0, (x * 32767).astype("<i2").tobytes())
    values = det.loudness(0.1, 6.0)
    assert len(values) == 60
    assert values[30] == pytest.approx(-23.0, abs=0.2)
    assert values[5] == SILENCE_LUFS and values[55] == SILENCE_LUFS
    assert -40 < values[20] < -23.5  # the window half in the tone
    stereo = AudioAnalyzer(RATE, channels=2)  # the same signal as the mono downmix of L = R
    stereo.add(0.0, (x * 32767).astype("<i2").tobytes())
    assert stereo.loudness(0.1, 6.0)[30] == pytest.approx(-20.0, abs=0.2)


def test_no_audio_no_loudness() -> None:
    assert AudioAnalyzer(RATE).loudness(0.1, 5.0) == ()
