"""The masking filter chains as strings (the render runs them; nothing is run here)."""

from __future__ import annotations

import pytest

from vidpack.errors import UsageError
from vidpack.hardsubs.filters import enable_expr, mask_chain
from vidpack.hardsubs.model import Region

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
        UsageError, match=r"^masking method 'smudge': use one of blur, box, inpaint$"
    ):
        mask_chain([LINE], "smudge", SIZE)
