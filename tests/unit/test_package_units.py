"""Package building blocks without ffmpeg: rendition sharing between real presets, placing by
hard link, series files, and the report page's content."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vidpack.errors import UsageError
from vidpack.package.renditions import place, platform_placements, share
from vidpack.package.report import render_html
from vidpack.package.series import load_series
from vidpack.presets import load_preset
from vidpack.subtitles.languages import language
from vidpack.subtitles.model import Track


def _track(tag: str) -> Track:
    return Track(Path(f"m.{tag}.srt"), language(tag), "srt", "utf-8", ())


def test_textless_feed_presets_share_one_rendition() -> None:
    wanted = {
        name: platform_placements(load_preset(name), "none", [], "fit")
        for name in ("tiktok", "instagram-reels", "facebook-reels", "drama-app")
    }
    renditions, placed = share(wanted)
    assert len(renditions) == 2  # the feeds' encode, the drama app's mezzanine
    assert placed["tiktok"][0].rendition is placed["facebook-reels"][0].rendition
    assert placed["drama-app"][0].rendition is not placed["tiktok"][0].rendition


def test_burn_gives_one_rendition_per_language_and_style() -> None:
    tracks = [_track("en"), _track("ar")]
    wanted = {
        name: platform_placements(load_preset(name), "burn", tracks, "fit")
        for name in ("tiktok", "instagram-reels", "facebook-reels")
    }
    renditions, placed = share(wanted)
    # instagram and facebook share Meta's safe zone (same burn style); tiktok's margins differ
    assert len(renditions) == 4
    assert [p.subdir for p in placed["tiktok"]] == ["en", "ar"]
    assert placed["instagram-reels"][1].rendition is placed["facebook-reels"][1].rendition
    assert placed["tiktok"][0].rendition is not placed["instagram-reels"][0].rendition


def test_reframe_and_mode_change_the_rendition() -> None:
    tiktok = load_preset("tiktok")
    fit = platform_placements(tiktok, "none", [], "fit")[0].rendition.key
    crop = platform_placements(tiktok, "none", [], "crop")[0].rendition.key
    mux = platform_placements(tiktok, "mux", [_track("en")], "fit")[0].rendition.key
    assert len({fit, crop, mux}) == 3


def test_place_links_then_keeps(tmp_path: Path) -> None:
    src = tmp_path / "a.mp4"
    src.write_bytes(b"x" * 100)
    dst = tmp_path / "p" / "b.mp4"
    assert place(src, dst) == "linked"
    assert os.stat(src).st_ino == os.stat(dst).st_ino
    assert place(src, dst) == "kept"
    dst.unlink()
    dst.write_bytes(b"old")
    assert place(src, dst) == "linked" and dst.read_bytes() == b"x" * 100


def test_series_file_and_overrides(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text('title = "Love: Again?"\ntagline = "t"\n', encoding="utf-8")
    series = load_series(toml, synopsis="syn")
    assert (series.title, series.tagline, series.synopsis) == ("Love: Again?", "t", "syn")
    assert series.file_name() == "Love__Again"
    js = tmp_path / "s.json"
    js.write_text(json.dumps({"title": "A", "license_number": "L-1"}), encoding="utf-8")
    assert load_series(js, title="B").license_number == "L-1"
    assert load_series(js, title="B").title == "B"
    js.write_text(json.dumps({"title": 3}), encoding="utf-8")
    with pytest.raises(UsageError, match="key 'title' is 3"):
        load_series(js)


def test_report_lists_every_episode_and_failures() -> None:
    episodes = [
        {"index": i, "file": f"en/S_E{i:03d}.mp4", "duration": 20.0 + i, "width": 180,
         "height": 320, "language": "en",
         "subtitles": [{"language": "en", "mode": "burn", "file": None}]}
        for i in (1, 2, 3)
    ]  # fmt: skip
    manifest = {
        "platform": "tiktok", "series": {"title": "<S>", "episode_count": 3},
        "episodes": episodes, "trailers": [], "covers": [], "warnings": ["w & x"],
    }  # fmt: skip
    qc = {
        "verdict": "fail",
        "checks": [
            {"file": "en/S_E002.mp4", "check": "loudness", "ok": False, "actual": -20.1},
            {"file": "en/S_E001.mp4", "check": "loudness", "ok": True, "actual": -14.0},
        ],
    }
    page = render_html(manifest, qc, "", {})
    assert page.count("class='episode'") == 3
    assert "&lt;S&gt;" in page and "w &amp; x" in page
    assert "-20.1" in page and '<span class="fail">fail</span>' in page


def test_a_masked_trailer_records_its_regions_per_source_range(tmp_path: Path) -> None:
    """The manifest's trailer record of the masking: per range of its ranges file, the regions
    shown there with their times in the range's own seconds (as episodes record theirs)."""
    import json

    from vidpack.hardsubs.model import Masking, Region
    from vidpack.package.promo_step import _trailer_masking

    trailer = tmp_path / "S_trailer_15s.mp4"
    ranges = [{"start": 10.0, "end": 14.0}, {"start": 30.0, "end": 33.0}]
    (tmp_path / "S_trailer_15s.ranges.json").write_text(json.dumps({"ranges": ranges}))
    line = Region("dialogue", (60, 520, 240, 54), ((9.0, 11.5), (20.0, 21.0)), 0.9)
    record = _trailer_masking(Masking("box", (360, 640), (line,)), trailer)
    assert record == {
        "method": "box",
        "ranges": [
            {"start": 10.0, "end": 14.0, "regions": [
                {"kind": "dialogue", "box": [60, 520, 240, 54], "ranges": [[0.0, 1.5]],
                 "confidence": 0.9},
            ]},
            {"start": 30.0, "end": 33.0, "regions": []},
        ],
    }  # fmt: skip
    assert _trailer_masking(None, trailer) is None
    assert _trailer_masking(Masking("box", (360, 640), ()), trailer) is None
