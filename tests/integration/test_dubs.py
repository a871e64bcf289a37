"""Dubbed sound through the render stage: a dub cut with the picture to the frame, its own
loudness, ISO 639-2 tags and the default track, several tracks in one file, and a dubbed file made
from another file's picture by copying its video stream (bit-identical) under the new sound."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tests.integration.test_split import FAST, loudness, make_master, preset, split, streams
from vidpack.errors import UsageError
from vidpack.media.probe import probe
from vidpack.media.runner import pipe_ffmpeg, run_capture, run_ffmpeg
from vidpack.presets.model import Preset
from vidpack.render.dubs import delivery_tracks, load_dubs, parse_audio_args
from vidpack.render.model import picture_key, render_key
from vidpack.render.remux import render_remux

pytestmark = pytest.mark.integration
__all__ = ["preset"]  # the module fixture, shared with test_split

SECONDS = 6.0


def make_dub(path: Path, freq: int, seconds: float = SECONDS, volume: float = 1.0) -> Path:
    """A stereo WAV tone of ``freq`` Hz (its pitch tells the track apart)."""
    run_ffmpeg(
        ["-f", "lavfi", "-i", f"sine=f={freq}:r=48000:d={seconds},volume={volume}",
         "-ac", "2", "-c:a", "pcm_s16le", str(path)]
    )  # fmt: skip
    return path


def pitch(path: Path, stream: int) -> float:
    """The strongest frequency (Hz) of audio stream ``stream`` of ``path``."""
    with pipe_ffmpeg(
        ["-i", str(path), "-map", f"0:a:{stream}", "-ac", "1", "-ar", "8000", "-f", "f32le", "-"]
    ) as out:
        sound = np.frombuffer(out.read(), np.float32)
    spectrum = np.abs(np.fft.rfft(sound * np.hanning(len(sound))))
    return float(np.argmax(spectrum) * 8000 / len(sound))


def audio_streams(path: Path) -> list[dict]:
    from vidpack.media.runner import run_ffprobe

    data = run_ffprobe(["-show_streams", "-select_streams", "a", "--", str(path)])
    return list(data["streams"])


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("dubs")
    master = make_master(folder / "master.mp4", seconds=SECONDS, volume=1.0)
    return master, make_dub(folder / "en.wav", 880), make_dub(folder / "ko.wav", 1320, volume=2.0)


def test_a_dub_is_the_only_track_of_its_language(
    media: tuple[Path, Path, Path], preset: Preset, tmp_path: Path
) -> None:
    master, en, ko = media
    info = probe(master)
    dubs = load_dubs(parse_audio_args([f"en={en}", f"ko={ko}"]), info)
    tracks = delivery_tracks(info, dubs, language="en", several=False)
    options = replace(FAST, audio=tracks, audio_infos=tuple(d.info for d in dubs))
    _plan, result = split(master, [3.0], preset, tmp_path / "out", options=options)
    assert [e.status for e in result.episodes] == ["done", "done"]
    for ep in result.episodes:
        s = streams(ep.output)
        assert abs(float(s["audio"]["duration"]) - float(s["video"]["duration"])) < 0.03
        (only,) = audio_streams(ep.output)
        assert only["tags"]["language"] == "eng" and only["disposition"]["default"] == 1
        assert pitch(ep.output, 0) == pytest.approx(880, abs=5)
        lufs, _peak = loudness(ep.output)
        assert lufs == pytest.approx(preset.audio.loudness_lufs, abs=1.0)


def test_several_tracks_master_first_and_default(
    media: tuple[Path, Path, Path], preset: Preset, tmp_path: Path
) -> None:
    master, en, ko = media
    info = probe(master)
    dubs = load_dubs(parse_audio_args([f"en={en}", f"ko={ko}"]), info)
    tracks = delivery_tracks(info, dubs, language=None, several=True)
    assert [(t.source, t.language, t.default) for t in tracks] == [
        ("master", "", True), ("dub", "en", False), ("dub", "ko", False),
    ]  # fmt: skip
    options = replace(FAST, audio=tracks, audio_infos=tuple(d.info for d in dubs))
    _plan, result = split(master, [3.0], preset, tmp_path / "out", options=options)
    for ep in result.episodes:
        got = audio_streams(ep.output)
        assert [(s["tags"]["language"], s["disposition"]["default"]) for s in got] == [
            ("und", 1), ("eng", 0), ("kor", 0),
        ]  # fmt: skip
        assert [round(pitch(ep.output, k)) for k in range(3)] == pytest.approx(
            [330, 880, 1320], abs=5
        )
        for k in range(3):  # each track normalised on its own
            _, err = run_capture(
                ["ffmpeg", "-hide_banner", "-nostats", "-i", str(ep.output), "-map", f"0:a:{k}",
                 "-af", "ebur128", "-f", "null", "-"]
            )  # fmt: skip
            summary = err[err.rindex("Summary:") :]
            lufs = float(summary.split("I:")[1].split("LUFS")[0])
            assert lufs == pytest.approx(preset.audio.loudness_lufs, abs=1.0), k


def test_a_dubbed_file_copies_another_files_picture(
    media: tuple[Path, Path, Path], preset: Preset, tmp_path: Path
) -> None:
    master, en, _ko = media
    info = probe(master)
    dubs = load_dubs(parse_audio_args([f"en={en}"]), info)
    plan, result = split(master, [3.0], preset, tmp_path / "plain")
    from vidpack.render.split import build_specs, with_loudness

    tracks = delivery_tracks(info, dubs, language="en", several=False)
    options = replace(FAST, audio=tracks, audio_infos=(dubs[0].info,))
    specs = build_specs(info, "x", plan, preset, options, tmp_path / "dubbed")
    specs = with_loudness(specs, info, preset, 1, options.audio_infos)
    plain = build_specs(info, "x", plan, preset, FAST, tmp_path / "plain")
    (tmp_path / "dubbed").mkdir()
    for spec, source, ep in zip(specs, plain, result.episodes, strict=True):
        assert picture_key(spec) == picture_key(source) and render_key(spec) != render_key(source)
        render_remux(spec, ep.output, info)
        video = [
            run_capture(["ffmpeg", "-v", "error", "-i", str(p), "-map", "0:v", "-c", "copy",
                         "-f", "md5", "-"])[0]
            for p in (ep.output, spec.output)
        ]  # fmt: skip
        assert video[0] == video[1]
        assert pitch(spec.output, 0) == pytest.approx(880, abs=5)
        s = streams(spec.output)
        assert abs(float(s["audio"]["duration"]) - float(s["video"]["duration"])) < 0.03


def test_bad_dubs_are_one_line_each(media: tuple[Path, Path, Path], tmp_path: Path) -> None:
    master, en, _ko = media
    info = probe(master)
    short = make_dub(tmp_path / "short.wav", 880, seconds=5.0)
    with pytest.raises(UsageError) as err:
        parse_audio_args(["en", "xx1=a.wav", f"fr={tmp_path / 'none.wav'}", f"en={en}", f"en={en}"])
    assert str(err.value).splitlines() == [
        "4 problems:",
        "  --audio 'en' is not LANG=FILE: give the dub's language and file, e.g. en=dub.en.wav",
        "  --audio 'xx1=a.wav': bad language tag 'xx1'; use one vidpack knows, such as en, ko, "
        "ja, th, ar or zh-Hans (e.g. en=a.wav)",
        f"  --audio 'fr={tmp_path / 'none.wav'}': no such file; give an existing audio file",
        f"  --audio 'en={en}': language en is already given by 'en={en}'; give one dub per "
        "language",
    ]
    with pytest.raises(UsageError) as err:
        load_dubs(parse_audio_args([f"en={short}"]), info)
    assert str(err.value) == (
        f"--audio 'en={short}' is 5.000 s long, the master 6.000 s: give a dub of the master's "
        "length or add --audio-fit pad"
    )
    assert load_dubs(parse_audio_args([f"en={short}"]), info, "pad")[0].duration == 5.0
    with pytest.raises(UsageError) as err:
        load_dubs(parse_audio_args([f"en={short}"]), info, "trim")
    assert "add --audio-fit pad" in str(err.value)
    with pytest.raises(UsageError) as err:
        load_dubs([], info, "stretch")
    assert (
        str(err.value) == "--audio-fit 'stretch' is not a way to fit a dub: use exact, pad or trim"
    )
