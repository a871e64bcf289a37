"""Vertical conversion through the real ffmpeg: fit, crop and smart crop on generated 16:9
masters with a synthetic face at known positions (see reframe_media.py)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from reframe_media import FaceShot, face_box, make_face_master, shot_starts

from vidpack.analyze.model import Analysis, Transition
from vidpack.media.runner import pipe_ffmpeg, run_ffmpeg, run_ffprobe
from vidpack.render.reframe import crop_width, reframe_filter
from vidpack.render.smartcrop import track_subject

pytestmark = pytest.mark.integration

W, H, FPS = 640, 360, 25
OUT_W, OUT_H = 180, 320
SHOTS = [
    FaceShot(3.0, 0.2, bg="0x203040"),  # left third, still
    FaceShot(3.0, 0.78, bg="0xc0a080"),  # cut: right third, still
    FaceShot(5.0, 0.15, 0.85, bg="0x3a5a7a", move_start=0.2, move_end=0.8),  # walks across
]
DURATION = sum(s.duration for s in SHOTS)


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("reframe") / "faces.mp4"
    face_w, _ = make_face_master(path, SHOTS, size=(W, H), fps=FPS)
    return path, face_w


def _frames(path: Path, w: int, h: int) -> Any:
    import numpy as np

    args = ["-i", str(path), "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"]
    with pipe_ffmpeg(args) as stream:
        data = stream.read()
    return np.frombuffer(data, np.uint8).reshape(-1, h, w)


def _render(master: Path, chain: str, out: Path) -> dict[str, Any]:
    graph = f"[0:v]setpts=PTS-STARTPTS,{chain},format=yuv420p[v]"
    run_ffmpeg(
        [
            "-i",
            str(master),
            "-filter_complex",
            graph,
            "-map",
            "[v]",
            *("-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", str(out)),
        ]
    )
    stream: dict[str, Any] = run_ffprobe(["-show_streams", "-count_frames", str(out)])["streams"][0]
    return stream


def _inside_share(path: Any, face_w: int) -> tuple[float, list[float]]:
    cw = crop_width(W, H, OUT_W, OUT_H)
    inside, lefts = 0, []
    frames = int(DURATION * FPS)
    for k in range(frames):
        t = k / FPS
        left, right, _ = face_box(SHOTS, t, W, face_w)
        crop_left = path.left_px(t, W, cw)
        lefts.append(crop_left)
        inside += left >= crop_left - 0.5 and right <= crop_left + cw + 0.5
    return inside / frames, lefts


def _jitter(lefts: list[float]) -> tuple[int, float]:
    """(direction changes, largest frame-to-frame step) within shots."""
    cuts = {round(t * FPS) for t in shot_starts(SHOTS)}
    steps = [b - a for k, (a, b) in enumerate(itertools.pairwise(lefts)) if k + 1 not in cuts]
    moving = [s for s in steps if abs(s) > 1e-6]
    changes = sum(1 for a, b in itertools.pairwise(moving) if (a > 0) != (b > 0))
    return changes, max(abs(s) for s in steps)


def test_smart_crop_keeps_the_face_inside_and_moves_smoothly(master: tuple[Path, int]) -> None:
    path, face_w = master
    crop = track_subject(path, None, W, H, OUT_W / OUT_H)
    share, lefts = _inside_share(crop, face_w)
    assert share >= 0.95, crop.to_dict()
    changes, biggest = _jitter(lefts)
    assert changes == 0, crop.to_dict()
    assert biggest < 9.0  # px per frame: under 1.5x the walking face's 6 px a frame
    # still shots are one constant each: the window never moves inside them
    assert len({round(x, 3) for x in lefts[5:70]}) == 1
    assert len({round(x, 3) for x in lefts[80:145]}) == 1


def test_smart_crop_uses_the_analysis_cut_times(master: tuple[Path, int]) -> None:
    path, face_w = master
    cuts = shot_starts(SHOTS)
    analysis = Analysis(
        master=str(path),
        duration=DURATION,
        fps=FPS,
        frame_count=int(DURATION * FPS),
        transitions=tuple(Transition(t, round(t * FPS), "cut", 1.0) for t in cuts),
    )
    crop = track_subject(path, analysis, W, H, OUT_W / OUT_H)
    times = [k.time for k in crop.keys]
    for cut in cuts:
        assert times.count(cut) == 2  # a jump exactly at the cut
    assert _inside_share(crop, face_w)[0] >= 0.95


def test_smart_render_follows_the_path(master: tuple[Path, int], tmp_path: Path) -> None:
    import cv2
    import numpy as np

    path, _face_w = master
    crop = track_subject(path, None, W, H, OUT_W / OUT_H)
    t0 = 2.0  # an episode starting inside the first shot: the input is trimmed to t0
    trimmed = tmp_path / "ep.mp4"
    run_ffmpeg(["-ss", f"{t0}", "-i", str(path), "-c:v", "libx264", "-qp", "0", str(trimmed)])
    out = tmp_path / "smart.mp4"
    info = _render(trimmed, reframe_filter("smart", W, H, OUT_W, OUT_H, crop, t0), out)
    assert (info["width"], info["height"], info["sample_aspect_ratio"]) == (180, 320, "1:1")
    src, got = _frames(trimmed, W, H), _frames(out, OUT_W, OUT_H)
    assert len(got) == len(src)
    cw = crop_width(W, H, OUT_W, OUT_H)
    for k in range(0, len(got), 10):
        left = int(crop.left_px(t0 + k / FPS, W, cw)) // 2 * 2  # crop aligns to chroma
        want = cv2.resize(src[k][:, left : left + cw], (OUT_W, OUT_H), interpolation=cv2.INTER_AREA)
        off = min(W - cw, left + 40) if left < W - cw - 40 else left - 40
        wrong = cv2.resize(src[k][:, off : off + cw], (OUT_W, OUT_H), interpolation=cv2.INTER_AREA)
        diff = np.abs(got[k].astype(int) - want).mean()
        assert diff < 6, (k, diff)
        assert diff < np.abs(got[k].astype(int) - wrong).mean() / 2, k


def test_fit_has_a_blurred_dark_fill_and_the_whole_picture(
    master: tuple[Path, int], tmp_path: Path
) -> None:
    import cv2
    import numpy as np

    path, _ = master
    out = tmp_path / "fit.mp4"
    info = _render(path, reframe_filter("fit", W, H, OUT_W, OUT_H), out)
    assert (info["width"], info["height"], info["sample_aspect_ratio"]) == (180, 320, "1:1")
    assert int(info["nb_read_frames"]) == int(DURATION * FPS)
    src, got = _frames(path, W, H), _frames(out, OUT_W, OUT_H)
    fg_h = 102  # 360 * 180 / 640 = 101.25, made even
    top = (OUT_H - fg_h) // 2
    for k in (10, 100, 200):
        frame = got[k]
        centre = frame[top + 2 : top + fg_h - 2]
        want = cv2.resize(src[k], (OUT_W, fg_h), interpolation=cv2.INTER_AREA)[2:-2]
        assert np.abs(centre.astype(int) - want).mean() < 6
        for band in (frame[: top - 4], frame[top + fg_h + 4 :]):
            assert band.mean() > 8  # not black
            assert band.mean() < want.mean()  # darkened
            sharp = cv2.Laplacian(centre, cv2.CV_64F).var()
            assert cv2.Laplacian(band, cv2.CV_64F).var() < sharp / 10  # blurred


def test_crop_is_the_centre(master: tuple[Path, int], tmp_path: Path) -> None:
    import cv2
    import numpy as np

    path, _ = master
    out = tmp_path / "crop.mp4"
    info = _render(path, reframe_filter("crop", W, H, OUT_W, OUT_H), out)
    assert (info["width"], info["height"], info["sample_aspect_ratio"]) == (180, 320, "1:1")
    src, got = _frames(path, W, H), _frames(out, OUT_W, OUT_H)
    cw = crop_width(W, H, OUT_W, OUT_H)
    left = (W - cw) // 2
    for k in (10, 100, 200):
        want = cv2.resize(src[k][:, left : left + cw], (OUT_W, OUT_H), interpolation=cv2.INTER_AREA)
        assert np.abs(got[k].astype(int) - want).mean() < 6


def test_three_modes_make_9_16_from_a_prores_master(tmp_path: Path) -> None:
    master = tmp_path / "prores.mov"
    run_ffmpeg(
        [
            *("-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=1"),
            "-c:v",
            "prores_ks",
            "-profile:v",
            "2",
            "-pix_fmt",
            "yuv422p10le",
            str(master),
        ]
    )
    crop = track_subject(master, None, 320, 180, 9 / 16)
    for mode in ("fit", "crop", "smart"):
        info = _render(
            master, reframe_filter(mode, 320, 180, 90, 160, crop), tmp_path / f"{mode}.mp4"
        )
        assert (info["width"], info["height"], info["sample_aspect_ratio"]) == (90, 160, "1:1")
        assert int(info["nb_read_frames"]) == 25


def test_smart_crop_follows_motion_when_there_is_no_face(tmp_path: Path) -> None:
    shots = [FaceShot(4.0, 0.2, 0.8, move_start=0.2, move_end=0.8, face=False)]
    master = tmp_path / "disc.mp4"
    disc_w, _ = make_face_master(master, shots, size=(W, H), fps=FPS)
    crop = track_subject(master, None, W, H, OUT_W / OUT_H)
    cw = crop_width(W, H, OUT_W, OUT_H)
    frames = 4 * FPS
    inside = 0
    for k in range(frames):
        left, right, _ = face_box(shots, k / FPS, W, disc_w)
        crop_left = crop.left_px(k / FPS, W, cw)
        inside += left >= crop_left - 0.5 and right <= crop_left + cw + 0.5
    assert inside / frames >= 0.95, crop.to_dict()
    assert crop.x_at(0.0) < 0.3 and crop.x_at(4.0) > 0.7  # it did follow, not a centre crop
