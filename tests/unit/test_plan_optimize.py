"""The episode optimiser on synthetic analyses: validity, global choice, compromises, errors."""

from __future__ import annotations

import statistics

import pytest
from plan_helpers import check_shape, check_valid, inside_speech, make_analysis, random_analysis

from vidpack.errors import UsageError
from vidpack.plan.model import PlanOptions
from vidpack.plan.optimize import plan_episodes


@pytest.mark.parametrize(
    ("seed", "duration", "min_s", "max_s", "talk"),
    [
        (1, 600.0, 60.0, 180.0, 0.6),
        (2, 1800.0, 60.0, 120.0, 0.7),
        (3, 300.0, 20.0, 60.0, 0.5),
        (4, 905.5, 90.0, 150.0, 0.8),
        (5, 3600.0, 45.0, 90.0, 0.6),
    ],
)
def test_random_masters_get_valid_plans(
    seed: int, duration: float, min_s: float, max_s: float, talk: float
) -> None:
    analysis = random_analysis(seed, duration, talk=talk)
    options = PlanOptions(min_s=min_s, max_s=max_s)
    plan = plan_episodes(analysis, options)
    check_valid(plan, analysis, options)


def _valid_paths(
    times: list[float], duration: float, opts: PlanOptions, tol: float
) -> list[tuple[float, ...]]:
    """Every valid sequence of boundaries (exhaustive search, small inputs only)."""
    out: list[tuple[float, ...]] = []

    def extend(prefix: tuple[float, ...], last: float) -> None:
        if opts.min_s - tol <= duration - last <= opts.max_s + tol:
            out.append(prefix)
        for t in times:
            if opts.min_s - tol <= t - last <= opts.max_s + tol:
                extend((*prefix, t), t)

    extend((), 0.0)
    return out


@pytest.mark.parametrize("seed", range(12))
def test_dialogue_is_avoided_whenever_exhaustive_search_finds_a_way(seed: int) -> None:
    # Sparse shots and a lot of talk: few valid plans; most of them (for some seeds all of
    # them) put a boundary inside dialogue.
    talk = 0.55 if seed % 2 else 0.85
    analysis = random_analysis(100 + seed, 240.0, mean_shot=11.0, talk=talk)
    opts = PlanOptions(min_s=40.0, max_s=70.0)
    tol = 0.5 / analysis.fps
    times = [t.time for t in analysis.transitions]
    paths = _valid_paths(times, analysis.duration, opts, tol)
    plan = plan_episodes(analysis, opts)
    check_shape(plan, analysis)
    if not paths:
        assert plan.warnings, "no valid plan exists, so the plan must say what it gave up"
        return
    fewest = min(sum(inside_speech(analysis, b, tol) for b in p) for p in paths)
    got = sum(inside_speech(analysis, b, tol) for b in plan.boundaries)
    assert tuple(plan.boundaries) in set(paths)
    assert got == fewest
    dialogue_warnings = [w for w in plan.warnings if "inside dialogue" in w]
    assert len(dialogue_warnings) == fewest
    assert len(plan.warnings) == fewest


def test_global_choice_beats_greedy() -> None:
    # A strong cut at 70 s (greedy's pick) leads nowhere: from 70 the next cut in 60..100 s
    # would be 130..170 and there is none. Only 0 -> 90 -> 180 -> 240 works.
    analysis = make_analysis(240.0, [(70.0, 1.0), (90.0, 0.4), (180.0, 0.4), (200.0, 1.0)])
    opts = PlanOptions(min_s=60.0, max_s=100.0)
    plan = plan_episodes(analysis, opts)
    check_valid(plan, analysis, opts)
    assert plan.boundaries == (90.0, 180.0)


def test_strong_cut_wins_over_weak_one_nearby() -> None:
    analysis = make_analysis(240.0, [(118.0, 0.35), (121.0, 0.98)])
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    assert plan.boundaries == (121.0,)
    assert plan.episodes[1].cut_score == pytest.approx(0.98)
    assert plan.episodes[1].cut_kind == "cut"


def test_pause_in_speech_beats_cut_right_after_a_line() -> None:
    # Both cuts are outside speech; 119 s is 0.1 s after a line ends, 124 s is in a long pause.
    analysis = make_analysis(
        240.0, [(119.0, 0.9), (124.0, 0.9)], speech=[(110.0, 118.9), (127.0, 135.0)]
    )
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    assert plan.boundaries == (124.0,)


def test_lengths_are_even_and_near_the_target() -> None:
    cuts = [float(t) for t in range(1, 360)]
    analysis = make_analysis(360.0, cuts)
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    assert [e.duration for e in plan.episodes] == [120.0, 120.0, 120.0]
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0, target_s=90.0))
    assert [e.duration for e in plan.episodes] == [90.0, 90.0, 90.0, 90.0]


def test_evenness_spreads_the_remainder() -> None:
    # 500 s with a 120 s target: 4 episodes of 125 s beat 120+120+120+140.
    analysis = make_analysis(500.0, [float(t) for t in range(1, 500)])
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    lengths = [e.duration for e in plan.episodes]
    assert len(lengths) == 4
    assert statistics.pstdev(lengths) < 2.0


def test_fade_is_preferred_to_a_dissolve_of_equal_score() -> None:
    analysis = make_analysis(240.0, [(119.0, 0.8, "dissolve"), (121.0, 0.8, "fade")])
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    assert plan.boundaries == (121.0,)
    assert plan.episodes[1].cut_kind == "fade"


def test_frames_come_from_the_transitions() -> None:
    analysis = make_analysis(200.0, [100.04], fps=25.0)
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    assert plan.episodes[1].start_frame == 2501
    assert plan.episodes[0].end_frame == 2501
    assert plan.episodes[1].end_frame == 5000


def test_forced_dialogue_boundary_is_reported_with_its_line() -> None:
    # The only cut that allows a valid plan lies inside a line of dialogue.
    analysis = make_analysis(
        200.0, [(30.0, 0.9), (100.0, 0.9)], speech=[(99.0, 101.5), (20.0, 40.0)]
    )
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    check_shape(plan, analysis)
    assert plan.boundaries == (100.0,)
    assert plan.episodes[1].in_dialogue
    assert plan.warnings == (
        "boundary at 01:40.0 (start of episode 2) falls inside dialogue (01:39.0-01:41.5): "
        "no cut outside dialogue allows a valid plan",
    )


def test_single_shot_is_split_at_pauses_with_warnings() -> None:
    analysis = make_analysis(300.0, [], speech=[(5.0, 99.0), (100.2, 198.0), (199.0, 297.0)])
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    check_shape(plan, analysis)
    tol = 0.5 / analysis.fps
    assert len(plan.episodes) in (2, 3)
    for ep in plan.episodes:
        assert 60.0 - tol <= ep.duration <= 180.0 + tol
    for b in plan.boundaries:
        assert not inside_speech(analysis, b, tol)
    assert len(plan.warnings) == len(plan.boundaries)
    assert all("is not on a shot transition" in w for w in plan.warnings)
    assert all("split at a pause in speech instead" in w for w in plan.warnings)
    assert "no shot transition between 60 s and 180 s after 00:00.0" in plan.warnings[0]


def test_no_cuts_and_no_audio_splits_evenly() -> None:
    analysis = make_analysis(300.0, [])
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    check_shape(plan, analysis)
    assert [e.duration for e in plan.episodes] == [150.0, 150.0]
    assert plan.episodes[1].cut_kind == "even"
    assert len(plan.warnings) == 1
    assert plan.warnings[0].startswith(
        "boundary at 02:30.0 (start of episode 2) is not on a shot transition"
    )


def test_quietest_point_is_used_when_there_is_no_speech() -> None:
    loud = [-20.0] * 3000  # 300 s at 0.1 s
    loud[1432] = -70.0  # a near-silent moment at 143.2 s
    analysis = make_analysis(300.0, [], loudness=loud)
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    assert plan.boundaries == (pytest.approx(143.2),)
    assert plan.episodes[1].cut_kind == "quiet"
    assert "split at the quietest moment instead" in plan.warnings[0]


def test_sparse_cuts_use_the_cuts_there_are() -> None:
    # Cuts at 100 and 350 only: 0-100 ok, 100-350 is too long, so one boundary goes between.
    analysis = make_analysis(400.0, [100.0, 350.0])
    opts = PlanOptions(min_s=60.0, max_s=180.0)
    plan = plan_episodes(analysis, opts)
    check_shape(plan, analysis)
    for ep in plan.episodes:
        assert 60.0 <= ep.duration <= 180.0
    kinds = [e.cut_kind for e in plan.episodes[1:]]
    assert kinds.count("even") == 1, kinds
    assert len(plan.warnings) == 1


def test_indivisible_master_gets_the_least_bad_lengths() -> None:
    analysis = make_analysis(200.0, [float(t) for t in range(10, 200, 10)])
    plan = plan_episodes(analysis, PlanOptions(min_s=120.0, max_s=150.0))
    check_shape(plan, analysis)
    assert plan.warnings[0] == (
        "the master's 200.0 s cannot be divided into episodes of 120-150 s: "
        "the plan below is the closest"
    )
    # Falling short of --min is preferred to going over --max (platform limits).
    assert all(e.duration <= 150.0 for e in plan.episodes)
    short = [e for e in plan.episodes if e.duration < 120.0]
    assert len(plan.warnings) == 1 + len(short)
    assert (
        f"episode {short[0].index} is {short[0].duration:.1f} s, below --min 120"
        in (plan.warnings[1])
    )


def test_master_within_limits_is_one_episode_when_too_short_to_split() -> None:
    analysis = make_analysis(100.0, [50.0])
    plan = plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    assert [(e.start, e.end) for e in plan.episodes] == [(0.0, 100.0)]
    assert plan.warnings == ()


def test_master_shorter_than_min_is_an_error() -> None:
    analysis = make_analysis(45.3, [20.0])
    with pytest.raises(UsageError) as err:
        plan_episodes(analysis, PlanOptions(min_s=60.0, max_s=180.0))
    assert str(err.value) == (
        "the master is 45.3 s long, shorter than --min 60: use --min 45.3 or less"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            PlanOptions(min_s=200.0, max_s=180.0),
            "--min 200 is larger than --max 180: use a --min of at most 180",
        ),
        (
            PlanOptions(min_s=0.0, max_s=-5.0),
            "--min 0 is not a positive number of seconds: use e.g. 60; "
            "--max -5 is not a positive number of seconds: use e.g. 60",
        ),
        (
            PlanOptions(min_s=60.0, max_s=180.0, target_s=200.0),
            "--target 200 is outside --min 60 .. --max 180: use a target in that range",
        ),
    ],
)
def test_bad_options_are_reported_together(options: PlanOptions, message: str) -> None:
    with pytest.raises(UsageError) as err:
        plan_episodes(make_analysis(600.0, [300.0]), options)
    assert str(err.value) == message
