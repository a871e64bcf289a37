"""The one-decode, several-encodes argv (no ffmpeg): one input and one seek, ``split``/``asplit``
into one branch per output, each output's own chain, maps, hook inputs and codec arguments."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.unit.test_render_units import _info, _spec
from vidpack.errors import UsageError
from vidpack.presets import load_preset
from vidpack.render.encode import encode_settings, episode_args
from vidpack.render.model import ExtraInput, Hooks
from vidpack.render.multi import multi_episode_args, shared_input_key


def _outputs(args: list[str]) -> list[list[str]]:
    """The argument runs of each output (after -filter_complex GRAPH), each ending in its path."""
    rest = args[args.index("-filter_complex") + 2 :]
    runs, current = [], []
    for arg in rest:
        current.append(arg)
        if arg.endswith(".mp4"):
            runs.append(current)
            current = []
    assert not current
    return runs


def _value(run: list[str], option: str) -> str:
    return run[run.index(option) + 1]


def test_three_outputs_one_input_own_chains_maps_and_codecs() -> None:
    mux = Hooks(
        inputs=(ExtraInput("e.en.srt", ("-f", "srt")), ExtraInput("e.ar.srt", ("-f", "srt"))),
        maps=("{0}:s:0", "{1}:s:0"),
        args=("-c:s", "mov_text"),
    )
    youtube = load_preset("youtube-shorts")
    specs = [
        _spec(gain_db=3.5, output=Path("a/e.mp4")),
        _spec(gain_db=-2.0, limit=True, output=Path("b/e.mp4"),
              hooks=Hooks(video_filters=("subtitles=f=ep.ass",))),
        _spec(output=Path("c/e.mp4"), hooks=mux,
              encode={**encode_settings(youtube, 25.0, "fast"), "crf": 31}),
    ]  # fmt: skip
    args = multi_episode_args(specs, _info(), ["a/t.mp4", "b/t.mp4", "c/t.mp4"], 2)
    # one master input, seeked once half a frame early, then the hook inputs numbered 1 and 2
    assert args[:6] == ["-threads", "2", "-ss", "3.980000", "-i", "m.mp4"]
    assert [a for k, a in enumerate(args) if k and args[k - 1] == "-i"] == [
        "m.mp4", "e.en.srt", "e.ar.srt"
    ]  # fmt: skip
    graph = args[args.index("-filter_complex") + 1].split(";")
    assert graph[0] == "[0:v:0]split=3[s0][s1][s2]"
    assert graph[4] == "[0:1]asplit=3[m0][m1][m2]"
    for k in range(3):
        assert graph[1 + k].startswith(f"[s{k}]setpts=PTS-STARTPTS,trim=end_frame=75,")
        assert graph[1 + k].endswith(f"[v{k}]")
        assert graph[5 + k].startswith(f"[m{k}]aresample=") and graph[5 + k].endswith(f"[a{k}]")
        assert "atrim=start=0.020000" in graph[5 + k]
    assert "subtitles=f=ep.ass" in graph[2] and "subtitles" not in graph[1] + graph[3]
    assert "volume=3.50dB" in graph[5] and "alimiter" not in graph[5]
    assert "volume=-2.00dB" in graph[6] and "alimiter" in graph[6]
    assert "volume" not in graph[7]
    runs = _outputs(args)
    assert [r[-1] for r in runs] == ["a/t.mp4", "b/t.mp4", "c/t.mp4"]
    maps = [[r[i + 1] for i, a in enumerate(r) if a == "-map"] for r in runs]
    assert maps == [["[v0]", "[a0]"], ["[v1]", "[a1]"], ["[v2]", "[a2]", "1:s:0", "2:s:0"]]
    assert _value(runs[0], "-crf") == str(specs[0].encode["crf"])
    assert _value(runs[2], "-crf") == "31" and _value(runs[2], "-preset") == "fast"
    assert "-c:s" in runs[2] and "-c:s" not in runs[0] + runs[1]
    for run in runs:
        assert _value(run, "-c:v") == "libx264" and _value(run, "-c:a") == "aac"
        assert "-movflags" in run


def test_each_output_matches_its_single_command() -> None:
    """Every output's chain and output options are those of the single-output command."""
    specs = [_spec(gain_db=1.0), _spec(hooks=Hooks(video_filters=("subtitles=f=x.ass",)))]
    multi = multi_episode_args(specs, _info(), ["t0.mp4", "t1.mp4"], 2)
    runs = _outputs(multi)
    graph = multi[multi.index("-filter_complex") + 1].split(";")
    for k, spec in enumerate(specs):
        single = episode_args(spec, _info(), f"t{k}.mp4", 2)
        video, audio = single[single.index("-filter_complex") + 1].split(";")
        assert graph[1 + k] == video.replace("[0:v:0]", f"[s{k}]").replace("[v]", f"[v{k}]")
        assert graph[4 + k] == audio.replace("[0:1]", f"[m{k}]").replace("[a]", f"[a{k}]")
        tail = single[single.index("-filter_complex") + 2 :]
        assert runs[k] == [a.replace("[v]", f"[v{k}]").replace("[a]", f"[a{k}]") for a in tail]


def test_silent_master_gets_one_silent_input_per_output_that_needs_audio() -> None:
    quiet = _spec(encode={**_spec().encode, "audio_required": False})
    loud = _spec(
        hooks=Hooks(inputs=(ExtraInput("s.srt"),), maps=("{0}:s:0",)),
        encode={**_spec().encode, "audio_required": True},
    )
    args = multi_episode_args([quiet, loud], _info(audio=False), ["q.mp4", "l.mp4"], 1)
    assert [a for k, a in enumerate(args) if k and args[k - 1] == "-i"] == [
        "m.mp4", "anullsrc=r=48000:cl=stereo", "s.srt"
    ]  # fmt: skip
    graph = args[args.index("-filter_complex") + 1]
    assert "asplit" not in graph and "[1:a:0]aresample=" in graph and graph.endswith("[a1]")
    runs = _outputs(args)
    assert [r[i + 1] for r in runs for i, a in enumerate(r) if a == "-map"] == [
        "[v0]", "[v1]", "[a1]", "2:s:0"
    ]  # fmt: skip


def test_refuses_specs_that_do_not_share_the_input() -> None:
    other = _spec(start=8.0, start_frame=200)
    assert shared_input_key(other) != shared_input_key(_spec())
    with pytest.raises(UsageError, match="do not share one input"):
        multi_episode_args([_spec(), other], _info(), ["a.mp4", "b.mp4"], 1)
    with pytest.raises(UsageError, match="one output per episode"):
        multi_episode_args([_spec(), replace(_spec(), index=3)], _info(), ["a.mp4"], 1)
