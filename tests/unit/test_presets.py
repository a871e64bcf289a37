"""Presets: the eight built-ins against the published platform facts, extends, and validation
that reports every problem at once with a key, the bad value and what would work."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from vidpack.errors import UsageError
from vidpack.presets import (
    PresetError,
    dumps_toml,
    list_presets,
    load_builtin_presets,
    load_preset,
)

BUILTINS = {
    "tiktok",
    "youtube-shorts",
    "instagram-reels",
    "facebook-reels",
    "snapchat-spotlight",
    "douyin",
    "kuaishou",
    "drama-app",
}
FEEDS = sorted(BUILTINS - {"drama-app"})


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PresetError) as info:
        load_preset(path)
    return [str(p) for p in info.value.problems]


# --- the built-ins ---------------------------------------------------------------------------


def test_the_eight_builtins_are_listed_and_load() -> None:
    assert set(list_presets()) == BUILTINS
    loaded = load_builtin_presets()
    assert [p.name for p in loaded] == list(list_presets())
    for preset in loaded:
        assert preset.source and preset.checked == "2026-11", preset.name
        assert preset.path is None


@pytest.mark.parametrize(
    ("name", "min_s", "max_s", "max_mb"),
    [
        ("tiktok", 3, 180, 4000),  # >= 3 s; every creator 3 min; 4 GB
        ("youtube-shorts", 0, 180, 256000),  # <= 180 s; 256 GB
        ("instagram-reels", 3, 180, 300),  # 3 min in the app; 300 MB (older doc)
        ("facebook-reels", 3, 90, 1000),  # 3-90 s; 1 GB
        ("snapchat-spotlight", 5, 60, 500),  # 5-60 s; 500 MB
        ("douyin", 0, 900, 4000),  # <= 15 min; 4 GB
        ("kuaishou", 0, 900, 4000),  # Douyin's values
    ],
)
def test_limits_match_the_platform_facts(name: str, min_s: int, max_s: int, max_mb: int) -> None:
    limits = load_preset(name).limits
    assert (limits.min_episode_s, limits.max_episode_s, limits.max_file_mb) == (
        min_s,
        max_s,
        max_mb,
    )
    assert limits.max_file_bytes == max_mb * 1_000_000


def test_every_feed_preset_is_the_common_target() -> None:
    for name in FEEDS:
        p = load_preset(name)
        v, a = p.video, p.audio
        assert (v.width, v.height, v.codec, v.profile, v.pix_fmt) == (
            1080,
            1920,
            "h264",
            "high",
            "yuv420p",
        ), name
        assert v.gop.closed and v.faststart, name
        assert (a.codec, a.sample_rate, a.channels) == ("aac", 48000, 2), name
        assert (a.loudness_lufs, a.true_peak_dbtp) == (-14.0, -1.0), name
        assert p.subtitles.mode == "burn", name
        assert min(v.allowed_fps) >= 24 and max(v.allowed_fps) <= 60, name  # FB: 24-60 fps


def test_platform_specific_facts() -> None:
    yt = load_preset("youtube-shorts")
    assert yt.video.gop.keyint_seconds == 0.5 and yt.video.gop.bframes == 2
    assert yt.audio.bitrate_kbps == 384
    assert (yt.metadata.title_max_chars, yt.metadata.description_max_chars) == (100, 5000)
    assert load_preset("tiktok").audio.bitrate_kbps >= 128
    assert load_preset("tiktok").metadata.caption_max_chars == 2200
    assert load_preset("instagram-reels").covers.grid_aspect == "3:4"
    fb = load_preset("facebook-reels")
    assert 2 <= fb.video.gop.keyint_seconds <= 5 and fb.covers.max_mb == 10
    assert fb.subtitles.sidecar_naming.format(stem="ep", locale="en_US", ext="srt") == (
        "ep.en_US.srt"
    )
    assert load_preset("snapchat-spotlight").audio.required is True
    assert load_preset("douyin").metadata.license_number_required is True
    assert "1080x1440" in load_preset("douyin").covers.sizes


def test_safe_zones_match_the_published_tables() -> None:
    def zone(name: str) -> tuple[int, int, int, int]:
        z = load_preset(name).safe_zone
        return z.top, z.bottom, z.left, z.right

    assert zone("youtube-shorts") == (288, 672, 48, 192)
    assert zone("instagram-reels") == zone("facebook-reels") == (269, 672, 65, 65)
    assert zone("snapchat-spotlight")[:2] == (150, 150)
    for name in BUILTINS:
        p = load_preset(name)
        assert p.subtitles.style.margin_v >= p.safe_zone.bottom, name


def test_kuaishou_reuses_douyin_and_is_marked_unverified() -> None:
    douyin, kuaishou = load_preset("douyin"), load_preset("kuaishou")
    assert kuaishou.unverified and not douyin.unverified
    assert kuaishou.extends == "douyin"
    assert kuaishou.covers.max_mb == 10  # Kuaishou's own fact: cover < 10 MB
    a, b = douyin.to_dict(), kuaishou.to_dict()
    for key in ("name", "description", "source", "unverified"):
        a.pop(key), b.pop(key)
    a["covers"].pop("max_mb"), b["covers"].pop("max_mb")
    assert a == b


def test_drama_app_is_a_textless_mezzanine_with_subtitle_files() -> None:
    app, tiktok = load_preset("drama-app"), load_preset("tiktok")
    assert app.subtitles.mode == "sidecar"
    assert set(app.subtitles.sidecar_formats) == {"srt", "vtt"}
    assert app.video.crf < tiktok.video.crf
    assert app.video.maxrate_kbps > tiktok.video.maxrate_kbps
    assert app.audio.bitrate_kbps > tiktok.audio.bitrate_kbps


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig not installed")
def test_every_subtitle_font_is_installed() -> None:
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    families = {f.strip() for line in listed.splitlines() for f in line.split(",")}
    for preset in load_builtin_presets():
        for script, family in preset.to_dict()["subtitles"]["style"]["fonts"].items():
            assert family in families, f"{preset.name}: {script} font {family!r} not installed"


def test_font_per_script_and_mirrored_margins() -> None:
    style = load_preset("tiktok").subtitles.style
    assert style.fonts.for_script("cjk-sc") == "Noto Sans CJK SC"
    assert style.fonts.for_script("arabic") == "Noto Sans Arabic"
    assert style.fonts.for_script("cyrillic") == style.fonts.latin
    assert style.margins() == (120, 180)
    assert style.margins(rtl=True) == (180, 120)


def test_presets_are_frozen() -> None:
    preset = load_preset("tiktok")
    with pytest.raises(dataclasses.FrozenInstanceError):
        preset.video.width = 720  # type: ignore[misc]


# --- encode signature, fps policy, scaling -------------------------------------------------------


def test_encode_signature_groups_presets_that_share_a_rendition() -> None:
    keys = {p.name: p.encode_key() for p in load_builtin_presets()}
    assert keys["tiktok"] == keys["instagram-reels"] == keys["facebook-reels"]
    assert keys["douyin"] != keys["tiktok"]  # douyin's episodes carry the compliance slate
    assert keys["youtube-shorts"] != keys["tiktok"]  # YouTube's own GOP and audio rate
    assert keys["drama-app"] != keys["tiktok"]
    tiktok = load_preset("tiktok")
    signature = tiktok.encode_signature()
    assert set(signature) == {"video", "audio"}
    assert signature["audio"]["loudness_lufs"] == -14.0
    assert "subtitles" in tiktok.encode_signature(burn_style=True)
    assert tiktok.encode_key(burn_style=True) != tiktok.encode_key()


def test_encode_key_follows_an_override(tmp_path: Path) -> None:
    quieter = load_preset(write(tmp_path, 'extends = "tiktok"\n[audio]\nloudness_lufs = -16\n'))
    assert quieter.encode_key() != load_preset("tiktok").encode_key()
    renamed = load_preset(write(tmp_path, 'extends = "tiktok"\nname = "b"\n', "b.toml"))
    assert renamed.encode_key() == load_preset("tiktok").encode_key()


def test_fps_policy() -> None:
    tiktok, app = load_preset("tiktok").video, load_preset("drama-app").video
    assert tiktok.pick_fps(30000 / 1001) == pytest.approx(30000 / 1001)
    assert tiktok.pick_fps(24000 / 1001) == 24.0  # Facebook takes 24-60 fps
    assert tiktok.pick_fps(120.0) == 60.0
    assert app.pick_fps(24000 / 1001) == pytest.approx(24000 / 1001)
    fixed = dataclasses.replace(tiktok, fps=25.0)
    assert fixed.pick_fps(30.0) == 25.0


def test_safe_zone_scales_to_the_output_size() -> None:
    zone = load_preset("tiktok").safe_zone
    assert zone.scaled(1080, 1920) == (220, 500, 120, 180)
    assert zone.scaled(360, 640) == (73, 167, 40, 60)


# --- extends and output ----------------------------------------------------------------------


def test_user_file_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = write(tmp_path, 'extends = "tiktok"\n[video]\nwidth = 360\nheight = 640\n', "small.toml")
    small, tiktok = load_preset(path), load_preset("tiktok")
    assert (small.video.width, small.video.height) == (360, 640)
    assert small.name == "small" and small.extends == "tiktok" and small.path == str(path)
    a, b = small.to_dict(), tiktok.to_dict()
    assert (a.pop("name"), a["video"].pop("width"), a["video"].pop("height")) == ("small", 360, 640)
    b.pop("name"), b["video"].pop("width"), b["video"].pop("height")
    assert a == b


def test_extends_a_relative_file_and_lists_are_replaced(tmp_path: Path) -> None:
    write(tmp_path, 'extends = "douyin"\n[covers]\nsizes = ["1080x1440"]\n', "base.toml")
    leaf = write(
        tmp_path,
        'extends = "../base.toml"\nname = "leaf"\n[limits]\nmax_episode_s = 120\n',
        "sub/leaf.toml",
    )
    preset = load_preset(leaf)
    assert preset.covers.sizes == ("1080x1440",)
    assert preset.covers.size_pairs == ((1080, 1440),)
    assert preset.limits.max_episode_s == 120
    assert preset.metadata.license_number_required is True  # from douyin, two levels up
    assert preset.extends == str(tmp_path / "base.toml")


def test_extends_loop_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, 'extends = "b.toml"\n', "a.toml")
    write(tmp_path, 'extends = "a.toml"\n', "b.toml")
    with pytest.raises(UsageError, match=r"loop: .*a\.toml -> .*b\.toml -> .*a\.toml"):
        load_preset(tmp_path / "a.toml")


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_written_toml_reads_back_to_the_same_preset(name: str, tmp_path: Path) -> None:
    preset = load_preset(name)
    text = dumps_toml(preset.to_dict(), header="copy")
    assert tomllib.loads(text) == preset.to_dict()
    again = load_preset(write(tmp_path, text, f"{name}.toml"))
    assert again == preset and again.extends is None


# --- validation --------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'extends = "tiktok"\n'
        '[video]\nwidth = 361\ncodec = "h265"\nallowed_fps = [30, 0]\n'
        '[audio]\nloudness_lufs = 3\nchannels = "2"\n'
        '[subtitles]\nmode = "burned"\n'
        '[naming]\nepisode = "{series}_{idx}"\n',
    )
    found = problems_of(path)
    assert found == [
        f"{path}: video.width = 361: use an even integer from 16 to 8192",
        f'{path}: video.codec = "h265": use one of "h264", "hevc" (did you mean "h264"?)',
        f"{path}: video.allowed_fps[1] = 0: use a number from 1 to 240",
        f'{path}: audio.channels = "2": use one of 1, 2',
        f"{path}: audio.loudness_lufs = 3: use a number from -40 to 0",
        f'{path}: subtitles.mode = "burned": use one of "burn", "mux", "sidecar", "none" '
        '(did you mean "burn"?)',
        f'{path}: naming.episode = "{{series}}_{{idx}}": unknown placeholder {{idx}}; '
        "use {index}, {platform}, {series}",
    ]
    with pytest.raises(PresetError) as info:
        load_preset(path)
    message = str(info.value)
    assert message.startswith(f"invalid preset {path} (7 problems):\n  - ")
    assert info.value.exit_code == 2


def test_unknown_keys_suggest_the_right_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'extends = "tiktok"\nwidth = 720\n[video]\nwidht = 720\n[vidoe]\nheight = 1\n'
        '[subtitles.style.fonts]\ncjk_sc = "X"\n',
    )
    found = problems_of(path)
    assert len(found) == 4
    assert found[0].startswith(f'{path}: width: unknown key (did you mean "video.width"?)')
    assert found[1].startswith(f'{path}: video.widht: unknown key (did you mean "video.width"?)')
    assert "[video] takes: width, height," in found[1]
    assert found[2].startswith(f'{path}: vidoe: unknown key (did you mean "video"?)')
    assert 'did you mean "subtitles.style.fonts.cjk-sc"?' in found[3]


def test_types_are_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'extends = "tiktok"\nunverified = "no"\n[video]\nwidth = true\nfaststart = 1\n'
        'crf = 20.5\n[video.gop]\nclosed = "yes"\n[covers]\nsizes = "1080x1920"\n'
        "[audio]\nbitrate_kbps = [128]\n[limits]\nmax_episode_s = {s = 1}\n",
    )
    found = problems_of(path)
    assert f'{path}: unverified = "no": use true or false' in found
    assert f"{path}: video.width = true: use an even integer from 16 to 8192" in found
    assert f"{path}: video.faststart = 1: use true or false" in found
    assert f"{path}: video.crf = 20.5: use an integer from 0 to 51" in found
    assert f'{path}: video.gop.closed = "yes": use true or false' in found
    assert f'{path}: covers.sizes = "1080x1920": use a list, each item a string' in found
    assert f"{path}: audio.bitrate_kbps = [128]: use an integer from 32 to 512" in found
    assert any(p.startswith(f"{path}: limits.max_episode_s: use a value here") for p in found)
    assert len(found) == 8


def test_rules_that_span_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'extends = "tiktok"\n[limits]\nmax_episode_s = 20\n'
        '[video]\nprofile = "main10"\nfps = 23.976\n'
        '[subtitles]\nmode = "sidecar"\nsidecar_formats = []\n'
        "[subtitles.style]\nmargin_v = 300\nmargin_l = 10\n",
    )
    found = problems_of(path)
    assert found == [
        "tiktok (built-in): trailers.lengths[1] = 30: the platform takes 3 to 20 s (see [limits])",
        "tiktok (built-in): trailers.lengths[2] = 60: the platform takes 3 to 20 s (see [limits])",
        f'{path}: video.profile = "main10": h264 takes "baseline", "main", "high"',
        f"{path}: video.fps = 23.976: use one of video.allowed_fps "
        "[24.0, 25.0, 29.97, 30.0, 50.0, 59.94, 60.0]",
        f'{path}: subtitles.sidecar_formats = []: mode "sidecar" needs at least one format: '
        '["srt"]',
        f"{path}: subtitles.style.margin_v = 300: keep it inside the safe zone: from 500 to 1699",
        f"{path}: subtitles.style.margin_l = 10: use at least safe_zone.left (120) to keep text "
        "off the UI",
    ]


def test_templates_are_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'extends = "tiktok"\n[naming]\nepisode = "{series}/{index}"\ntrailer = "{series}"\n'
        'cover = "{index:q}_{size}"\n[subtitles]\nsidecar_naming = "{stem}.srt"\n',
    )
    found = problems_of(path)
    assert len(found) == 4
    assert "subtitles.sidecar_naming" in found[0] and "include {ext}" in found[0]
    assert "naming.episode" in found[1] and "no folders" in found[1]
    assert "naming.trailer" in found[2] and "include {length}" in found[2]
    assert "naming.cover" in found[3] and "format spec" in found[3]


def test_a_file_without_extends_must_be_complete(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, 'name = "scratch"\n[video]\nwidth = 720\n'))
    assert found[0].endswith(
        "the top level: missing source, checked: set them, or start the file with "
        'extends = "tiktok"'
    )
    assert any("[video]: missing height, codec," in p for p in found)
    assert any("[subtitles.style.fonts]: missing latin, cjk-sc" in p for p in found)


def test_unknown_name_lists_the_builtins() -> None:
    with pytest.raises(UsageError) as info:
        load_preset("tikok")
    message = str(info.value)
    assert "\n" not in message and info.value.exit_code == 2
    assert message.startswith('unknown preset "tikok" (did you mean "tiktok"?): use one of ')
    for name in BUILTINS:
        assert name in message


def test_unknown_extends_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r'extends = "tiktoc": unknown preset .*"tiktok"'):
        load_preset(write(tmp_path, 'extends = "tiktoc"\n'))
    with pytest.raises(UsageError, match=r"preset file '.*nope\.toml' not found"):
        load_preset(tmp_path / "nope.toml")
    with pytest.raises(UsageError, match=r"extends = 5: use a built-in name"):
        load_preset(write(tmp_path, "extends = 5\n", "five.toml"))


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'extends = "tiktok"\n[video\nwidth = 360\n')
    with pytest.raises(UsageError) as info:
        load_preset(path)
    message = str(info.value)
    assert message.startswith(f"invalid preset {path}: not valid TOML: ")
    assert "line 2" in message and "\n" not in message


def test_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('extends = "tiktok"\ndescription = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(UsageError, match="not UTF-8 text"):
        load_preset(path)
