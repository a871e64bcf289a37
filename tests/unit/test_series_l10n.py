"""Per-language series text and drama-app terms: the series file's [title]/[tagline] tables and
sale keys (TOML and JSON alike), every problem of a malformed file at once, the localised episode
labels, and the metadata sheet read back by Python's csv module and by pandas."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from vidpack.errors import UsageError
from vidpack.package.metadata_csv import COLUMNS, metadata_rows, write_metadata
from vidpack.package.series import Series, load_series
from vidpack.problems import Problems
from vidpack.promo.text import font_script
from vidpack.subtitles.labels import episode_label

SERIES_TOML = """
synopsis = "A thread ties two lives."
free_episodes = 2
intro = 1
price_tier = "standard"

[title]
en = "Red Thread"
ko = "붉은 실"
zh-Hans = "红线"
ar = "الخيط الأحمر"

[tagline]
default = "One night."
ko = "하룻밤."
"""


def test_title_tables_and_sale_terms_from_toml_and_json(tmp_path: Path) -> None:
    toml = tmp_path / "series.toml"
    toml.write_text(SERIES_TOML, encoding="utf-8")
    series = load_series(toml)
    assert series.title == "Red Thread"  # no `default`: the first language's title
    assert series.titles == (
        ("en", "Red Thread"), ("ko", "붉은 실"), ("zh-Hans", "红线"), ("ar", "الخيط الأحمر"),
    )  # fmt: skip
    assert series.title_for("ko") == "붉은 실"
    assert series.title_for("zh") == "Red Thread"  # "zh" is not "zh-Hans": the default
    assert Series(titles=(("zh", "红线"),)).title_for("zh-Hans") == "红线"  # primary subtag
    assert series.title_for("th") == "Red Thread"
    assert series.for_language("ko").file_name() == "붉은_실"
    assert (series.for_language("ko").tagline, series.for_language("en").tagline) == (
        "하룻밤.",
        "One night.",
    )
    js = tmp_path / "series.json"
    data = {
        "synopsis": "A thread ties two lives.", "free_episodes": 2, "intro": 1,
        "price_tier": "standard",
        "title": {"en": "Red Thread", "ko": "붉은 실", "zh-Hans": "红线", "ar": "الخيط الأحمر"},
        "tagline": {"default": "One night.", "ko": "하룻밤."},
    }  # fmt: skip
    js.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_series(js) == series
    assert load_series(toml, title="Override").title_for("th") == "Override"  # options win
    terms = [series.episode_terms(i) for i in (1, 2, 3)]
    assert terms == [
        {"access": "free", "intro": True, "price_tier": None},
        {"access": "free", "intro": False, "price_tier": None},
        {"access": "paid", "intro": False, "price_tier": "standard"},
    ]
    assert Series(title="A").episode_terms(5) == {
        "access": None,
        "intro": False,
        "price_tier": None,
    }
    assert Series(intro=3).episode_terms(1)["access"] == "paid"  # no free_episodes: 0 free
    manifest = series.to_dict(3)
    assert manifest["titles"]["ar"] == "الخيط الأحمر" and manifest["free_episodes"] == 2


def test_flat_keys_still_work_and_missing_titles_warn(tmp_path: Path) -> None:
    flat = tmp_path / "flat.toml"
    flat.write_text('title = "Love: Again?"\ntagline = "t"\n', encoding="utf-8")
    series = load_series(flat)
    assert (series.title, series.titles, series.title_for("ar")) == (
        "Love: Again?",
        (),
        "Love: Again?",
    )
    assert series.missing_titles(["en", "ar"]) == []  # one title for all was asked: no warning
    toml = tmp_path / "series.toml"
    toml.write_text(SERIES_TOML, encoding="utf-8")
    assert load_series(toml).missing_titles(["en", "th", "ko", "th"]) == [
        f"--series-file {str(toml)!r}: [title] has no th title: its deliveries use the default "
        "title 'Red Thread'; add th = \"...\" to [title]"
    ]


def test_every_problem_of_a_series_file_at_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'episodes = 3\nsynopsis = 4\nfree_episodes = -1\nintro = 0\nprice_tier = "gold tier"\n'
        '[title]\nen = "A"\nklingon = "B"\nko = 5\n',
        encoding="utf-8",
    )
    with pytest.raises(Problems) as err:
        load_series(bad)
    assert err.value.exit_code == 2
    assert str(err.value).splitlines() == [
        f"--series-file {str(bad)!r}: 7 problems:",
        "  unknown key 'episodes' (use title, synopsis, tagline, license_number, free_episodes, "
        "intro, price_tier)",
        "  key 'synopsis' is 4: give a string",
        "  key 'free_episodes' is -1: give a whole number >= 0, e.g. free_episodes = 10",
        "  key 'intro' is 0: give an episode number from 1, e.g. intro = 1",
        "  key 'price_tier' is 'gold tier': give the app's tier key (letters, digits, - and _), "
        'e.g. price_tier = "standard"',
        "  [title] key 'klingon' is not a language tag vidpack knows: use a BCP 47 tag such as "
        "en, ko, ja, zh-Hans, th or ar",
        "  [title] ko is 5: give a string",
    ]
    js = tmp_path / "bad.json"
    for value, shown in ((2.5, "2.5"), ("ten", "'ten'"), (True, "True")):
        js.write_text(json.dumps({"free_episodes": value}), encoding="utf-8")
        with pytest.raises(UsageError) as one:
            load_series(js)
        assert str(one.value) == (
            f"--series-file {str(js)!r}: key 'free_episodes' is {shown}: give a whole number "
            ">= 0, e.g. free_episodes = 10"
        )
    js.write_text(json.dumps({"free_episodes": 10.0, "title": ["x"]}), encoding="utf-8")
    with pytest.raises(UsageError, match=r"key 'title' is \['x'\]: give a string or a \[title\]"):
        load_series(js)


def test_intro_beyond_the_plan_is_one_line(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text("intro = 4\n", encoding="utf-8")
    series = load_series(toml)
    series.check_episodes(4)
    with pytest.raises(UsageError) as err:
        series.check_episodes(3)
    assert err.value.exit_code == 2
    assert str(err.value) == (
        f"--series-file {str(toml)!r}: intro = 4 is beyond the plan's 3 episodes: give an "
        "episode number from 1 to 3, or leave intro out"
    )


@pytest.mark.parametrize(
    ("language", "label", "script"),
    [
        ("en", "EP 2", "latin"),
        (None, "EP 2", "latin"),
        ("es", "EP 2", "latin"),
        ("zh-Hans", "第2集", "cjk-sc"),
        ("ja", "第2話", "ja"),
        ("ko", "2화", "ko"),
        ("th", "ตอนที่ 2", "thai"),
        ("ar", "الحلقة 2", "arabic"),
    ],
)
def test_episode_labels(language: str | None, label: str, script: str) -> None:
    assert episode_label(2, language) == label
    assert font_script(label, language) == script
    assert font_script(f"Red Thread {label}", language) == script


def _manifest_parts() -> tuple[list[dict[str, object]], list[dict[str, object]], Series]:
    series = Series(
        title="Red Thread", titles=(("en", "Red Thread"), ("ar", "الخيط الأحمر")),
        free_episodes=1, intro=1, price_tier="standard",
    )  # fmt: skip
    episodes: list[dict[str, object]] = []
    for i, dur in ((1, 20.04), (2, 18.5)):
        subs = [
            {"language": lang, "mode": "sidecar", "file": f"S_E{i:03d}.{lang}.{ext}", "sha256": "0"}
            for lang in ("en", "ar")
            for ext in ("srt", "vtt")
        ]
        episodes.append(
            {
                "index": i,
                "file": f"S_E{i:03d}.mp4",
                "duration": dur,
                "language": None,
                "subtitles": subs,
                **series.episode_terms(i),
            }
        )
    covers: list[dict[str, object]] = [
        {"file": f"{lang}/covers/c{i}.jpg", "episode": i, "language": lang}
        for lang in ("en", "ar")
        for i in (1, 2)
    ]
    covers.append({"file": "en/covers/series.jpg", "episode": None, "language": "en"})
    return episodes, covers, series


def test_metadata_csv_reads_back_in_csv_and_pandas(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    episodes, covers, series = _manifest_parts()
    rows = metadata_rows(episodes, covers, series, ["en", "ar"])
    entry = write_metadata(tmp_path, rows)
    path = tmp_path / "metadata.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # a spreadsheet sees UTF-8
    assert entry["file"] == "metadata.csv" and len(entry["sha256"]) == 64
    with path.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.DictReader(fh))
    assert [tuple(r) for r in back] == [COLUMNS] * 4
    ar2 = back[3]
    assert ar2 == {
        "language": "ar", "episode": "2", "title": "الخيط الأحمر", "label": "الحلقة 2",
        "duration": "18.5", "file": "S_E002.mp4", "subtitle_mode": "sidecar",
        "subtitles": "S_E002.ar.srt;S_E002.ar.vtt", "cover": "ar/covers/c2.jpg", "access": "paid",
        "intro": "no", "price_tier": "standard", "flags": "paid",
    }  # fmt: skip
    assert back[0]["flags"] == "intro free" and back[0]["price_tier"] == ""
    frame = pandas.read_csv(path, keep_default_na=False, dtype=str)  # as a spreadsheet reads it
    assert list(frame.columns) == list(COLUMNS)
    assert frame.to_dict(orient="records") == back
    assert Path(str(frame.loc[2, "file"])) == Path("S_E001.mp4")


def test_metadata_rows_without_languages() -> None:
    episodes, _, _ = _manifest_parts()
    rows = metadata_rows(episodes, [], Series(title="T"), [])
    assert [(r["language"], r["episode"], r["title"], r["label"], r["access"]) for r in rows] == [
        ("", "1", "T", "EP 1", "free"),
        ("", "2", "T", "EP 2", "paid"),
    ]
