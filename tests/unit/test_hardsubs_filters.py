"""The masking filter chains as strings (the render runs them; nothing is run here)."""

from __future__ import annotations

import pytest

from vidpack.errors import UsageError
from vidpack.hardsubs.filters import crop_zoom, enable_expr, kept_rows, mask_chain
from vidpack.hardsubs.model import Masking, Region

SIZE = (360, 640)
LINE = Region("dialogue", (61, 521, 239, 53), ((0.935, 2.97), (3.5, 5.25)), 0.9)
EN = "between(t,0.935,2.970)+between(t,3.500,5.250)"


def test_enable_expression() -> None:
    assert enable_expr(LINE.ranges) == EN


def test_inpaint_is_delogo_on_even_box_inside_the_frame() -> None:
    assert mask_chain([LINE], "inpaint", SIZE) == (
        f"[0:v]delogo=x=60:y=520:w=240:h=54:show=0:enable='{EN}'[masked]"
    )
    edge = Region("dialogue", (0, 600, 360, 40), ((1.0, 2.0),), 1.0)
    # delogo needs picture on every side of its box (kept even for the chroma planes).
    assert "delogo=x=2:y=600:w=356:h=38:" in mask_chain([edge], "inpaint", SIZE)


def test_blur_crops_blurs_and_overlays_in_place() -> None:
    assert mask_chain([LINE], "blur", SIZE, source="v0", output="v1") == (
        "[v0]split=2[hs0b][hs0c];"
        "[hs0c]crop=240:54:60:520,boxblur=luma_radius=26:luma_power=3"
        ":chroma_radius=13:chroma_power=3[hs0m];"
        f"[hs0b][hs0m]overlay=x=60:y=520:enable='{EN}'[v1]"
    )


def test_box_fills_with_the_colours_above_and_below() -> None:
    assert mask_chain([LINE], "box", SIZE) == (
        "[0:v]split=3[hs0b][hs0u][hs0d];"
        "[hs0u]crop=240:4:60:516,scale=240:2:flags=area[hs0t];"
        "[hs0d]crop=240:4:60:574,scale=240:2:flags=area[hs0l];"
        "[hs0t][hs0l]vstack=2,scale=240:54:flags=bilinear[hs0m];"
        f"[hs0b][hs0m]overlay=x=60:y=520:enable='{EN}'[masked]"
    )


def test_regions_chain_one_after_another() -> None:
    other = Region("dialogue", (100, 100, 50, 20), ((7.0, 8.0),), 1.0)
    chain = mask_chain([LINE, other], "inpaint", SIZE)
    first, second = chain.split(";")
    assert first.startswith("[0:v]delogo=") and first.endswith("[hs0o]")
    assert second.startswith("[hs0o]delogo=x=100:y=100:w=50:h=20:") and second.endswith("[masked]")


def test_nothing_to_mask_and_unknown_method() -> None:
    assert mask_chain([], "blur", SIZE) == "[0:v]null[masked]"
    with pytest.raises(
        UsageError, match=r"^masking method 'smudge': use one of blur, box, inpaint, crop$"
    ):
        mask_chain([LINE], "smudge", SIZE)


def test_crop_keeps_the_tallest_band_of_rows_clear_of_the_text() -> None:
    """Rows 517-578 hold the line (with 4 rows of margin): rows 0-516 are kept, made even."""
    assert kept_rows([LINE.box], 640) == (0, 516)
    top = Region("dialogue", (40, 30, 280, 50), ((1.0, 2.0),), 1.0).box
    assert kept_rows([top], 640) == (84, 640)  # a band at the top: the rows below it
    assert kept_rows([top, LINE.box], 640) == (84, 516)  # both: the rows between
    assert kept_rows([], 640) == (0, 640)
    assert crop_zoom([LINE.box], 640) == pytest.approx(640 / 516)
    assert crop_zoom([(0, 0, 360, 640)], 640) == float("inf")


def test_crop_cuts_the_rows_away_for_the_whole_encode_at_the_same_size() -> None:
    """No enable: the framing holds whether a line shows or not; the kept rows are scaled back
    to the full height and the sides trimmed, so what follows sees the master's size."""
    assert mask_chain([LINE], "crop", SIZE, source="v0", output="v1") == (
        "[v0]crop=360:516:0:0,scale=446:640,crop=360:640:43:0,setsar=1[v1]"
    )
    quiet = Region("dialogue", LINE.box, (), 0.9)  # a region with no range in this episode
    assert mask_chain([quiet], "crop", SIZE) == mask_chain([LINE], "crop", SIZE, output="masked")
    with pytest.raises(UsageError, match="leaves no rows to keep"):
        mask_chain([Region("dialogue", (0, 0, 360, 640), ((0.0, 1.0),), 1.0)], "crop", SIZE)


def test_crop_masking_keeps_every_region_in_every_window() -> None:
    mask = Masking("crop", SIZE, (LINE,))
    cut = mask.window(10.0, 20.0)  # the line is never shown here
    assert cut.regions == (Region("dialogue", LINE.box, (), 0.9),)
    assert Masking("box", SIZE, (LINE,)).window(10.0, 20.0).regions == ()


def test_burned_lines_do_not_follow_a_band_that_crop_cut_away() -> None:
    from vidpack.render.subs_hooks import band_centre

    assert band_centre(Masking("box", SIZE, (LINE,)), "fit", (360, 640)) == pytest.approx(547.5)
    assert band_centre(Masking("crop", SIZE, (LINE,)), "fit", (360, 640)) is None
