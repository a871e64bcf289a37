"""Session-wide generated media shared by every test tier.

The masters and bad inputs are generated once per test session (lazily: only when a test asks
for them) into a temporary folder. The repository root is put on ``sys.path`` so tests can
``from fixtures import generate_master`` without installing the fixtures package.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fixtures.bad import generate_bad_inputs, load_truth  # noqa: E402
from fixtures.generate import MasterFixture, generate_master  # noqa: E402


@pytest.fixture(scope="session")
def vertical_master(tmp_path_factory: pytest.TempPathFactory) -> MasterFixture:
    """A 1-minute 180x320 25 fps master (seed 0) with truth and subtitles."""
    folder = tmp_path_factory.mktemp("vertical")
    return generate_master(folder, name="vertical", size=(180, 320), minutes=1.0, fps=25, seed=0)


@pytest.fixture(scope="session")
def horizontal_master(tmp_path_factory: pytest.TempPathFactory) -> MasterFixture:
    """A 36-second 320x180 25 fps master (seed 1) with truth and subtitles."""
    folder = tmp_path_factory.mktemp("horizontal")
    return generate_master(
        folder, name="horizontal", size=(320, 180), minutes=0.6, fps=25, horizontal=True, seed=1
    )


@pytest.fixture(scope="session")
def bad_inputs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding every bad input and ``bad_inputs.truth.json``."""
    folder = tmp_path_factory.mktemp("bad")
    generate_bad_inputs(folder)
    return folder


@pytest.fixture(scope="session")
def bad_inputs(bad_inputs_dir: Path) -> dict[str, Path]:
    """Path of each bad input by key (``truncated``, ``rotated``, ``vfr``, ``prores``, ...)."""
    return {
        key: bad_inputs_dir / entry["file"] for key, entry in load_truth(bad_inputs_dir).items()
    }


@pytest.fixture(scope="session")
def bad_inputs_truth(bad_inputs_dir: Path) -> dict[str, dict[str, Any]]:
    """Expected probe facts of each bad input by key (see :mod:`fixtures.bad`)."""
    return load_truth(bad_inputs_dir)


@pytest.fixture(scope="session")
def real_master(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One real-media master for the whole run (real footage, speech, a music bed 12 dB under
    the dialogue; see :mod:`fixtures.real`): 2 minutes at 180x320, so it builds in seconds.
    Skips with the reason when ../shared/realmedia is absent."""
    from fixtures.real import build_real_master, realmedia_missing

    reason = realmedia_missing()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("real")
    return build_real_master(folder, name="real", size=(180, 320), music_db=12.0, minutes=2.0)
