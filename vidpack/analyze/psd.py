"""PySceneDetect inside the analysis pass: its detectors fed with vidpack's frames, its scene lists.

``detector="content"`` or ``"adaptive"`` (:class:`~.settings.AnalysisSettings`) runs
PySceneDetect's ``ContentDetector`` or ``AdaptiveDetector`` on the small frames the single
analysis decode already delivers (:class:`SceneDetectFeed`): each frame goes to the detector's
``process_frame(timecode, frame_bgr)`` as it arrives, numbered by the master frame it shows, so
scenedetect never opens the video itself. Its cuts become the analysis transitions (kind
``cut``), read like any other by whatever is handed that analysis (``plan``, ``split`` and
``package`` call :func:`~.pipeline.analyze` with the default settings, so they use vidpack's
detector until they take analysis settings). The thresholds are PySceneDetect's
defaults: at the analysis size (160 px long side) they find the same cuts as PySceneDetect's own
decode of the file (tests/integration/test_psd.py).

:func:`scene_list_csv` and :func:`scene_list_html` write the shots of any analysis with
PySceneDetect's own ``write_scene_list`` and ``write_scene_list_html``.

scenedetect (and with it OpenCV) is imported only here and only when used: ``vidpack --help``
does not pay for it.
"""

from __future__ import annotations

import io
import logging
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidpack.analyze.report import shot_frames
from vidpack.errors import InputError

if TYPE_CHECKING:
    from vidpack.analyze.model import Analysis
    from vidpack.analyze.transitions import Found

PACKAGE = "scenedetect"
REQUIREMENT = "scenedetect>=0.7,<0.8"
# PySceneDetect 0.7's defaults, passed explicitly because the scores below are relative to them.
CONTENT_THRESHOLD = 27.0  # ContentDetector: weighted mean HSV change between frames, 0..255
ADAPTIVE_THRESHOLD = 3.0  # AdaptiveDetector: that change against its neighbours' mean


def _scenedetect(needed_by: str = "PySceneDetect's scene lists", instead: str = "") -> Any:
    """The scenedetect module, imported now (about 0.4 s with OpenCV), its INFO lines quiet.

    Raises:
        InputError: naming what needs it, the package to install and, when there is one, the
            way to do without.
    """
    try:
        import scenedetect
    except ImportError as err:
        raise InputError(
            f"{needed_by} need {PACKAGE}: install it (pip install '{REQUIREMENT}')"
            + (f", or {instead}" if instead else "")
        ) from err
    # scenedetect logs every file it writes at INFO to a handler-less logger, which the CLI's
    # root handler would print: keep it at vidpack's level.
    level = max(logging.WARNING, logging.getLogger().getEffectiveLevel())
    logging.getLogger("pyscenedetect").setLevel(level)
    return scenedetect


def scenedetect_version() -> str:
    """The installed scenedetect's version, without importing it ("" when missing)."""
    from importlib import metadata

    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return ""


class SceneDetectFeed:
    """Runs one PySceneDetect detector over the analysis frames as they stream in.

    Args:
        kind: ``content`` (ContentDetector) or ``adaptive`` (AdaptiveDetector).
        width, height: size of the yuv420p analysis frames.
        fps: the master's frame rate (exact rational when constant).
        exact: constant frame rate: frame numbers come from the times; otherwise every frame is
            decoded and a frame's number is its index.
    """

    def __init__(
        self, kind: str, width: int, height: int, fps: Fraction | float, *, exact: bool
    ) -> None:
        sd = _scenedetect(
            "PySceneDetect's detectors", "use the vidpack detector (detector='vidpack')"
        )
        import cv2
        import numpy as np

        self._cv2, self._np = cv2, np
        self.kind = kind
        self._width, self._height = width, height
        self._frame_bytes = width * height * 3 // 2
        self._rate = Fraction(fps) if fps else Fraction(25)
        self._exact = exact
        self._timecode = sd.FrameTimecode
        if kind == "content":
            self._detector = sd.ContentDetector(threshold=CONTENT_THRESHOLD)
        elif kind == "adaptive":
            self._detector = sd.AdaptiveDetector(adaptive_threshold=ADAPTIVE_THRESHOLD)
        else:
            raise ValueError(f"detector {kind!r}: use content or adaptive")
        self._first: float | None = None
        self._last: Any = None  # timecode of the last frame fed
        self._index: dict[int, int] = {}  # master frame number -> analysed frame index
        self._values: list[float] = []  # the detector's content value of each frame fed
        self._cuts: list[int] = []

    def add(self, time: float, data: bytes | memoryview) -> None:
        """Feed the next analysis frame (yuv420p bytes) shown at ``time``."""
        cv2, np = self._cv2, self._np
        if len(data) != self._frame_bytes:
            raise ValueError(f"frame of {len(data)} bytes, expected {self._frame_bytes}")
        if self._first is None:
            self._first = time
        count = len(self._index)
        number = round((time - self._first) * self._rate) if self._exact else count
        if self._last is not None and number <= self._last.frame_num:
            number = self._last.frame_num + 1  # frame numbers must rise for the detector
        yuv = np.frombuffer(data, dtype=np.uint8).reshape(self._height * 3 // 2, self._width)
        timecode = self._timecode(number, self._rate)
        found = self._detector.process_frame(timecode, cv2.cvtColor(yuv, cv2.COLOR_YUV2BGR_I420))
        self._cuts.extend(t.frame_num for t in found)
        # The frame's score, read back rather than through a StatsManager: with one attached,
        # ContentDetector also computes edge maps, which doubled its cost here.
        self._values.append(float(getattr(self._detector, "_frame_score", None) or 0.0))
        self._index[number] = count
        self._last = timecode

    def finish(self) -> list[Found]:
        """The detector's cuts as analysed-frame transitions (kind ``cut``), in time order.

        A cut's score is 0.5 at the detector's threshold, rising to 1 at twice it: the content
        value against 27 (ContentDetector), the adaptive ratio against 3 (AdaptiveDetector).
        """
        from vidpack.analyze.transitions import Found

        if self._last is not None:
            self._cuts.extend(t.frame_num for t in self._detector.post_process(self._last))
        out: list[Found] = []
        for number in sorted(set(self._cuts)):
            i = self._index.get(number)
            if i is None or i == 0:
                continue
            out.append(Found(i, "cut", self._score(i), i, i))
        return out

    def _score(self, i: int) -> float:
        value = self._values[i]
        if self.kind == "content":
            return round(min(1.0, value / (2 * CONTENT_THRESHOLD)), 3)
        # AdaptiveDetector's ratio: the frame's value against the mean of its window.
        w = self._detector.window_width
        around = self._values[max(0, i - w) : i] + self._values[i + 1 : i + 1 + w]
        mean = sum(around) / len(around) if around else 0.0
        ratio = min(value / mean, 255.0) if mean > 1e-5 else 255.0
        return round(min(1.0, ratio / (2 * ADAPTIVE_THRESHOLD)), 3)


def _scene_list(analysis: Analysis) -> list[tuple[Any, Any]]:
    """The shots of ``analysis`` as PySceneDetect (start, end) timecodes; end is exclusive."""
    sd = _scenedetect()
    rate = Fraction(analysis.fps).limit_denominator(1001) if analysis.fps > 0 else Fraction(25)
    return [
        (sd.FrameTimecode(a, rate), sd.FrameTimecode(b, rate)) for a, b, _ in shot_frames(analysis)
    ]


def scene_list_csv(analysis: Analysis) -> str:
    """The shots as PySceneDetect's scene-list CSV (``write_scene_list``, as ``scenedetect
    list-scenes`` writes it: the cut timecodes on the first row, then one row per scene with
    frames counted from 1, timecodes and seconds)."""
    sd = _scenedetect()
    scenes = _scene_list(analysis)
    out = io.StringIO(newline="")
    sd.write_scene_list(out, scenes, cut_list=[start for start, _ in scenes[1:]])
    return out.getvalue()


def scene_list_html(analysis: Analysis) -> str:
    """The shots as PySceneDetect's HTML table (``write_scene_list_html``)."""
    sd = _scenedetect()
    with tempfile.TemporaryDirectory(prefix="vidpack-scenes-") as folder:
        path = Path(folder) / "scenes.html"
        scenes = _scene_list(analysis)
        sd.write_scene_list_html(str(path), scenes, cut_list=[start for start, _ in scenes[1:]])
        return path.read_text(encoding="utf-8")
