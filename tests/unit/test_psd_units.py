"""PySceneDetect's detectors fed frame by frame, the detector setting, its CLI refusals, and the
lazy import that keeps `vidpack --help` fast."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from vidpack.analyze.psd import SceneDetectFeed, scenedetect_version
from vidpack.analyze.settings import AnalysisSettings
from vidpack.cli.main import cli
from vidpack.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]
W, H = 32, 48


def _frame(y: int, u: int, v: int) -> bytes:
    """One flat yuv420p frame."""
    planes = [np.full(W * H, y), np.full(W * H // 4, u), np.full(W * H // 4, v)]
    return np.concatenate(planes).astype(np.uint8).tobytes()


def _feed(kind: str, frames: list[tuple[float, bytes]], *, exact: bool = True) -> list[int]:
    feed = SceneDetectFeed(kind, W, H, 25, exact=exact)
    for time, data in frames:
        feed.add(time, data)
    return [f.index for f in feed.finish()]


def _two_shots(first: int, total: int) -> list[tuple[float, bytes]]:
    dark, bright = _frame(40, 100, 160), _frame(200, 160, 90)
    return [(1.0 + n / 25, dark if n < first else bright) for n in range(total)]


@pytest.mark.parametrize("kind", ["content", "adaptive"])
def test_a_hard_cut_is_found_on_the_first_frame_of_the_new_shot(kind: str) -> None:
    assert _feed(kind, _two_shots(30, 60)) == [30]


def test_cut_scores_and_kinds() -> None:
    feed = SceneDetectFeed("content", W, H, 25, exact=True)
    for time, data in _two_shots(30, 60):
        feed.add(time, data)
    (found,) = feed.finish()
    assert (found.kind, found.start, found.end) == ("cut", 30, 30)
    assert found.score == 1.0  # far above twice the threshold


def test_frames_skipped_by_the_decoder_keep_their_master_numbers() -> None:
    # Every other frame decoded: the cut on master frame 30 is analysed frame 15; PySceneDetect's
    # 15-frame minimum scene length counts master frames, so a cut 20 frames on still counts.
    frames = [f for n, f in enumerate(_two_shots(30, 60)) if n % 2 == 0]
    assert _feed("content", frames) == [15]


def test_a_cut_closer_than_the_minimum_scene_length_is_merged() -> None:
    dark, bright, grey = _frame(40, 100, 160), _frame(200, 160, 90), _frame(120, 128, 128)
    frames = [(n / 25, dark if n < 30 else bright if n < 35 else grey) for n in range(80)]
    assert _feed("content", frames) == [30]


def test_a_frame_of_the_wrong_size_is_refused() -> None:
    feed = SceneDetectFeed("content", W, H, 25, exact=True)
    with pytest.raises(ValueError, match="expected 2304"):
        feed.add(0.0, b"\x00" * 100)


def test_detector_setting_is_validated_with_the_choices() -> None:
    with pytest.raises(UsageError) as err:
        AnalysisSettings(detector="histogram")
    assert "detector='histogram' (use one of vidpack, content, adaptive)" in str(err.value)


def test_pyscenedetect_version_is_in_the_cache_key_of_its_detectors() -> None:
    assert "scenedetect" not in AnalysisSettings().key_dict()
    assert AnalysisSettings(detector="content").key_dict()["scenedetect"] == scenedetect_version()
    assert scenedetect_version().startswith("0.7")


def _invoke(tmp_path: Path, *args: str) -> tuple[int, str]:
    master = tmp_path / "master.mp4"
    master.write_bytes(b"\x00")  # never read: every refusal below comes first
    result = CliRunner().invoke(cli, ["scenes", str(master), *args], prog_name="vidpack")
    return result.exit_code, result.output


def test_unknown_detector_is_a_usage_error_naming_the_choices(tmp_path: Path) -> None:
    code, output = _invoke(tmp_path, "--detector", "histogram")
    assert code == 2
    assert output == (
        "Error: Invalid value for '--detector': 'histogram' is not one of 'vidpack', "
        "'content', 'adaptive'; see `vidpack scenes --help`\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--json", "--scene-list", "-"], "--json and --scene-list - both given"),
        (["--csv", "--html", "-"], "--csv and --html - both given"),
        (
            ["--json", "--scene-list", "-", "--html", "-"],
            "--json, --scene-list - and --html - all given",
        ),
    ],
)
def test_two_outputs_on_stdout_are_refused(tmp_path: Path, args: list[str], message: str) -> None:
    code, output = _invoke(tmp_path, *args)
    assert code == 2
    assert output == f"Error: {message}: choose one output format\n"


def test_two_outputs_into_one_file_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out" / "shots.csv"
    code, output = _invoke(tmp_path, "--scene-list", str(out), "--html", str(out))
    assert code == 2
    assert output == f"Error: --scene-list and --html both write {str(out)!r}: give each its own\n"
    assert not out.exists()


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("")
    code, output = _invoke(tmp_path, "--html", str(blocker / "scenes.html"))
    assert code == 2
    assert output == f"Error: output folder {str(blocker)!r} is a file: choose another --html\n"


def test_the_cli_does_not_import_scenedetect_until_a_detector_needs_it() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from vidpack.cli.main import cli\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
        "assert CliRunner().invoke(cli, ['scenes', '--help']).exit_code == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scenedetect', 'cv2')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
