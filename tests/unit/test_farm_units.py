"""The farm's task model without ffmpeg: jobs files (defaults, per-master options, every problem
named), the batch graph and its job file, stamps and fingerprints, and the OpenJD template
(validated by `openjd check`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vidpack.errors import InputError, UsageError
from vidpack.farm.build import MasterEntry, build_batch, load_jobs_file
from vidpack.farm.model import Batch, Task, load_batch, render_id, save_batch
from vidpack.farm.openjd import _int_range, job_template
from vidpack.farm.options import cli_label, normalise
from vidpack.farm.stamps import is_current, stamp_fingerprint, write_stamp


def _masters(folder: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\0" * 16)  # existence is checked up front; probing is a task's job
        paths.append(path)
    return paths


def test_jobs_file_merges_defaults_and_resolves_paths(tmp_path: Path) -> None:
    _masters(tmp_path, "in/a.mp4", "in/b b.mp4")
    (tmp_path / "in" / "a.en.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(
        '[defaults]\nplatforms = ["tiktok"]\nmin = 30\n\n'
        '[[master]]\npath = "in/a.mp4"\nsubs = ["in/a.en.srt"]\nmax = 90\n\n'
        '[[master]]\npath = "in/b b.mp4"\nname = "second"\nplatforms = ["drama-app"]\n'
    )
    entries = load_jobs_file(jobs, {"speed": "ultrafast", "min": 10.0})
    assert [e.path for e in entries] == [str(tmp_path / "in/a.mp4"), str(tmp_path / "in/b b.mp4")]
    first, second = entries[0].options, entries[1].options
    assert first["min"] == 30.0 and first["max"] == 90.0 and first["speed"] == "ultrafast"
    assert first["subs"] == [str((tmp_path / "in/a.en.srt").resolve())]
    assert second["platforms"] == ["drama-app"] and "max" not in second
    batch = build_batch(entries, tmp_path / "out", threads=3)
    assert [m.name for m in batch.masters] == ["a", "second"]
    assert [t.id for t in batch.tasks] == ["a/analyze", "second/analyze"]
    assert batch.masters[1].out == str((tmp_path / "out" / "second").resolve())
    save_batch(batch, tmp_path / "job.json")
    again = load_batch(tmp_path / "job.json")
    assert again == batch and again.threads == 3


def test_jobs_file_problems_name_each_key(tmp_path: Path) -> None:
    _masters(tmp_path, "a.mp4")
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(
        '[defaults]\nplatforms = "tiktok"\n\n'
        '[[master]]\npath = "a.mp4"\nplatfrom = ["x"]\nmin = "long"\n\n'
        '[[master]]\nname = "nopath"\n\n'
        '[[master]]\npath = "a.mp4"\nspeed = "warp"\n'
    )
    entries = load_jobs_file(jobs, {})  # the problems travel with the entries
    with pytest.raises(UsageError) as err:
        build_batch(entries, tmp_path / "out")
    text = str(err.value)
    assert text.startswith("5 problems:\n")
    assert f"{jobs}: master[3]: master name 'a' is also used by" in text  # master[1] is a too
    assert f"{jobs}: master[1].platfrom: unknown key" in text
    assert f"{jobs}: master[1].min = 'long': give a number of seconds" in text
    assert f"{jobs}: master[2].path: missing" in text
    assert f"{jobs}: master[3].speed = 'warp': use one of ultrafast" in text


def test_jobs_file_dubs_resolve_and_bad_ones_are_named(tmp_path: Path) -> None:
    _masters(tmp_path, "a.mp4")
    (tmp_path / "dub.en.wav").write_bytes(b"\0" * 16)  # probing the dub is a task's job
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(
        '[defaults]\nplatforms = ["tiktok"]\n\n'
        '[[master]]\npath = "a.mp4"\naudio = ["en=dub.en.wav"]\naudio_fit = "pad"\n\n'
        '[[master]]\npath = "a.mp4"\nname = "b"\naudio = ["xx1=dub.en.wav", "ko=gone.wav"]\n'
        'audio_fit = "stretch"\n'
    )
    entries = load_jobs_file(jobs, {})
    assert entries[0].options["audio"] == [f"en={(tmp_path / 'dub.en.wav').resolve()}"]
    with pytest.raises(UsageError) as err:
        build_batch(entries, tmp_path / "out")
    gone = (tmp_path / "gone.wav").resolve()
    assert str(err.value).splitlines()[1:] == [
        f"  {jobs}: master[2].audio 'xx1={(tmp_path / 'dub.en.wav').resolve()}': bad language "
        "tag 'xx1'; use one vidpack knows, such as en, ko, ja, th, ar or zh-Hans (e.g. "
        f"en={(tmp_path / 'dub.en.wav').resolve()})",
        f"  {jobs}: master[2].audio 'ko={gone}': no such file; give an existing audio file",
        f"  {jobs}: master[2].audio_fit 'stretch' is not a way to fit a dub: use exact, pad or "
        "trim",
    ]


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[master]\npath = 1\n")
    with pytest.raises(UsageError, match=r"^--jobs-file .*bad.toml' is not valid TOML"):
        load_jobs_file(bad, {})
    with pytest.raises(UsageError, match=r"^--jobs-file .*none.toml.: no such file"):
        load_jobs_file(tmp_path / "none.toml", {})


def test_build_batch_reports_every_problem(tmp_path: Path) -> None:
    a, b = _masters(tmp_path, "x/a.mp4", "y/a.mp4")
    base = {"platforms": ["tiktok"]}
    entries = [
        MasterEntry(str(a), None, base),
        MasterEntry(str(b), None, base),
        MasterEntry(str(tmp_path / "gone.mp4"), None, base),
        MasterEntry(str(a), "bad name!", base),
        MasterEntry(str(a), "c", {"platforms": ["no-such-platform"]}),
    ]
    with pytest.raises(UsageError) as err:
        build_batch(entries, tmp_path / "out")
    text = str(err.value)
    assert "master name 'a' is also used by" in text
    assert f"master {str(tmp_path / 'gone.mp4')!r} does not exist" in text
    assert "master name 'bad name!' is not usable" in text
    assert "\n  --platform 'no-such-platform': unknown preset" in text  # options: said once


def test_cli_labels_and_normalise_types() -> None:
    assert cli_label("platforms") == "--platform"
    assert cli_label("license_number") == "--license-number"
    assert cli_label("promo") == "--no-promo"
    with pytest.raises(UsageError) as err:
        normalise({"strict": "yes", "min": True, "reframe": "zoom"}, Path("."), cli_label)
    assert "--strict = 'yes': give true or false" in str(err.value)
    assert "--min = True: give a number" in str(err.value)
    assert "--reframe = 'zoom': use one of fit, crop, smart" in str(err.value)


def _graph(tmp_path: Path) -> Batch:
    (master,) = _masters(tmp_path, "m.mp4")
    batch = build_batch([MasterEntry(str(master), None, {"platforms": ["tiktok"]})], tmp_path)
    renders = [
        Task(render_id("m", key, ep), "render", "m", {"rendition": key, "episode": ep},
             deps=("m/analyze",))
        for key in ("r1", "r2") for ep in (1, 2, 3)
    ]  # fmt: skip
    promo = Task("m/promo", "promo", "m", deps=("m/analyze",))
    package = Task(
        "m/package/tiktok", "package", "m", {"platform": "tiktok"},
        deps=("m/analyze", "m/promo", *(t.id for t in renders)),
    )  # fmt: skip
    return batch.with_tasks("m", [*renders, promo, package])


def test_graph_dependents_and_unknown_task(tmp_path: Path) -> None:
    batch = _graph(tmp_path)
    assert batch.expanded == ("m",)
    assert batch.dependents("m/render/r1/2") == {"m/package/tiktok"}
    assert len(batch.dependents("m/analyze")) == 8
    with pytest.raises(
        UsageError, match=r"unknown task id 'm/render/r9/1': run `vidpack task list"
    ):
        batch.task("m/render/r9/1")
    with pytest.raises(InputError, match="is not a vidpack job file"):
        (tmp_path / "other.json").write_text('{"a": 1}')
        load_batch(tmp_path / "other.json")


def test_stamps_follow_fingerprint_and_outputs(tmp_path: Path) -> None:
    batch = _graph(tmp_path)
    job, task = batch.masters[0], batch.task("m/render/r1/1")
    output = tmp_path / "episode.mp4"
    output.write_bytes(b"x" * 100)
    assert not is_current(job, task, "f1")
    write_stamp(job, task, "f1", [output])
    assert is_current(job, task, "f1")
    assert stamp_fingerprint(job, task.id) == "f1"
    assert not is_current(job, task, "f2")  # inputs or preset changed
    output.write_bytes(b"x" * 99)  # an output changed or was cut short
    assert not is_current(job, task, "f1")
    output.unlink()
    assert not is_current(job, task, "f1")


def test_stamp_written_before_the_rename(tmp_path: Path) -> None:
    import os

    from vidpack.media.atomic import atomic_output

    batch = _graph(tmp_path)
    job, task = batch.masters[0], batch.task("m/render/r1/1")
    output = tmp_path / "episode.mp4"
    output.write_bytes(b"o" * 100)  # an older file of the same size under the final name
    os.utime(output, ns=(1_000_000_000, 1_000_000_000))

    def killed(made: Path) -> None:
        write_stamp(job, task, "f1", [output], [made])
        raise KeyboardInterrupt  # the kill lands between the stamp and the rename

    with pytest.raises(KeyboardInterrupt), atomic_output(output, before_rename=killed) as tmp:
        tmp.write_bytes(b"n" * 100)
    assert not is_current(job, task, "f1")  # the stamp names a file that never appeared
    with atomic_output(
        output, before_rename=lambda made: write_stamp(job, task, "f1", [output], [made])
    ) as tmp:
        tmp.write_bytes(b"n" * 100)
    assert is_current(job, task, "f1")


def test_openjd_template_steps_and_check(tmp_path: Path) -> None:
    batch = _graph(tmp_path)
    jobfile = tmp_path / "out" / "vidpack-job.json"
    data = job_template(batch, jobfile, tmp_path)
    steps = {s["name"]: s for s in data["steps"]}
    assert list(steps) == ["m analyze", "m render", "m promo", "m package"]
    params = steps["m render"]["parameterSpace"]["taskParameterDefinitions"]
    assert params == [
        {"name": "Rendition", "type": "STRING", "range": ["r1", "r2"]},
        {"name": "Episode", "type": "INT", "range": "1-3"},
    ]
    assert steps["m render"]["script"]["actions"]["onRun"]["args"][-1] == (
        "m/render/{{Task.Param.Rendition}}/{{Task.Param.Episode}}"
    )
    assert steps["m package"]["dependencies"] == [
        {"dependsOn": "m render"},
        {"dependsOn": "m promo"},
    ]
    assert data["parameterDefinitions"][0]["default"] == "out/vidpack-job.json"
    assert _int_range([1, 2, 3]) == "1-3" and _int_range([1, 3]) == "1,3" and _int_range([4]) == "4"
    path = tmp_path / "job.json"
    path.write_text(json.dumps(data))
    openjd = Path(sys.executable).parent / "openjd"
    check = subprocess.run([str(openjd), "check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
