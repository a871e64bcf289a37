"""The one output-name function: refuses paths and hidden names, shortens over-long names to the
filesystem limit on a UTF-8 boundary, keeping extensions and keeping distinct names distinct."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from vidpack.errors import UsageError
from vidpack.media.atomic import atomic_output, temp_name
from vidpack.media.names import MAX_NAME_BYTES, NAME_MAX, cut_utf8, output_name, output_path


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("../../../x_ep001.en.srt", "is a path"),
        ("/tmp/x_ep001.en.srt", "is a path"),
        ("sub/ep001.mp4", "is a path"),
        ("a\\b.mp4", "is a path"),
        ("..", "names a folder"),
        (".", "names a folder"),
        (".hidden.mp4", "starts with a dot"),
        ("", "is empty"),
        ("   ", "is empty"),
        ("a\0b.mp4", "NUL"),
    ],
)
def test_paths_and_hidden_names_are_refused_naming_the_source(name: str, says: str) -> None:
    with pytest.raises(UsageError) as caught:
        output_name(name, what="--naming", example="{stem}.{lang}.{ext}")
    message = str(caught.value)
    assert message.startswith(f"--naming gives the file name {name!r}, ")
    assert says in message
    assert message.endswith("; use e.g. '{stem}.{lang}.{ext}'")
    assert "\n" not in message


def test_plain_names_pass_unchanged() -> None:
    for name in ("My_Series_E001.mp4", "ep001.zh-Hans.srt", "a..b.mp4", "시리즈_E001.mp4"):
        assert output_name(name, what="x") == name


def test_over_long_cjk_title_is_cut_on_a_character_boundary_keeping_the_extension() -> None:
    title = "长" * 300  # 900 bytes of UTF-8, three per character
    name = output_name(f"{title}_E001.en.srt", what="--title")
    data = name.encode("utf-8")
    assert len(data) <= MAX_NAME_BYTES < NAME_MAX
    assert name.endswith(".en.srt")
    data.decode("utf-8")  # strict: no half character left at the cut
    stem = name[: -len(".en.srt")]
    assert stem.startswith("长" * 60) and stem.endswith("_E001")  # the number survives
    assert stem.count("~") == 2
    # the temporary sibling atomic_output writes first fits the filesystem too
    assert len(temp_name(Path(name)).name.encode("utf-8")) <= NAME_MAX


def test_shortened_names_stay_unique_and_stable() -> None:
    title = "題" * 200
    names = {output_name(f"{title}_E{i:03d}.mp4", what="--title") for i in range(1, 51)}
    assert len(names) == 50  # the episode numbers, cut away, live on in the hash
    again = output_name(f"{title}_E001.mp4", what="--title")
    assert again == output_name(f"{title}_E001.mp4", what="--title")


@pytest.mark.parametrize("limit", range(0, 12))
def test_cut_utf8_never_splits_a_character(limit: int) -> None:
    text = "a€長😀b"  # 1, 3, 3, 4, 1 bytes
    cut = cut_utf8(text, limit)
    assert len(cut.encode("utf-8")) <= limit
    assert text.startswith(cut)
    assert len(cut_utf8(text, limit + 1).encode("utf-8")) >= len(cut.encode("utf-8"))


def test_a_shortened_name_can_really_be_written(tmp_path: Path) -> None:
    """Unshortened, the same name fails with ENAMETOOLONG on this filesystem."""
    long = "长" * 100 + "_E001.mp4"
    with pytest.raises(OSError) as caught:
        (tmp_path / long).write_bytes(b"x")
    assert caught.value.errno == errno.ENAMETOOLONG
    target = output_path(tmp_path, long, what="--title")
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"episode")
    assert os.listdir(tmp_path) == [target.name]
    assert target.read_bytes() == b"episode"


def test_an_episode_name_leaves_room_so_its_sidecars_keep_its_stem() -> None:
    from vidpack.media.names import SIDECAR_ROOM

    episode = output_name("长" * 300 + "_E007.mp4", what="--title", companions=SIDECAR_ROOM)
    stem = episode.removesuffix(".mp4")
    for lang in ("en", "zh-Hant-TW", "ar"):
        sidecar = output_name(f"{stem}.{lang}.srt", what="--naming")
        assert sidecar == f"{stem}.{lang}.srt"  # unshortened: a player pairs it with the episode
