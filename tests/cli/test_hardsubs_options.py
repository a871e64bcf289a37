"""``--hardsubs auto|off|FILE``, ``--hardsubs-method`` and ``--hardsubs-keep`` through Click:
exact one-line errors (exit 2, nothing rendered) on ``split`` and ``package``, the manifest's
per-episode record of what was masked, and the one line ``package`` prints with masking off
when a cached detection found dialogue text. Plus the pure parts: what is protected, and the
mask fragment in the episode's own graph with its times shifted to the episode."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixtures.hardsubs import SYNTHETIC_CUES, build_text_master
from tests.integration.test_package import write_tiny_preset
from vidpack.cli.main import cli
from vidpack.hardsubs.masking import parse_hardsubs_options, protect
from vidpack.hardsubs.model import Hardsubs, Masking, Region


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hardsubs_options")
    return build_text_master(folder), write_tiny_preset(folder, "tiny", "tiktok")  # 180x320


def _split(master: Path, preset: Path, out: Path, *extra: str) -> tuple[int, str]:
    args = ["split", str(master), "--preset", str(preset), "--min", "4", "--max", "6"]
    result = CliRunner().invoke(cli, [*args, "--speed", "ultrafast", *extra, "-o", str(out)])
    return result.exit_code, result.output


def test_bad_options_are_one_line_errors_before_any_work(
    master: tuple[Path, Path], tmp_path: Path
) -> None:
    path, preset = master
    out = tmp_path / "out"
    cases = {
        ("--hardsubs", "auto", "--hardsubs-method", "smudge"): (
            "Error: --hardsubs-method 'smudge' is not a method: use one of blur, box, inpaint, "
            "crop\n"
        ),
        ("--hardsubs", str(tmp_path / "nope.json")): (
            f"Error: --hardsubs {str(tmp_path / 'nope.json')!r} is neither auto, off nor a mask "
            "file: give auto, off, or a file made by `vidpack hardsubs MASTER -o mask.json`\n"
        ),
        ("--hardsubs", "auto", "--hardsubs-keep", "1,2,3"): (
            "Error: --hardsubs-keep '1,2,3' is not X,Y,W,H: give four whole numbers of master "
            "pixels, e.g. 20,100,320,40\n"
        ),
        ("--hardsubs", "auto", "--hardsubs-keep", "300,0,100,50"): (
            "Error: --hardsubs-keep 300,0,100,50 reaches outside the 360x640 master: keep "
            "x + w <= 360 and y + h <= 640\n"
        ),
    }
    for extra, message in cases.items():
        code, output = _split(path, preset, out, *extra)
        assert (code, output) == (2, message), extra
        assert not out.exists()
    package = ["package", str(path), "--platform", str(preset), "-o", str(out)]
    result = CliRunner().invoke(cli, [*package, "--hardsubs-method", "smudge"])
    assert (result.exit_code, result.output) == (
        2,
        "Error: --hardsubs-method 'smudge' is not a method: use one of blur, box, inpaint, crop\n",
    )
    assert not out.exists()


def test_a_mask_file_of_another_master_is_refused(
    master: tuple[Path, Path], tmp_path: Path
) -> None:
    path, preset = master
    mask = tmp_path / "mask.json"
    mask.write_text(json.dumps({"size": [1080, 1920], "regions": []}), encoding="utf-8")
    out = tmp_path / "out"
    code, output = _split(path, preset, out, "--hardsubs", str(mask))
    assert code == 2
    assert output == (
        f"Error: --hardsubs {str(mask)!r}: size: [1080, 1920] does not match the master's "
        "360x640: make the mask file from this master (vidpack hardsubs MASTER -o FILE)\n"
    )
    assert not out.exists()


def test_package_records_the_masking_and_says_when_it_is_off(
    master: tuple[Path, Path], tmp_path: Path
) -> None:
    path, preset = master
    args = ["package", str(path), "--platform", str(preset), "--min", "4", "--max", "6"]
    args += ["--no-promo", "--speed", "ultrafast", "--progress", "none"]
    result = CliRunner().invoke(cli, [*args, "--hardsubs", "auto", "-o", str(tmp_path / "a")])
    assert result.exit_code in (0, 1), result.output  # QC may judge the silent master
    manifest = json.loads((tmp_path / "a" / "tiny" / "manifest.json").read_text())
    covered = []
    for ep in manifest["episodes"]:
        record = ep["hardsubs"]
        assert record["method"] == "box"
        length = ep["end"] - ep["start"]
        for region in record["regions"]:
            assert region["kind"] == "dialogue"
            assert region["box"][1] > 0.75 * 640  # the bottom band (master pixels), not the title
            for a, b in region["ranges"]:
                assert 0 <= a < b <= length + 1e-3  # episode seconds
                covered.append((ep["start"] + a, ep["start"] + b))
    for start, end, _text in SYNTHETIC_CUES:  # every cue is masked (in master time)
        assert any(a <= (start + end) / 2 <= b for a, b in covered), (start, end)
    assert sum(b - a for a, b in covered) == pytest.approx(
        sum(end - start for start, end, _ in SYNTHETIC_CUES), abs=0.5
    )

    off = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "b")])
    lines = [line for line in off.output.splitlines() if "burned-in dialogue" in line]
    cached = json.loads(
        next((path.parent / ".vidpack-cache").glob("text.*.hardsubs.json")).read_text()
    )
    dialogue = [r for r in cached["regions"] if r["kind"] == "dialogue"]
    shown = sum(b - a for r in dialogue for a, b in r["ranges"])
    assert len(dialogue) == 1 and lines == [
        f"Warning: text.mp4 has burned-in dialogue text ({shown:.0f} s in 1 region, from the "
        "cached detection): add --hardsubs auto to mask it"
    ]
    manifest = json.loads((tmp_path / "b" / "tiny" / "manifest.json").read_text())
    assert all(ep["hardsubs"] is None for ep in manifest["episodes"])


# --- the pure parts ------------------------------------------------------------------------------


def test_only_dialogue_is_masked_and_protected_text_never() -> None:
    band = Region("dialogue", (40, 540, 280, 40), ((1.0, 3.0), (4.0, 9.0)), 1.0)
    high = Region("dialogue", (40, 100, 280, 30), ((0.0, 9.0),), 1.0)
    filing = Region("static", (30, 580, 200, 20), ((0.0, 5.0),), 1.0)
    found = Hardsubs(360, 640, 10.0, (band, high, filing))
    regions, notes = protect(found, [(40, 90, 100, 20)])
    # the band is masked only while the filing number it touches is off screen; the region
    # touching the keep box is left alone
    assert regions == (Region("dialogue", band.box, ((5.0, 9.0),), 1.0),)
    assert notes == [
        "burned-in dialogue region 2 at 40,100,280,30 touches --hardsubs-keep 40,90,100,20: "
        "left unmasked"
    ]
    assert parse_hardsubs_options("auto", "blur", [" 1, 2 ,3,4"]).keep == ((1, 2, 3, 4),)


def test_the_mask_goes_into_the_episode_graph_before_the_reframe_in_episode_time() -> None:
    from tests.unit.test_render_units import _info, _spec  # 180x320 master, episode at 4 s
    from vidpack.render.encode import episode_args, video_chain
    from vidpack.render.model import render_key

    spec, info = _spec(), _info()
    band = Region("dialogue", (20, 270, 140, 30), ((3.0, 6.0),), 1.0)
    masking = Masking("box", (180, 320), (band,))
    masked = replace(spec, mask=masking.window(4.0, 7.0))
    chain = video_chain(masked, info)
    assert "enable='between(t,0.000,2.000)'" in chain  # master 4-6 s is the episode's 0-2 s
    head, _, tail = chain.rpartition(";")
    assert "overlay=" in head and "scale=1080:1920" in tail  # masked before the reframe
    graph = episode_args(masked, info, "tmp.mp4", 2)
    assert graph[graph.index("-filter_complex") + 1].startswith("[0:v:0]setpts=PTS-STARTPTS")
    assert render_key(masked) != render_key(spec)
    # an episode where no region shows renders (and keys) as without masking
    assert render_key(replace(spec, mask=masking.window(20.0, 30.0))) == render_key(spec)


def test_jobs_file_keys_are_checked_and_carried(tmp_path: Path) -> None:
    from vidpack.errors import UsageError
    from vidpack.farm.options import normalise, package_options

    def label(key: str) -> str:
        return f"jobs.toml: master[1].{key}"

    bad = {"platforms": ["tiktok"], "hardsubs": "auto", "hardsubs_method": "smudge"}
    data = normalise({**bad, "hardsubs_keep": ["1,2"]}, tmp_path, label)
    with pytest.raises(UsageError) as err:
        package_options(data, tmp_path / "out", label)
    message = str(err.value)
    assert (
        "jobs.toml: master[1].hardsubs_method 'smudge' is not a method: use one of blur, box, "
        "inpaint" in message
    )
    assert (
        "jobs.toml: master[1].hardsubs_keep '1,2' is not X,Y,W,H: give four whole numbers of "
        "master pixels, e.g. 20,100,320,40" in message
    )
    mask = tmp_path / "m.json"
    mask.write_text('{"regions": []}', encoding="utf-8")
    good = {"platforms": ["tiktok"], "hardsubs": "m.json", "hardsubs_keep": "0,0,10,10"}
    options = package_options(normalise(good, tmp_path, label), tmp_path / "out", label)
    assert options.hardsubs.source == str(mask.resolve())  # relative to the jobs file
    assert options.hardsubs.keep == ((0, 0, 10, 10),) and options.hardsubs.method == "box"


def test_masking_is_cut_to_an_episode_and_saved_for_a_batch() -> None:
    band = Region("dialogue", (0, 500, 360, 60), ((1.0, 3.0), (4.0, 9.0), (12.0, 13.0)), 0.9)
    masking = Masking("inpaint", (360, 640), (band,))
    cut = masking.window(2.0, 8.0)
    assert cut.regions == (Region("dialogue", band.box, ((0.0, 1.0), (2.0, 6.0)), 0.9),)
    assert masking.window(9.5, 11.0).regions == ()
    saved = {**masking.to_dict(), "size": list(masking.size)}
    assert Masking.from_dict(json.loads(json.dumps(saved))) == masking
