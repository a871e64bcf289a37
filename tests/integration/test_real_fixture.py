"""The real-media master (fixtures/real.py): its truth checked against the media it describes.

Facts come from ffprobe and from decoding the built master (frame differences, ebur128
loudness of its parts), never from the builder's own bookkeeping.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from fixtures import real
from fixtures.real import RealMaster, realmedia_missing

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(realmedia_missing() is not None, reason=str(realmedia_missing())),
]
MINUTES = 2.0  # the shared real_master (tests/conftest.py)


@pytest.fixture(scope="module")
def master(real_master: RealMaster) -> RealMaster:
    return real_master  # the run's shared real-media master (tests/conftest.py)


def _probe(path: Path) -> dict[str, object]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-count_packets", "-show_streams", "-show_format",
         "-of", "json", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    data: dict[str, object] = json.loads(out)
    return data


def _loudness(path: Path, start: float, end: float) -> float:
    err = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-ss", f"{start:.3f}",
         "-t", f"{end - start:.3f}", "-i", str(path), "-vn", "-af", "ebur128",
         "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", err)[-1])


def _frame_diffs(path: Path, w: int, h: int) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-vf", "format=gray", "-f", "rawvideo", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w).astype(np.int16)
    return np.concatenate([[0.0], np.abs(np.diff(frames, axis=0)).mean(axis=(1, 2))])


def test_streams_match_truth(master: RealMaster) -> None:
    t = master.truth
    data = _probe(master.path)
    streams = data["streams"]
    assert isinstance(streams, list)
    video = [s for s in streams if s["codec_type"] == "video"]
    audio = [s for s in streams if s["codec_type"] == "audio"]
    assert len(video) == 1 and len(audio) == 1
    v, a = video[0], audio[0]
    assert (v["codec_name"], v["pix_fmt"]) == ("h264", "yuv420p")
    assert (v["width"], v["height"]) == (t["width"], t["height"]) == (180, 320)
    assert v["r_frame_rate"] == v["avg_frame_rate"] == t["fps_rational"] == "30000/1001"
    assert int(v["nb_read_packets"]) == t["frame_count"] == round(MINUTES * 60 * 30000 / 1001)
    assert abs(float(v["duration"]) - t["duration"]) <= 1.001 / t["fps"]
    assert (a["codec_name"], int(a["sample_rate"]), a["channels"]) == ("aac", 48000, 2)
    assert abs(float(a["duration"]) - t["duration"]) < 0.05
    assert master.truth_path.is_file() and json.loads(master.truth_path.read_text()) == t


def test_hard_cuts_are_frame_difference_peaks(master: RealMaster) -> None:
    t = master.truth
    d = _frame_diffs(master.path, t["width"], t["height"])
    assert len(d) == t["frame_count"]
    kinds = {c["kind"] for c in t["cuts"]}
    assert kinds == {"cut", "dissolve", "fade"}
    hard = [c["frame"] for c in t["cuts"] if c["kind"] == "cut"]
    assert len(hard) >= 8
    for f in hard:
        near = d[f - 1 : f + 2]
        context = np.concatenate([d[max(1, f - 15) : f - 2], d[f + 3 : f + 16]])
        peak = float(near.max())
        assert peak > 15 and peak > 2.5 * float(np.median(context)), f"cut at frame {f}"
        assert peak >= float(d[f - 4 : f + 5].max()), f"a bigger change near frame {f}"
    for c in t["cuts"]:
        if c["kind"] != "cut":  # the picture changes inside a gradual span, not just before it
            a, e = c["start_frame"], c["end_frame"]
            assert a < c["frame"] < e and 10 <= e - a <= 24
            assert float(np.median(d[a + 1 : e])) > 1.0, f"{c['kind']} at frame {c['frame']}"


def test_traps_and_same_clip_joins_are_present(master: RealMaster) -> None:
    shots = master.truth["shots"]
    clips = [s["clip"] for s in shots]
    for needed in ("sweep", "tilt", "fire", "hands2", "typing"):
        assert needed in clips
    same = [
        (a["file"], b["file"])
        for a, b, c in zip(shots, shots[1:], master.truth["cuts"], strict=False)
        if a["file"] == b["file"] and c["kind"] == "cut"
    ]
    assert len(same) >= 2


def test_music_sits_music_db_under_the_dialogue(master: RealMaster) -> None:
    t = master.truth
    dry = [_loudness(master.path, s, e) for s, e in t["dialogue_only"]]
    music = [_loudness(master.path, s, e) for s, e in t["music_only"]]
    assert len(music) >= 2 and all(5 <= e - s <= 15 for s, e in t["music_only"])
    gap = float(np.mean(dry)) - float(np.mean(music))
    assert abs(gap - t["music_db"]) <= 1.5, (dry, music)
    noise = [_loudness(master.path, s, e) for s, e in t["noise_only"]]
    assert all(n < float(np.mean(music)) - 6 for n in noise), noise


def test_speech_truth_is_where_the_voice_is(master: RealMaster) -> None:
    t = master.truth
    speech = [(s["start"], s["end"]) for s in t["speech"]]
    assert speech == sorted(speech)
    assert all(e > s for s, e in speech) and all(a[1] < b[0] for a, b in itertools.pairwise(speech))
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(master.path), "-vn", "-ac", "1", "-ar", "16000",
         "-f", "f32le", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    x = np.frombuffer(raw, "<f4")

    def level(a: float, b: float) -> float:
        seg = x[round(a * 16000) : round(b * 16000)]
        return float(10 * np.log10(np.mean(seg.astype(np.float64) ** 2) + 1e-12))

    (dry_a, dry_b), = t["dialogue_only"]  # fmt: skip
    inside = [(s, e) for s, e in speech if dry_a <= s and e <= dry_b]
    assert inside
    gaps = [(a[1] + 0.05, b[0] - 0.05) for a, b in itertools.pairwise(inside) if b[0] - a[1] > 0.3]
    for s, e in inside:
        assert level(s, e) > -40
    for a, b in gaps:  # pauses in the dry stretch are near silence
        assert level(a, b) < min(level(s, e) for s, e in inside) - 15
    (_, before), (after, _) = t["noise_only"]
    in_noise = [(s, e) for s, e in speech if before < s and e < after]
    assert in_noise  # the room-noise stretch holds a little true speech
    assert all(level(s, e) > level(*t["noise_only"][0]) + 15 for s, e in in_noise)
    cues = master.subtitles["en"].read_text(encoding="utf-8").strip().split("\n\n")
    assert len(cues) == len(speech)


def test_truth_is_deterministic() -> None:
    total = round(2 * 60 * real.FPS)
    assert real._shots(total, random.Random(5)) == real._shots(total, random.Random(5))
    assert real._shots(total, random.Random(5)) != real._shots(total, random.Random(6))
    _, one = real._sound(100.0, 9.0, random.Random(1))
    _, two = real._sound(100.0, 9.0, random.Random(1))
    assert one == two
