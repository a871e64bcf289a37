"""`--cards`: the title card (series title in the set's language over its episode label) and the
"next episode" card, drawn by libass in each episode's own encode, recorded in the manifest, and
checked on the picture: the text the encode drew matches its own language's card best."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.integration.test_dubs import make_dub
from tests.integration.test_package import write_tiny_preset
from vidpack.cli.main import cli
from vidpack.media.runner import pipe_ffmpeg, run_ffmpeg

pytestmark = pytest.mark.integration


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-3)


W, H = 180, 320
SERIES = '[title]\ndefault = "Red Thread"\nen = "Red Thread"\nar = "الخيط الأحمر"\n'


def frame(path: Path, t: float) -> np.ndarray:
    """The gray frame of ``path`` at ``t`` seconds."""
    with pipe_ffmpeg(
        ["-ss", f"{t:.3f}", "-i", str(path), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray",
         "-"]
    ) as out:  # fmt: skip
        return np.frombuffer(out.read(), np.uint8).reshape(H, W).astype(np.int16)


def layer(img: np.ndarray, background: np.ndarray) -> np.ndarray:
    """The card's white text: bright where the plain picture is not (the box behind the text
    only darkens the picture)."""
    return (img > 180) & (background < 150)


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


@pytest.fixture(scope="module")
def carded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("cards")
    master = folder / "master.mp4"
    run_ffmpeg(
        ["-f", "lavfi", "-i", f"color=c=0x406080:s={W}x{H}:r=25:d=12", "-f", "lavfi",
         "-i", "sine=f=330:r=48000:d=12", "-c:v", "libx264", "-preset", "ultrafast",
         "-pix_fmt", "yuv420p", "-c:a", "aac", str(master)]
    )  # fmt: skip
    en, ar = make_dub(folder / "en.wav", 880, 12.0), make_dub(folder / "ar.wav", 660, 12.0)
    (folder / "series.toml").write_text(SERIES, encoding="utf-8")
    preset = write_tiny_preset(folder, "tiny-tiktok", "tiktok")
    out = folder / "out"
    args = ["package", str(master), "--platform", str(preset), "--min", "5", "--max", "7"]
    args += [
        "--audio",
        f"en={en}",
        "--audio",
        f"ar={ar}",
        "--series-file",
        str(folder / "series.toml"),
    ]
    args += ["--cards", "both", "--no-promo", "--speed", "ultrafast", "--progress", "none"]
    result = CliRunner().invoke(cli, [*args, "-o", str(out)])
    return folder, out / "tiny-tiktok", result.output


def test_cards_are_recorded_per_language(carded: tuple[Path, Path, str]) -> None:
    _folder, platform, output = carded
    manifest = json.loads((platform / "manifest.json").read_text(encoding="utf-8"))
    by_lang: dict[str | None, list[dict]] = {}
    for ep in manifest["episodes"]:
        by_lang.setdefault(ep["language"], []).append(ep)
    assert set(by_lang) == {None, "en", "ar"}, output
    last = len(by_lang["en"])
    assert last >= 2
    for lang, title, label, nxt in (
        ("en", "Red Thread", "EP {n}", "Next: EP {n}"),
        ("ar", "الخيط الأحمر", "الحلقة {n}", "التالي: الحلقة {n}"),
        (None, "Red Thread", "EP {n}", "Next: EP {n}"),
    ):
        for ep in by_lang[lang]:
            n, length = ep["index"], ep["end"] - ep["start"]
            span = min(2.0, length / 3)  # at most a third of the episode each
            text = f"{title}\n{label.format(n=n)}"
            want = [{"kind": "title", "text": text, "start": 0.0, "duration": approx(span)}]
            if n < last:
                start, text = approx(length - span), nxt.format(n=n + 1)
                want.append(
                    {"kind": "next", "text": text, "start": start, "duration": approx(span)}
                )
            assert ep["cards"] == want, (lang, n)


def test_the_encode_draws_its_own_languages_card(
    carded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _folder, platform, _output = carded
    manifest = json.loads((platform / "manifest.json").read_text(encoding="utf-8"))
    first = {ep["language"]: ep for ep in manifest["episodes"] if ep["index"] == 1}
    layers = {}
    for lang in ("en", "ar"):
        path = platform / first[lang]["file"]
        background = frame(path, 2.5)  # between the cards: the plain picture
        layers[lang] = (
            layer(frame(path, 1.0), background),
            layer(frame(path, first[lang]["end"] - first[lang]["start"] - 1.0), background),
        )
        assert layers[lang][0].sum() > 100 and layers[lang][1].sum() > 50, lang
    # each language's title card differs from the other's where its text does
    assert iou(layers["en"][0], layers["ar"][0]) < 0.3
    assert iou(layers["en"][1], layers["ar"][1]) < 0.3
    # the ink sits inside the preset's safe zone
    for lang in ("en", "ar"):
        ys, xs = np.nonzero(layers[lang][0])
        assert xs.min() > 0 and xs.max() < W - 1 and ys.min() > 0 and ys.max() < H - 1


def test_a_bad_cards_value_is_one_line(carded: tuple[Path, Path, str], tmp_path: Path) -> None:
    folder, _platform, _ = carded
    args = ["package", str(folder / "master.mp4"), "--platform", str(folder / "tiny-tiktok.toml")]
    result = CliRunner().invoke(cli, [*args, "--cards", "all", "-o", str(tmp_path / "o")])
    assert (result.exit_code, result.output) == (
        2,
        "Error: --cards 'all' is not a choice: use none, title, next or both\n",
    )
    assert not (tmp_path / "o").exists()
