"""`vidpack subs`: retimed per-episode files from generated masters in several encodings."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pysubs2
import pytest
from click.testing import CliRunner

from vidpack.cli.main import cli
from vidpack.plan.model import Episode, EpisodePlan, PlanOptions
from vidpack.plan.planfile import probe_master_ref, save_plan


@pytest.fixture(scope="module")
def planned(vertical_master: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    ref = probe_master_ref(vertical_master.path)
    cuts = [0.0, 21.0, 40.0, ref.duration]
    episodes = tuple(
        Episode(i + 1, a, b, ref.frame_at(a), ref.frame_at(b))
        for i, (a, b) in enumerate(itertools.pairwise(cuts))
    )
    plan = tmp_path_factory.mktemp("plan") / "plan.json"
    save_plan(EpisodePlan(ref, PlanOptions(min_s=10, max_s=40), episodes), plan)
    return vertical_master, plan


def test_subs_writes_retimed_files_for_every_language_and_encoding(
    planned: tuple[Any, Path], tmp_path: Path
) -> None:
    master, plan = planned
    files = {(f.language, f.encoding, f.format): f.path for f in master.subtitle_files}
    chosen = [
        files[("zh-Hans", "gb18030", "srt")],
        files[("ko", "euc-kr", "srt")],
        files[("ar", "cp1256", "srt")],
        files[("en", "utf-16", "srt")],
        files[("th", "utf-8", "srt")],
    ]
    args = ["subs", str(master.path), "--plan", str(plan), "-o", str(tmp_path)]
    for path in chosen:
        args += ["--subs", str(path)]
    result = CliRunner().invoke(cli, [*args, "--format", "srt", "--format", "vtt"])
    assert result.exit_code == 0, result.output
    assert "(gb18030)" in result.output and "(cp949)" in result.output
    assert "(cp1256)" in result.output
    cuts = [(0, 21_000), (21_000, 40_000)]
    for path in chosen:
        tag = path.name.split(".")[1]
        whole = pysubs2.load(str(utf8_copy(path, tmp_path)))
        for index, (s, e) in enumerate(cuts, 1):
            out = tmp_path / f"series_E{index:03d}.{tag}.srt"  # split's episode stem
            got = [(ev.start, ev.end, ev.plaintext) for ev in pysubs2.load(str(out))]
            expected = []
            for ev in whole:
                a, b = max(ev.start, s), min(ev.end, e)
                if b <= a or ((a, b) != (ev.start, ev.end) and b - a < 300):
                    continue
                expected.append((a - s, b - s, ev.plaintext))
            assert got == expected and got
            vtt = out.with_suffix(".vtt")
            assert vtt.read_text(encoding="utf-8").startswith("WEBVTT")


def utf8_copy(path: Path, folder: Path) -> Path:
    """The file re-saved as UTF-8 SRT by pysubs2 with its known encoding (the reference)."""
    enc = {"gb18030": "gb18030", "euc-kr": "euc-kr", "cp1256": "cp1256", "utf16": "utf-16"}
    infix = path.name.split(".")[2] if path.name.count(".") > 2 else "utf-8"
    subs = pysubs2.load(str(path), encoding=enc.get(infix, "utf-8"))
    out = folder / f"ref.{path.name}"
    subs.save(str(out), encoding="utf-8")
    return out


def test_subs_errors_name_the_option(planned: tuple[Any, Path], tmp_path: Path) -> None:
    master, plan = planned
    korean = next(f.path for f in master.subtitle_files if f.encoding == "euc-kr")
    base = ["subs", str(master.path), "--plan", str(plan), "-o", str(tmp_path)]
    result = CliRunner().invoke(cli, [*base, "--subs", str(korean), "--subs-encoding", "utf-8"])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: subtitles {str(korean)!r} do not decode as utf-8")
    assert "--subs-encoding" in result.output
    nolang = tmp_path / "plain.srt"
    nolang.write_text("1\n00:00:01,000 --> 00:00:02,000\nHi\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [*base, "--subs", str(nolang)])
    assert result.exit_code == 2 and "--subs en=" in result.output
    result = CliRunner().invoke(cli, [*base, "--subs", f"en={nolang}", "--naming", "{stem}.x"])
    assert result.exit_code == 2 and "--naming" in result.output


def test_locale_naming_and_preset_formats(planned: tuple[Any, Path], tmp_path: Path) -> None:
    master, plan = planned
    base = ["subs", str(master.path), "--plan", str(plan), "-o", str(tmp_path)]
    args = [*base, "--subs", str(master.subtitles["ar"]), "--subs", str(master.subtitles["en"])]
    result = CliRunner().invoke(cli, [*args, "--preset", "drama-app"])
    assert result.exit_code == 0, result.output
    # drama-app: SRT and WebVTT, {stem}.{lang}.{ext}, {stem} split's series_E002
    assert (tmp_path / "series_E002.ar.vtt").is_file()
    result = CliRunner().invoke(cli, [*args, "--naming", "{stem}.{locale}.{ext}"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.glob("*_*_*.srt"))
    assert names == sorted(
        f"series_E{i:03d}.{loc}.srt" for i in (1, 2, 3) for loc in ("ar_AR", "en_US")
    )
