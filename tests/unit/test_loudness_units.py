"""The loudness decision without ffmpeg: linear gain when the peak allows, a true-peak limiter
whose loudness loss and encoded overshoot are corrected from the check pass, a deliberate
dynamic mode only when that cannot land; the audio filters and file tag each plan gives, and
the report's loudness cell from the manifest record."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vidpack.package.report import _loudness
from vidpack.render import loudness as lo
from vidpack.render.encode import LOUDNESS_TAG, loudness_filters, loudness_tag
from vidpack.render.loudness import Loudness, LoudnessPlan, correct, first_plan, settle

TARGET, CEILING = -14.0, -1.0
ENC = {"sample_rate": 48000, "true_peak_dbtp": CEILING}


def limiter_model(
    level: Loudness, loss_per_db: float, overshoot: float, calls: list[LoudnessPlan]
) -> Callable[[LoudnessPlan], Loudness]:
    """A stand-in for the encode-and-meter check: a limiter that loses about ``loss_per_db`` LU
    per dB of peak reduction (more as it works harder) and an encoder that overshoots the
    limiter's ceiling by ``overshoot`` dB."""

    def check(plan: LoudnessPlan) -> Loudness:
        calls.append(plan)
        peak = level.true_peak + plan.gain_db
        if plan.mode == "dynamic":
            return Loudness(TARGET - 0.2, CEILING - 0.5)
        assert plan.limiter_db is not None
        over = max(0.0, peak - plan.limiter_db)
        loss = loss_per_db * over * (1 + over / 20)
        tp = min(peak, plan.limiter_db) + overshoot
        return Loudness(level.integrated + plan.gain_db - loss, tp)

    return check


def test_linear_when_the_peak_allows_and_never_checked() -> None:
    calls: list[LoudnessPlan] = []
    level = Loudness(-20.0, -10.0)  # +6 dB puts the peak at -4: 3 dB under the ceiling
    plan = settle(level, TARGET, CEILING, limiter_model(level, 0.1, 0.0, calls))
    assert plan.mode == "linear" and plan.gain_db == pytest.approx(6.0)
    assert plan.limiter_db is None and plan.checked is None and calls == []


def test_silence_gets_no_gain() -> None:
    plan = first_plan(Loudness(-70.0, -120.0), TARGET, CEILING)
    assert plan == LoudnessPlan("linear", 0.0)


def test_peak_within_headroom_of_the_ceiling_needs_the_limiter() -> None:
    # +6 dB puts the peak at -1.5: under the ceiling, but not by the encode's overshoot room.
    plan = first_plan(Loudness(-20.0, -7.5), TARGET, CEILING)
    assert plan.mode == "limited"
    assert plan.limiter_db == pytest.approx(CEILING - lo.LIMIT_MARGIN_DB)


def test_limited_first_guess_raises_the_gain_for_the_expected_loss() -> None:
    plan = first_plan(Loudness(-22.0, -3.0), TARGET, CEILING)  # peak +5 against a -2 limit
    assert plan.mode == "limited"
    assert plan.gain_db == pytest.approx(8.0 + lo.LOSS_PER_DB * 7.0)


@pytest.mark.parametrize(
    ("level", "loss", "overshoot"),
    [
        (Loudness(-22.0, -3.0), 0.08, 0.3),  # mild limiting, small AAC overshoot
        (Loudness(-27.0, -4.0), 0.15, 0.9),  # speech with 23 dB of crest: heavy limiting
        (Loudness(-21.0, -1.0), 0.25, 1.4),  # a limiter that loses a lot, a codec that overshoots
    ],
)
def test_limited_lands_on_target_under_the_ceiling(
    level: Loudness, loss: float, overshoot: float
) -> None:
    calls: list[LoudnessPlan] = []
    plan = settle(level, TARGET, CEILING, limiter_model(level, loss, overshoot, calls))
    assert plan.mode == "limited"
    assert plan.checked is not None
    assert abs(plan.checked.integrated - TARGET) <= lo.MET_LU
    assert plan.checked.true_peak <= CEILING
    assert 1 <= len(calls) <= lo.MAX_CORRECTIONS + 1
    # The gain was raised above the linear gain to make up for what the limiter took.
    assert plan.gain_db > TARGET - level.integrated


def test_correction_moves_gain_by_the_miss_and_ceiling_by_the_overshoot() -> None:
    plan = LoudnessPlan("limited", 8.0, -2.0)
    nxt = correct(plan, Loudness(-14.9, -0.6), TARGET, CEILING)
    assert nxt.gain_db == pytest.approx(8.9)
    # encoded peak -0.6 vs the safe level -1.3: the limiter goes 0.7 dB lower
    assert nxt.limiter_db == pytest.approx(-2.0 - (-0.6 - (CEILING - lo.PEAK_SAFETY_DB - 0.1)))
    # with an earlier try, the measured slope (0.5 LU per dB) doubles the step
    prev = (LoudnessPlan("limited", 7.0, -2.0), Loudness(-15.4, -1.5))
    again = correct(plan, Loudness(-14.9, -1.5), TARGET, CEILING, prev)
    assert again.gain_db == pytest.approx(8.0 + 0.9 / 0.5)
    assert again.limiter_db == pytest.approx(-2.0)
    # ... but not across a change of the limiter's ceiling
    other = (LoudnessPlan("limited", 7.0, -1.5), Loudness(-15.4, -1.5))
    assert correct(plan, Loudness(-14.9, -1.5), TARGET, CEILING, other).gain_db == pytest.approx(
        8.9
    )


def test_first_correction_estimates_the_slope_from_the_loss() -> None:
    # metered -22 LUFS / -4 dBTP: +8 dB puts the peaks 6 dB over a -2 limiter, which took 1.2 LU
    level = Loudness(-22.0, -4.0)
    plan = LoudnessPlan("limited", 8.0, -2.0)
    nxt = correct(plan, Loudness(-15.2, -1.5), TARGET, CEILING, level=level)
    assert nxt.gain_db == pytest.approx(8.0 + 1.2 / 0.8)  # slope 1 - 1.2 / 6
    assert nxt.limiter_db == pytest.approx(-2.0)


def test_dynamic_only_when_no_limited_plan_lands() -> None:
    calls: list[LoudnessPlan] = []

    def stuck(plan: LoudnessPlan) -> Loudness:  # more gain never gets louder (a hard wall)
        calls.append(plan)
        if plan.mode == "dynamic":
            return Loudness(-14.3, -1.6)
        return Loudness(-16.5, -1.5)

    plan = settle(Loudness(-30.0, -2.0), TARGET, CEILING, stuck)
    assert plan.mode == "dynamic"
    assert plan.checked == Loudness(-14.3, -1.6)
    assert [p.mode for p in calls] == ["limited"] * (lo.MAX_CORRECTIONS + 1) + ["dynamic"]


def test_a_limited_plan_within_tolerance_beats_dynamic() -> None:
    calls: list[LoudnessPlan] = []

    def near(plan: LoudnessPlan) -> Loudness:  # always 0.6 LU short: inside QC's tolerance
        calls.append(plan)
        return Loudness(-14.6, -1.5)

    plan = settle(Loudness(-22.0, -3.0), TARGET, CEILING, near)
    assert plan.mode == "limited" and plan.checked == Loudness(-14.6, -1.5)
    assert all(p.mode == "limited" for p in calls)


def test_filters_of_each_mode() -> None:
    linear = {**ENC, "loudness": LoudnessPlan("linear", 3.5).settings(TARGET)}
    assert loudness_filters(3.5, False, linear) == ["volume=3.50dB"]
    limited = {**ENC, "loudness": LoudnessPlan("limited", 8.0, -2.5).settings(TARGET)}
    steps = loudness_filters(8.0, True, limited)
    level = 10 ** (-2.5 / 20)
    assert steps == [
        "volume=8.00dB",
        "aresample=192000",  # the limiter works on the 4x oversampled signal: true peaks
        f"alimiter=limit={level:.4f}:attack=5:release=50:level=0",
        "aresample=48000",
    ]
    dynamic = {**ENC, "loudness": LoudnessPlan("dynamic", 9.0, -2.0).settings(TARGET)}
    steps = loudness_filters(9.0, True, dynamic)
    assert steps[0] == "volume=9.00dB"
    assert steps[1] == "loudnorm=I=-14.0:TP=-2.0:LRA=20:linear=false"
    assert steps[2] == "aresample=48000"
    # a spec limited without a plan (older callers) limits 1 dB under the ceiling
    plain = loudness_filters(2.0, True, ENC)
    assert f"alimiter=limit={10 ** (-2.0 / 20):.4f}" in plain[2]


def test_the_file_tag_records_the_plan() -> None:
    enc = {**ENC, "loudness": LoudnessPlan("limited", 7.514, -2.0).settings(TARGET)}
    flag, value = loudness_tag(enc)
    assert flag == "-metadata"
    assert (
        value
        == f'comment={LOUDNESS_TAG} {{"gain_db": 7.51, "limiter_db": -2.0, "mode": "limited"}}'
    )
    assert loudness_tag(ENC) == []


def test_report_cell_shows_the_record() -> None:
    ep = {
        "loudness": {
            "mode": "limited",
            "gain_db": 7.51,
            "limiter_dbtp": -2.0,
            "integrated": -14.2,
            "true_peak": -1.6,
        }
    }
    assert _loudness(ep, None) == "-14.2 LUFS, -1.6 dBTP · limited +7.5 dB"
    qc = [{"check": "loudness", "actual": "-14.0 LUFS"}]
    assert _loudness({}, qc) == "-14.0 LUFS"
