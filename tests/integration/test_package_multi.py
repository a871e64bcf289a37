"""`vidpack package` renders an episode's renditions from one decode: two platforms whose
renditions differ (tiktok burning en and ar at -14 LUFS, a drama app textless at -23 LUFS) get one
ffmpeg per episode with three outputs; every output is frame-exact, the burned one is the very
file `vidpack split` makes alone (and `vidpack split` on its folder finds it up to date), each has
its own loudness, and a rerun renders nothing."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import vidpack.media.runner as runner
from fixtures.generate import MasterFixture
from tests.integration.test_package import write_tiny_preset
from tests.integration.test_split import loudness, streams
from vidpack.cli.main import cli
from vidpack.errors import FFmpegError

pytestmark = pytest.mark.integration


def _episode_runs(calls: list[list[str]]) -> list[list[str]]:
    """The ffmpeg commands that wrote episode files, each as its list of output paths."""
    return [outs for argv in calls if (outs := [a for a in argv if a.endswith(".mp4")][1:])]


@pytest.fixture(scope="module")
def made(vertical_master: MasterFixture, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("multi")
    presets = []
    for name, base in (("tiny-tok", "tiktok"), ("tiny-app", "drama-app")):
        presets += ["--platform", str(write_tiny_preset(folder, name, base))]
    master = str(vertical_master.path)
    plan = folder / "plan.json"
    done = CliRunner().invoke(cli, ["plan", master, "--min", "15", "--max", "30", "-o", str(plan)])
    assert done.exit_code == 0, done.output
    subs = ["--subs", str(vertical_master.subtitles["en"])]
    subs += ["--subs", str(vertical_master.subtitles["ar"])]
    out = folder / "out"
    args = ["package", master, *presets, *subs, "--plan", str(plan), "--speed", "ultrafast",
            "--no-promo", "-o", str(out)]  # fmt: skip
    calls: list[list[str]] = []
    real = runner.run_ffmpeg
    broken: list[str] = ["_E002."]  # the first run's episode 2 fails

    def observed(argv: Sequence[str], **kw: Any) -> None:
        calls.append(list(argv))
        if any(b in a for a in argv if a.endswith(".mp4") for b in broken):
            raise FFmpegError("ffmpeg failed (episode 2): injected failure", list(argv))
        real(argv, **kw)

    runs = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runner, "run_ffmpeg", observed)
        for extra in ([], [], [], ["--dry-run"]):
            result = CliRunner().invoke(cli, [*args, *extra])
            runs.append((result, list(calls)))
            if broken:  # what the failed run left
                work = out / ".vidpack" / "renditions"
                left = {d.name: sorted(p.name for p in d.glob("*.mp4")) for d in work.iterdir()}
                partial = list(work.glob("*/.*partial*"))
                manifests = list(out.glob("*/manifest.json"))
            calls.clear()
            broken.clear()
    (failed, failed_calls), (first, first_calls), (second, second_calls), (dry, _) = runs
    return {
        "out": out, "failed": failed, "failed_calls": failed_calls, "first": first,
        "second": second, "dry": dry, "plan": plan, "left": left, "partial": partial,
        "manifests": manifests,
        "first_calls": first_calls, "second_calls": second_calls, "master": master,
        "presets": presets, "folder": folder, "subs_en": vertical_master.subtitles["en"],
    }  # fmt: skip


def _episodes(made: Any) -> list[dict[str, Any]]:
    return json.loads(made["plan"].read_text(encoding="utf-8"))["episodes"]


def _manifest(made: Any, platform: str) -> dict[str, Any]:
    return json.loads((made["out"] / platform / "manifest.json").read_text(encoding="utf-8"))


def test_failed_episode_fails_its_renditions_and_keeps_the_others(made: Any) -> None:
    failed = made["failed"]
    assert failed.exit_code == 1
    assert (
        "Error: 3 of " in failed.output and "episode 2: ffmpeg failed (episode 2)" in failed.output
    )
    assert made["manifests"] == [] and made["partial"] == []
    count = len(_episodes(made))
    kept = [f"series_E{n:03d}.mp4" for n in range(1, count + 1) if n != 2]
    assert list(made["left"].values()) == [kept] * 3
    # the next run renders only episode 2, its three renditions in one process
    assert made["first"].exit_code == 0, made["first"].output
    assert "3 distinct renditions: 3 episode files rendered" in made["first"].output
    assert [len(o) for o in _episode_runs(made["first_calls"])] == [3]


def test_one_ffmpeg_per_episode_with_every_rendition(made: Any) -> None:
    runs = _episode_runs(made["failed_calls"] + made["first_calls"])
    count = len(_episodes(made))
    assert len(runs) == count + 1 >= 3  # episode 2 twice (failed, then remade)
    for outs in runs:
        assert len(outs) == 3  # en burned, ar burned, textless
        assert len({Path(o).parent for o in outs}) == 3
    dry = made["dry"]
    assert dry.exit_code == 0, dry.output
    lines = [ln for ln in dry.output.splitlines() if "split=3" in ln]
    assert len(lines) == count and all(ln.count("-i ") == 1 for ln in lines)


def test_outputs_frame_exact_with_own_language_and_loudness(made: Any) -> None:
    out = made["out"]
    plan = _episodes(made)
    tok, app = _manifest(made, "tiny-tok"), _manifest(made, "tiny-app")
    for ep in plan:
        files = [out / "tiny-app" / e["file"] for e in app["episodes"] if e["index"] == ep["index"]]
        for lang in ("en", "ar"):
            files += [
                out / "tiny-tok" / e["file"]
                for e in tok["episodes"]
                if e["index"] == ep["index"] and e["language"] == lang
            ]
        assert len(files) == 3
        for path in files:
            assert (
                int(streams(path)["video"]["nb_read_frames"]) == ep["end_frame"] - ep["start_frame"]
            )
        digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
        assert len(digests) == 3  # different burned text, different pictures
    # loudness: each output its own target (-14 burned, -23 textless), within 1 LU
    first = plan[0]["index"]
    app_file = out / "tiny-app" / app["episodes"][first - 1]["file"]
    tok_file = next(out / "tiny-tok" / e["file"] for e in tok["episodes"] if e["index"] == first)
    assert abs(loudness(app_file)[0] - -23.0) < 1.0
    assert abs(loudness(tok_file)[0] - -14.0) < 1.0


def test_burned_output_is_what_split_makes_alone(made: Any) -> None:
    """The en episodes equal `vidpack split --subs en` byte for byte, and `vidpack split` on the
    rendition's folder finds every file up to date (same render keys in its state file)."""
    out = made["out"]
    tok = made["presets"][1]
    en = made["subs_en"]
    alone = made["folder"] / "alone"
    base = ["split", made["master"], "--preset", tok, "--plan", str(made["plan"]),
            "--speed", "ultrafast", "--subs", str(en), "--subs-mode", "burn"]  # fmt: skip
    done = CliRunner().invoke(cli, [*base, "-o", str(alone)])
    assert done.exit_code == 0, done.output
    placed = sorted((out / "tiny-tok" / "en").glob("*.mp4"))
    assert placed and len(placed) == len(_episodes(made))
    for path in placed:
        assert (alone / path.name).read_bytes() == path.read_bytes(), path.name
    work = next(
        d for d in (out / ".vidpack" / "renditions").iterdir()
        if os.path.samefile(d / placed[0].name, placed[0])
    )  # fmt: skip
    again = CliRunner().invoke(cli, [*base, "-o", str(work)])
    assert again.exit_code == 0, again.output
    assert f"0 rendered, {len(placed)} up to date" in again.output


def test_rerun_renders_nothing(made: Any) -> None:
    second = made["second"]
    assert second.exit_code == 0, second.output
    assert "0 episode files rendered" in second.output
    assert _episode_runs(made["second_calls"]) == []
