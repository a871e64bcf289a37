"""The split state records a file before it appears under its final name, so a kill between
the rename and the bookkeeping can never make a rerun remake (or trust) the wrong file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vidpack.media.atomic import atomic_output
from vidpack.render.state import SplitState


def test_recorded_before_the_rename_and_current_after(tmp_path: Path) -> None:
    state = SplitState(tmp_path)
    out = tmp_path / "E001.mp4"
    seen: list[bool] = []

    def commit(made: Path) -> None:
        seen.append(out.exists())
        state.recorder(out, "key-1")(made)

    with atomic_output(out, before_rename=commit) as tmp:
        tmp.write_bytes(b"episode one")
    assert seen == [False]  # recorded while the final name did not exist yet
    assert SplitState(tmp_path).is_current(out, "key-1")  # saved, and the rename kept it valid
    assert not SplitState(tmp_path).is_current(out, "key-2")


def test_kill_between_record_and_rename_is_not_current(tmp_path: Path) -> None:
    state = SplitState(tmp_path)
    out = tmp_path / "E001.mp4"
    out.write_bytes(b"old episode")  # an earlier file of the same size under the final name
    os.utime(out, ns=(1_000_000_000, 1_000_000_000))

    def killed(made: Path) -> None:
        state.recorder(out, "key-1")(made)
        raise KeyboardInterrupt  # the signal lands after the record, before the rename

    with pytest.raises(KeyboardInterrupt), atomic_output(out, before_rename=killed) as tmp:
        tmp.write_bytes(b"new episode")
    assert out.read_bytes() == b"old episode"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".mp4"] == ["E001.mp4"]
    assert not SplitState(tmp_path).is_current(out, "key-1")  # same size, other file: remade


def test_changed_or_missing_file_is_not_current(tmp_path: Path) -> None:
    state = SplitState(tmp_path)
    out = tmp_path / "E001.mp4"
    with atomic_output(out, before_rename=state.recorder(out, "k")) as tmp:
        tmp.write_bytes(b"abc")
    assert state.is_current(out, "k")
    out.write_bytes(b"xyz")  # same size, rewritten later
    os.utime(out, ns=(2_000_000_000, 2_000_000_000))
    assert not state.is_current(out, "k")
    out.unlink()
    assert not state.is_current(out, "k")


def test_entries_of_older_state_files_still_count_by_size(tmp_path: Path) -> None:
    out = tmp_path / "E001.mp4"
    out.write_bytes(b"abcd")
    (tmp_path / ".vidpack-split.json").write_text(
        '{"version": 1, "files": {"E001.mp4": {"key": "k", "size": 4}}}'
    )
    assert SplitState(tmp_path).is_current(out, "k")
    assert not SplitState(tmp_path).is_current(out, "other")
