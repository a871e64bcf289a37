"""Burned subtitles with real ffmpeg + libass: text during cues, none between, every script,
fonts that cover the script, and filter paths with every awkward character."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fixtures import script
from vidpack.media.runner import pipe_ffmpeg
from vidpack.presets import load_preset
from vidpack.subtitles.burn import burn_filter, stage_safe_copy
from vidpack.subtitles.glyphs import check_cues, match_font
from vidpack.subtitles.languages import language
from vidpack.subtitles.model import Cue, Track
from vidpack.subtitles.run import EpisodeSpan, write_burn_script

pytestmark = pytest.mark.integration

W, H, FPS, SECONDS = 180, 320, 25, 4
# Master times; the episode starts at 10 s, so in episode time cues are 0.5-1.5 s and 2.5-3.5 s.
EPISODE = EpisodeSpan(index=2, start=10.0, end=14.0, stem="ep")
CUE_TIMES = ((10_500, 11_500), (12_500, 13_500))
PROBE_FRAMES = {"cue 1": 25, "gap": 50, "cue 2": 75, "before": 5}


def _frames(vf: str | None) -> np.ndarray:
    args = ["-f", "lavfi", "-i", f"color=c=0x224466:s={W}x{H}:r={FPS}:d={SECONDS}"]
    if vf:
        args += ["-vf", vf]
    args += ["-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"]
    with pipe_ffmpeg(args, label="burn test") as out:
        data = out.read()
    return np.frombuffer(data, np.uint8).reshape(-1, H, W)


@pytest.fixture(scope="module")
def clean() -> np.ndarray:
    return _frames(None)


def _track(tag: str, texts: tuple[str, str]) -> Track:
    cues = tuple(
        Cue(a, b, t, n + 1) for n, ((a, b), t) in enumerate(zip(CUE_TIMES, texts, strict=True))
    )
    return Track(Path(f"m.{tag}.srt"), language(tag), "srt", "utf-8", cues)


def _changed(frames: np.ndarray, clean: np.ndarray, index: int) -> int:
    diff = np.abs(frames[index].astype(int) - clean[index].astype(int))
    return int((diff > 40).sum())


@pytest.mark.parametrize("tag", ["en", "zh-Hans", "ar", "th"])
def test_text_is_burned_during_cues_only(tag: str, clean: np.ndarray, tmp_path: Path) -> None:
    track = _track(tag, (script.text(0, tag), script.text(1, tag)))
    ass = tmp_path / "ep.ass"
    warnings = write_burn_script(track, EPISODE, load_preset("tiktok"), (W, H), ass)
    assert warnings == []  # the preset's font for the script has every glyph
    frames = _frames(burn_filter(ass))
    assert frames.shape == clean.shape
    assert _changed(frames, clean, PROBE_FRAMES["cue 1"]) > 40
    assert _changed(frames, clean, PROBE_FRAMES["cue 2"]) > 40
    assert _changed(frames, clean, PROBE_FRAMES["gap"]) == 0
    assert _changed(frames, clean, PROBE_FRAMES["before"]) == 0
    # Text sits above the bottom UI band (safe_zone.bottom 384..520 px of 1920) and inside.
    rows = np.nonzero(np.abs(frames[25].astype(int) - clean[25].astype(int)).max(axis=1) > 40)[0]
    assert rows.max() < H - round(384 * H / 1920)


def test_arabic_uses_a_font_with_arabic_glyphs(tmp_path: Path) -> None:
    preset = load_preset("tiktok")
    family = preset.subtitles.style.fonts.for_script("arabic")
    found = match_font(family)
    assert found.exact and "Arabic" in found.family
    cues = [Cue(0, 1000, script.text(0, "ar"), 3)]
    assert check_cues(cues, family, name="m.ar.srt") == []
    latin_only = check_cues(cues, preset.subtitles.style.fonts.latin, name="m.ar.srt")
    assert len(latin_only) == 1
    assert latin_only[0].startswith("m.ar.srt: cue 1 (line 3): font 'Noto Sans' has no glyph")
    assert "U+0623" in latin_only[0]  # أ


def test_arabic_letters_are_joined(tmp_path: Path) -> None:
    """Shaping on: a zero-width non-joiner between the letters (invisible itself) changes the
    picture, because it turns joined letter forms into isolated ones. Without HarfBuzz shaping
    both renders would show the same isolated forms."""
    word = "الليلة الماضية"
    shown = []
    for k, text in enumerate((word, "\u200c".join(word))):
        ass = tmp_path / f"w{k}.ass"
        write_burn_script(_track("ar", (text, text)), EPISODE, load_preset("tiktok"), (W, H), ass)
        shown.append(_frames(burn_filter(ass))[25].astype(int))
    assert int((np.abs(shown[0] - shown[1]) > 40).sum()) > 20


def test_the_lam_alef_ligature_is_shaped_not_a_missing_glyph_box(tmp_path: Path) -> None:
    """ "الأحمر" holds lam + alef-with-hamza, which HarfBuzz draws as the font's ligature; the
    simple shaper (all that ffmpeg's `subtitles` filter gives libass) asks for a presentation-
    form codepoint Noto Sans Arabic lacks and draws a box. The burn must not look like that."""
    ass = tmp_path / "red.ass"
    text = "الخيط الأحمر"
    write_burn_script(_track("ar", (text, text)), EPISODE, load_preset("tiktok"), (W, H), ass)
    assert "shaping=complex" in burn_filter(ass)
    shaped = _frames(burn_filter(ass))[25].astype(int)
    simple = _frames(burn_filter(ass).replace("shaping=complex", "shaping=simple"))[25]
    old = _frames(burn_filter(ass).replace("ass=", "subtitles=").replace(":shaping=complex", ""))
    assert int((np.abs(shaped - simple.astype(int)) > 40).sum()) > 20  # not the boxed render
    assert int((np.abs(old[25].astype(int) - simple.astype(int)) > 40).sum()) == 0  # the bug


AWKWARD = "we'ird: dir, [x]; é 字"


@pytest.mark.parametrize("staged", [False, True])
def test_awkward_paths_burn(staged: bool, clean: np.ndarray, tmp_path: Path) -> None:
    folder = tmp_path / AWKWARD
    folder.mkdir()
    ass = folder / "sub's: a,b [c];d é.ass"
    write_burn_script(_track("en", ("Hello", "Again")), EPISODE, load_preset("tiktok"), (W, H), ass)
    target = stage_safe_copy(ass, tmp_path) if staged else ass
    fonts = folder if not staged else None
    frames = _frames(f"null,{burn_filter(target, fonts_dir=fonts)},null")
    assert _changed(frames, clean, 25) > 40 and _changed(frames, clean, 50) == 0


def test_doctor_font_table_covers_every_script() -> None:
    from vidpack.subtitles.glyphs import font_table

    rows = font_table(load_preset("tiktok").subtitles.style.fonts)
    assert [r.script for r in rows] == ["latin", "cjk-sc", "cjk-tc", "ja", "ko", "arabic", "thai"]
    assert all(r.ok for r in rows), [(r.script, r.match.family, r.missing) for r in rows]
