"""Property tests (hypothesis) of plan files: saving, loading and validation, no ffmpeg.

Each property holds for every input hypothesis draws: a valid plan (episodes of at least a frame,
contiguous from 0 to the master's end) saved with ``save_plan`` or ``plan_to_dict`` loads back
equal; any JSON value, any mutation of a valid plan's file (a field removed or of the wrong type,
a number made negative, NaN, infinite or huge, a time nudged by up to two frames, episodes
reordered, dropped, duplicated or merged, a different master), every time of a plan moved by up
to a frame (around the half-frame tolerance) and any bytes (truncated, not UTF-8, nested too
deep) either load as a valid plan (first episode at the master's start, no boundary; each
holding a frame) or raise one :class:`UsageError` naming the file, one line per problem, never
another exception; and a file with k independent problems reports all k, each once.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any, get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidpack.errors import UsageError
from vidpack.plan.model import BoundaryKind, Episode, EpisodePlan, Margin, MasterRef, PlanOptions
from vidpack.plan.planfile import load_plan, plan_to_dict, save_plan
from vidpack.problems import Problems

FAST = settings(max_examples=60, deadline=None)
# The tests write into pytest's tmp_path, one file overwritten by every example.
FILES = settings(FAST, suppress_health_check=[HealthCheck.function_scoped_fixture])

_FPS = st.sampled_from([23.976, 24.0, 25.0, 29.97, 30.0, 50.0, 60.0]) | st.floats(1.0, 240.0)
_KINDS = st.sampled_from([k for k in get_args(BoundaryKind) if k != "start"])
_SECONDS = st.none() | st.floats(0, 1000, allow_subnormal=False)
_MARGINS = st.none() | st.builds(Margin, before=_SECONDS, after=_SECONDS)
_LINES = st.lists(st.text(max_size=30), max_size=3).map(tuple)
# Any JSON value Python's json reads: NaN and infinities included, integers beyond a float.
_LEAF = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(10**400), 10**400)
    | st.floats()
    | st.text(max_size=10)
)
_JSON = st.recursive(
    _LEAF,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=12,
)
# Values a careless edit puts where a number of seconds belongs.
_BAD_NUMBERS = st.sampled_from([None, "12.5", "1:00", True, [], {}, math.nan, math.inf, -math.inf])


@st.composite
def masters(draw: st.DrawFn) -> MasterRef:
    """A master as :func:`master_ref` describes one (identity known or not)."""
    return MasterRef(
        path=draw(st.sampled_from(["drama.mp4", "/srv/masters/第1話.mov", "a b/c-d.mkv"])),
        duration=draw(st.floats(1.0, 20_000.0)),
        fps=draw(_FPS),
        size=draw(st.none() | st.integers(1, 2**40)),
        fingerprint=draw(st.none() | st.text("0123456789abcdef", min_size=24, max_size=24)),
    )


@st.composite
def plan_options(draw: st.DrawFn) -> PlanOptions:
    """Options that pass :meth:`PlanOptions.problems`."""
    low, high = sorted(draw(st.lists(st.floats(1, 600), min_size=2, max_size=2)))
    weight = st.floats(-10, 10)
    return PlanOptions(
        min_s=low,
        max_s=high,
        target_s=draw(st.none() | st.floats(low, high)),
        w_cut=draw(weight),
        w_kind_fade=draw(weight),
        pause_s=draw(st.floats(0, 5)),
        margin_s=draw(st.floats(0, 5)),
    )


@st.composite
def plans(draw: st.DrawFn, master: MasterRef) -> EpisodePlan:
    """A valid plan for ``master``: episodes of at least a frame, meeting exactly, from 0 to the
    master's end; inner times to the microsecond (the file's precision), frames derived."""
    least = master.frame * 1.001  # a frame, and room for rounding to microseconds
    count = draw(st.integers(1, max(1, min(8, int(master.duration / least)))))
    shares = draw(st.lists(st.floats(0, 1), min_size=count, max_size=count))
    spare = master.duration - count * least
    edges, total = [0.0], sum(shares) or 1.0
    for k in range(1, count):
        edges.append(round(k * least + spare * sum(shares[:k]) / total, 6))
    edges.append(master.duration)
    episodes = []
    for k, (start, end) in enumerate(itertools.pairwise(edges), start=1):
        first = k == 1
        episodes.append(
            Episode(
                index=k,
                start=start,
                end=end,
                start_frame=master.frame_at(start),
                end_frame=master.frame_at(end),
                cut_kind="start" if first else draw(_KINDS),
                cut_score=None if first else draw(st.none() | st.floats(0, 1)),
                in_dialogue=not first and draw(st.booleans()),
                margin=None if first else draw(_MARGINS),
            )
        )
    return EpisodePlan(
        master=master,
        options=draw(plan_options()),
        episodes=tuple(episodes),
        warnings=draw(_LINES),
        notes=draw(_LINES),
    )


def assert_valid(plan: EpisodePlan, master: MasterRef) -> None:
    """What every loaded plan is: the master's, contiguous from 0 to its end, each episode at
    least a frame, numbered 1..n with frames derived, the first no boundary, fields typed."""
    eps = plan.episodes
    assert eps and plan.master == master
    assert eps[0].start == 0.0 and eps[-1].end == master.duration
    assert (eps[0].cut_kind, eps[0].cut_score, eps[0].margin) == ("start", None, None)
    assert eps[0].in_dialogue is False
    for k, ep in enumerate(eps, start=1):
        assert ep.index == k
        assert (ep.start_frame, ep.end_frame) == (
            master.frame_at(ep.start),
            master.frame_at(ep.end),
        )
        assert ep.end_frame > ep.start_frame, ep
        assert ep.cut_kind in get_args(BoundaryKind), ep
        assert ep.cut_score is None or math.isfinite(ep.cut_score)
        assert isinstance(ep.in_dialogue, bool)
        sides = (ep.margin.before, ep.margin.after) if ep.margin is not None else ()
        assert all(s is None or (math.isfinite(s) and s >= 0) for s in sides)
    for a, b in itertools.pairwise(eps):
        assert a.end == b.start
    for value in (getattr(plan.options, name) for name in PlanOptions.__dataclass_fields__):
        assert value is None or math.isfinite(value)
    assert all(isinstance(line, str) for line in plan.warnings + plan.notes)


def load_or_clean_error(path: Path, master: MasterRef) -> EpisodePlan | UsageError:
    """The plan at ``path`` (checked valid) or the usage error it raised (checked clean): the
    file named first, no traceback, one line per problem. Any other exception fails the test."""
    try:
        plan = load_plan(path, master)
    except UsageError as err:
        message = str(err)
        assert message.startswith(f"plan file {str(path)!r}"), message
        assert "Traceback" not in message
        if isinstance(err, Problems):
            assert err.problems and all(p and "\n" not in p for p in err.problems)
            assert len(message.split("\n")) == (
                1 if len(err.problems) == 1 else 1 + len(err.problems)
            )
        else:
            assert "\n" not in message
        return err
    assert_valid(plan, master)
    return plan


@FILES
@given(st.data())
def test_a_saved_plan_loads_back_equal(tmp_path: Path, data: st.DataObject) -> None:
    master = data.draw(masters())
    plan = data.draw(plans(master))
    path = tmp_path / "plan.json"
    save_plan(plan, path)
    assert load_plan(path, master) == plan
    path.write_text(json.dumps(plan_to_dict(plan)), encoding="utf-8")  # as another program would
    assert load_plan(path, master) == plan


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into a JSON value (dict keys and list positions), the root excluded."""
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    out = []
    for key, child in items:
        out.append((*prefix, key))
        out += _paths(child, (*prefix, key))
    return out


def _float(value: Any) -> float | None:
    """``value`` when a float holds it (an earlier edit may have left a string or 10**400)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > 1e300:
        return None
    return float(value)


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def mutated(draw: st.DrawFn, data: dict[str, Any], master: MasterRef) -> dict[str, Any]:
    """``data`` (a valid plan's dict) with one to three edits a careless editor makes."""
    data = json.loads(json.dumps(data))
    for _ in range(draw(st.integers(1, 3))):
        eps = data.get("episodes")
        eps = eps if isinstance(eps, list) else []
        edit = draw(st.sampled_from(["remove", "retype", "number", "nudge", "episodes", "master"]))
        paths = _paths(data)
        if edit in ("remove", "retype", "number") and paths:
            path = draw(st.sampled_from(paths))
            parent = _parent(data, path)
            if edit == "remove":
                del parent[path[-1]]
            elif edit == "retype":
                parent[path[-1]] = draw(_JSON)
            else:
                scale = _float(parent[path[-1]]) or 1.0
                parent[path[-1]] = draw(
                    st.sampled_from([-scale, -1e-9, 0, scale * 1e9, 1e308, 10**400]) | _BAD_NUMBERS
                )
        elif edit == "nudge" and eps:
            ep, key = draw(st.sampled_from(eps)), draw(st.sampled_from(["start", "end"]))
            time = _float(ep.get(key)) if isinstance(ep, dict) else None
            if time is not None:
                ep[key] = time + draw(st.floats(-2, 2)) * master.frame
        elif edit == "episodes" and eps:
            i = draw(st.integers(0, len(eps) - 1))
            how = draw(st.sampled_from(["swap", "drop", "duplicate", "merge", "reverse"]))
            if how == "swap":
                j = draw(st.integers(0, len(eps) - 1))
                eps[i], eps[j] = eps[j], eps[i]
            elif how == "drop":
                del eps[i]
            elif how == "duplicate":
                eps.insert(i, json.loads(json.dumps(eps[i])))
            elif how == "merge" and i + 1 < len(eps):  # the later one takes the earlier's start
                if isinstance(eps[i], dict) and isinstance(eps[i + 1], dict):
                    eps[i + 1]["start"] = eps[i].get("start")
                del eps[i]
            else:
                eps.reverse()
        elif edit == "master" and isinstance(data.get("master"), dict):
            block = data["master"]
            key = draw(st.sampled_from(["fingerprint", "size", "duration", "path"]))
            block[key] = draw(
                st.sampled_from(["0" * 24, 1, master.duration + 1, master.duration * 2, "other"])
            )
    return data


@FILES
@given(st.data())
def test_any_edit_of_a_plan_file_loads_valid_or_fails_cleanly(
    tmp_path: Path, data: st.DataObject
) -> None:
    master = data.draw(masters())
    plan = data.draw(plans(master))
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data.draw(mutated(plan_to_dict(plan), master))), encoding="utf-8")
    load_or_clean_error(path, master)


@FILES
@given(st.data())
def test_times_moved_by_up_to_a_frame_load_valid_or_fail_cleanly(
    tmp_path: Path, data: st.DataObject
) -> None:
    """Every start and end moved on its own by up to a frame: inside the validator's tolerance
    (half a frame) the episodes snap together, beyond it they are refused; either way no
    episode comes out empty or backwards, the short ones (a frame or two) included."""
    master = data.draw(masters().filter(lambda m: m.duration * m.fps < 200))
    saved = plan_to_dict(data.draw(plans(master)))
    for ep in saved["episodes"]:
        for key in ("start", "end"):
            ep[key] += data.draw(st.floats(-1, 1)) * master.frame
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    load_or_clean_error(path, master)


_PLAN_SHAPED = st.fixed_dictionaries(
    {},
    optional={
        "vidpack_plan": st.just(1) | _JSON,
        "master": st.fixed_dictionaries({"duration": st.floats(0, 100) | _JSON}) | _JSON,
        "episodes": st.lists(
            st.fixed_dictionaries({"start": st.floats(-1, 100) | _JSON, "end": st.floats(-1, 100)})
            | _JSON,
            max_size=4,
        )
        | _JSON,
        "options": st.dictionaries(st.sampled_from(["min_s", "max_s", "x"]), _JSON) | _JSON,
        "warnings": _JSON,
        "notes": _JSON,
    },
)


@FILES
@given(_PLAN_SHAPED | _JSON, _FPS)
def test_any_json_value_loads_valid_or_fails_cleanly(
    tmp_path: Path, value: Any, fps: float
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    load_or_clean_error(path, MasterRef("m.mp4", duration=50.0, fps=fps))


@FILES
@given(st.data())
def test_any_bytes_load_valid_or_fail_cleanly(tmp_path: Path, data: st.DataObject) -> None:
    master = data.draw(masters())
    text = json.dumps(plan_to_dict(data.draw(plans(master))), indent=2, ensure_ascii=False)
    raw = text.encode()
    depth = data.draw(st.integers(1, 200_000))
    content = data.draw(
        st.sampled_from(
            [
                raw[: data.draw(st.integers(0, len(raw)))],  # truncated
                text.encode("utf-16"),
                raw.replace(b'"start": 0.0', b'"start": 0.0\xff'),
                raw.replace(b'"start": 0.0', b'"start": ' + b"9" * 5000),  # past int's limit
                raw.replace(b'"start": 0.0', b'"start": 1' + b"0" * 400),  # past a float
                b"[" * depth + b"]" * depth,
                raw.replace(b'"start": 0.0', b'"start": ' + b"[" * depth + b"]" * depth),
                b"\xef\xbb\xbf" + raw,  # a BOM
            ]
        )
        | st.binary(max_size=200)
    )
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    load_or_clean_error(path, master)


_TOP_PROBLEMS: dict[str, tuple[str, Any, str]] = {
    # name: (key path, bad value, what the problem line starts with)
    "version": ("vidpack_plan", 2, "vidpack_plan:"),
    "duration": ("master.duration", -1.0, "master.duration:"),
    "options": ("options", [1], "options:"),
    "warnings": ("warnings", "careful", "warnings:"),
    "notes": ("notes", [3], "notes:"),
}


@FILES
@given(st.data())
def test_every_independent_problem_is_reported(tmp_path: Path, data: st.DataObject) -> None:
    master = data.draw(masters())
    plan = data.draw(plans(master))
    saved = plan_to_dict(plan)
    expected = []
    for name in data.draw(st.sets(st.sampled_from(sorted(_TOP_PROBLEMS)))):
        where, bad, starts = _TOP_PROBLEMS[name]
        *head, key = where.split(".")
        _parent(saved, (*head, key))[key] = bad
        expected.append(starts)
    count = len(plan.episodes)
    for pos in data.draw(st.sets(st.integers(1, count), min_size=0 if expected else 1)):
        ep = saved["episodes"][pos - 1]
        key = data.draw(st.sampled_from(["start", "end"]))
        how = data.draw(st.sampled_from(["bad", "missing", "backwards"]))
        if how == "bad":
            ep[key] = data.draw(_BAD_NUMBERS)
        elif how == "missing":
            del ep[key]
        else:  # an end at or before its own start
            key = "end"
            ep[key] = ep["start"] - data.draw(st.floats(0, 10))
        expected.append(f"episode {pos} {key}:")
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    err = load_or_clean_error(path, master)
    assert isinstance(err, Problems), err
    assert len(err.problems) == len(expected), err.problems
    for starts in expected:
        assert sum(p.startswith(starts) for p in err.problems) == 1, (starts, err.problems)
