"""Text on the pictures people look at, the timeline PNG and the contact sheet, drawn by libass
in the subtitle fonts (vidpack.subtitles.overlay).

Each label is checked by its text layer (how much the text changed the picture): it matches a
reference rendering of the label alone, and a rendering of a near miss (the next frame's
timecode, the same letters in another order) clearly less, so a label that is missing,
misplaced, or drawn as "?" or empty boxes (which look alike whatever the letters) fails.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.unit.plan_helpers import make_analysis
from vidpack.media.timecode import frame_timecode, timecode
from vidpack.plan.model import MasterRef, PlanOptions
from vidpack.plan.optimize import plan_episodes
from vidpack.plan.png import legend, render_timeline, timeline_layers, write_png
from vidpack.promo.sheet import SheetText, contact_sheet, sheet_layers
from vidpack.promo.thumbs import Candidate
from vidpack.subtitles.overlay import Label, default_fonts, draw_labels, text_width

pytestmark = pytest.mark.integration

FONTS = default_fonts()
NTSC = 30000 / 1001
# a title per script and the same letters in another order
TITLES = {
    "cjk": ("红线 第一季", "第一季 线红"),
    "arabic": ("الخيط الأحمر", "الأحمر الخيط"),
    "thai": ("ด้ายแดง", "แดงด้าย"),
}


def _layer(img: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Where text changed the picture."""
    return np.asarray(np.abs(img.astype(int) - background.astype(int)).max(axis=2) > 60)


def _box(label: Label) -> tuple[slice, slice]:
    """The part of the picture the label may ink (with room for descenders and size factors)."""
    w, h = text_width(label.text, label.size, FONTS) * 1.1 + 8, label.size * 1.35
    x0 = {"top-right": label.x - w, "top-centre": label.x - w / 2}.get(label.anchor, label.x)
    y0 = label.y - h / 2 if label.anchor in ("left", "centre") else label.y - 2
    return slice(max(0, int(y0)), int(y0 + h)), slice(max(0, int(x0) - 4), int(x0 + w))


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum()) / max(1, int((a | b).sum()))


def _change(img: np.ndarray, background: np.ndarray) -> np.ndarray:
    """How much the text changed each pixel (0..255)."""
    return np.abs(img.astype(float) - background.astype(float)).max(axis=2)


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / max(1e-9, np.sqrt((a * a).sum() * (b * b).sum())))


def _matches(drawn: np.ndarray, shapes: np.ndarray, label: Label, miss: str) -> tuple[float, float]:
    """How well the label's text layer in ``drawn`` matches a reference rendering of the label
    alone, and one of ``miss`` in its place (correlation of the change, so JPEG noise is
    forgiven)."""
    box = _box(label)
    layer = _change(drawn, shapes)[box]
    assert (layer > 60).sum() > 15, label  # ink where the label is
    own = _change(draw_labels(shapes, [label], FONTS), shapes)[box]
    other = Label(miss, label.x, label.y, label.size, label.colour, label.anchor, label.bold)
    wrong = _change(draw_labels(shapes, [other], FONTS), shapes)[box]
    return _corr(layer, own), _corr(layer, wrong)


def _plan(name: str, fps: float) -> tuple[object, object]:
    analysis = make_analysis(
        300.0, [(100.0, 0.9), (150.0, 0.6, "dissolve"), (200.0, 0.9, "fade")],
        speech=[(10.0, 40.0), (99.0, 101.0)], fps=fps, loudness=[-23.0] * 3000,
    )  # fmt: skip
    master = MasterRef(path=f"/m/{name}.mp4", duration=300.0, fps=fps)
    return plan_episodes(analysis, PlanOptions(min_s=90.0, max_s=110.0), master), analysis


@pytest.mark.parametrize("script", sorted(TITLES))
def test_timeline_names_a_master_in_its_own_script(script: str) -> None:
    title, shuffled = TITLES[script]
    plan, analysis = _plan(title, 25.0)
    shapes, labels = timeline_layers(plan, analysis, FONTS)  # type: ignore[arg-type]
    drawn = draw_labels(shapes, labels, FONTS)
    label = next(lab for lab in labels if lab.bold)
    assert label.text == f"{title}.mp4"
    own, wrong = _matches(drawn, shapes, label, f"{shuffled}.mp4")
    assert own > 0.99 and wrong < 0.8, (own, wrong)
    # OpenCV's Hershey font, as the picture was drawn before, puts "?" for every letter
    hershey = np.zeros_like(shapes)
    cv2.putText(hershey, label.text, (label.x, label.y + 20), cv2.FONT_HERSHEY_SIMPLEX, 0.55,
                (255, 255, 255), 1, cv2.LINE_AA)  # fmt: skip
    box = _box(label)
    assert _iou(_layer(drawn, shapes)[box], hershey.max(axis=2)[box] > 60) < 0.3


@pytest.mark.parametrize("fps", [25.0, NTSC])
def test_timeline_axis_and_episodes_read_in_timecode(fps: float) -> None:
    plan, analysis = _plan("drama", fps)
    shapes, labels = timeline_layers(plan, analysis, FONTS)  # type: ignore[arg-type]
    drawn = render_timeline(plan, analysis, FONTS)  # type: ignore[arg-type]
    assert (drawn == draw_labels(shapes, labels, FONTS)).all()
    nominal = round(fps)
    axis = [lab for lab in labels if lab.anchor == "top-centre"]
    episodes = plan.episodes  # type: ignore[attr-defined]
    wanted = {timecode(ep.start, fps) for ep in episodes}
    starts = [lab for lab in labels if lab.text in wanted and lab.anchor == "top-left"]
    assert len(axis) >= 5 and len(starts) == len(episodes)
    for label in [*axis, *starts]:
        hh, mm, ss, ff = (int(p) for p in label.text.split(":"))
        frames = ((hh * 60 + mm) * 60 + ss) * nominal + ff
        own, wrong = _matches(drawn, shapes, label, frame_timecode(frames + 1, nominal))
        assert own > 0.99 and own > wrong + 0.02, (label.text, own, wrong)


def test_timeline_legend_is_drawn_and_written(tmp_path: Path) -> None:
    plan, analysis = _plan("drama", 25.0)
    shapes, labels = timeline_layers(plan, analysis, FONTS)  # type: ignore[arg-type]
    drawn = draw_labels(shapes, labels, FONTS)
    for item in legend(FONTS):
        label = next(lab for lab in labels if lab.text == item.name and lab.x == item.text_x)
        own, wrong = _matches(drawn, shapes, label, item.name[::-1])
        assert own > 0.99 and wrong < own - 0.2, (item.name, own, wrong)
    path = tmp_path / "plan.png"
    write_png(plan, analysis, path, FONTS)  # type: ignore[arg-type]
    back = cv2.imread(str(path))
    assert back is not None and (back == drawn).all()


def _candidates(folder: Path, fps: float, count: int) -> list[Candidate]:
    rng = np.random.default_rng(7)
    out = []
    for n in range(count):
        image = folder / f"c{n}.png"
        cv2.imwrite(str(image), np.full((96, 54, 3), rng.integers(60, 200, 3), np.uint8))
        frame = 37 + 301 * n  # a frame number: its time as the analysis gives it
        out.append(Candidate(frame / fps, n, image, score=0.3 + n / 20))
    return out


@pytest.mark.parametrize(("fps", "script"), [(25.0, "cjk"), (NTSC, "arabic"), (NTSC, "thai")])
def test_contact_sheet_labels_frames_in_timecode_under_the_series_title(
    tmp_path: Path, fps: float, script: str
) -> None:
    title, shuffled = TITLES[script]
    cands = _candidates(tmp_path, fps, 8)
    picks = [cands[5], cands[2]]
    text = SheetText(fps, title, "/m/master.mp4")
    out = contact_sheet(cands, picks, tmp_path / "sheet.jpg", text, fonts=FONTS)
    written = cv2.imread(str(out))
    shapes, labels = sheet_layers(cands, picks, text, FONTS)
    drawn = draw_labels(shapes, labels, FONTS)
    # the JPEG is that picture (the labels are checked on it, without JPEG's noise)
    assert written is not None and written.shape == shapes.shape
    assert _corr(_change(written, shapes), _change(drawn, shapes)) > 0.9
    head = next(lab for lab in labels if lab.bold)
    assert head.text == title
    own, wrong = _matches(drawn, shapes, head, shuffled)
    assert own > 0.99 and wrong < 0.8, (own, wrong)
    nominal = round(fps)
    for n, cand in enumerate(cands):
        frame = 37 + 301 * n
        label = next(lab for lab in labels if lab.text == frame_timecode(frame, nominal))
        own, wrong = _matches(drawn, shapes, label, frame_timecode(frame + 1, nominal))
        assert own > 0.99 and own > wrong + 0.02, (label.text, own, wrong)
        ink = drawn[_box(label)][_layer(drawn, shapes)[_box(label)]].astype(int)
        green = ink[:, 1] - ink[:, [0, 2]].max(axis=1) > 80  # picks are labelled in green
        assert green.mean() > 0.5 if cand in picks else green.mean() < 0.1, (cand.time, green)
