"""`vidpack package --audio LANG=FILE`: a burned language carries its dub, a dubbed language
without burned subtitles gets a textless folder of its own whose picture is copied from the
textless set (one video encode), the manifest lists every episode's tracks, and a bad dub is one
line with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.integration.test_dubs import make_dub, pitch
from tests.integration.test_package import write_tiny_preset
from tests.integration.test_split import make_master
from vidpack.cli.main import cli
from vidpack.media.runner import run_capture

pytestmark = pytest.mark.integration

SRT = (
    "1\n00:00:00,500 --> 00:00:02,000\nDon't lie to me.\n\n2\n00:00:04,000 --> 00:00:05,500\nGo.\n"
)


def video_md5(path: Path) -> str:
    out, _ = run_capture(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-c", "copy", "-f", "md5", "-"]
    )
    return out.strip()


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    folder = tmp_path_factory.mktemp("dubs_package")
    master = make_master(folder / "master.mp4", seconds=6.0, volume=1.0)
    en, ko = make_dub(folder / "en.wav", 880), make_dub(folder / "ko.wav", 1320)
    (folder / "master.en.srt").write_text(SRT, encoding="utf-8")
    tiktok = write_tiny_preset(folder, "tiny-tiktok", "tiktok")
    drama = write_tiny_preset(folder, "tiny-drama", "drama-app")
    mux = write_tiny_preset(folder, "tiny-mux", "drama-app")
    with mux.open("a", encoding="utf-8") as fh:
        fh.write('[subtitles]\nmode = "mux"\n')
    out = folder / "out"
    args = ["package", str(master), "--platform", str(tiktok), "--platform", str(drama)]
    args += ["--platform", str(mux)]
    args += ["--subs", str(folder / "master.en.srt"), "--audio", f"en={en}", "--audio", f"ko={ko}"]
    args += ["--min", "2", "--max", "4", "--no-promo", "--speed", "ultrafast"]
    args += ["--progress", "none", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    return folder, master, out, result.output


def manifest(out: Path, platform: str) -> dict:
    return json.loads((out / platform / "manifest.json").read_text(encoding="utf-8"))


def test_each_language_carries_its_dub(packaged: tuple[Path, Path, Path, str]) -> None:
    _folder, _master, out, output = packaged
    assert (out / "tiny-tiktok" / "manifest.json").is_file(), output
    tiktok = manifest(out, "tiny-tiktok")["episodes"]
    assert {ep["language"] for ep in tiktok} == {"en", "ko"}
    for ep in tiktok:
        want = {"en": 880, "ko": 1320}[ep["language"]]
        assert ep["audio"] == [{"language": ep["language"], "source": "dub", "default": True}]
        assert pitch(out / "tiny-tiktok" / ep["file"], 0) == pytest.approx(want, abs=5)
        assert ep["file"].startswith(f"{ep['language']}/")
        burned = [s for s in ep["subtitles"] if s["mode"] == "burn"]
        assert burned == (
            [{"language": "en", "mode": "burn", "file": None}] if ep["language"] == "en" else []
        )
    drama = manifest(out, "tiny-drama")["episodes"]
    by_lang: dict[str | None, list[dict]] = {}
    for ep in drama:
        by_lang.setdefault(ep["language"], []).append(ep)
    assert set(by_lang) == {None, "en", "ko"}
    for ep in by_lang[None]:
        assert ep["audio"] == [{"language": None, "source": "master", "default": True}]
        assert pitch(out / "tiny-drama" / ep["file"], 0) == pytest.approx(330, abs=5)
        assert any(s["mode"] == "sidecar" for s in ep["subtitles"])
    for lang, want in (("en", 880), ("ko", 1320)):
        for ep, plain in zip(by_lang[lang], by_lang[None], strict=True):
            path = out / "tiny-drama" / ep["file"]
            assert ep["audio"] == [{"language": lang, "source": "dub", "default": True}]
            assert pitch(path, 0) == pytest.approx(want, abs=5)
            # the dubbed set's picture is the textless set's, copied
            assert video_md5(path) == video_md5(out / "tiny-drama" / plain["file"])
            assert ep["subtitles"] == []


def test_a_mux_platform_gets_every_track(packaged: tuple[Path, Path, Path, str]) -> None:
    _folder, _master, out, output = packaged
    episodes = manifest(out, "tiny-mux")["episodes"]
    assert {ep["language"] for ep in episodes} == {None}, output
    for ep in episodes:
        assert ep["audio"] == [
            {"language": None, "source": "master", "default": True},
            {"language": "en", "source": "dub", "default": False},
            {"language": "ko", "source": "dub", "default": False},
        ]
        path = out / "tiny-mux" / ep["file"]
        assert [round(pitch(path, k)) for k in range(3)] == pytest.approx([330, 880, 1320], abs=5)


def test_qc_checks_every_track(packaged: tuple[Path, Path, Path, str]) -> None:
    _folder, _master, out, output = packaged
    for platform in ("tiny-tiktok", "tiny-drama", "tiny-mux"):
        qc = json.loads((out / platform / "qc.json").read_text(encoding="utf-8"))
        assert qc["verdict"] in ("pass", "warn"), (platform, output)
    qc = json.loads((out / "tiny-mux" / "qc.json").read_text(encoding="utf-8"))
    checks = [c for c in qc["checks"] if c["check"] in ("loudness", "audio tracks")]
    files = {ep["file"] for ep in manifest(out, "tiny-mux")["episodes"]}
    for file in files:
        names = {(c["file"], c["check"]) for c in checks if c["file"].startswith(file)}
        assert names == {
            (file, "audio tracks"), (f"{file} track 1", "loudness"),
            (f"{file} track 2", "loudness"), (f"{file} track 3", "loudness"),
        }  # fmt: skip
        assert all(c["ok"] for c in checks if c["file"].startswith(file))


def test_a_dub_of_another_length_is_refused_before_any_work(
    packaged: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    folder, master, _out, _ = packaged
    short = make_dub(tmp_path / "short.wav", 880, seconds=4.0)
    out = tmp_path / "out"
    args = ["package", str(master), "--platform", str(folder / "tiny-tiktok.toml")]
    result = CliRunner().invoke(cli, [*args, "--audio", f"en={short}", "-o", str(out)])
    assert (result.exit_code, result.output) == (
        2,
        f"Error: --audio 'en={short}' is 4.000 s long, the master 6.000 s: give a dub of the "
        "master's length or add --audio-fit pad\n",
    )
    assert not out.exists()  # refused before -o is made: nothing rendered, nothing left
    bad = CliRunner().invoke(
        cli, [*args, "--audio", "english=x.wav", "--audio-fit", "cut", "-o", str(out)]
    )
    assert (bad.exit_code, bad.output) == (
        2,
        "Error: --audio-fit 'cut' is not a way to fit a dub: use exact, pad or trim; --audio "
        "'english=x.wav': bad language tag 'english'; use one vidpack knows, such as en, ko, ja, "
        "th, ar or zh-Hans (e.g. en=x.wav)\n",
    )


def test_split_gives_a_dubbed_language_its_own_folder(
    packaged: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    folder, master, _out, _ = packaged
    out = tmp_path / "split"
    args = ["split", str(master), "--preset", str(folder / "tiny-tiktok.toml"), "--min", "2"]
    args += ["--max", "4", "--speed", "ultrafast", "--progress", "none"]
    result = CliRunner().invoke(cli, [*args, "--audio", f"ko={folder / 'ko.wav'}", "-o", str(out)])
    assert result.exit_code == 0, result.output
    top = sorted(out.glob("*.mp4"))
    dubbed = sorted((out / "ko").glob("*.mp4"))
    assert len(top) == len(dubbed) >= 2
    assert result.output.splitlines() == [
        f"{len(top)} episodes in {out}: {len(top)} rendered, 0 up to date, 0 failed",
        f"{len(top)} episodes in {out / 'ko'}: {len(top)} rendered, 0 up to date, 0 failed",
    ]
    for plain, ko in zip(top, dubbed, strict=True):
        assert pitch(plain, 0) == pytest.approx(330, abs=5)
        assert pitch(ko, 0) == pytest.approx(1320, abs=5)
    bad = CliRunner().invoke(cli, [*args, "--audio", "ko", "-o", str(tmp_path / "bad")])
    assert (bad.exit_code, bad.output) == (
        2,
        "Error: --audio 'ko' is not LANG=FILE: give the dub's language and file, e.g. "
        "en=dub.en.wav\n",
    )
    assert not (tmp_path / "bad").exists()
