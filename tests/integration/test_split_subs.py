"""`vidpack split --subs` end to end on the generated 1-minute vertical master: burned text is in
the picture during cues and not between them (against a render without subtitles), muxed tracks
carry their ISO 639-2 tags, sidecars are retimed to the millisecond, and a changed subtitle file
re-renders exactly the episodes whose subtitles changed."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from fixtures.generate import MasterFixture
from tests.integration.test_split import PRESET_TOML  # the tiny 180x320 tiktok preset
from vidpack.cli.main import cli
from vidpack.media.runner import pipe_ffmpeg, run_ffprobe
from vidpack.plan.planfile import probe_master_ref
from vidpack.subtitles.retime import MIN_FRAGMENT_MS

pytestmark = pytest.mark.integration

W, H = 180, 320
CUTS = [12.0, 24.0, 36.0, 48.0]


@pytest.fixture(scope="module")
def setup(
    vertical_master: MasterFixture, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("split-subs")
    preset = folder / "tiny.toml"
    preset.write_text(PRESET_TOML, encoding="utf-8")
    ref = probe_master_ref(vertical_master.path)
    times = [0.0, *CUTS, ref.duration]
    plan = {
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
    plan_path = folder / "plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    return {"folder": folder, "preset": preset, "plan": plan_path}


def split(setup: dict[str, Path], out: Path, *extra: str) -> Result:
    master = json.loads(setup["plan"].read_text())["master"]["path"]
    args = ["split", master, "--plan", str(setup["plan"]), "--preset", str(setup["preset"])]
    args += ["--speed", "ultrafast", "--jobs", "2", "-o", str(out), *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result


def episodes(out: Path) -> list[Path]:
    return sorted(out.glob("*.mp4"))


def cues(path: Path) -> list[tuple[int, int, str]]:
    import pysubs2

    return [(e.start, e.end, e.plaintext) for e in pysubs2.load(str(path))]


def gray_frame(path: Path, t: float) -> Any:
    import numpy as np

    args = ["-ss", f"{t:.3f}", "-i", str(path), "-frames:v", "1", "-f", "rawvideo"]
    with pipe_ffmpeg([*args, "-pix_fmt", "gray", "pipe:1"]) as stream:
        data = stream.read()
    return np.frombuffer(data, np.uint8)[: W * H].reshape(H, W).astype(np.int16)


def text_share(burned: Path, plain: Path, t: float) -> float:
    """Share of pixels that differ by more than 64 gray levels between the two renders at ``t``."""
    return float((abs(gray_frame(burned, t) - gray_frame(plain, t)) > 64).mean())


@pytest.fixture(scope="module")
def clean(setup: dict[str, Path]) -> Path:
    out = setup["folder"] / "clean"
    split(setup, out)
    return out


def test_burned_text_present_during_cues_absent_between(
    setup: dict[str, Path], clean: Path, vertical_master: MasterFixture
) -> None:
    out = setup["folder"] / "burn"
    split(setup, out, "--subs", str(vertical_master.subtitles["en"]), "--subs-mode", "burn")
    assert not (out / ".vidpack-subs").exists(), "the staged scripts are removed"
    truth = cues(vertical_master.subtitles["en"])
    starts = [0.0, *CUTS]
    during, between = [], []
    for k, (burned, plain) in enumerate(zip(episodes(out), episodes(clean), strict=True)):
        a = starts[k] * 1000
        b = starts[k + 1] * 1000 if k + 1 < len(starts) else 60_000
        inside = [(s, e) for s, e, _ in truth if s >= a + 200 and e <= b - 200]
        s, e = inside[0]
        t_in = ((s + e) / 2 - a) / 1000
        gaps = [(e1, s2) for (_, e1), (s2, _) in itertools.pairwise(inside) if s2 - e1 > 400]
        during.append(text_share(burned, plain, t_in))
        if gaps:
            t_out = ((gaps[0][0] + gaps[0][1]) / 2 - a) / 1000
            between.append(text_share(burned, plain, t_out))
    assert between, "some episode has a pause between cues"
    # Text: over a hundred pixels (of 57,600) change by more than 64 levels; else none do.
    assert min(during) > 0.002 and max(between) < 0.0003, (during, between)


def test_mux_tracks_with_language_tags(
    setup: dict[str, Path], vertical_master: MasterFixture
) -> None:
    out = setup["folder"] / "mux"
    subs = vertical_master.subtitles
    split(setup, out, "--subs", str(subs["en"]), "--subs", f"ko={subs['ko']}", "--subs-mode", "mux")
    files = episodes(out)
    assert len(files) == len(CUTS) + 1
    for path in files:
        data = run_ffprobe(["-show_streams", "-select_streams", "s", "--", str(path)])
        tracks = data["streams"]
        assert [s["codec_name"] for s in tracks] == ["mov_text", "mov_text"]
        assert [s["tags"]["language"] for s in tracks] == ["eng", "kor"]
        assert [s["disposition"]["default"] for s in tracks] == [1, 0]
    # The second episode's first English cue, read back from the file, is retimed to the ms.
    second = files[1]
    with pipe_ffmpeg(["-i", str(second), "-map", "0:s:0", "-f", "srt", "pipe:1"]) as stream:
        text = stream.read().decode("utf-8")
    import pysubs2

    first = pysubs2.SSAFile.from_string(text)[0]
    expected = next(s for s, e, _ in cues(subs["en"]) if e > 12_000 + 300)
    assert first.start == max(expected, 12_000) - 12_000


def test_sidecars_retimed_to_the_millisecond(
    setup: dict[str, Path], vertical_master: MasterFixture
) -> None:
    out = setup["folder"] / "sidecar"
    subs = vertical_master.subtitles
    split(setup, out, "--subs", str(subs["en"]), "--subs", str(subs["ar"]), "--subs-mode=sidecar")
    bounds = [0, *(round(c * 1000) for c in CUTS), 60_000]
    for (a, b), video in zip(itertools.pairwise(bounds), episodes(out), strict=True):
        for lang in ("en", "ar"):
            got = cues(video.with_name(f"{video.stem}.{lang}.srt"))
            # Overlapping cues, shifted to the episode and clipped at its edges; fragments
            # shorter than the minimum are dropped.
            want = [
                (max(s, a) - a, min(e, b) - a)
                for s, e, _ in cues(subs[lang])
                if min(e, b) - max(s, a) >= MIN_FRAGMENT_MS
            ]
            assert want, (video.name, lang)
            assert [(s, e) for s, e, _ in got] == want, (video.name, lang)
    # No subtitle tracks in the video itself.
    data = run_ffprobe(["-show_streams", "-select_streams", "s", "--", str(episodes(out)[0])])
    assert data["streams"] == []


def test_rerun_renders_only_episodes_whose_subs_changed(
    setup: dict[str, Path], vertical_master: MasterFixture
) -> None:
    out = setup["folder"] / "rerun"
    srt = setup["folder"] / "edit.en.srt"
    shutil.copyfile(vertical_master.subtitles["en"], srt)
    first = split(setup, out, "--subs", str(srt), "--subs-mode", "burn")
    assert "5 rendered, 0 up to date" in first.output
    again = split(setup, out, "--subs", str(srt), "--subs-mode", "burn")
    assert "0 rendered, 5 up to date" in again.output
    import pysubs2

    doc = pysubs2.load(str(srt))
    target = next(e for e in doc if e.start >= 26_000 and e.end <= 35_000)  # in episode 3
    target.text = "Changed line"
    doc.save(str(srt))
    changed = split(setup, out, "--subs", str(srt), "--subs-mode", "burn")
    assert "1 rendered, 4 up to date" in changed.output, changed.output


def test_subs_mode_none_warns_and_ignores(
    setup: dict[str, Path], vertical_master: MasterFixture
) -> None:
    out = setup["folder"] / "none"
    master = json.loads(setup["plan"].read_text())["master"]["path"]
    args = ["split", master, "--plan", str(setup["plan"]), "--preset", str(setup["preset"])]
    args += ["-o", str(out), "--subs", str(vertical_master.subtitles["en"]), "--dry-run"]
    result = CliRunner().invoke(cli, [*args, "--subs-mode", "none"])
    assert result.exit_code == 0, result.output
    assert "Warning: --subs-mode none: the --subs files are ignored" in result.output
    assert "ass=filename=" not in result.output
