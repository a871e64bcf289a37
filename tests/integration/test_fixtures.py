"""The fixture generator tells the truth: its truth files are checked against the real media.

ffprobe facts (duration, frame count, sizes, codecs), decoded frames at every hard cut (strong
change exactly at the truth frame, calm frames on either side), dissolves and dips, audio energy
in the dialogue and silence in the pauses, subtitle files in their stated encodings, and the
property each bad input is made to have.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pysubs2
import pytest

from fixtures import script
from fixtures.generate import MasterFixture, generate_master
from vidpack.errors import FFmpegError
from vidpack.media.runner import pipe_ffmpeg, run_ffprobe

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
MASTERS = ["vertical_master", "horizontal_master"]


def _master(request: pytest.FixtureRequest, name: str) -> MasterFixture:
    fixture: MasterFixture = request.getfixturevalue(name)
    return fixture


def _frames(path: Path, numbers: list[int], size: tuple[int, int]) -> dict[int, np.ndarray]:
    """Decode the given frame numbers as grey float images, in one ffmpeg run."""
    wanted = sorted(set(numbers))
    expr = "+".join(f"eq(n\\,{n})" for n in wanted)
    w, h = size
    with pipe_ffmpeg(
        [
            *("-i", str(path), "-an", "-vf", f"select='{expr}'", "-fps_mode", "passthrough"),
            *("-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"),
        ]
    ) as out:
        data = out.read()
    frames = np.frombuffer(data, np.uint8).reshape(-1, h, w).astype(np.float32)
    assert len(frames) == len(wanted), f"decoded {len(frames)} of {len(wanted)} frames"
    return dict(zip(wanted, frames, strict=True))


def _mad(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


def _audio(path: Path, rate: int = 16000) -> np.ndarray:
    with pipe_ffmpeg(
        ["-i", str(path), "-vn", "-ac", "1", "-ar", str(rate), "-f", "f32le", "pipe:1"]
    ) as out:
        return np.frombuffer(out.read(), "<f4")


def _rms_db(samples: np.ndarray) -> float:
    return 20 * float(np.log10(np.sqrt(np.mean(samples.astype(np.float64) ** 2)) + 1e-12))


@pytest.mark.parametrize("name", MASTERS)
def test_probe_matches_truth(request: pytest.FixtureRequest, name: str) -> None:
    m = _master(request, name)
    truth = m.truth
    info = run_ffprobe(
        [
            "-count_packets",
            "-show_entries",
            "stream=codec_type,codec_name,width,height,"
            "r_frame_rate,pix_fmt,sample_rate,channels,nb_read_packets:format=duration",
            str(m.path),
        ]
    )
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    audio = next(s for s in info["streams"] if s["codec_type"] == "audio")
    fps = truth["fps"]
    assert (video["width"], video["height"]) == (truth["width"], truth["height"])
    assert video["codec_name"] == "h264" and video["pix_fmt"] == "yuv420p"
    assert Fraction(video["r_frame_rate"]) == fps
    assert abs(int(video["nb_read_packets"]) - truth["frame_count"]) <= 1
    assert abs(float(info["format"]["duration"]) - truth["duration"]) <= 1 / fps
    assert audio["codec_name"] == "aac"
    assert (int(audio["sample_rate"]), audio["channels"]) == (48000, 2)
    assert truth["frame_count"] == round(truth["duration"] * fps)
    assert m.truth_path.is_file() and json.loads(m.truth_path.read_text("utf-8")) == truth
    if name == "vertical_master":
        assert truth["width"] < truth["height"]
        assert {c["kind"] for c in truth["cuts"]} == {"cut", "dissolve", "fade"}
    else:
        assert truth["width"] > truth["height"]
    # Shots tile the timeline and every truth time is its frame number over the rate.
    shots = truth["shots"]
    assert shots[0]["start_frame"] == 0 and shots[-1]["end_frame"] == truth["frame_count"]
    for a, b, cut in zip(shots, shots[1:], truth["cuts"], strict=False):
        assert a["end_frame"] == b["start_frame"] == cut["frame"]
        assert a["source"] != b["source"]
        assert cut["time"] == pytest.approx(cut["frame"] / fps, abs=1e-6)
        assert cut["start_frame"] <= cut["frame"] <= cut["end_frame"]
    lengths = [(s["end_frame"] - s["start_frame"]) / fps for s in shots]
    assert min(lengths) >= 1.5 and max(lengths) <= 13.5


@pytest.mark.parametrize("name", MASTERS)
def test_transitions_are_where_the_truth_says(request: pytest.FixtureRequest, name: str) -> None:
    m = _master(request, name)
    truth = m.truth
    size = (truth["width"], truth["height"])
    wanted: list[int] = []
    for c in truth["cuts"]:
        f = c["frame"]
        wanted += [f - 2, f - 1, f, f + 1, c["start_frame"] - 1, c["end_frame"]]
    for s in truth["shots"]:
        mid = (s["clean_start_frame"] + s["clean_end_frame"]) // 2
        wanted += [mid, mid + 1]
    frames = _frames(m.path, wanted, size)

    for s in truth["shots"]:
        mid = (s["clean_start_frame"] + s["clean_end_frame"]) // 2
        calm = _mad(frames[mid], frames[mid + 1])
        assert calm < 8, f"shot {s['source']} at frame {mid} changes by {calm:.1f}"
        assert frames[mid].std() > 3, f"shot {s['source']} at frame {mid} is flat"
    for c in truth["cuts"]:
        f = c["frame"]
        if c["kind"] == "cut":
            jump = _mad(frames[f - 1], frames[f])
            before, after = _mad(frames[f - 2], frames[f - 1]), _mad(frames[f], frames[f + 1])
            assert jump > 25, f"hard cut at frame {f}: difference only {jump:.1f}"
            assert jump > 4 * max(before, after), f"cut at {f} is not frame-accurate"
        elif c["kind"] == "fade":
            # The last frame of the old shot and the first of the new are black padding.
            assert frames[f - 1].mean() < 24 and frames[f].mean() < 24, f"no black at {f}"
            assert frames[c["start_frame"] - 1].mean() > 24 or frames[c["end_frame"]].mean() > 24
        else:
            a, b, mid = frames[c["start_frame"] - 1], frames[c["end_frame"]], frames[f]
            whole = _mad(a, b)
            assert whole > 15, f"dissolve at {f}: shots too alike ({whole:.1f})"
            assert _mad(a, mid) < whole and _mad(mid, b) < whole, f"frame {f} is not a blend"


@pytest.mark.parametrize("name", MASTERS)
def test_dialogue_is_loud_and_pauses_are_silent(request: pytest.FixtureRequest, name: str) -> None:
    m = _master(request, name)
    truth = m.truth
    rate = 16000
    pcm = _audio(m.path, rate)
    assert abs(len(pcm) / rate - truth["duration"]) < 0.05
    lines = truth["dialogue"]
    assert len(lines) >= truth["duration"] / 6
    for line in lines:
        seg = pcm[round(line["start"] * rate) : round(line["end"] * rate)]
        assert _rms_db(seg) > -35, f"line at {line['start']:.2f} s is quiet"
        # The line's sound starts and ends where the truth says (within 30 ms).
        head = pcm[round(line["start"] * rate) : round((line["start"] + 0.03) * rate)]
        tail = pcm[round((line["end"] - 0.03) * rate) : round(line["end"] * rate)]
        assert np.abs(head).max() > 0.005 and np.abs(tail).max() > 0.005
    edges = [0.0, *(t for line in lines for t in (line["start"], line["end"])), truth["duration"]]
    pauses = list(zip(edges[::2], edges[1::2], strict=True))
    assert all(b - a >= 0.4 for a, b in pauses[1:-1])
    for a, b in pauses:
        if b - a > 0.2:
            seg = pcm[round((a + 0.06) * rate) : round((b - 0.06) * rate)]
            assert _rms_db(seg) < -60, f"pause {a:.2f}-{b:.2f} s is not silent"
    relations = {c["speech"] for c in truth["cuts"]}
    assert {"across", "pause"} <= relations, relations
    for c in truth["cuts"]:
        spoken = [d for d in lines if d["start"] < c["start"] and d["end"] > c["end"]]
        assert (c["speech"] == "across") == bool(spoken)


@pytest.mark.parametrize("name", MASTERS)
def test_subtitles_decode_in_their_encoding(request: pytest.FixtureRequest, name: str) -> None:
    m = _master(request, name)
    truth = m.truth
    assert set(m.subtitles) == set(script.LANGUAGES)
    entries = truth["subtitles"]
    assert {e["encoding"] for e in entries} >= {"utf-8", "gb18030", "euc-kr", "cp1256", "utf-16"}
    for entry in entries:
        path = m.path.parent / entry["file"]
        raw = path.read_bytes()
        raw.decode(entry["encoding"])  # strict: raises when the bytes are not that encoding
        if entry["encoding"] != "utf-8":
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        subs = pysubs2.load(str(path), encoding=entry["encoding"])
        assert len(subs) == len(truth["dialogue"])
        step = 10 if entry["format"] == "ass" else 1  # ASS times are in centiseconds
        for event, line in zip(subs, truth["dialogue"], strict=True):
            assert abs(event.start - line["start"] * 1000) <= step / 2 + 0.5
            assert abs(event.end - line["end"] * 1000) <= step / 2 + 0.5
            assert event.plaintext == script.text(line["line"], entry["language"])
    assert (m.path.parent / f"{m.path.stem}.en.vtt").read_text("utf-8").startswith("WEBVTT")
    assert "[Events]" in (m.path.parent / f"{m.path.stem}.en.ass").read_text("utf-8")


def test_bad_inputs_have_their_properties(
    bad_inputs: dict[str, Path], bad_inputs_truth: dict[str, dict[str, Any]]
) -> None:
    assert set(bad_inputs) >= {
        "truncated", "audio_only_m4a", "audio_only_mp4", "no_audio", "empty", "text",
        "rotated", "vfr", "prores", "anamorphic", "surround", "delayed_start",
    }  # fmt: skip
    assert bad_inputs["audio_only_m4a"].suffix == ".m4a"
    assert bad_inputs["empty"].stat().st_size == 0
    probed: dict[str, list[dict[str, Any]]] = {}
    for key, path in bad_inputs.items():
        want = bad_inputs_truth[key]
        if not want["probe_ok"]:
            with pytest.raises(FFmpegError):
                run_ffprobe(["-show_streams", str(path)])
            continue
        info = run_ffprobe(["-show_streams", "-show_format", str(path)])
        probed[key] = info["streams"]
        video = [s for s in info["streams"] if s["codec_type"] == "video"]
        audio = [s for s in info["streams"] if s["codec_type"] == "audio"]
        assert bool(video) == want["has_video"], key
        assert bool(audio) == want["has_audio"], key
        if audio:
            assert audio[0]["channels"] == want["audio_channels"], key
        if "start_time" in want:
            assert float(info["format"]["start_time"]) == pytest.approx(
                want["start_time"], abs=0.03
            )
        if not video:
            continue
        v = video[0]
        assert float(v["duration"]) == pytest.approx(want["duration"], abs=1 / 24), key
        rotation = -round(float(next(
            (sd["rotation"] for sd in v.get("side_data_list", []) if "rotation" in sd), 0
        ))) % 360  # fmt: skip
        assert rotation == want["rotation"], key
        assert (v["width"], v["height"]) == (want["coded_width"], want["coded_height"]), key
        sar = Fraction(v.get("sample_aspect_ratio", "1:1").replace(":", "/"))
        width, height = round(v["width"] * sar), v["height"]
        if rotation in (90, 270):
            width, height = height, width
        assert (width, height) == (want["width"], want["height"]), key
        assert v["pix_fmt"] == want["pix_fmt"] and v["codec_name"] == want["video_codec"], key
        if want["fps"]:
            assert Fraction(v["r_frame_rate"]) == Fraction(want["fps"]), key

    prores = probed["prores"]
    assert prores[0]["profile"] == "Standard" and prores[0]["bits_per_raw_sample"] == "10"
    assert prores[1]["codec_name"] == "pcm_s24le"
    assert probed["surround"][1]["channel_layout"] == "5.1"

    pts = run_ffprobe(
        ["-select_streams", "v", "-show_entries", "packet=pts_time", str(bad_inputs["vfr"])]
    )["packets"]
    times = sorted(float(p["pts_time"]) for p in pts)
    assert len(times) == bad_inputs_truth["vfr"]["frame_count"]
    steps = {round(1 / (b - a)) for a, b in itertools.pairwise(times)}
    assert steps == {24, 30}, steps

    cut = run_ffprobe(
        [
            *("-count_frames", "-select_streams", "v"),
            *("-show_entries", "stream=nb_frames,nb_read_frames"),
            str(bad_inputs["truncated_faststart"]),
        ]
    )["streams"][0]
    assert int(cut["nb_read_frames"]) < int(cut["nb_frames"]) == 75


def test_cli_and_api_make_the_same_master(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "fixtures.generate", str(out), "--size", "160x96"),
            *("--fps", "30", "--minutes", "0.1", "--horizontal", "--faces", "--seed", "3"),
            *("--name", "m"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    api = generate_master(
        tmp_path / "api", name="m", size=(96, 160), fps=30, minutes=0.1, horizontal=True,
        faces=True, seed=3,
    )  # fmt: skip
    truth = json.loads((out / "m.truth.json").read_text("utf-8"))
    # Same seed, same bytes: the generator is deterministic.
    assert truth == api.truth
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (out / "m.mp4", api.path)]
    assert digest[0] == digest[1]
    assert (truth["width"], truth["height"], truth["fps"]) == (160, 96, 30)
    assert truth["frame_count"] == 180
    # The face sits where the truth says: skin-coloured in the middle of its cheek.
    shot = truth["shots"][0]
    box = shot["face"]
    frame_no = (shot["clean_start_frame"] + shot["clean_end_frame"]) // 2
    with pipe_ffmpeg(
        [
            *("-i", str(out / "m.mp4"), "-vf", f"select='eq(n\\,{frame_no})'", "-frames:v", "1"),
            *("-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"),
        ]
    ) as pipe:
        rgb = np.frombuffer(pipe.read(), np.uint8).reshape(96, 160, 3).astype(float)
    cheek = rgb[
        box["y"] + box["h"] * 55 // 100 : box["y"] + box["h"] * 65 // 100,
        box["x"] + box["w"] * 15 // 100 : box["x"] + box["w"] * 25 // 100,
    ].reshape(-1, 3)
    assert np.abs(cheek.mean(axis=0) - (224, 172, 140)).max() < 30, cheek.mean(axis=0)

    bad = subprocess.run(
        [sys.executable, "-m", "fixtures.generate", str(out), "--size", "181x320"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and "181x320" in bad.stderr
