"""Localised packages: a series file with a title per language (Thai left out) and drama-app
terms, packaged for a drama app in six languages (sidecars: one textless set, covers per
language) and for a feed burning two (a folder per language, trailers per title).

Every cover's and every end card's text layer (what the text changed in the picture) is compared
with the text layer of a reference drawn from the expected title and label: each matches its
own language's reference best. metadata.csv is read back with the csv module and with pandas and
equals what the manifest says.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from fixtures.generate import MasterFixture
from tests.integration.test_package import write_tiny_preset
from vidpack.cli.main import cli
from vidpack.presets import load_preset
from vidpack.promo.covers import cover_ass, make_cover, text_box
from vidpack.promo.thumbs_run import run_thumbs
from vidpack.promo.trailer_render import CARD_COLOUR, end_card_ass
from vidpack.subtitles.burn import burn_filter
from vidpack.subtitles.labels import episode_label

pytestmark = pytest.mark.integration

LANGS = ("en", "zh-Hans", "ar", "ko", "ja", "th")
TITLES = {"en": "Red Thread", "zh-Hans": "红线", "ar": "الخيط الأحمر", "ko": "붉은 실",
          "ja": "赤い糸"}  # fmt: skip
SERIES = 'free_episodes = 1\nintro = 1\nprice_tier = "standard"\n[title]\n' + "".join(
    f'{lang} = "{title}"\n' for lang, title in TITLES.items()
)
NAMES = {"en": "Red_Thread", "ko": "붉은_실", "th": "Red_Thread", "ar": "الخيط_الأحمر"}


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args)


@pytest.fixture(scope="module")
def made(vertical_master: MasterFixture, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("l10n")
    master = str(vertical_master.path)
    plan = folder / "plan.json"
    done = _run(["plan", master, "--min", "15", "--max", "30", "-o", str(plan)])
    assert done.exit_code == 0, done.output
    series = folder / "series.toml"
    series.write_text(SERIES, encoding="utf-8")
    app = write_tiny_preset(folder, "tiny-app", "drama-app", covers='"180x240"')
    tok = write_tiny_preset(folder, "tiny-tok", "tiktok", trailers="6")
    common = ["--plan", str(plan), "--series-file", str(series), "--speed", "ultrafast"]
    subs = [a for lang in LANGS for a in ("--subs", str(vertical_master.subtitles[lang]))]
    app_out, tok_out = folder / "app", folder / "tok"
    app_run = _run(["package", master, "--platform", str(app), *subs, *common, "-o", str(app_out)])
    burn = ["--subs", str(vertical_master.subtitles["en"]), "--subs",
            str(vertical_master.subtitles["ko"])]  # fmt: skip
    tok_run = _run(["package", master, "--platform", str(tok), *burn, *common, "-o", str(tok_out)])
    return {"master": master, "plan": plan, "app": app_out / "tiny-app",
            "tok": tok_out / "tiny-tok", "app_run": app_run, "tok_run": tok_run,
            "app_preset": load_preset(str(app)), "tok_preset": load_preset(str(tok))}  # fmt: skip


def _manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _layer(img: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Where text changed the picture."""
    return np.asarray(np.abs(img.astype(int) - background.astype(int)).max(axis=2) > 60)


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum()) / max(1, int((a | b).sum()))


def _burn(background: Path, ass: Path | None, out: Path) -> np.ndarray:
    """``ass`` drawn on ``background`` by ffmpeg (``None``: the background as ffmpeg decodes it)."""
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", str(background),
         "-vf", burn_filter(ass) if ass else "null", "-frames:v", "1", str(out)],
        check=True,
    )  # fmt: skip
    return cv2.imread(str(out))


def _text(lang: str) -> str:
    return TITLES.get(lang, TITLES["en"])  # Thai has no title: the default


def test_runs_warn_of_the_missing_title(made: Any) -> None:
    for run in (made["app_run"], made["tok_run"]):
        assert run.exit_code == 0, run.output
    warning = "[title] has no th title: its deliveries use the default title 'Red Thread'"
    assert warning in made["app_run"].stderr
    assert any(warning in w for w in _manifest(made["app"])["warnings"])
    assert "has no" not in made["tok_run"].stderr  # en and ko have their titles


def test_covers_carry_their_languages_text(made: Any, tmp_path: Path) -> None:
    manifest, preset = _manifest(made["app"]), made["app_preset"]
    count = manifest["series"]["episode_count"]
    covers = manifest["covers"]
    assert {c["language"] for c in covers} == set(LANGS)
    assert len(covers) == len(LANGS) * (count + 1)  # a series cover and one per episode each
    for c in covers:  # named from the language's own title, in its folder
        if c["language"] in NAMES:
            assert c["file"].startswith(f"{c['language']}/covers/{NAMES[c['language']]}_")
    # Where the covers' frames are: the same picks the package made (thumbs with the same plan).
    picked = run_thumbs(made["master"], tmp_path / "picks", preset=preset,
                        plan_file=made["plan"], count=1)  # fmt: skip
    times = {ep: cover.time for cover, ep in zip(picked.covers, picked.episodes, strict=True)}
    backgrounds: dict[int | None, np.ndarray] = {}
    refs: dict[tuple[int | None, str], np.ndarray] = {}
    src = (180, 320)
    for ep, time in times.items():
        bg = tmp_path / f"bg{ep}.jpg"  # encoded as the covers are: the same noise at edges
        make_cover(made["master"], time, bg, src_size=src, size=(180, 240), preset=preset)
        backgrounds[ep] = cv2.imread(str(bg))  # decoded as the package's covers are below
        plain = _burn(bg, None, tmp_path / f"bg{ep}.png")  # decoded as the references are
        for lang in LANGS:
            ass = tmp_path / f"ref{ep}{lang}.ass"
            label = "" if ep is None else episode_label(ep, lang)
            cover_ass(ass, preset, (180, 240), _text(lang), label, lang)
            refs[ep, lang] = _layer(_burn(bg, ass, tmp_path / f"ref{ep}{lang}.png"), plain)
    for c in covers:
        ep, lang = c["episode"], c["language"]
        layer = _layer(cv2.imread(str(made["app"] / c["file"])), backgrounds[ep])
        assert layer.sum() > 100, c["file"]  # text was drawn
        own = _iou(layer, refs[ep, lang])
        assert own > 0.7, (c["file"], own)
        for other in LANGS:
            if (_text(other), ep and episode_label(ep, other)) != (
                _text(lang),
                ep and episode_label(ep, lang),
            ):
                assert _iou(layer, refs[ep, other]) < own - 0.05, (c["file"], other)


@pytest.mark.parametrize("lang", LANGS)
def test_cover_text_stays_in_the_safe_area(made: Any, lang: str, tmp_path: Path) -> None:
    preset, size = made["app_preset"], (180, 240)
    plain = make_cover(made["master"], 2.0, tmp_path / "a.png", src_size=(180, 320), size=size,
                       preset=preset)  # fmt: skip
    text = make_cover(made["master"], 2.0, tmp_path / "b.png", src_size=(180, 320), size=size,
                      preset=preset, title=_text(lang), number=88, language=lang)  # fmt: skip
    ys, xs = np.nonzero(_layer(cv2.imread(str(text.path)), cv2.imread(str(plain.path))))
    assert len(ys) > 200
    box, slack = text_box(preset, *size), 3  # outline and shadow
    assert ys.min() >= box.top - slack and ys.max() < box.bottom + slack
    assert xs.min() >= box.left - slack and xs.max() < box.right + slack


def test_equal_text_is_one_file(made: Any) -> None:
    app = made["app"]
    series_en = app / "en" / "covers" / "Red_Thread_180x240.jpg"
    series_th = app / "th" / "covers" / "Red_Thread_180x240.jpg"
    assert os.path.samefile(series_en, series_th)  # same title, no label: one rendering
    ep_en = app / "en" / "covers" / "Red_Thread_E001_180x240.jpg"
    ep_th = app / "th" / "covers" / "Red_Thread_E001_180x240.jpg"
    assert not os.path.samefile(ep_en, ep_th)  # "EP 1" and "ตอนที่ 1" differ


def test_burned_folders_and_trailers_use_their_title(made: Any, tmp_path: Path) -> None:
    manifest, preset = _manifest(made["tok"]), made["tok_preset"]
    count = manifest["series"]["episode_count"]
    for lang in ("en", "ko"):
        files = sorted(e["file"] for e in manifest["episodes"] if e["language"] == lang)
        assert files == [f"{lang}/{NAMES[lang]}_E{i:03d}.mp4" for i in range(1, count + 1)]
    trailers = {t["language"]: t for t in manifest["trailers"]}
    assert set(trailers) == {"en", "ko"}
    assert trailers["ko"]["file"] == "ko/붉은_실_trailer_6s.mp4"
    w, h = preset.video.width, preset.video.height
    card = tmp_path / "card.png"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"color=c={CARD_COLOUR}:s={w}x{h}", "-frames:v", "1", str(card)],
        check=True,
    )  # fmt: skip
    plain = cv2.imread(str(card))
    refs = {}
    for lang in ("en", "ko"):
        ass = tmp_path / f"{lang}.ass"
        end_card_ass(ass, preset, TITLES[lang], preset.trailers.call_to_action)
        refs[lang] = _layer(_burn(card, ass, tmp_path / f"{lang}.png"), plain)
    for lang, entry in trailers.items():
        video = cv2.VideoCapture(str(made["tok"] / entry["file"]))
        last = None
        while True:
            ok, frame = video.read()
            if not ok:
                break
            last = frame
        assert last is not None
        layer = _layer(last, plain)
        assert layer.sum() > 100
        other = "ko" if lang == "en" else "en"
        assert _iou(layer, refs[lang]) > 0.6
        assert _iou(layer, refs[other]) < _iou(layer, refs[lang]) - 0.3


def test_metadata_csv_equals_the_manifest(made: Any) -> None:
    pandas = pytest.importorskip("pandas")
    for folder, langs in ((made["app"], LANGS), (made["tok"], ("en", "ko"))):
        manifest = _manifest(folder)
        sums = (folder / "SHA256SUMS").read_text(encoding="utf-8")
        assert f"{manifest['metadata']['sha256']}  metadata.csv" in sums.splitlines()
        assert (folder / "metadata.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
        with (folder / "metadata.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        frame = pandas.read_csv(folder / "metadata.csv", dtype=str, keep_default_na=False)
        assert frame.to_dict(orient="records") == rows
        count = manifest["series"]["episode_count"]
        assert [(r["language"], int(r["episode"])) for r in rows] == [
            (lang, i) for lang in langs for i in range(1, count + 1)
        ]
        for row in rows:
            lang, index = row["language"], int(row["episode"])
            ep = next(
                e for e in manifest["episodes"]
                if e["index"] == index and e["language"] in (lang, None)
            )  # fmt: skip
            assert row["file"] == ep["file"] and float(row["duration"]) == ep["duration"]
            assert row["title"] == manifest["series"]["titles"].get(
                lang, manifest["series"]["title"]
            )
            assert row["label"] == episode_label(index, lang)
            files = [s["file"] for s in ep["subtitles"] if s["language"] == lang and s["file"]]
            assert (row["subtitles"].split(";") if row["subtitles"] else []) == files
            covers = [c["file"] for c in manifest["covers"]
                      if c["episode"] == index and c["language"] == lang]  # fmt: skip
            assert (row["cover"].split(";") if row["cover"] else []) == covers
            assert (row["access"], row["intro"], row["price_tier"]) == (
                ep["access"],
                "yes" if ep["intro"] else "no",
                ep["price_tier"] or "",
            )
        terms = [
            (e["index"], e["access"], e["intro"], e["price_tier"]) for e in manifest["episodes"]
        ]
        assert (1, "free", True, None) in terms and (2, "paid", False, "standard") in terms
        qc = json.loads((folder / "qc.json").read_text(encoding="utf-8"))
        assert qc["verdict"] != "fail"


def test_intro_past_the_plan_renders_nothing(made: Any, tmp_path: Path) -> None:
    series = tmp_path / "s.toml"
    series.write_text("intro = 40\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _run(["package", made["master"], "--platform", "tiktok", "--plan", str(made["plan"]),
                   "--series-file", str(series), "-o", str(out)])  # fmt: skip
    assert result.exit_code == 2
    count = len(json.loads(made["plan"].read_text(encoding="utf-8"))["episodes"])
    *steps, error = result.stderr.splitlines()
    assert error == (
        f"Error: --series-file {str(series)!r}: intro = 40 is beyond the plan's {count} "
        f"episodes: give an episode number from 1 to {count}, or leave intro out"
    )
    # piped, a line per finished step: the probe; the analysis the error ended is not one
    assert [line.split(":")[0] for line in steps] == ["probe"]
    assert not list(out.rglob("*.mp4")) and not list(out.rglob("manifest.json"))
