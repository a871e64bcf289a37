"""`vidpack --help` stays light: PySceneDetect (and the analysis package) load only when used,
and when it is used but missing, one line says what to install.

`python -X importtime` lists every module the start-up imports; scenedetect, OpenCV and
vidpack.analyze must not be among them. The CLI's --detector choices are the analysis settings'.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vidpack.analyze import psd
from vidpack.analyze.model import Analysis
from vidpack.analyze.settings import DETECTORS
from vidpack.cli.options import DETECTOR_CHOICES
from vidpack.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


def _imported_at_startup() -> set[str]:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import vidpack.cli.main"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    # "import time:  self [us] | cumulative | imported package", one line per module.
    rows = [line.split("|") for line in out.stderr.splitlines() if line.count("|") == 2]
    return {row[2].strip() for row in rows}


def test_importing_the_cli_imports_neither_scenedetect_nor_the_analysis() -> None:
    modules = _imported_at_startup()
    assert "vidpack.cli.main" in modules and "click" in modules  # the listing is real
    heavy = {m for m in modules if m.split(".")[0] in ("scenedetect", "cv2", "numpy")}
    assert heavy == set()
    assert {m for m in modules if m.startswith("vidpack.analyze")} == set()


def test_cli_detector_choices_are_the_settings_detectors() -> None:
    assert DETECTOR_CHOICES == DETECTORS


def test_a_missing_scenedetect_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules: `import scenedetect` raises ImportError, as when it is not installed.
    monkeypatch.setitem(sys.modules, "scenedetect", None)
    with pytest.raises(InputError) as err:
        psd.SceneDetectFeed("content", 32, 48, 25, exact=True)
    assert str(err.value) == (
        "PySceneDetect's detectors need scenedetect: install it "
        "(pip install 'scenedetect>=0.7,<0.8'), or use the vidpack detector (detector='vidpack')"
    )
    with pytest.raises(InputError, match=r"^PySceneDetect's scene lists need scenedetect"):
        psd.scene_list_csv(Analysis(master="m.mp4", duration=1.0, fps=25.0, frame_count=25))
