"""Where burned translations go over a masked band: the band's centre mapped through each
reframe to output pixels (:func:`vidpack.render.subs_hooks.band_centre`), and the burn style
moved onto it only while every line stays in the preset's safe area
(:func:`vidpack.subtitles.style.over_band`). The pictures are checked in
tests/integration/test_hardsubs_delivery.py."""

from __future__ import annotations

import pytest

from vidpack.hardsubs.model import Masking, Region
from vidpack.presets import load_preset
from vidpack.render.subs_hooks import band_centre
from vidpack.subtitles.languages import language
from vidpack.subtitles.style import over_band, resolve_style


def _mask(size: tuple[int, int], box: tuple[int, int, int, int]) -> Masking:
    short = Region("dialogue", (0, 10, 50, 10), ((0.0, 1.0),), 1.0)  # shown less: not the band
    return Masking("box", size, (short, Region("dialogue", box, ((0.0, 5.0),), 1.0)))


def test_the_band_centre_follows_the_reframe() -> None:
    vertical = _mask((360, 640), (40, 540, 280, 40))  # centre row 560
    assert band_centre(vertical, "crop", (1080, 1920)) == pytest.approx(1680)
    wide = _mask((1920, 1080), (400, 900, 1120, 60))  # centre row 930 of 1080
    assert band_centre(wide, "crop", (1080, 1920)) == pytest.approx(930 * 1920 / 1080)
    assert band_centre(wide, "smart", (1080, 1920)) == pytest.approx(930 * 1920 / 1080)
    # fit: the 16:9 picture at full width, 608 rows high, centred (656 rows above it)
    assert band_centre(wide, "fit", (1080, 1920)) == pytest.approx(656 + 930 * 608 / 1080)
    tall = _mask((360, 900), (40, 700, 280, 40))  # taller than 9:16: a centre window 640 high
    assert band_centre(tall, "crop", (360, 640)) == pytest.approx(720 - 130)
    assert band_centre(_mask((360, 900), (40, 850, 280, 40)), "crop", (360, 640)) is None
    assert band_centre(tall, "fit", (360, 640)) == pytest.approx(720 * 640 / 900)
    assert band_centre(Masking("box", (360, 640)), "crop", (1080, 1920)) is None


def test_the_style_moves_onto_the_band_only_inside_the_safe_area() -> None:
    snap = load_preset("snapchat-spotlight")  # bottom band 150 px of 1920
    style = resolve_style(snap, language("en"), 1080, 1920)
    placed = over_band(style, 1680, snap)
    assert placed is not None
    assert placed.margin_v == round(1920 - 1680 - style.size_px / 2)
    assert placed.margin_v != style.margin_v and placed.size_px == style.size_px
    assert over_band(style, 1900, snap) is None  # under the bottom band
    assert over_band(style, 100, snap) is None  # two lines would reach over the top band
    tiktok = load_preset("tiktok")  # bottom band 500 px
    assert over_band(resolve_style(tiktok, language("en"), 1080, 1920), 1680, tiktok) is None
