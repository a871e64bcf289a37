"""Jobs files, plan files and series files report every problem at once, one a line, each naming
the job or entry, the key, the bad value and what would work (missing files and unknown presets
included), exit 2 with nothing run; `--subs 'xx!!=FILE'` is a bad language tag, not a missing
file; ASS cues with a style the file does not define are a warning naming the style.

Nothing here needs real media: every refusal happens before a master is probed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vidpack.cli.main import cli
from vidpack.errors import UsageError
from vidpack.farm.options import KEYS
from vidpack.package.series import load_series
from vidpack.plan.model import MasterRef
from vidpack.plan.planfile import load_plan, master_ref
from vidpack.presets import list_presets
from vidpack.subtitles.inputs import parse_subs_args
from vidpack.subtitles.repair import repair
from vidpack.subtitles.run import load_tracks

SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello\n"


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _batch_jobs(tmp_path: Path, text: str) -> tuple[int, str, str, Path]:
    """``vidpack batch --jobs-file`` on ``text`` beside a stand-in master ``a.mp4`` (existence is
    checked up front, probing is a task's job): exit code, stdout, stderr and the jobs file."""
    (tmp_path / "a.mp4").write_bytes(b"\0" * 16)
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(text, encoding="utf-8")
    return (*_invoke("batch", "--jobs-file", str(jobs), "-o", str(tmp_path / "out")), jobs)


def test_jobs_file_with_seven_problems_lists_seven(tmp_path: Path) -> None:
    (tmp_path / "a.en.srt").write_text(SRT, encoding="utf-8")
    code, stdout, stderr, jobs = _batch_jobs(
        tmp_path,
        '[defaults]\nplatforms = ["tiktok"]\n\n'
        '[[master]]\npath = "missing.mp4"\n\n'
        '[[master]]\npath = "a.mp4"\nname = "two"\nsubs = ["en=nosuch.srt"]\n'
        'platforms = ["tikok"]\nmax = "long"\ncolour = "red"\n\n'
        '[[master]]\npath = "a.mp4"\nname = "three"\nplan = "no.plan.json"\n'
        'subs = ["xx!!=a.en.srt"]\n',
    )
    assert (code, stdout) == (2, "")
    at = f"{jobs}: master"
    presets = ", ".join(list_presets())
    assert stderr.splitlines() == [
        "Error: 7 problems:",
        f"  {at}[1].path {str(tmp_path / 'missing.mp4')!r}: no such file; give an existing "
        "master file (a path relative to the jobs file)",
        f"  {at}[2].max = 'long': give a number of seconds, e.g. 60",
        f"  {at}[2].colour: unknown key; use one of {', '.join(KEYS)}",
        f'  {at}[2].platforms \'tikok\': unknown preset "tikok" (did you mean "tiktok"?): use '
        f"one of {presets}, or a path to a .toml file",
        f"  {at}[2].subs 'en={tmp_path / 'nosuch.srt'}': no such file; give an existing SRT, "
        "ASS or VTT file",
        f"  {at}[3].subs 'xx!!={tmp_path / 'a.en.srt'}': bad language tag 'xx!!'; use one "
        f"vidpack knows, such as en, zh-Hans, ko, ar or pt-BR (e.g. en={tmp_path / 'a.en.srt'})",
        f"  {at}[3].plan {str(tmp_path / 'no.plan.json')!r}: no such file; give a saved plan JSON",
    ]
    assert not (tmp_path / "out").exists()  # nothing run, nothing written


def test_jobs_file_numbers_series_file_and_presets(tmp_path: Path) -> None:
    """A bad value is one problem (its default does not stand in for a second one); inf is not a
    number of seconds; every problem of a series file and of a preset file is its own line."""
    (tmp_path / "series.toml").write_text("title = 3\nepisodes = 2\n", encoding="utf-8")
    (tmp_path / "mine.toml").write_text(
        'extends = "tiktok"\n[video]\nwidth = -1\ncrf = "x"\n', encoding="utf-8"
    )
    code, _, stderr, jobs = _batch_jobs(
        tmp_path,
        '[[master]]\npath = "a.mp4"\nplatforms = ["tiktok"]\nmin = -5\nmax = inf\n'
        'subs_encoding = "klingon"\n\n'
        '[[master]]\npath = "a.mp4"\nname = "b"\nmin = 50\nmax = 20\n'
        'platforms = ["mine.toml", "tiktok", "tiktok"]\nseries_file = "series.toml"\n',
    )
    assert code == 2
    at, mine, series = f"{jobs}: master", tmp_path / "mine.toml", tmp_path / "series.toml"
    assert stderr.splitlines() == [
        "Error: 9 problems:",
        f"  {at}[1].max = inf: give a finite number, e.g. 60",
        f"  {at}[1].subs_encoding = 'klingon': not an encoding Python knows; use e.g. utf-8, "
        "gb18030, big5, shift_jis, euc-kr, cp1256 or tis-620",
        f"  {at}[1].min = -5 is not a positive number of seconds: use e.g. 60",
        f"  {at}[2].min = 50 is larger than max 20: use a min of at most 20",
        f"  {at}[2].platforms {str(mine)!r}: invalid preset {mine}: video.width = -1: use an "
        "even integer from 16 to 8192",
        f'  {at}[2].platforms {str(mine)!r}: invalid preset {mine}: video.crf = "x": use an '
        "integer from 0 to 51",
        f"  {at}[2].platforms 'tiktok': platform tiktok is given twice",
        f"  {at}[2].series_file {str(series)!r}: key 'title' is 3: give a string or a [title] "
        'table of language = string, e.g. en = "Red Thread"',
        f"  {at}[2].series_file {str(series)!r}: unknown key 'episodes' (use title, synopsis, "
        "tagline, license_number, free_episodes, intro, price_tier)",
    ]


def test_inherited_bad_values_are_said_once_where_written(tmp_path: Path) -> None:
    code, _, stderr, jobs = _batch_jobs(
        tmp_path,
        '[defaults]\nplatforms = ["nosuch"]\n\n'
        '[[master]]\npath = "a.mp4"\n\n'
        '[[master]]\npath = "a.mp4"\nname = "again"\n\n'
        '[[master]]\npath = "a.mp4"\nname = "own"\nplatforms = ["tiktok"]\n',
    )
    assert code == 2
    assert stderr.splitlines() == [
        f"Error: {jobs}: defaults.platforms 'nosuch': unknown preset \"nosuch\": use one of "
        f"{', '.join(list_presets())}, or a path to a .toml file"
    ]


def test_command_line_options_are_said_once_for_every_master(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"\0" * 16)
    code, _, stderr = _invoke(
        "batch", str(tmp_path / "a.mp4"), str(tmp_path / "nope.mp4"), "--platform", "tikok",
        "--min", "-5", "-o", str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 2
    assert stderr.splitlines() == [
        "Error: 3 problems:",
        "  --min -5 is not a positive number of seconds: use e.g. 60",
        f'  --platform \'tikok\': unknown preset "tikok" (did you mean "tiktok"?): use one of '
        f"{', '.join(list_presets())}, or a path to a .toml file",
        f"  MASTERS: master {str(tmp_path / 'nope.mp4')!r} does not exist: give an existing "
        "media file",
    ]
    assert not (tmp_path / "out").exists()


@pytest.fixture
def master(tmp_path: Path) -> MasterRef:
    path = tmp_path / "drama.mp4"
    path.write_bytes(bytes(range(256)) * 100)
    return master_ref(path, duration=300.0, fps=25.0)


def test_plan_file_bad_fields_do_not_hide_other_problems(tmp_path: Path, master: MasterRef) -> None:
    """A bad time in episode 2 used to stop the checks: the gap between 3 and 4, the wrong end
    and the other master's fingerprint were only found after fixing it."""
    data = {
        "master": {"duration": "long", "fingerprint": "0" * 24, "path": "other.mp4"},
        "episodes": [
            {"start": 0, "end": 100},
            {"start": "1:40", "end": 150},
            {"start": 150, "end": 200},
            {"start": 210, "end": 290},
        ],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_plan(path, master)
    assert str(err.value) == (
        f"plan file {str(path)!r}: 5 problems:\n"
        "  master.duration: 'long' is not a positive number: keep the value vidpack wrote "
        "(300.000 for this master)\n"
        "  the plan is for a different master: it was made for 'other.mp4' (? s, ? bytes), not "
        f"{master.path!r} (300.000 s, {master.size} bytes): run `vidpack plan {master.path}` to "
        "plan this master\n"
        "  episode 2 start: '1:40' is not a number of seconds\n"
        "  episode 4 start: 210.000 leaves a gap after episode 3, which ends at 200.000: make "
        "them meet at one time\n"
        "  episode 4 end: 290.000 stops before the master's end 300.000: set it to 300.000"
    )


def test_series_file_problems_one_a_line_and_missing_file_is_exit_2(tmp_path: Path) -> None:
    series = tmp_path / "series.json"
    series.write_text(json.dumps({"title": 3, "tagline": "t", "episodes": 9}), encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_series(series)
    assert str(err.value) == (
        f"--series-file {str(series)!r}: 2 problems:\n"
        "  key 'title' is 3: give a string or a [title] table of language = string, e.g. "
        'en = "Red Thread"\n'
        "  unknown key 'episodes' (use title, synopsis, tagline, license_number, free_episodes, "
        "intro, price_tier)"
    )
    with pytest.raises(UsageError) as err:
        load_series(tmp_path / "none.toml")
    assert err.value.exit_code == 2
    assert str(err.value) == (
        f"--series-file {str(tmp_path / 'none.toml')!r}: no such file; give a TOML or JSON file "
        "of title, synopsis, tagline, license_number, free_episodes, intro, price_tier"
    )
    (tmp_path / "bad.toml").write_text("title = \n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"^--series-file '.*bad.toml' is not valid: "):
        load_series(tmp_path / "bad.toml")


def test_subs_bad_language_tag_is_said_as_such(tmp_path: Path) -> None:
    master = tmp_path / "m.mp4"
    master.write_text("not media: --subs is refused before the master is read")
    srt = tmp_path / "m.en.srt"
    srt.write_text(SRT, encoding="utf-8")
    out = tmp_path / "out"
    for value, tag, rest in (("xx!!=file", "xx!!", "file"), (f"qq={srt}", "qq", str(srt))):
        code, stdout, stderr = _invoke(
            "split", str(master), "--preset", "tiktok", "--subs", value, "-o", str(out)
        )
        assert (code, stdout) == (2, "")
        assert stderr.splitlines() == [
            f"Error: --subs {value!r}: bad language tag {tag!r}; use one vidpack knows, such as "
            f"en, zh-Hans, ko, ar or pt-BR (e.g. en={rest})"
        ]
    code, _, stderr = _invoke(
        "split", str(master), "--preset", "tiktok", "--subs", "en=nosuch.srt", "-o", str(out)
    )
    assert code == 2
    assert stderr.splitlines() == [
        "Error: --subs 'en=nosuch.srt': no such file; give an existing SRT, ASS or VTT file"
    ]
    assert not out.exists()


ASS = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, \
Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, \
Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,\
2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,Hello
Dialogue: 0,0:00:03.00,0:00:04.00,Sign,,0,0,0,,A shop sign
Dialogue: 0,0:00:05.00,0:00:06.00,Sign,,0,0,0,,Another sign
Dialogue: 0,0:00:07.00,0:00:08.00,Song,,0,0,0,,La la
"""


def test_ass_cues_with_undefined_styles_warn_naming_the_style(tmp_path: Path) -> None:
    repaired = repair(ASS, "ass", name="m.en.ass")
    assert [c.text for c in repaired.cues] == ["Hello", "A shop sign", "Another sign", "La la"]
    assert repaired.warnings == (
        "m.en.ass: line 11: style 'Sign' is not defined in the file's styles (2 cues, lines 11, "
        "12): kept as plain text (vidpack does not use the file's styles); define the style or "
        "use one the file defines",
        "m.en.ass: line 13: style 'Song' is not defined in the file's styles (1 cue, line 13): "
        "kept as plain text (vidpack does not use the file's styles); define the style or use "
        "one the file defines",
    )
    with pytest.raises(UsageError, match=r"^--strict: subtitles 'm.en.ass' need repairs: .*'Sign'"):
        repair(ASS, "ass", name="m.en.ass", strict=True)
    defined = ASS.replace(",Sign,", ",Default,").replace(",Song,", ",Default,")
    assert repair(defined, "ass", name="m.en.ass").warnings == ()
    # Read as --subs reads it: the warnings travel with the track to the command's summary.
    path = tmp_path / "m.en.ass"
    path.write_text(ASS, encoding="utf-8")
    (track,) = load_tracks(parse_subs_args([str(path)]), master_duration=60.0)
    assert [w.split(": ", 2)[1] for w in track.warnings] == ["line 11", "line 13"]
