"""Speech on real sound: real recorded voices under a real music bed, against their truth."""

from __future__ import annotations

from typing import Any

import pytest

from vidpack.analyze import AnalysisSettings, analyze

pytestmark = pytest.mark.integration


def _bins(spans: list[tuple[float, float]], duration: float) -> set[int]:
    out: set[int] = set()
    for a, b in spans:
        out.update(range(max(0, round(a * 100)), min(round(duration * 100), round(b * 100))))
    return out


def _score(found: list[tuple[float, float]], truth: dict[str, Any]) -> dict[str, float]:
    duration = truth["duration"]
    true = _bins([(s["start"], s["end"]) for s in truth["speech"]], duration)
    got = _bins(found, duration)
    music = _bins([tuple(s) for s in truth["music_only"]], duration)
    hit = len(true & got)
    precision, recall = hit / max(1, len(got)), hit / max(1, len(true))
    return {
        "precision": precision,
        "f1": 2 * precision * recall / max(1e-9, precision + recall),
        "music": len(got & music) / max(1, len(music)),
    }


def test_voice_model_finds_real_speech_under_music_and_not_the_music(real_master: Any) -> None:
    analysis = analyze(real_master.path, use_cache=False)
    assert analysis.settings["voice_model"] == "silero"
    voice = _score([(i.start, i.end) for i in analysis.speech], real_master.truth)
    energy = analyze(
        real_master.path, settings=AnalysisSettings(voice_model="energy"), use_cache=False
    )
    plain = _score([(i.start, i.end) for i in energy.speech], real_master.truth)
    # Measured 0.94-0.98 precision and 0.90-0.93 F1 on such masters (bench/bench_realworld.py).
    assert voice["precision"] >= 0.9 and voice["f1"] >= 0.88, voice
    assert voice["music"] < 0.05, voice
    # Speech-band energy alone reads the music bed as dialogue.
    assert plain["music"] > 0.5 and voice["precision"] > plain["precision"] + 0.1, plain
