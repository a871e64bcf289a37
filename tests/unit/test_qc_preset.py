"""Which preset QC judges by: the built-in of the manifest's name, never the manifest's copy,
and the keys where the copy differs."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidpack.errors import UsageError
from vidpack.package.qc_preset import judged_manifest, preset_mismatch, qc_preset
from vidpack.presets import load_preset


def test_builtin_by_name_and_copy_ignored() -> None:
    tiktok = load_preset("tiktok")
    copy = tiktok.to_dict()
    copy["limits"]["max_episode_s"] = 9999
    del copy["audio"]["codec"]
    copy["extra"] = {"key": 1}
    m = {"platform": "tiktok", "preset": copy}
    assert qc_preset(m, Path("out/tiktok")) == tiktok
    assert preset_mismatch(copy, tiktok) == ["audio.codec", "extra.key", "limits.max_episode_s"]
    judged, warnings = judged_manifest(Path("out/tiktok"), m, tiktok)
    assert judged["preset"] == tiktok.to_dict()
    assert warnings == (
        "out/tiktok/manifest.json: its preset copy differs from preset 'tiktok' (built in) in "
        "audio.codec, extra.key, limits.max_episode_s; QC judges by the preset",
    )


def test_unchanged_copy_has_no_warning() -> None:
    tiktok = load_preset("tiktok")
    assert judged_manifest(Path("p"), {"preset": tiktok.to_dict()}, tiktok)[1] == ()


def test_unknown_name_needs_preset_option() -> None:
    with pytest.raises(UsageError, match=r"^--preset: p was made with preset 'mine', which is not"):
        qc_preset({"platform": "mine", "preset": {"name": "mine"}}, Path("p"))


def test_given_presets_matched_by_name_or_the_only_one() -> None:
    tiktok, drama = load_preset("tiktok"), load_preset("drama-app")
    m = {"platform": "mine", "preset": {"name": "drama-app"}}
    assert qc_preset(m, Path("p"), [tiktok, drama]) is drama
    assert (
        qc_preset({"platform": "mine", "preset": {"name": "mine"}}, Path("p"), [tiktok]) is tiktok
    )
    with pytest.raises(UsageError, match="'mine', which is not built in"):
        qc_preset({"platform": "mine", "preset": {"name": "mine"}}, Path("p"), [tiktok, drama])
