"""Analysis settings validation and the analysis cache (file identity, keys, fallback folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vidpack.analyze import cache
from vidpack.analyze.model import Analysis, Interval, Transition
from vidpack.analyze.settings import AnalysisSettings
from vidpack.errors import UsageError


def _analysis(master: Path) -> Analysis:
    return Analysis(
        master=str(master),
        duration=12.0,
        fps=25.0,
        frame_count=300,
        transitions=(Transition(4.0, 100, "cut", 0.9), Transition(8.0, 200, "dissolve", 0.7)),
        speech=(Interval(1.0, 3.5),),
        loudness=(-23.0, -22.5),
    )


@pytest.fixture()
def master(tmp_path: Path) -> Path:
    path = tmp_path / "show" / "master.mp4"
    path.parent.mkdir()
    path.write_bytes(b"not really video, only its identity matters here")
    return path


def test_settings_report_every_problem_at_once() -> None:
    with pytest.raises(UsageError) as err:
        AnalysisSettings(size=8, skip="some", cut_threshold=2.0)
    text = str(err.value)
    assert "size=8" in text and "skip='some'" in text and "cut_threshold=2.0" in text
    assert "use one of auto, none, noref, bidir" in text


def test_key_ignores_where_and_how_fast() -> None:
    base = AnalysisSettings()
    assert AnalysisSettings(cache_dir="/elsewhere", threads=1).key() == base.key()
    assert AnalysisSettings(cut_threshold=0.1).key() != base.key()


def test_round_trip_beside_the_master(master: Path) -> None:
    settings = AnalysisSettings()
    assert cache.load(master, settings) is None
    written = cache.save(master, settings, _analysis(master))
    assert written is not None
    assert written.parent == master.parent / ".vidpack-cache"
    assert written.name.startswith("master.") and written.name.endswith(".analysis.json")
    assert cache.load(master, settings) == _analysis(master)
    assert not list(written.parent.glob(".*partial*"))  # written atomically


def test_changed_file_or_settings_miss_the_cache(master: Path) -> None:
    settings = AnalysisSettings()
    cache.save(master, settings, _analysis(master))
    assert cache.load(master, AnalysisSettings(min_gap=1.0)) is None
    st = master.stat()
    os.utime(master, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert cache.load(master, settings) is None


def test_unwritable_cache_folder_falls_back_to_user_cache(
    master: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    settings = AnalysisSettings(cache_dir=str(blocker / "cache"))  # cannot be created
    written = cache.save(master, settings, _analysis(master))
    assert written is not None and written.parent == tmp_path / "xdg" / "vidpack"
    assert cache.load(master, settings) == _analysis(master)


def test_corrupt_cache_is_ignored(master: Path) -> None:
    settings = AnalysisSettings()
    written = cache.save(master, settings, _analysis(master))
    assert written is not None
    written.write_text("{not json", encoding="utf-8")
    assert cache.load(master, settings) is None
