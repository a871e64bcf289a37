"""`split_master` on generated masters of every kind post houses deliver: frame counts add up to
the master's, each episode's first and last frames are the master's planned frames, audio is as
long as the video, loudness lands on the target, and the output is at the preset's spec."""

from __future__ import annotations

import itertools
import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from vidpack.media.probe import probe
from vidpack.media.runner import pipe_ffmpeg, run_capture, run_ffmpeg, run_ffprobe
from vidpack.plan.planfile import load_plan_for, probe_master_ref
from vidpack.presets import load_preset
from vidpack.presets.model import Preset
from vidpack.render import Hooks, RenderOptions, split_master

pytestmark = pytest.mark.integration

W, H = 180, 320
AAC_FRAME = 1024 / 48000
PRESET_TOML = """
extends = "tiktok"
name = "tiny"
[video]
width = 180
height = 320
[limits]
min_episode_s = 1
max_episode_s = 15
[trailers]
lengths = [10]
"""
FAST = RenderOptions(x264_preset="veryfast", jobs=1)


# Media -------------------------------------------------------------------------------------
def make_master(
    path: Path,
    *,
    seconds: float = 8.0,
    fps: int = 25,
    size: tuple[int, int] = (W, H),
    audio: str | None = "stereo",
    prores: bool = False,
    vfr: bool = False,
    rotate: bool = False,
    sar: str | None = None,
    volume: float = 0.1,
) -> Path:
    """A test-pattern master (every frame different) with a tone, of the given kind."""
    w, h = size
    if rotate:
        w, h = h, w  # stored landscape, displayed portrait
    args = ["-f", "lavfi", "-i", f"testsrc2=s={w}x{h}:r={fps}:d={seconds}"]
    vf = []
    if vfr:
        # Drop frames irregularly: variable frame rate, about 0.8 of the nominal rate.
        vf.append(r"select=not(eq(mod(n\,5)\,2)+eq(mod(n\,7)\,3))")
    if sar:
        vf.append(f"setsar={sar}")
    if audio:
        layout = "5.1" if audio == "5.1" else "stereo"
        args += [
            "-f",
            "lavfi",
            "-i",
            f"sine=f=330:r=48000:d={seconds},volume={volume},aformat=channel_layouts={layout}",
        ]
    if vf:
        args += ["-vf", ",".join(vf)]
    if vfr:
        args += ["-fps_mode", "vfr"]
    if prores:
        args += ["-c:v", "prores_ks", "-profile:v", "2", "-pix_fmt", "yuv422p10le"]
        args += ["-c:a", "pcm_s24le"] if audio else []
    else:
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-g", str(2 * fps), "-bf", "2"]
        args += ["-pix_fmt", "yuv420p"]
        args += ["-c:a", "aac", "-b:a", "192k"] if audio else []
    if not rotate:
        run_ffmpeg([*args, "-threads", "2", str(path)])
        return path
    plain = path.with_name(f"plain-{path.name}")
    run_ffmpeg([*args, "-threads", "2", str(plain)])
    # A stream copy adds phone-style rotation metadata (ffmpeg 5.1 ignores it when encoding).
    run_ffmpeg(["-i", str(plain), "-c", "copy", "-metadata:s:v:0", "rotate=90", str(path)])
    return path


def write_plan(master: Path, cuts: list[float], path: Path) -> Path:
    """A plan file splitting ``master`` at ``cuts`` seconds."""
    ref = probe_master_ref(master)
    times = [0.0, *cuts, ref.duration]
    data = {
        "vidpack_plan": 1,
        "master": {
            "path": ref.path,
            "size": ref.size,
            "duration": ref.duration,
            "fps": ref.fps,
            "fingerprint": ref.fingerprint,
        },
        "episodes": [{"start": a, "end": b} for a, b in itertools.pairwise(times)],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def streams(path: Path) -> dict[str, dict[str, Any]]:
    data = run_ffprobe(["-count_frames", "-show_streams", "-show_format", "--", str(path)])
    out = {s["codec_type"]: s for s in data["streams"]}
    out["format"] = data["format"]
    return out


def gray_frames(path: Path, first: int, count: int, *, size: tuple[int, int] = (W, H)) -> Any:
    """Decoded frames ``first .. first+count-1`` of ``path`` as gray arrays at ``size``."""
    import numpy as np

    w, h = size
    vf = f"select=between(n\\,{first}\\,{first + count - 1}),scale={w}:{h},format=gray"
    with pipe_ffmpeg(
        ["-i", str(path), "-vf", vf, "-fps_mode", "passthrough", "-f", "rawvideo", "pipe:1"]
    ) as out:
        raw = out.read()
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w).astype(np.float32)


def matching_frame(episode_frame: Any, master: Path, around: int, size: tuple[int, int]) -> int:
    """The master frame (among around-2 .. around+2) most like ``episode_frame``."""
    first = max(0, around - 2)
    frames = gray_frames(master, first, 5, size=size)
    errors = [float(abs(f - episode_frame).mean()) for f in frames]
    return first + errors.index(min(errors))


def loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of ``path``'s audio."""
    _, err = run_capture(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-map", "0:a:0",
         "-af", "ebur128=peak=true", "-f", "null", "-"]
    )  # fmt: skip
    summary = err[err.rindex("Summary:") :]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return lufs, peak


@pytest.fixture(scope="module")
def preset(tmp_path_factory: pytest.TempPathFactory) -> Preset:
    path = tmp_path_factory.mktemp("preset") / "tiny.toml"
    path.write_text(PRESET_TOML, encoding="utf-8")
    return load_preset(str(path))


def split(master: Path, cuts: list[float], preset: Preset, out: Path, **kw: Any) -> Any:
    plan = load_plan_for(write_plan(master, cuts, out.parent / f"{out.name}.plan.json"), master)
    return plan, split_master(str(master), plan, preset, out, kw.pop("options", FAST), **kw)


def check_episodes(
    master: Path, plan: Any, outputs: list[Path], fps: float, *, audio: bool = True
) -> None:
    """Frame counts, durations, A/V lengths and the spec of every episode file."""
    total = 0
    for ep, path in zip(plan.episodes, outputs, strict=True):
        s = streams(path)
        v = s["video"]
        assert (v["codec_name"], v["profile"], v["pix_fmt"]) == ("h264", "High", "yuv420p")
        assert (v["width"], v["height"], v.get("sample_aspect_ratio", "1:1")) == (W, H, "1:1")
        assert not v.get("side_data_list"), "no rotation left on the output"
        assert Fraction(v["r_frame_rate"]) == Fraction(fps).limit_denominator(1001)
        frames = int(v["nb_read_frames"])
        total += frames
        assert abs(frames / fps - ep.duration) <= 1 / fps + 1e-6, (ep.index, frames)
        assert abs(float(v["duration"]) - frames / fps) < 1e-3
        if audio:
            a = s["audio"]
            assert (a["codec_name"], int(a["sample_rate"]), a["channels"]) == ("aac", 48000, 2)
            assert abs(float(a["duration"]) - frames / fps) <= AAC_FRAME + 1e-3
        else:
            assert "audio" not in s
        assert s["format"]["format_name"].startswith("mov")
    assert total == round(probe(master).duration * fps)


# Tests -------------------------------------------------------------------------------------
def test_h264_master_frame_exact(tmp_path: Path, preset: Preset) -> None:
    master = make_master(tmp_path / "m.mp4", seconds=6)
    plan, result = split(master, [2.52, 4.0], preset, tmp_path / "out")
    assert [e.status for e in result.episodes] == ["done"] * 3
    outputs = [e.output for e in result.episodes]
    assert [p.name for p in outputs] == [f"series_E00{i}.mp4" for i in (1, 2, 3)]
    check_episodes(master, plan, outputs, 25)
    for ep, path in zip(plan.episodes, outputs, strict=True):
        first = gray_frames(path, 0, 1)[0]
        assert matching_frame(first, master, ep.start_frame, (W, H)) == ep.start_frame
        count = int(streams(path)["video"]["nb_read_frames"])
        last = gray_frames(path, count - 1, 1)[0]
        assert matching_frame(last, master, ep.end_frame - 1, (W, H)) == ep.end_frame - 1
        lufs, peak = loudness(path)
        assert abs(lufs - preset.audio.loudness_lufs) <= 1.0, (ep.index, lufs)
        assert peak <= preset.audio.true_peak_dbtp + 0.1
    # The moov atom comes before the media data (faststart).
    head = outputs[0].read_bytes()[:65536]
    assert 0 <= head.find(b"moov") < head.find(b"mdat")


def test_prores_pcm_16x9_all_reframe_modes(tmp_path: Path, preset: Preset) -> None:
    master = make_master(tmp_path / "m.mov", seconds=2, size=(320, 180), prores=True)
    assert probe(master).video.bit_depth == 10  # type: ignore[union-attr]
    for mode, cuts in (("fit", [1.0]), ("crop", []), ("smart", [])):
        options = RenderOptions(reframe=mode, x264_preset="veryfast")  # type: ignore[arg-type]
        plan, result = split(master, cuts, preset, tmp_path / mode, options=options)
        outputs = [e.output for e in result.episodes]
        assert [e.status for e in result.episodes] == ["done"] * (len(cuts) + 1), result
        check_episodes(master, plan, outputs, 25)


def test_vfr_master_to_constant_rate_without_drift(tmp_path: Path, preset: Preset) -> None:
    master = make_master(tmp_path / "vfr.mp4", seconds=5, fps=30, vfr=True)
    info = probe(master)
    assert info.video is not None and info.video.is_vfr
    out_fps = preset.video.pick_fps(float(info.fps))
    _plan, result = split(master, [1.5, 3.0], preset, tmp_path / "out")
    outputs = [e.output for e in result.episodes]
    total = 0
    for path in outputs:
        s = streams(path)
        v = s["video"]
        assert Fraction(v["r_frame_rate"]) == Fraction(out_fps).limit_denominator(1001)
        frames = int(v["nb_read_frames"])
        total += frames
        assert abs(float(s["audio"]["duration"]) - frames / out_fps) <= AAC_FRAME + 1e-3
    assert abs(total - info.duration * out_fps) <= 1


@pytest.mark.parametrize(
    ("kind", "kw"),
    [
        ("rotated", {"rotate": True}),
        ("sar", {"size": (240, 320), "sar": "3/4"}),
        ("surround", {"audio": "5.1"}),
        ("silent", {"audio": None}),
    ],
)
def test_master_kinds(tmp_path: Path, preset: Preset, kind: str, kw: dict[str, Any]) -> None:
    master = make_master(tmp_path / f"{kind}.mp4", seconds=3, **kw)
    info = probe(master)
    assert (info.width, info.height) == (W, H)
    plan, result = split(master, [1.48], preset, tmp_path / "out")
    outputs = [e.output for e in result.episodes]
    check_episodes(master, plan, outputs, 25, audio=kind != "silent")
    first = gray_frames(outputs[1], 0, 1)[0]
    start = plan.episodes[1].start_frame
    assert matching_frame(first, master, start, (W, H)) == start
    if kind == "surround":
        assert abs(loudness(outputs[0])[0] - preset.audio.loudness_lufs) <= 1.0


def test_no_audio_gets_silent_track_when_required(tmp_path: Path, preset: Preset) -> None:
    master = make_master(tmp_path / "mute.mp4", seconds=3, audio=None)
    required = load_preset_required(tmp_path)
    plan, result = split(master, [1.2], required, tmp_path / "out")
    for ep, path in zip(plan.episodes, (e.output for e in result.episodes), strict=True):
        a = streams(path)["audio"]
        assert abs(float(a["duration"]) - ep.duration) <= AAC_FRAME + 1e-3


def load_preset_required(folder: Path) -> Preset:
    path = folder / "required.toml"
    path.write_text(PRESET_TOML + "[audio]\nrequired = true\n", encoding="utf-8")
    return load_preset(str(path))


def test_failing_episode_keeps_the_others(tmp_path: Path, preset: Preset) -> None:
    master = make_master(tmp_path / "m.mp4", seconds=4)
    hooks = {2: Hooks(video_filters=("nosuchfilter=1",))}
    _, result = split(master, [1.0, 2.0], preset, tmp_path / "out", hooks=hooks)
    assert [e.status for e in result.episodes] == ["done", "failed", "done"]
    assert "nosuchfilter" in result.failed[0].error or "filter" in result.failed[0].error
    assert sorted(p.name for p in (tmp_path / "out").glob("*.mp4")) == [
        "series_E001.mp4",
        "series_E003.mp4",
    ]
    assert not list((tmp_path / "out").glob(".*partial*"))
