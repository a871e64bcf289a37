"""Plan files: round trip, hand edits, and every kind of bad plan reported at once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from plan_helpers import random_analysis

from vidpack.errors import UsageError
from vidpack.plan.model import EpisodePlan, MasterRef, PlanOptions
from vidpack.plan.optimize import plan_episodes
from vidpack.plan.planfile import fingerprint, load_plan, master_ref, plan_to_dict, save_plan
from vidpack.problems import Problems


@pytest.fixture
def master(tmp_path: Path) -> MasterRef:
    # Not a real video: the plan file only needs the master's bytes for its fingerprint.
    path = tmp_path / "drama.mp4"
    path.write_bytes(bytes(range(256)) * 9000)  # 2.3 MB: head and tail hashed separately
    return master_ref(path, duration=600.0, fps=25.0)


@pytest.fixture
def plan(master: MasterRef) -> EpisodePlan:
    analysis = random_analysis(7, 600.0)
    return plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0), master)


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, indent=2))
    return path


def _refusal(path: Path, master: MasterRef) -> str:
    """The message of the usage error loading ``path`` against ``master`` raises."""
    with pytest.raises(UsageError) as err:
        load_plan(path, master)
    return str(err.value)


def test_round_trip_keeps_every_episode(
    tmp_path: Path, plan: EpisodePlan, master: MasterRef
) -> None:
    path = tmp_path / "out" / "plan.json"
    path.parent.mkdir()
    save_plan(plan, path)
    data = json.loads(path.read_text())
    assert data["vidpack_plan"] == 1
    assert data["master"] == {
        "path": master.path,
        "size": master.size,
        "duration": 600.0,
        "fps": 25.0,
        "fingerprint": master.fingerprint,
    }
    assert data["options"]["min_s"] == 60.0
    first = data["episodes"][1]
    assert set(first) == {
        "index",
        "start",
        "end",
        "duration",
        "start_frame",
        "end_frame",
        "cut_kind",
        "cut_score",
        "in_dialogue",
        "margin",
    }
    assert data["episodes"][0]["margin"] is None  # the master's start is no boundary
    assert set(first["margin"]) == {"before", "after"}
    loaded = load_plan(path, master)
    assert loaded.episodes == plan.episodes
    assert loaded.options == plan.options
    assert sorted(p.name for p in path.parent.iterdir()) == ["plan.json"]  # no temp file left


def test_fingerprint_tells_files_apart(tmp_path: Path) -> None:
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"x" * 3_000_000)
    b.write_bytes(b"x" * 2_999_999 + b"y")  # differs only in the last byte
    assert fingerprint(a) != fingerprint(b)
    assert fingerprint(a) == fingerprint(a)


def test_hand_edited_boundary_is_accepted_and_frames_rederived(
    tmp_path: Path, plan: EpisodePlan, master: MasterRef
) -> None:
    data = plan_to_dict(plan)
    moved = data["episodes"][0]["end"] + 2.0
    data["episodes"][0]["end"] = moved
    data["episodes"][1]["start"] = moved
    # an editor merges the last two episodes and leaves the numbers as they were
    data["episodes"][-2]["end"] = data["episodes"][-1]["end"]
    del data["episodes"][-1]
    data["episodes"][0]["index"] = 7
    loaded = load_plan(_write(tmp_path, data), master)
    assert [e.index for e in loaded.episodes] == list(range(1, len(plan.episodes)))
    assert loaded.episodes[1].start == pytest.approx(moved)
    assert loaded.episodes[1].start_frame == round(moved * 25)
    assert loaded.episodes[0].end_frame == round(moved * 25)
    assert loaded.episodes[-1].end == 600.0
    assert loaded.episodes[-1].end_frame == 15000


def test_every_problem_is_reported_at_once(
    tmp_path: Path, plan: EpisodePlan, master: MasterRef
) -> None:
    data = plan_to_dict(plan)
    eps = data["episodes"]
    eps[0]["start"] = 1.5
    eps[1]["start"] = eps[0]["end"] - 3.0  # overlaps episode 1
    eps[2]["start"] = eps[1]["end"] + 4.0  # gap after episode 2
    eps[-1]["end"] = 590.0  # stops before the end
    message = _refusal(_write(tmp_path, data), master)
    e1_end, e2_end = eps[0]["end"], eps[1]["end"]
    n = len(eps)
    assert message == (
        f"plan file {str(tmp_path / 'plan.json')!r}: 4 problems:\n"
        "  episode 1 start: 1.500 should be 0 (the master's start): set it to 0\n"
        f"  episode 2 start: {e1_end - 3.0:.3f} overlaps episode 1, which ends at {e1_end:.3f}: "
        "make them meet at one time\n"
        f"  episode 3 start: {e2_end + 4.0:.3f} leaves a gap after episode 2, which ends at "
        f"{e2_end:.3f}: make them meet at one time\n"
        f"  episode {n} end: 590.000 stops before the master's end 600.000: set it to 600.000"
    )


def test_field_problems_name_the_episode_and_field(
    tmp_path: Path, plan: EpisodePlan, master: MasterRef
) -> None:
    data = plan_to_dict(plan)
    data["episodes"][1]["start"] = "2:03"
    data["episodes"][2]["end"] = data["episodes"][2]["start"] - 1
    del data["episodes"][3]["end"]
    data["vidpack_plan"] = 9
    message = _refusal(_write(tmp_path, data), master)
    assert "vidpack_plan: 9 is not a plan version this vidpack reads (1)" in message
    assert "episode 2 start: '2:03' is not a number of seconds" in message
    assert "episode 3 end: " in message and "is not after its start" in message
    assert "episode 4 end: None is not a number of seconds" in message


def test_plan_for_a_different_master_names_both(
    tmp_path: Path, plan: EpisodePlan, master: MasterRef
) -> None:
    path = tmp_path / "plan.json"
    save_plan(plan, path)
    other_file = tmp_path / "other.mp4"
    other_file.write_bytes(b"z" * 1000)
    other = master_ref(other_file, duration=480.0, fps=25.0)
    message = _refusal(path, other)
    assert (
        f"the plan is for a different master: it was made for {master.path!r} (600.000 s, "
        f"{master.size} bytes), not {str(other_file)!r} (480.000 s, 1000 bytes): "
        f"run `vidpack plan {other_file}` to plan this master"
    ) in message
    # Same duration, different content: still a different master.
    same_length = master_ref(other_file, duration=600.0, fps=25.0)
    with pytest.raises(UsageError, match="the plan is for a different master"):
        load_plan(path, same_length)


def test_master_block_may_lack_identity_for_hand_written_plans(
    tmp_path: Path, master: MasterRef
) -> None:
    data = {
        "master": {"duration": 600.0},
        "episodes": [{"start": 0, "end": 250.5}, {"start": 250.5, "end": 600}],
    }
    loaded = load_plan(_write(tmp_path, data), master)
    assert [(e.start, e.end, e.start_frame, e.end_frame) for e in loaded.episodes] == [
        (0.0, 250.5, 0, 6262),
        (250.5, 600.0, 6262, 15000),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{\n "master": {"duration": 600},\n}',
            "is not valid JSON: Expecting property name enclosed in double quotes at line 3 "
            "column 1",
        ),
        ("[1, 2]", "not a JSON object with master and episodes"),
        ('{"master": {"duration": 600}, "episodes": []}', "episodes: missing or empty"),
        ('{"episodes": [{"start": 0, "end": 600}]}', "master: missing or not an object"),
        # found by the property tests: json's own ValueError and RecursionError escaped
        (
            '{"episodes": [{"start": ' + "9" * 5000 + "}]}",
            "holds a number of more than 4300 digits",
        ),
        ("[" * 100_000 + "]" * 100_000, "is not a plan: its JSON is nested too deeply"),
    ],
)
def test_broken_files(tmp_path: Path, master: MasterRef, text: str, expected: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text)
    with pytest.raises(UsageError, match="plan file") as err:
        load_plan(path, master)
    assert expected in str(err.value)


def test_missing_plan_file(tmp_path: Path, master: MasterRef) -> None:
    assert _refusal(tmp_path / "nope.json", master) == (
        f"plan file {str(tmp_path / 'nope.json')!r} not found: "
        "give the file `vidpack plan -o` wrote"
    )


def test_margins_and_notes_round_trip(tmp_path: Path, master: MasterRef) -> None:
    from plan_helpers import make_analysis

    from vidpack.analyze.model import Interval

    # No audio (no loudness, no speech): a note; one cue gives the boundary a margin.
    analysis = make_analysis(600.0, [150.0, 300.0, 450.0])
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0), master, (Interval(1, 2),))
    assert plan.notes and all(e.margin is not None for e in plan.episodes[1:])
    path = tmp_path / "plan.json"
    save_plan(plan, path)
    data = json.loads(path.read_text())
    assert data["notes"] == list(plan.notes)
    assert data["episodes"][1]["margin"] == {"before": 148.0, "after": None}
    loaded = load_plan(path, master)
    assert loaded.notes == plan.notes
    assert loaded.episodes == plan.episodes


def test_plan_written_before_margins_still_loads(
    tmp_path: Path, plan: EpisodePlan, master: MasterRef
) -> None:
    data = plan_to_dict(plan)
    del data["notes"]
    for ep in data["episodes"]:
        del ep["margin"]
    data["options"] = {k: v for k, v in data["options"].items() if k != "margin_s"}
    loaded = load_plan(_write(tmp_path, data), master)
    assert [(e.start, e.end) for e in loaded.episodes] == [(e.start, e.end) for e in plan.episodes]
    assert all(e.margin is None for e in loaded.episodes)
    assert loaded.notes == ()
    assert loaded.options == plan.options  # margin_s: the default


@pytest.mark.parametrize(
    "margin", ["0.5", {"before": -1.0, "after": 2.0}, {"before": "x", "after": 1.0}, [1, 2]]
)
def test_unreadable_margin_is_dropped(
    tmp_path: Path, plan: EpisodePlan, master: MasterRef, margin: Any
) -> None:
    data = plan_to_dict(plan)
    data["episodes"][1]["margin"] = margin
    loaded = load_plan(_write(tmp_path, data), master)
    assert loaded.episodes[1].margin is None
    assert loaded.episodes[2].margin == plan.episodes[2].margin


def test_notes_must_be_strings(tmp_path: Path, plan: EpisodePlan, master: MasterRef) -> None:
    data = plan_to_dict(plan)
    data["notes"] = [3]
    with pytest.raises(UsageError, match="notes: not a list of strings"):
        load_plan(_write(tmp_path, data), master)


def test_unreadable_plan_file(
    tmp_path: Path, master: MasterRef, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, {})

    def denied(self: Path, *args: Any, **kwargs: Any) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_text", denied)  # root reads a chmod 000 file anyway
    assert _refusal(path, master) == f"plan file {str(path)!r} cannot be read: Permission denied"


def test_integer_beyond_a_float_is_not_a_number(tmp_path: Path, master: MasterRef) -> None:
    # Found by the property tests: 10**400 (valid JSON) raised OverflowError.
    data = {"master": {"duration": 10**400}, "episodes": [{"start": 0, "end": 10**400}]}
    with pytest.raises(Problems) as err:
        load_plan(_write(tmp_path, data), master)
    assert [p.split(":")[0] for p in err.value.problems] == ["master.duration", "episode 1 end"]
    assert "is not a number of seconds" in err.value.problems[1]


_NO_FRAME = (
    "holds no frame of the master: make it at least 0.040 s long or merge it with a neighbour"
)


@pytest.mark.parametrize(
    ("episodes", "expected"),
    [
        # Found by the property tests: times within half a frame of their neighbours snap to
        # them, which turned these episodes backwards or empty, and they loaded.
        (  # the first ends before the master's start it snaps to
            [{"start": -0.015, "end": -0.005}, {"start": -0.005, "end": 600}],
            "episode 1: 0.000 to -0.005",
        ),
        (  # the one before ends past this one's start and past the master's end it snaps to
            [{"start": 0, "end": 600.015}, {"start": 600.0, "end": 600.01}],
            "episode 2: 600.015 to 600.000",
        ),
        (  # between frames 250 and 250
            [
                {"start": 0, "end": 10.0},
                {"start": 10.01, "end": 10.015},
                {"start": 10.015, "end": 600},
            ],
            "episode 2: 10.000 to 10.015",
        ),
    ],
)
def test_episode_that_holds_no_frame_once_snapped_is_refused(
    tmp_path: Path, master: MasterRef, episodes: list[dict[str, float]], expected: str
) -> None:
    data = {"master": {"duration": 600.0}, "episodes": episodes}
    assert _refusal(_write(tmp_path, data), master) == (
        f"plan file {str(tmp_path / 'plan.json')!r}: {expected} (its times snapped to its "
        f"neighbours') {_NO_FRAME}"
    )


def test_first_episode_is_the_masters_start_whatever_the_file_says(
    tmp_path: Path, plan: EpisodePlan, master: MasterRef
) -> None:
    # Found by the property tests: an editor merges episodes 1 and 2 by deleting the first and
    # starting the second at 0; it loaded as a first episode on a cut, in dialogue.
    data = plan_to_dict(plan)
    data["episodes"][1].update(start=0.0, cut_kind="cut", cut_score=0.9, in_dialogue=True)
    del data["episodes"][0]
    first = load_plan(_write(tmp_path, data), master).episodes[0]
    assert (first.cut_kind, first.cut_score, first.in_dialogue, first.margin) == (
        "start",
        None,
        False,
        None,
    )


@pytest.mark.parametrize("kind", ["banana", "start", ["cut"], None])
def test_unknown_cut_kind_reads_as_cut(
    tmp_path: Path, plan: EpisodePlan, master: MasterRef, kind: Any
) -> None:
    # Found by the property tests: any string loaded as the kind, outside BoundaryKind.
    data = plan_to_dict(plan)
    data["episodes"][1]["cut_kind"] = kind
    assert load_plan(_write(tmp_path, data), master).episodes[1].cut_kind == "cut"
