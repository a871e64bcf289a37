"""The report page without ffmpeg or a browser: every text escaped (titles and cues may be any
Unicode, file names may hold ``#``, ``%`` or ``:``), right-to-left text isolated, the warnings
block first, failed checks named there, the links percent-encoded, every listed file in the
file table, and the moment chosen for a burned-subtitle still."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from vidpack.package.manifest import listed_files
from vidpack.package.report import render_html
from vidpack.package.report_frames import SubtitleFrame, burned_languages, cue_moment
from vidpack.package.report_links import href, package_files
from vidpack.subtitles.model import Cue

HOSTILE = "<script>alert(1)</script> حب & \"love\" 'x'"


def _manifest(**extra: Any) -> dict[str, Any]:
    episodes = [
        {"index": i, "file": f"{lang}/حب#{i} 100%:x.mp4", "sha256": f"{i}" * 64, "duration": 20.0,
         "width": 180, "height": 320, "language": lang, "start": 20.0 * (i - 1),
         "end": 20.0 * i, "subtitles": [{"language": lang, "mode": "burn", "file": None}]}
        for lang in ("en", "ar") for i in (1, 2)
    ]  # fmt: skip
    return {
        "platform": "tiktok", "series": {"title": HOSTILE, "episode_count": 2},
        "episodes": episodes, "trailers": [], "covers": [], "warnings": ["w <b>&</b> تحذير"],
        **extra,
    }  # fmt: skip


def test_text_is_escaped_and_right_to_left_text_isolated() -> None:
    qc = {
        "verdict": "fail",
        "checks": [
            {"file": "ar/E1.mp4", "check": "loudness <x>", "ok": False, "expected": "-14 LUFS",
             "actual": "-20.1 LUFS"},
            {"file": "ar/E1.mp4", "check": "codec", "ok": True, "expected": "h264",
             "actual": "h264"},
        ],
        "warnings": ["qc says <hi>"],
    }  # fmt: skip
    frame = SubtitleFrame("ar", "report-frames/ar.jpg", "ar/E1.mp4", 1.5, "أين <كنت>؟")
    page = render_html(_manifest(), qc, "", {}, frames=[frame])
    assert "<script>alert" not in page and "<b>&</b>" not in page and "<hi>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; حب &amp; &quot;love&quot; &#x27;x&#x27;" in page
    assert (
        "<h1 dir='auto'>" in page and "<li dir='auto'>w &lt;b&gt;&amp;&lt;/b&gt; تحذير</li>" in page
    )
    assert "<span class='cue' lang='ar' dir='auto'>أين &lt;كنت&gt;؟</span>" in page
    # the warnings block is the page's first section: the run's and QC's, the failed check first
    block = page[page.index("<section id='warnings'>") : page.index("</section>")]
    assert page.index("<section id='warnings'>") < page.index("<h2") < page.index("Episodes")
    assert block.index("loudness &lt;x&gt;") < block.index("w &lt;b&gt;") < block.index("qc says")
    assert "expected <bdi>-14 LUFS</bdi>, got <bdi>-20.1 LUFS</bdi>" in block
    # every check in the QC table with its values, the failed file's checks open
    assert "<details class='qc-file' open>" in page
    assert "<td>codec</td><td><span class='pass'>pass</span></td><td dir='auto'>h264</td>" in page
    assert "<td dir='auto'>-20.1 LUFS</td>" in page


def test_links_are_relative_and_percent_encoded() -> None:
    name = "ar/حب#1 100%:x.mp4"
    assert href(name) == "ar/%D8%AD%D8%A8%231%20100%25%3Ax.mp4"
    assert unquote(href(name)) == name
    assert href("a'b.mp4") == "a%27b.mp4"  # nothing left that closes an attribute
    page = render_html(_manifest(), None, "", {})
    assert f"href='{href(name)}'" in page and "href='manifest.json'" in page
    assert "http" not in page.replace("http-equiv", "")


def test_the_file_table_holds_every_listed_file() -> None:
    manifest = _manifest(
        trailers=[{"file": "T_15s.mp4", "sha256": "a" * 64, "length": 15, "duration": 15.0}],
        covers=[{"file": "en/covers/C.jpg", "sha256": "b" * 64, "language": "en"}],
        metadata={"file": "metadata.csv", "sha256": "c" * 64},
    )
    manifest["episodes"][0]["subtitles"] = [
        {"language": "en", "mode": "sidecar", "file": "E1.en.srt", "sha256": "d" * 64}
    ]
    frames = [SubtitleFrame("ar", "report-frames/ar.jpg"), SubtitleFrame("en", note="no cue")]
    files = [path for path, _, _ in package_files(manifest, frames)]
    listed = [path for path, _ in listed_files(manifest)]
    assert files == [*listed, "report-frames/ar.jpg", "manifest.json", "SHA256SUMS", "qc.json"]
    page = render_html(manifest, None, "", {}, frames=frames)
    assert all(f"href='{href(path)}'" in page for path in files)
    assert "no still: no cue" in page


def test_burned_languages_in_order_and_safe_names_only() -> None:
    manifest = _manifest()
    manifest["episodes"].append(
        {"file": "x.mp4", "subtitles": [{"language": "../x", "mode": "burn"},
                                        {"language": "fr", "mode": "sidecar", "file": "x.fr.srt"}]}
    )  # fmt: skip
    assert burned_languages(manifest) == ["en", "ar"]
    assert burned_languages({"episodes": []}) == []


def test_the_still_is_taken_mid_cue_clear_of_cards_and_the_slate() -> None:
    episode = {"start": 10.0, "end": 20.0, "duration": 10.0,
               "cards": [{"kind": "title", "start": 0.0, "duration": 3.0}],
               "slate": {"start": 3.0, "duration": 1.0}}  # fmt: skip
    before = Cue(8_000, 10_500, "crosses the start")
    carded = Cue(10_500, 12_000, "under the title card")
    slated = Cue(13_000, 13_800, "under the slate")
    clear = Cue(14_000, 16_000, "clear")
    after = Cue(19_000, 21_000, "crosses the end")
    assert cue_moment(episode, [before, carded, slated, clear, after]) == (5.0, "clear")
    assert cue_moment(episode, [before, carded, after]) == (1.25, "under the title card")
    assert cue_moment(episode, [before, after]) is None
    assert cue_moment({**episode, "cards": [], "slate": None}, [carded]) == (1.25, carded.text)
