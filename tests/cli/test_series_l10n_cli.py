"""A malformed series file is refused up front by `vidpack package` and `vidpack batch` (exit 2,
every problem its own line, nothing written), and the per-language keys work through a jobs
file's ``series_file``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from vidpack.cli.main import cli
from vidpack.farm.options import package_options

BAD = '[title]\nen = "Red Thread"\nxx-!! = "B"\n[tagline]\nko = 3\n'
GOOD = 'free_episodes = 3\nintro = 1\nprice_tier = "standard"\n[title]\nen = "A"\nko = "붉은 실"\n'


def test_package_refuses_a_malformed_series_file(tmp_path: Path) -> None:
    series = tmp_path / "series.toml"
    series.write_text(BAD + "free_episodes = 1.5\n", encoding="utf-8")
    # tomllib refuses a bare key with "!": a file TOML cannot read is one line
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["package", str(tmp_path / "m.mp4"), "--platform", "tiktok", "--series-file",
              str(series), "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: --series-file {str(series)!r} is not valid: ")
    assert len(result.stderr.strip().splitlines()) == 1
    series.write_text(
        '"xx-!!" = 1\nfree_episodes = 1.5\n[title]\nen = "Red Thread"\n"x y" = "B"\n'
        "[tagline]\nko = 3\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["package", str(tmp_path / "m.mp4"), "--platform", "tiktok", "--series-file",
              str(series), "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: --series-file {str(series)!r}: 4 problems:",
        "  unknown key 'xx-!!' (use title, synopsis, tagline, license_number, free_episodes, "
        "intro, price_tier)",
        "  key 'free_episodes' is 1.5: give a whole number >= 0, e.g. free_episodes = 10",
        "  [title] key 'x y' is not a language tag vidpack knows: use a BCP 47 tag such as en, "
        "ko, ja, zh-Hans, th or ar",
        "  [tagline] ko is 3: give a string",
    ]
    assert not out.exists()  # nothing written


def test_batch_jobs_file_series_keys(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"\0" * 16)
    (tmp_path / "bad.toml").write_text("intro = -2\n[title]\nzz9 = 'x'\n", encoding="utf-8")
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(
        '[[master]]\npath = "a.mp4"\nplatforms = ["tiktok"]\nseries_file = "bad.toml"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["batch", "--jobs-file", str(jobs), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    where = f"{jobs}: master[1].series_file {str(tmp_path / 'bad.toml')!r}"
    assert result.stderr.splitlines() == [
        "Error: 2 problems:",
        f"  {where}: key 'intro' is -2: give an episode number from 1, e.g. intro = 1",
        f"  {where}: [title] key 'zz9' is not a language tag vidpack knows: use a BCP 47 tag "
        "such as en, ko, ja, zh-Hans, th or ar",
    ]
    assert not (tmp_path / "out").exists()
    (tmp_path / "good.toml").write_text(GOOD, encoding="utf-8")
    data = {"path": str(tmp_path / "a.mp4"), "platforms": ["tiktok"],
            "series_file": str(tmp_path / "good.toml")}  # fmt: skip
    options = package_options(data, tmp_path / "out", lambda key: f"master[1].{key}")
    series = options.series
    assert (series.title_for("ko"), series.title_for("th"), series.free_episodes) == (
        "붉은 실",
        "A",
        3,
    )
    assert series.episode_terms(4) == {"access": "paid", "intro": False, "price_tier": "standard"}
