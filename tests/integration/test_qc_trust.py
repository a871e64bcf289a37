"""`vidpack qc` trusts nothing it did not measure, on a real package built once by `vidpack
package` (a 24 s generated 180x320 master, --speed ultrafast, --no-promo, a user preset): an extra
or a missing file fails naming it, an edited manifest duration fails with both values, an edited
preset copy changes nothing but a warning, and the untouched package passes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from fixtures.generate import generate_master
from tests.integration.qc_package import build_package
from tests.integration.test_package import write_tiny_preset
from vidpack.cli.main import cli
from vidpack.media.runner import run_ffprobe
from vidpack.package.qc import run_qc

pytestmark = pytest.mark.integration

NAME = "tiny-qc"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("qctrust")
    master = generate_master(root / "m", name="m", size=(180, 320), minutes=0.4, threads=1)
    preset = write_tiny_preset(root, NAME, "drama-app", max_s=30)
    out = root / "out"
    args = ["package", str(master.path), "-o", str(out), "--min", "8", "--max", "15"]
    args += ["--speed", "ultrafast", "--no-promo", "--platform", str(preset)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return {"folder": out / NAME, "preset": preset}


@pytest.fixture
def pkg(built: dict[str, Path], tmp_path: Path) -> Path:
    """A private copy of the package, free to tamper with."""
    return Path(shutil.copytree(built["folder"], tmp_path / NAME))


def qc(folder: Path, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["qc", str(folder), "--json", *extra])


def failed(result: Result) -> list[dict[str, Any]]:
    return [c for c in json.loads(result.stdout)["checks"] if not c["ok"]]


def fail(file: str, check: str, expected: str, actual: str) -> dict[str, Any]:
    """A failed check as the JSON report shows it."""
    return {"file": file, "check": check, "ok": False, "expected": expected, "actual": actual}


def manifest(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / "manifest.json").read_text(encoding="utf-8")))


def write_manifest(folder: Path, data: dict[str, Any]) -> None:
    (folder / "manifest.json").write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_clean_package_passes(built: dict[str, Path]) -> None:
    result = qc(built["folder"], "--preset", str(built["preset"]))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["verdict"], data["failed"], data["warnings"]) == ("pass", 0, [])
    assert data["preset"] == str(built["preset"])
    checks = {c["check"] for c in data["checks"]}
    assert {"unlisted files", "manifest duration", "manifest bytes", "duration"} <= checks
    assert result.stderr == ""


def test_extra_files_fail_naming_each(pkg: Path, built: dict[str, Path]) -> None:
    shutil.copy(pkg / "series_E002.mp4", pkg / "series_E003.mp4")
    (pkg / "notes.txt").write_text("call the editor\n", encoding="utf-8")
    result = qc(pkg, "--preset", str(built["preset"]))
    assert result.exit_code == 1
    assert failed(result) == [
        fail("notes.txt", "listed in manifest", "listed in manifest.json", "not listed"),
        fail("series_E003.mp4", "listed in manifest", "listed in manifest.json", "not listed"),
        fail("(folder)", "unlisted files", "none", "notes.txt, series_E003.mp4"),
    ]


def test_file_only_in_sha256sums_fails(pkg: Path, built: dict[str, Path]) -> None:
    (pkg / "notes.txt").write_text("x\n", encoding="utf-8")
    with (pkg / "SHA256SUMS").open("a", encoding="utf-8") as fh:
        fh.write(f"{'0' * 64}  notes.txt\n")
    result = qc(pkg, "--preset", str(built["preset"]))
    assert result.exit_code == 1
    assert {(c["file"], c["check"], c["actual"]) for c in failed(result)} == {
        ("notes.txt", "listed in manifest", "not listed"),
        ("notes.txt", "SHA256SUMS", "only in SHA256SUMS"),
        ("(folder)", "unlisted files", "notes.txt"),
    }


def test_missing_file_fails(pkg: Path, built: dict[str, Path]) -> None:
    (pkg / "series_E002.mp4").unlink()
    result = qc(pkg, "--preset", str(built["preset"]))
    assert result.exit_code == 1
    assert failed(result) == [fail("series_E002.mp4", "exists", "file present", "missing")]


def test_edited_duration_fails_with_both_values(pkg: Path, built: dict[str, Path]) -> None:
    data = manifest(pkg)
    data["episodes"][0]["duration"] = 20.0
    write_manifest(pkg, data)
    probe = run_ffprobe(["-show_format", "--", str(pkg / "series_E001.mp4")])
    measured = float(probe["format"]["duration"])
    result = qc(pkg, "--preset", str(built["preset"]))
    assert result.exit_code == 1
    assert failed(result) == [
        fail(
            "series_E001.mp4",
            "manifest duration",
            f"{measured:.3f} s (measured)",
            "20.000 s (manifest)",
        )
    ]
    table = CliRunner().invoke(cli, ["qc", str(pkg), "--preset", str(built["preset"])])
    row = "series_E001.mp4 manifest duration FAIL {:.3f} s (measured) 20.000 s (manifest)"
    assert [ln.split() for ln in table.stdout.splitlines() if "FAIL" in ln] == [
        row.format(measured).split()
    ]


def test_edited_preset_copy_is_reported_not_obeyed(pkg: Path, built: dict[str, Path]) -> None:
    data = manifest(pkg)
    data["preset"]["limits"]["max_episode_s"] = 5  # every episode would be too long by the copy
    data["preset"]["video"]["width"] = 999
    write_manifest(pkg, data)
    result = qc(pkg, "--preset", str(built["preset"]))
    assert result.exit_code == 0, result.output
    warning = (
        f"{pkg}/manifest.json: its preset copy differs from preset '{NAME}' "
        f"({built['preset']}) in limits.max_episode_s, video.width; QC judges by the preset"
    )
    assert result.stderr == f"Warning: {warning}\n"
    assert json.loads(result.stdout)["warnings"] == [warning]


def test_loosened_preset_copy_does_not_loosen_qc(pkg: Path, built: dict[str, Path]) -> None:
    data = manifest(pkg)
    data["preset"]["limits"]["max_episode_s"] = 5
    write_manifest(pkg, data)
    strict = write_tiny_preset(pkg.parent, NAME, "drama-app", max_s=5)
    result = qc(pkg, "--preset", str(strict))
    assert result.exit_code == 1
    assert {(c["file"], c["check"], c["expected"]) for c in failed(result)} == {
        ("series_E001.mp4", "duration", "1-5 s"),
        ("series_E002.mp4", "duration", "1-5 s"),
    }
    copy = manifest(pkg)
    copy["preset"]["limits"]["max_episode_s"] = 30  # the copy now says 30: QC still says 5
    write_manifest(pkg, copy)
    again = qc(pkg, "--preset", str(strict))
    assert again.exit_code == 1
    assert "limits.max_episode_s" in again.stderr


def test_user_preset_without_preset_option_is_exit_2(built: dict[str, Path]) -> None:
    result = CliRunner().invoke(cli, ["qc", str(built["folder"])])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: --preset: {built['folder']} was made with preset '{NAME}', which is not built "
        f"in: pass the preset it was made with, e.g. --preset {NAME}.toml (built-ins: douyin, "
        "drama-app, facebook-reels, instagram-reels, kuaishou, snapchat-spotlight, tiktok, "
        "youtube-shorts)\n"
    )


def test_edited_cover_bytes_fail(tmp_path: Path) -> None:
    folder = build_package(tmp_path / "tiny")  # hand-built, with a cover
    data = manifest(folder)
    size = (folder / "covers" / "cover.jpg").stat().st_size
    data["covers"][0]["bytes"] = size + 1
    write_manifest(folder, data)
    bad = [(c.file, c.check, c.expected, c.actual) for c in run_qc(folder).checks if not c.ok]
    assert bad == [
        ("covers/cover.jpg", "manifest bytes", f"{size} B (measured)", f"{size + 1} B (manifest)")
    ]
