"""One naming scheme: for one master, preset and series name, `split`'s episode ``X.mp4``,
`subs`' sidecars ``X.<lang>.srt``, `thumbs`' covers ``X_<size>.jpg`` and `trailer`'s file come
from the preset's [naming] templates and one series-name rule; a --title that gives no file
name is one line, exit 2, nothing written, on every command."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pysubs2
import pytest
from click.testing import CliRunner, Result

from fixtures.generate import MasterFixture
from vidpack.cli.main import cli
from vidpack.media.probe import probe
from vidpack.package.series import Series
from vidpack.plan.model import Episode, EpisodePlan, PlanOptions
from vidpack.plan.planfile import probe_master_ref, save_plan
from vidpack.presets import load_preset
from vidpack.presets.naming import builtin_naming, file_name, safe_series, series_name
from vidpack.render.split import episode_name

PRESET = (  # tiktok at 180x320: one cover size, 10 s trailers, episodes up to 20 s
    'extends = "tiktok"\nname = "tiny"\n[video]\nwidth = 180\nheight = 320\n[limits]\n'
    'min_episode_s = 1\nmax_episode_s = 20\n[covers]\nsizes = ["180x320"]\n'
    "[trailers]\nlengths = [10]\n"
)
CUTS = (0.0, 20.0, 40.0)  # three episodes of the 60 s master


@pytest.fixture(scope="module")
def setup(vertical_master: MasterFixture, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("naming")
    ref = probe_master_ref(vertical_master.path)
    cuts = [*CUTS, ref.duration]
    episodes = tuple(
        Episode(i + 1, a, b, ref.frame_at(a), ref.frame_at(b))
        for i, (a, b) in enumerate(itertools.pairwise(cuts))
    )
    plan = folder / "plan.json"
    save_plan(EpisodePlan(ref, PlanOptions(min_s=10, max_s=20), episodes), plan)
    preset = folder / "tiny.toml"
    preset.write_text(PRESET, encoding="utf-8")
    return vertical_master, plan, preset, cuts


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_split_subs_thumbs_and_trailer_share_the_stems(setup: Any, tmp_path: Path) -> None:
    master, plan, preset, cuts = setup
    m, p, pre = str(master.path), str(plan), str(preset)
    en = str(master.subtitles["en"])
    series = ["--title", "Red Thread"]  # the one rule: "Red_Thread" in every file name
    result = run("split", m, "--plan", p, "--preset", pre, *series, "--speed", "ultrafast",
                 "--progress", "none", "-o", str(tmp_path / "split"))  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run("subs", m, "--subs", en, "--plan", p, "--preset", pre, *series,
                 "-o", str(tmp_path / "subs"))  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run("thumbs", m, "--plan", p, "--preset", pre, *series, "--count", "1",
                 "-o", str(tmp_path / "thumbs"))  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run("trailer", m, "--plan", p, "--preset", pre, "--length", "10", *series,
                 "--speed", "ultrafast", "-o", str(tmp_path / "trailer"))  # fmt: skip
    assert result.exit_code == 0, result.output

    episodes = sorted((tmp_path / "split").glob("*.mp4"))
    stems = [e.stem for e in episodes]
    assert stems == ["Red_Thread_E001", "Red_Thread_E002", "Red_Thread_E003"]
    for path, (start, end) in zip(episodes, itertools.pairwise(cuts), strict=True):
        assert abs(probe(path).duration - (end - start)) <= 0.05  # within a frame or so
    # sidecars: the preset's {stem}.{lang}.{ext} with {stem} = the episode's stem
    whole = pysubs2.load(str(master.subtitles["en"]))
    for stem, (start, end) in zip(stems, itertools.pairwise(cuts), strict=True):
        cues = pysubs2.load(str(tmp_path / "subs" / f"{stem}.en.srt"))
        inside = [ev for ev in whole if ev.end > start * 1000 and ev.start < end * 1000]
        assert cues and len(cues) <= len(inside)
        assert all(0 <= ev.start < ev.end <= (end - start) * 1000 for ev in cues)
    assert sorted(f.name for f in (tmp_path / "subs").iterdir()) == [f"{s}.en.srt" for s in stems]
    # covers: naming.cover is the episode's stem and the size; the series cover the series
    covers = sorted(f.name for f in (tmp_path / "thumbs").glob("Red_Thread*.jpg"))
    assert covers == ["Red_Thread_180x320.jpg", *(f"{s}_180x320.jpg" for s in stems)]
    facts = probe(tmp_path / "thumbs" / f"{stems[0]}_180x320.jpg")
    assert (facts.width, facts.height) == (180, 320)
    # the trailer: -o a folder, named by naming.trailer with the same series
    trailer = tmp_path / "trailer" / "Red_Thread_trailer_10s.mp4"
    assert abs(probe(trailer).duration - 10.0) <= 0.05
    assert (tmp_path / "trailer" / "Red_Thread_trailer_10s.ranges.json").is_file()
    # package names through the same function, its title as the series
    tiktok = load_preset("tiktok")
    titled = Series(title="Red Thread").file_name()
    assert [Path(episode_name(tiktok, titled, i)).stem for i in (1, 2, 3)] == stems


def test_subs_without_a_preset_names_like_the_built_in_presets(setup: Any, tmp_path: Path) -> None:
    master, plan, _, _ = setup
    result = run("subs", str(master.path), "--subs", str(master.subtitles["ar"]),
                 "--plan", str(plan), "-o", str(tmp_path))  # fmt: skip
    assert result.exit_code == 0, result.output
    naming, sidecar = builtin_naming()
    assert sidecar == load_preset("tiktok").subtitles.sidecar_naming == "{stem}.{lang}.{ext}"
    split_names = [episode_name(load_preset("tiktok"), None, i) for i in (1, 2, 3)]
    assert split_names == ["series_E001.mp4", "series_E002.mp4", "series_E003.mp4"]
    assert naming == load_preset("tiktok").naming
    got = sorted(f.name for f in tmp_path.iterdir())
    assert got == [n.replace(".mp4", ".ar.srt") for n in split_names]


NO_NAME = (
    "Error: --title {!r} gives no file name (letters, digits, - and _ are kept): "
    "use e.g. 'Red_Thread'\n"
)


def refuse(setup: Any, out: Path, command: str, bad: str, *extra: str) -> None:
    master, plan, preset, _ = setup
    result = run(command, str(master.path), "--plan", str(plan), "--preset", str(preset),
                 "--title", bad, *extra, "-o", str(out))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.output == NO_NAME.format(bad)


@pytest.mark.parametrize(
    ("command", "extra"),
    [("subs", ["--subs", "SUBS"]), ("thumbs", []), ("trailer", ["--length", "10"])],
)
@pytest.mark.parametrize("bad", ["../..", "???"])
def test_unusable_series_is_one_line_and_writes_nothing(
    setup: Any, tmp_path: Path, command: str, extra: list[str], bad: str
) -> None:
    subs = str(setup[0].subtitles["en"])
    refuse(setup, tmp_path / "out", command, bad, *(subs if e == "SUBS" else e for e in extra))
    assert list(tmp_path.iterdir()) == []  # not even the -o folder


def test_split_refuses_an_unusable_series(setup: Any, tmp_path: Path) -> None:
    refuse(setup, tmp_path / "out", "split", "../..", "--speed", "ultrafast")
    assert not list(tmp_path.rglob("*.mp4"))


def test_split_unusable_series_makes_no_folder(setup: Any, tmp_path: Path) -> None:
    refuse(setup, tmp_path / "out", "split", "???", "--speed", "ultrafast")
    assert list(tmp_path.iterdir()) == []


def test_the_series_rule_and_the_one_function() -> None:
    naming = load_preset("tiktok").naming
    assert series_name("Red Thread", naming) == "Red_Thread"
    assert series_name(" 红线 / 第一季 ", naming) == "红线___第一季"
    assert series_name(None, naming) == "series"
    assert safe_series("Red Thread") == Series(title="Red Thread").file_name()
    name = file_name(naming, "cover", series="Red Thread", ext="jpg", index=2, size="9x16")
    assert name == "Red_Thread_E002_9x16.jpg"
    long = file_name(naming, "episode", series="长" * 200, ext="mp4", index=7)
    assert long.endswith("_E007.mp4") and len(long.encode()) <= 255 - 24 - 24  # room for .srt


def test_the_old_series_spelling_is_still_the_title(setup: Any, tmp_path: Path) -> None:
    """`--series` was the series' name in split, subs, thumbs and trailer (`--title` in package):
    the one name is --title now; the old spelling still works alone, and two values are refused."""
    master, plan, preset, _ = setup
    base = ["subs", str(master.path), "--plan", str(plan), "--preset", str(preset)]
    base += ["--subs", str(master.subtitles["en"])]
    old = run(*base, "--series", "Red Thread", "-o", str(tmp_path / "old"))
    new = run(*base, "--title", "Red Thread", "-o", str(tmp_path / "new"))
    assert old.exit_code == new.exit_code == 0, old.output + new.output
    names = sorted(p.name for p in (tmp_path / "new").iterdir())
    assert names and names == sorted(p.name for p in (tmp_path / "old").iterdir())
    assert all(n.startswith("Red_Thread_E") for n in names)
    both = run(*base, "--series", "A", "--title", "B", "-o", str(tmp_path / "both"))
    assert both.exit_code == 2
    assert both.output == (
        "Error: --series 'A' and --title 'B': --series is --title now; give --title only\n"
    )
