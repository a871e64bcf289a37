"""Render pieces without ffmpeg: gated loudness, per-episode spans of one meter, gains, render
keys, the episode argv, the plan-limit refusal and the progress reporter."""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import replace
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from vidpack.errors import UsageError
from vidpack.media.probe import AudioStream, MediaInfo, VideoStream
from vidpack.plan.model import Episode, EpisodePlan, MasterRef, PlanOptions
from vidpack.presets import load_preset
from vidpack.render.encode import encode_settings, episode_args
from vidpack.render.limits import check_plan_limits
from vidpack.render.loudness import Loudness, Meter, gain_for, gated_loudness
from vidpack.render.model import EpisodeSpec, Hooks, render_key
from vidpack.render.split import episode_name


def test_gated_loudness_matches_bs1770() -> None:
    # Equal blocks: the integrated loudness is the block loudness.
    assert gated_loudness([-20.0] * 10) == pytest.approx(-20.0, abs=1e-9)
    # Silence below the absolute gate is ignored; blocks 10 LU under the mean are gated out.
    assert gated_loudness([-20.0] * 10 + [-80.0] * 10) == pytest.approx(-20.0, abs=1e-9)
    assert gated_loudness([-20.0] * 10 + [-40.0] * 10) == pytest.approx(-20.0, abs=1e-9)
    # Two levels within the relative gate: the energy mean.
    mixed = gated_loudness([-20.0, -23.0])
    expected = -0.691 + 10 * math.log10((10 ** (-19.309 / 10) + 10 ** (-22.309 / 10)) / 2)
    assert mixed == pytest.approx(expected, abs=1e-9)
    assert gated_loudness([-90.0, -120.0]) == -70.0


def test_meter_spans_take_only_their_blocks() -> None:
    # 10 s: -30 LUFS for the first 5 s, -10 after; peaks -20 then -3.
    momentary = tuple([-30.0] * 50 + [-10.0] * 50)
    peaks = tuple([-20.0] * 50 + [-3.0] * 50)
    meter = Meter(momentary, peaks)
    first, second = meter.span(0.0, 5.0), meter.span(5.0, 10.0)
    assert first.integrated == pytest.approx(-30.0)
    assert first.true_peak == -20.0
    assert second.integrated == pytest.approx(-10.0)
    assert second.true_peak == -3.0


def test_gain_and_limiter_decision() -> None:
    assert gain_for(Loudness(-20.0, -10.0), -14.0, -1.0) == (pytest.approx(6.0), False)
    gain, limit = gain_for(Loudness(-20.0, -6.0), -14.0, -1.0)
    assert gain == pytest.approx(6.0) and limit  # -6 + 6 = 0 dBTP > -1
    assert gain_for(Loudness(-70.0, -90.0), -14.0, -1.0) == (0.0, False)


def _info(*, audio: bool = True, fps: int = 25) -> MediaInfo:
    video = VideoStream(
        index=0, codec="h264", profile="High", coded_width=180, coded_height=320, width=180,
        height=320, rotation=0, sar=Fraction(1), fps=Fraction(fps), is_vfr=False,
        pix_fmt="yuv420p", bit_depth=8, color_space=None, color_primaries=None,
        color_transfer=None, color_range=None, frame_count=250,
    )  # fmt: skip
    streams = (AudioStream(1, "aac", 48000, 2, "stereo", None),) if audio else ()
    return MediaInfo("m.mp4", 1000, "mov", 10.0, 0.0, None, video, streams, ())


def _spec(**kw: Any) -> EpisodeSpec:
    preset = load_preset("tiktok")
    base = EpisodeSpec(
        index=2, output=Path("out/s_E002.mp4"), master="m.mp4", master_id="abc", start=4.0,
        frames=75, src_fps=25.0, out_fps=25.0, resample=False, start_frame=100,
        encode_key=preset.encode_key(), encode=encode_settings(preset, 25.0, "medium"),
        reframe="fit",
    )  # fmt: skip
    return replace(base, **kw)


def test_render_key_changes_with_what_shapes_the_file() -> None:
    spec = _spec()
    assert render_key(spec) == render_key(_spec())
    assert render_key(spec) == render_key(replace(spec, output=Path("elsewhere.mp4"), index=9))
    for change in (
        {"start_frame": 101},
        {"frames": 76},
        {"reframe": "crop"},
        {"master_id": "other"},
        {"hooks": Hooks(video_filters=("subtitles=f=a.ass",))},
    ):
        assert render_key(replace(spec, **change)) != render_key(spec), change


def test_episode_args_seek_half_a_frame_early_and_trim_exactly() -> None:
    args = episode_args(_spec(gain_db=3.5, limit=True), _info(), "tmp.mp4", 2)
    assert args[args.index("-ss") + 1] == "3.980000"  # 4.0 s minus half a 25 fps frame
    graph = args[args.index("-filter_complex") + 1]
    assert "trim=end_frame=75" in graph
    assert "atrim=start=0.020000" in graph and "atrim=end=3.000000" in graph
    assert "volume=3.50dB" in graph and "alimiter=" in graph
    assert args[args.index("-g") + 1] == "50" and args[args.index("-bf") + 1] == "2"
    assert args[-1] == "tmp.mp4" and "+faststart" in args


def test_episode_args_silent_track_only_when_required() -> None:
    spec = _spec()
    quiet = episode_args(spec, _info(audio=False), "t.mp4", 1)
    assert "anullsrc" not in " ".join(quiet) and "[a]" not in " ".join(quiet)
    required = replace(spec, encode={**spec.encode, "audio_required": True})
    args = episode_args(required, _info(audio=False), "t.mp4", 1)
    assert "anullsrc=r=48000:cl=stereo" in args and "[1:a:0]" in " ".join(args)


def _plan(durations: list[float]) -> EpisodePlan:
    ref = MasterRef(path="m.mp4", duration=sum(durations), fps=25.0)
    episodes, t = [], 0.0
    for i, d in enumerate(durations, start=1):
        episodes.append(Episode(i, t, t + d, round(t * 25), round((t + d) * 25)))
        t += d
    return EpisodePlan(ref, PlanOptions(), tuple(episodes))


def test_too_long_episodes_are_named_with_the_fix() -> None:
    preset = load_preset("tiktok")  # max_episode_s 180
    check_plan_limits(_plan([170.0, 180.0]), preset)
    with pytest.raises(UsageError) as err:
        check_plan_limits(_plan([100.0, 200.0, 181.0]), preset)
    assert str(err.value) == (
        "episodes 2 (200.0 s), 3 (181.0 s) longer than preset tiktok's limits.max_episode_s "
        "180 s: plan with --max 180 (or less), or give a --plan whose episodes are at most 180 s"
    )
    assert episode_name(preset, "Love Story", 7) == "Love_Story_E007.mp4"  # one series rule


def test_progress_reporter_json_lines() -> None:
    from vidpack.cli.progress import ProgressReporter

    stream = io.StringIO()
    rep = ProgressReporter("json", stream=stream)
    rep.phase("analysis")
    rep.phase_progress(0.25)
    rep.warning("no speech found")
    rep.phase("renders")
    rep.begin(2, 10.0)
    rep.item_started("a.mp4", 5.0)
    rep.item_finished("a.mp4", "done")
    rep.item_finished("b.mp4", "failed", "boom")
    assert rep.fraction() == pytest.approx(0.5)
    rep.end()
    rep.phase("qc", "tiktok")
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["event"], e["phase"]) for e in events] == [
        ("phase", "analysis"), ("progress", "analysis"), ("warning", "analysis"),
        ("phase", "renders"),
        ("begin", "renders"), ("start", "renders"), ("finish", "renders"),
        ("finish", "renders"), ("end", "renders"), ("phase", "qc"),
    ]  # fmt: skip
    assert events[1]["fraction"] == 0.25 and events[2]["warning"] == "no speech found"
    assert events[7]["error"] == "boom"
    assert events[-1]["item"] == "tiktok"
    elapsed = [e["elapsed"] for e in events]
    assert elapsed == sorted(elapsed)  # from the command's start, not the render phase's
    stamps = [datetime.fromisoformat(e["time"]) for e in events]
    assert all(t.tzinfo is not None for t in stamps) and stamps == sorted(stamps)
    bar = io.StringIO()
    bar.isatty = lambda: True  # type: ignore[method-assign]
    term = ProgressReporter("auto", stream=bar)
    term.phase("analysis")
    term.phase_progress(1.0)
    term.phase("renders")
    term.begin(1, 1.0)
    term.item_started("a.mp4", 1.0)
    term.item_finished("a.mp4", "done")
    term.end()
    term.phase("qc", "tiktok")
    lines = bar.getvalue().split("\n")
    assert lines[0] == "analysis..."
    assert lines[1] == "\r[" + "#" * 30 + "] analysis 100%\x1b[K"
    assert lines[2] == "renders..."
    assert lines[3].endswith("] 1/1 files 100%          \x1b[K")  # the line cleared
    assert lines[4:] == ["qc tiktok...", ""]
    piped = io.StringIO()
    auto = ProgressReporter("auto", stream=piped)  # not a terminal: a line per finished step
    auto.phase("probe")
    auto.phase("renders")
    auto.begin(2, 2.0)
    auto.item_finished("tiny/E001.mp4", "done")
    auto.item_finished("tiny/E002.mp4", "skipped")
    auto.end()
    auto.phase("renders")  # split: one render run per language, each counted on its own
    auto.begin(1, 1.0)
    auto.item_finished("tiny/ar/E001.mp4", "done")
    auto.end()
    auto.phase("qc", "tiny")
    auto.close(False)  # a failed run: its unfinished qc step is not reported
    assert re.fullmatch(
        r"probe: \d+\.\d s\n  done tiny/E001.mp4 \(1/2\)\n  skipped tiny/E002.mp4 \(2/2\)\n"
        r"renders: \d+\.\d s\n  done tiny/ar/E001.mp4 \(1/1\)\nrenders: \d+\.\d s\n",
        piped.getvalue(),
    ), piped.getvalue()
    finished = io.StringIO()
    ok = ProgressReporter("auto", stream=finished)
    ok.phase("report", "tiny")
    ok.close(True)
    assert re.fullmatch(r"report tiny: \d+\.\d s\n", finished.getvalue())
    quiet = io.StringIO()
    none = ProgressReporter("none", stream=quiet)
    none.phase("renders")
    none.close(True)
    assert quiet.getvalue() == ""


def test_rate_text_gives_standard_rates_exactly() -> None:
    from vidpack.media.rates import rate_text

    assert rate_text(30000 / 1001) == "30000/1001"
    assert rate_text(29.970030) == "30000/1001"
    assert rate_text(24000 / 1001) == "24000/1001"
    assert rate_text(25.0) == "25/1"
    assert rate_text(23.5) == "23.500000"
