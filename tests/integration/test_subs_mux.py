"""Muxed subtitle tracks: mov_text in MP4, SRT/ASS in MKV, language tags, titles, default."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidpack.media.runner import run_ffmpeg, run_ffprobe
from vidpack.subtitles.languages import language
from vidpack.subtitles.model import Cue
from vidpack.subtitles.mux import MuxTrack, mux_args
from vidpack.subtitles.sidecar import write_sidecar

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mux") / "clip.mp4"
    run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            "testsrc2=s=180x320:r=25:d=2",
            "-f",
            "lavfi",
            "-i",
            "sine=d=2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            str(out),
        ]
    )
    return out


@pytest.mark.parametrize(
    ("container", "fmt", "codec"),
    [
        ("mp4", "srt", "mov_text"),
        ("mkv", "srt", "subrip"),
        ("mkv", "ass", "ass"),
    ],
)
def test_tracks_have_languages_titles_and_one_default(
    clip: Path, tmp_path: Path, container: str, fmt: str, codec: str
) -> None:
    folder = tmp_path / "odd: [dir], x; é"
    folder.mkdir()
    tracks = []
    for tag, text in (("en", "Hello"), ("ko", "안녕하세요"), ("ar", "مرحبا")):
        path = write_sidecar([Cue(200, 1500, text)], folder / f"-ep.{tag}.{fmt}", fmt)
        tracks.append(MuxTrack(path, language(tag)))
    args = mux_args(tracks, container=container, first_input=1)
    out = tmp_path / f"out.{container}"
    run_ffmpeg(
        [
            "-i",
            str(clip),
            *args.inputs,
            "-map",
            "0:v",
            "-map",
            "0:a",
            *args.maps,
            "-c:v",
            "copy",
            "-c:a",
            "copy",
            *args.options,
            str(out),
        ]
    )
    streams = run_ffprobe(["-show_streams", str(out)])["streams"]
    subs = [s for s in streams if s["codec_type"] == "subtitle"]
    assert [s["codec_name"] for s in subs] == [codec] * 3
    assert [s["tags"]["language"] for s in subs] == ["eng", "kor", "ara"]
    name = "handler_name" if container == "mp4" else "title"
    assert [s["tags"].get(name) for s in subs] == ["English", "Korean", "Arabic"]
    assert [s["disposition"]["default"] for s in subs] == [1, 0, 0]
