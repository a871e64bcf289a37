"""probe() against the expected facts of the generated odd inputs (fixtures.bad) and of real
masters in ``../shared/realmedia`` (frame rates, constant or variable), and the analysis's
frame numbers against the masters' frame times."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from fixtures.bad import EXPECTED
from fixtures.real import REALMEDIA
from vidpack.analyze.model import Analysis
from vidpack.analyze.pipeline import analyze
from vidpack.analyze.settings import AnalysisSettings
from vidpack.errors import InputError
from vidpack.media.probe import probe, require_video
from vidpack.media.rates import _exact_rate
from vidpack.media.runner import run_ffmpeg, run_ffprobe

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_probe_matches_truth(
    key: str, bad_inputs: dict[str, Path], bad_inputs_truth: dict[str, dict[str, Any]]
) -> None:
    truth = bad_inputs_truth[key]
    path = bad_inputs[key]
    if not truth["probe_ok"]:
        with pytest.raises(InputError, match=r"empty|not a media file"):
            probe(path)
        return
    info = probe(path)
    if not truth.get("has_video", True):
        assert info.video is None
        with pytest.raises(InputError, match="has no video stream"):
            require_video(info)
    else:
        v = require_video(info)
        assert (v.width, v.height) == (truth["width"], truth["height"])
        assert (v.coded_width, v.coded_height) == (truth["coded_width"], truth["coded_height"])
        assert v.rotation == truth["rotation"]
        assert v.sar == Fraction(truth["sar"].replace(":", "/"))
        assert v.is_vfr is truth["vfr"]
        if truth["fps"]:
            assert v.fps == Fraction(truth["fps"])
        for fact in ("pix_fmt", "bit_depth", "profile"):
            if fact in truth:
                assert getattr(v, fact) == truth[fact]
        if "video_codec" in truth:
            assert v.codec == truth["video_codec"]
    assert len(info.audio) == (1 if truth["has_audio"] else 0)
    if info.audio:
        assert info.audio[0].channels == truth["audio_channels"]
        if "audio_codec" in truth:
            assert info.audio[0].codec == truth["audio_codec"]
    start = truth.get("start_time", 0.0)
    expected = truth.get("end_time", start + truth["duration"]) - start
    assert info.start_time == pytest.approx(start, abs=0.05)
    assert info.duration == pytest.approx(expected, abs=0.05)


# ------------------------------------------------------------------ frame rates of real masters

NTSC = Fraction(30000, 1001)


def _real(rel: str) -> Path:
    path = REALMEDIA / rel
    if not path.is_file():
        pytest.skip(f"real media missing: {path} (set VIDPACK_REALMEDIA)")
    return path


def _header(path: Path) -> dict[str, Any]:
    """What ffprobe's header says about the first video stream."""
    data = run_ffprobe(["-select_streams", "v:0", "-show_streams", "--", str(path)])
    return dict(data["streams"][0])


def _frame_times(path: Path) -> list[float]:
    """Presentation time of every video frame of ``path``, in display order."""
    data = run_ffprobe(
        ["-select_streams", "v:0", "-show_entries", "packet=pts_time", "--", str(path)]
    )
    return sorted(float(p["pts_time"]) for p in data["packets"])


@pytest.fixture(scope="module")
def testvideo_mkv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """psd/testvideo.mp4 (30000/1001 fps, B-frames) remuxed into Matroska (millisecond times)."""
    out = tmp_path_factory.mktemp("mkv") / "testvideo.mkv"
    run_ffmpeg(["-i", str(_real("psd/testvideo.mp4")), "-map", "0", "-c", "copy", str(out)])
    return out


@pytest.fixture(scope="module")
def mkv_without_rate(testvideo_mkv: Path) -> Path:
    """The same Matroska file with its DefaultDuration element voided, as some muxers write it:
    ffprobe then guesses avg_frame_rate from the millisecond times."""
    data = bytearray(testvideo_mkv.read_bytes())
    at = data.find(b"\x23\xe3\x83", 0, 64 * 1024)  # DefaultDuration, in the track header
    assert at > 0
    total = 4 + (data[at + 3] & 0x7F)  # ID (3 bytes), 1-byte size, value
    data[at : at + total] = bytes([0xEC, 0x80 | (total - 2)]) + bytes(total - 2)  # Void
    out = testvideo_mkv.with_name("testvideo-no-default-duration.mkv")
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize(
    ("rel", "fps", "frames"),
    [
        ("mp/bbb_0_30.webm", Fraction(24), 720),
        ("psd/testvideo.mp4", NTSC, 720),
        ("mp/smpte-2997.mp4", Fraction(25), 251),
        ("psd/counter.mp4", Fraction(10), 30),
    ],
)
def test_real_constant_rate_masters(rel: str, fps: Fraction, frames: int) -> None:
    path = _real(rel)
    v = require_video(probe(path))
    assert v.is_vfr is False
    assert v.fps == fps and isinstance(v.fps, Fraction)
    assert v.frame_count == frames == len(_frame_times(path))


def test_matroska_remux_is_constant_rate(testvideo_mkv: Path) -> None:
    steps = {round(b - a, 3) for a, b in itertools.pairwise(_frame_times(testvideo_mkv))}
    assert steps == {0.033, 0.034}  # millisecond times: the steps jitter by one tick
    v = require_video(probe(testvideo_mkv))
    assert (v.is_vfr, v.fps) == (False, NTSC)


def test_matroska_rate_comes_from_packets_not_avg_frame_rate(mkv_without_rate: Path) -> None:
    header = _header(mkv_without_rate)
    assert header["avg_frame_rate"] != header["r_frame_rate"]
    assert Fraction(header["avg_frame_rate"]) != NTSC
    v = require_video(probe(mkv_without_rate))
    assert (v.is_vfr, v.fps) == (False, NTSC)


def test_measured_rate_snaps_to_a_standard_rate() -> None:
    odd_header = (Fraction(1000), Fraction(0))  # a Matroska r_frame_rate guessed from the ticks
    assert _exact_rate(NTSC * Fraction(10003, 10000), odd_header) == NTSC  # 0.03 % off: snapped
    assert _exact_rate(Fraction(2401, 100), (Fraction(24), Fraction(0))) == 24  # header agrees
    off = Fraction(2993, 100)  # 0.13 % from 30000/1001, near no standard rate: kept
    assert _exact_rate(off, odd_header) == off


@pytest.mark.parametrize(
    ("rel", "frames", "mean_fps"),
    [
        # two of every three frames of a 24000/1001 film: steps of one and two frame periods
        ("psd/goldeneye-vfr-drop3.mp4", 160, 24000 / 1001 * 2 / 3),
        # a phone clip: r_frame_rate 90000/1 is its time base; frames step 80 to 100 ms
        ("mp/fire2.mp4", 25, 25 / 2.38),
    ],
)
def test_real_variable_rate_masters(rel: str, frames: int, mean_fps: float) -> None:
    path = _real(rel)
    v = require_video(probe(path))
    assert v.is_vfr is True
    assert v.frame_count == frames == len(_frame_times(path))
    assert float(v.fps) == pytest.approx(mean_fps, rel=0.01)


def test_rate_change_after_the_first_packets_is_found(tmp_path: Path) -> None:
    """520 frames at 25 fps, then 300 at 12.5 fps: the first 500 packets alone look constant."""
    path = tmp_path / "late-change.mp4"
    graph = (
        "testsrc2=s=96x64:r=25,trim=end_frame=520,setpts=PTS-STARTPTS[a];"
        "testsrc2=s=96x64:r=25/2,trim=end_frame=300,setpts=PTS-STARTPTS[b];"
        "[a][b]concat=n=2:v=1:a=0,settb=1/1000[v]"
    )
    run_ffmpeg(
        [
            *("-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast"),
            *("-fps_mode", "passthrough", str(path)),
        ]
    )
    assert _header(path)["r_frame_rate"] == "25/1"
    v = require_video(probe(path))
    assert v.is_vfr is True and v.frame_count == 820


# ------------------------------------------------------ frame numbers of the analysis equal times


def _analyse(path: Path, cache: Path) -> Analysis:
    return analyze(path, settings=AnalysisSettings(cache_dir=str(cache)), use_cache=False)


@pytest.mark.parametrize("rel", ["mp/bbb_0_30.webm", "psd/counter.mp4"])
def test_constant_rate_frame_numbers_equal_times(rel: str, tmp_path: Path) -> None:
    path = _real(rel)
    fps = require_video(probe(path)).fps
    analysis = _analyse(path, tmp_path)
    assert analysis.fps == pytest.approx(float(fps))
    assert analysis.frame_count == len(_frame_times(path))
    if rel.endswith(".webm"):
        assert analysis.transitions, "Big Buck Bunny's first 30 s have cuts and a dissolve"
    for t in analysis.transitions:
        assert t.frame == round(t.time * fps), t
        assert t.time == pytest.approx(float(t.frame / fps), abs=1e-6), t


def test_variable_rate_frame_numbers_index_the_frames(tmp_path: Path) -> None:
    path = _real("psd/goldeneye-vfr-drop3.mp4")
    times = _frame_times(path)
    analysis = _analyse(path, tmp_path)
    assert analysis.frame_count == len(times)
    assert analysis.transitions, "the clip has hard cuts"
    for t in analysis.transitions:
        # the frame's own time (the analysis reads Matroska times: whole milliseconds)
        assert t.time == pytest.approx(times[t.frame], abs=0.0006), t
