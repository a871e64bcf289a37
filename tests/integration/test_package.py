"""`vidpack package` end to end on the generated 1-minute vertical master with tiny presets:
the manifest matches the files (checksums, ffprobe facts), burned languages get their own
folders, the drama app gets sidecars, tiktok and instagram share one encode (same inode), a
too-short platform is skipped with a warning, a rerun re-encodes nothing, a killed run leaves no
manifest, and the report loads in headless Chromium: every episode, a link to every file, the
warnings first, every QC check with its values and a burned-subtitle still per language."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from fixtures.generate import MasterFixture
from tests.integration.report_dom import dump_dom, read_dom
from vidpack.cli.main import cli
from vidpack.media.runner import run_ffprobe, settings

pytestmark = pytest.mark.integration

W, H = 180, 320
_TINY = """
name = "{name}"
extends = "{base}"
[video]
width = 180
height = 320
[limits]
min_episode_s = 1
max_episode_s = {max_s}
[trailers]
lengths = [{trailers}]
[covers]
sizes = [{covers}]
"""
# instagram's burn margins differ from tiktok's: with margins valid in both safe zones the two
# presets resolve to the same encode (the real presets share it for textless episodes).
_SAME_STYLE = """
[subtitles.style]
margin_v = 692
margin_l = 120
margin_r = 180
"""


def write_tiny_preset(
    folder: Path, name: str, base: str, *, max_s: int = 180, covers: str = "", trailers: str = ""
) -> Path:
    path = folder / f"{name}.toml"
    text = _TINY.format(name=name, base=base, max_s=max_s, covers=covers, trailers=trailers)
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def package(vertical_master: MasterFixture, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("package")
    presets = {
        "tiny-tiktok": write_tiny_preset(folder, "tiny-tiktok", "tiktok"),
        "tiny-insta": write_tiny_preset(folder, "tiny-insta", "instagram-reels"),
        "tiny-drama": write_tiny_preset(
            folder, "tiny-drama", "drama-app", covers='"180x320", "180x240"', trailers="10"
        ),
        "tiny-snap": write_tiny_preset(folder, "tiny-snap", "snapchat-spotlight", max_s=12),
    }
    for name in ("tiny-tiktok", "tiny-insta"):
        with presets[name].open("a") as fh:
            fh.write(_SAME_STYLE)
    out = folder / "out"
    args = [
        "package",
        str(vertical_master.path),
        "-o",
        str(out),
        "--min",
        "15",
        "--max",
        "30",
        "--speed",
        "ultrafast",
        "--title",
        "Test Show",
        "--subs",
        str(vertical_master.subtitles["en"]),
        "--subs",
        str(vertical_master.subtitles["ar"]),
    ]
    for path in presets.values():
        args += ["--platform", str(path)]
    before = settings.commands_run
    first = CliRunner().invoke(cli, args)
    runs_first = settings.commands_run - before
    stills = {p: p.stat().st_mtime_ns for p in out.glob("*/report-frames/*.jpg")}
    began = time.monotonic()
    before = settings.commands_run
    second = CliRunner().invoke(cli, args)
    return {
        "out": out, "first": first, "second": second, "args": args, "presets": presets,
        "rerun_s": time.monotonic() - began, "rerun_cmds": settings.commands_run - before,
        "first_cmds": runs_first, "stills": stills,
    }  # fmt: skip


def _manifest(out: Path, platform: str) -> dict[str, Any]:
    return json.loads((out / platform / "manifest.json").read_text(encoding="utf-8"))


def test_package_summary_and_skip(package: Any) -> None:
    first = package["first"]
    assert first.exit_code == 0, first.output
    assert "platform tiny-snap skipped" in first.output
    assert "limits.max_episode_s 12 s: plan with --max 12" in first.output
    assert not (package["out"] / "tiny-snap").exists()
    lines = [ln.split() for ln in first.output.splitlines() if ln.startswith("tiny-")]
    rows = {(r[0], r[1]): r for r in lines}
    assert ("tiny-tiktok", "en") in rows and ("tiny-tiktok", "ar") in rows
    assert ("tiny-drama", "-") in rows
    assert rows[("tiny-snap", "-")][3] == "skipped"


def test_manifest_matches_files(package: Any) -> None:
    out = package["out"]
    for platform in ("tiny-tiktok", "tiny-insta", "tiny-drama"):
        folder = out / platform
        manifest = _manifest(out, platform)
        assert manifest["platform"] == platform
        assert manifest["series"]["title"] == "Test Show"
        assert manifest["preset"]["video"]["width"] == W
        check = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=folder)
        assert check.returncode == 0
        listed = {ln.split("  ", 1)[1] for ln in (folder / "SHA256SUMS").read_text().splitlines()}
        episodes = manifest["episodes"]
        assert {e["file"] for e in episodes} <= listed
        count = manifest["series"]["episode_count"]
        assert count >= 2
        for ep in episodes:
            facts = run_ffprobe(["-show_streams", "-show_format", str(folder / ep["file"])])
            video = next(s for s in facts["streams"] if s["codec_type"] == "video")
            assert (video["width"], video["height"]) == (ep["width"], ep["height"]) == (W, H)
            assert abs(float(facts["format"]["duration"]) - ep["duration"]) < 0.05
            assert abs((ep["end"] - ep["start"]) - ep["duration"]) < 0.1
            assert ep["bytes"] == (folder / ep["file"]).stat().st_size
        assert not (folder / ".vidpack-split.json").exists()


def test_burn_languages_and_sidecars(package: Any) -> None:
    out = package["out"]
    tiktok = _manifest(out, "tiny-tiktok")
    count = tiktok["series"]["episode_count"]
    for lang in ("en", "ar"):
        eps = [e for e in tiktok["episodes"] if e["language"] == lang]
        assert len(eps) == count
        assert all(e["file"].startswith(f"{lang}/") for e in eps)
        assert all(
            e["subtitles"] == [{"language": lang, "mode": "burn", "file": None}] for e in eps
        )
    drama = _manifest(out, "tiny-drama")
    assert len(drama["episodes"]) == count
    for ep in drama["episodes"]:
        assert ep["language"] is None and "/" not in ep["file"]
        side = {(s["language"], Path(s["file"]).suffix) for s in ep["subtitles"]}
        assert side == {("en", ".srt"), ("en", ".vtt"), ("ar", ".srt"), ("ar", ".vtt")}
        srt = (
            out
            / "tiny-drama"
            / next(s["file"] for s in ep["subtitles"] if s["file"].endswith("en.srt"))
        )
        assert srt.read_text(encoding="utf-8").startswith("1\n")
    covers = drama["covers"]
    assert {(c["width"], c["height"]) for c in covers} == {(180, 320), (180, 240)}
    for lang in ("en", "ar"):  # each delivered language has its own covers: 2 sizes an episode
        mine = [c for c in covers if c["language"] == lang]
        assert all(c["file"].startswith(f"{lang}/covers/") for c in mine)
        assert sorted(c["episode"] for c in mine if c["episode"]) == sorted(
            list(range(1, count + 1)) * 2
        )
    trailer = drama["trailers"][0]
    assert trailer["length"] == 10 and abs(trailer["duration"] - 10) < 0.2


def test_tiktok_and_instagram_share_one_encode(package: Any) -> None:
    out = package["out"]
    tiktok, insta = _manifest(out, "tiny-tiktok"), _manifest(out, "tiny-insta")
    for a, b in zip(tiktok["episodes"], insta["episodes"], strict=True):
        assert a["sha256"] == b["sha256"]
        assert (
            os.stat(out / "tiny-tiktok" / a["file"]).st_ino
            == os.stat(out / "tiny-insta" / b["file"]).st_ino
        )
    assert "3 distinct renditions" in package["first"].output  # en, ar (shared) + textless


def test_rerun_reencodes_nothing(package: Any) -> None:
    second = package["second"]
    assert second.exit_code == 0, second.output
    assert "0 episode files rendered" in second.output
    assert package["rerun_s"] < 15
    # the first run encoded episodes, covers and trailers; the rerun only probes
    encodes = package["rerun_cmds"]
    assert encodes < package["first_cmds"] / 2
    # the report's subtitle stills are kept, not taken again
    stills = package["stills"]
    names = {p.relative_to(package["out"]).as_posix() for p in stills}
    assert names == {f"{p}/report-frames/{lang}.jpg" for p in ("tiny-tiktok", "tiny-insta")
                     for lang in ("en", "ar")}  # fmt: skip
    assert all(p.stat().st_mtime_ns == t for p, t in stills.items())


def test_json_result_names_every_folder_verdict_and_warning(package: Any) -> None:
    """`package --json` (on the finished package: nothing is rendered) prints one object on
    stdout: the same folders, sets and verdicts as the table, the skipped platform, the counts."""
    result = CliRunner().invoke(cli, [*package["args"], "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    out = package["out"]
    assert [p["platform"] for p in data["platforms"]] == ["tiny-tiktok", "tiny-insta", "tiny-drama"]
    assert data["skipped"] == ["tiny-snap"] and data["verdict"] == "pass"
    assert (data["rendered"], data["reused"] > 0) == (0, True)
    tiktok = data["platforms"][0]
    assert tiktok["folder"] == str(out / "tiny-tiktok") and tiktok["qc"] == "pass"
    assert [(s["language"], s["folder"]) for s in tiktok["sets"]] == [
        ("en", str(out / "tiny-tiktok" / "en")), ("ar", str(out / "tiny-tiktok" / "ar")),
    ]  # fmt: skip
    count = _manifest(out, "tiny-tiktok")["series"]["episode_count"]
    assert all(s["episodes"] == count for s in tiktok["sets"])
    assert tiktok["report"] == str(out / "tiny-tiktok" / "report.html")
    assert any("tiny-snap" in w for w in data["warnings"])
    assert "Warning: " in result.stderr  # warnings still on stderr as they happen
    refused = CliRunner().invoke(cli, [*package["args"], "--json", "--dry-run"])
    assert refused.exit_code == 2
    assert refused.output.strip().startswith("Error: --json and --dry-run: give one")


def test_report_in_headless_chromium(package: Any, tmp_path: Path) -> None:
    dom = dump_dom(package["out"] / "tiny-drama" / "report.html", tmp_path / "profile")
    assert 'data-broken-images="0"' in dom
    manifest = _manifest(package["out"], "tiny-drama")
    assert dom.count('class="episode"') == len(manifest["episodes"])
    for ep in manifest["episodes"]:
        assert ep["file"] in dom


@pytest.mark.parametrize("platform", ["tiny-tiktok", "tiny-drama"])
def test_report_links_warnings_and_qc_in_chromium(
    package: Any, tmp_path: Path, platform: str
) -> None:
    """As loaded in Chromium: a relative link to every file of the folder and to nothing else,
    the warnings block first, and every check of qc.json in a row with its values."""
    folder = package["out"] / platform
    page = read_dom(dump_dom(folder / "report.html", tmp_path / "profile"))
    targets = set()
    for link in page.links:
        if link.startswith("#"):
            continue
        parts = urlsplit(link)
        assert (parts.scheme, parts.netloc) == ("", ""), link  # offline: nothing to fetch
        path = (folder / unquote(parts.path)).resolve()
        assert path.is_file() and path.is_relative_to(folder.resolve()), link
        targets.add(path.relative_to(folder.resolve()).as_posix())
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert targets == present - {"report.html"}
    assert all(not i["src"].startswith(("http:", "https:", "//")) for i in page.images)
    # the warnings come first: the page's first heading, holding the run's and QC's warnings
    manifest, qc = _manifest(package["out"], platform), json.loads((folder / "qc.json").read_text())
    assert page.headings[0][0].startswith("Warnings")
    assert [h for h, inside in page.headings if inside] == [page.headings[0][0]]
    expected = list(dict.fromkeys([*manifest["warnings"], *qc["warnings"]]))
    assert page.warnings == expected
    rows = [(f, *cells) for f, cells in page.checks]
    files = list(dict.fromkeys(c["file"] for c in qc["checks"]))  # shown file by file
    assert rows == [
        (c["file"], c["check"], "pass" if c["ok"] else "fail", c["expected"], c["actual"])
        for name in files
        for c in qc["checks"]
        if c["file"] == name
    ]
    assert len(rows) == qc["checked"] > 20


def test_report_shows_one_burned_subtitle_frame_per_language(
    package: Any, tmp_path: Path, vertical_master: MasterFixture
) -> None:
    """Each burned language has a still in the report that Chromium decodes, kept as a file
    QC knows, taken while one of the language's cues is on screen: the still differs from the
    textless episode's frame at that moment where the subtitle is drawn."""
    import cv2
    import numpy as np
    import pysubs2

    from vidpack.package.qc_files import file_checks
    from vidpack.promo.thumbs import extract_frame

    folder, out = package["out"] / "tiny-tiktok", package["out"]
    page = read_dom(dump_dom(folder / "report.html", tmp_path / "profile"))
    assert page.body["data-broken-images"] == "0"
    frames = {i["figure"]: i for i in page.images if i["figure"]}
    assert sorted(frames) == ["ar", "en"]
    manifest = _manifest(out, "tiny-tiktok")
    textless = {e["index"]: e for e in _manifest(out, "tiny-drama")["episodes"]}
    for lang, img in frames.items():
        assert img["src"] == f"report-frames/{lang}.jpg" and int(img["data-natural-width"]) == W
        ep = next(e for e in manifest["episodes"] if e["file"] == img["figure_episode"])
        assert ep["language"] == lang
        moment = float(img["figure_time"])
        at_ms = (ep["start"] + moment) * 1000
        cues = pysubs2.load(str(vertical_master.subtitles[lang]), encoding="utf-8")
        assert any(c.start <= at_ms < c.end for c in cues), (lang, moment)
        plain = tmp_path / f"{lang}.png"
        extract_frame(str(out / "tiny-drama" / textless[ep["index"]]["file"]), moment, plain)
        still = cv2.imread(str(folder / img["src"]), cv2.IMREAD_GRAYSCALE).astype(np.float32)
        other = cv2.imread(str(plain), cv2.IMREAD_GRAYSCALE).astype(np.float32)
        assert still.shape == other.shape == (H, W)
        assert int((np.abs(still - other) > 80).sum()) > 50, lang  # the subtitle's pixels
    # QC of the finished folder (the stills present) finds no unlisted file
    assert [c for c in file_checks(folder, manifest) if not c.ok] == []
    extra = folder / "report-frames" / "fr.jpg"  # a still of a language not burned here
    extra.write_bytes(b"x")
    try:
        failed = [c for c in file_checks(folder, manifest) if not c.ok]
    finally:
        extra.unlink()
    assert [(c.file, c.check) for c in failed[:1]] == [
        ("report-frames/fr.jpg", "listed in manifest")
    ]


def test_report_without_warnings_or_subtitles_renders_in_chromium(tmp_path: Path) -> None:
    """A package with no warnings, no subtitles, no covers and no QC report still gives a page
    Chromium loads: the warnings block first, saying none; no subtitle frames."""
    from vidpack.package.report import render_html

    manifest = {
        "platform": "bare", "series": {"title": "", "episode_count": 1}, "covers": [],
        "episodes": [{"index": 1, "file": "E001.mp4", "duration": 9.0, "width": 180,
                      "height": 320, "subtitles": []}],
        "trailers": [], "warnings": [],
    }  # fmt: skip
    (tmp_path / "report.html").write_text(render_html(manifest, None, "", {}), encoding="utf-8")
    (tmp_path / "E001.mp4").write_bytes(b"")
    text = dump_dom(tmp_path / "report.html", tmp_path / "profile")
    page = read_dom(text)
    assert page.body["data-broken-images"] == "0" and page.images == []
    assert page.headings[0] == ("Warnings", True) and page.warnings == []
    assert "Burned subtitles" not in [h for h, _ in page.headings]
    assert "no QC report" in text and text.count('class="episode"') == 1
    assert "E001.mp4" in page.links


def test_killed_run_leaves_no_manifest(vertical_master: MasterFixture, package: Any) -> None:
    out = package["out"].parent / "killed"
    args = [a if a != str(package["out"]) else str(out) for a in package["args"]]
    cut = args.index("--platform")
    args = [
        "package",
        "--no-promo",
        *args[1:cut],
        "--platform",
        str(package["presets"]["tiny-tiktok"]),
    ]
    code = "import sys; from vidpack.cli.main import main; sys.argv[1:] = sys.argv[1:]; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, *args], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    work = out / ".vidpack" / "renditions"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(work.glob("*/*_E001.mp4")):
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert list(work.glob("*/*_E001.mp4")), f"no episode finished before the kill: {err!r}"
    assert not list(out.glob("*/manifest.json"))
    finished = {p: p.stat().st_mtime_ns for p in work.glob("*/*.mp4")}
    rerun = CliRunner().invoke(cli, args)
    assert rerun.exit_code == 0, rerun.output
    assert all(p.stat().st_mtime_ns == t for p, t in finished.items())  # reused, not remade
    assert (out / "tiny-tiktok" / "manifest.json").is_file()
