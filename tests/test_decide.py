from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from support.policies import metric

from gate.decide import decide
from gate.errors import RunSetError
from gate.model import Run, RunSet
from gate.policy import MetricPolicy, Policy
from gate.policy.values import Tolerance
from gate.result import MetricResult, Verdict

NAN = math.nan


def judge_metric(spec: MetricPolicy, candidate: RunSet, baseline: RunSet) -> MetricResult:
    """One metric judged alone (a family of one: no correction)."""
    return decide(Policy(metrics=(spec,)), candidate, baseline).metrics[0]


def runs(name: str, values: list[float], **params: str) -> RunSet:
    return RunSet(
        runs=tuple(
            Run(id=f"{name}-{i}", metrics={"m": value}, params=dict(params))
            for i, value in enumerate(values)
        ),
        description=name,
    )


def judge(cand: list[float], base: list[float], **settings: object) -> Verdict:
    return judge_full(cand, base, **settings).verdict


def judge_full(cand: list[float], base: list[float], **settings: object) -> MetricResult:
    spec = metric("m", **settings)
    return judge_metric(spec, runs("c", cand), runs("b", base))


BASE = [0.90, 0.91, 0.92, 0.91, 0.90]


def test_clear_drop_is_a_regression() -> None:
    result = judge_full([0.85, 0.86, 0.84, 0.85, 0.86], BASE)
    assert result.verdict is Verdict.REGRESSION
    assert result.verdict.fails_gate
    assert result.ci_high is not None and result.ci_high < 0
    assert result.p_value is not None and result.p_value <= 0.05
    assert result.delta == pytest.approx(-0.056)
    assert result.delta_pct == pytest.approx(-0.056 / 0.908 * 100)
    assert result.ci_level == pytest.approx(0.9)
    assert "worse by more than the tolerance" in result.reasons[0]


def test_drop_within_tolerance_passes() -> None:
    assert judge([0.89, 0.90, 0.91, 0.90, 0.89], BASE, tolerance=Tolerance(0.05)) is Verdict.PASS


def test_relative_tolerance_scales_with_the_baseline_mean() -> None:
    cand = [0.85, 0.86, 0.84, 0.85, 0.86]
    assert judge(cand, BASE, tolerance=Tolerance(0.10, relative=True)) is Verdict.PASS
    assert judge(cand, BASE, tolerance=Tolerance(0.01, relative=True)) is Verdict.REGRESSION
    result = judge_full(cand, BASE, tolerance=Tolerance(0.10, relative=True))
    assert result.tolerance == pytest.approx(0.0908)
    assert result.tolerance_spec == "10%"


def test_clear_gain_is_an_improvement() -> None:
    assert judge([0.95, 0.96, 0.95, 0.96, 0.95], BASE) is Verdict.IMPROVEMENT


def test_lower_is_better_flips_the_direction() -> None:
    slower = [0.95, 0.96, 0.95, 0.96, 0.95]
    result = judge_full(slower, BASE, direction="lower")
    assert result.verdict is Verdict.REGRESSION
    # The interval stays in the metric's own units: candidate minus baseline, positive here.
    assert result.ci_low is not None and result.ci_low > 0
    assert result.delta is not None and result.delta > 0
    assert judge([0.85, 0.86, 0.84, 0.85, 0.86], BASE, direction="lower") is Verdict.IMPROVEMENT


def test_noisy_drop_beyond_tolerance_is_inconclusive() -> None:
    result = judge_full([0.80, 0.95, 0.70, 0.99], BASE)
    assert result.verdict is Verdict.INCONCLUSIVE
    assert not result.verdict.fails_gate
    assert "not significantly" in result.reasons[0]


def test_one_candidate_run_against_a_history_is_a_prediction_test() -> None:
    # The documented DVC case: one pull-request run, main's history; a drop of four times
    # the tolerance used to pass as "insufficient".
    base = [0.90, 0.91, 0.92, 0.91, 0.90]
    result = judge_full([0.86], base, tolerance=Tolerance(0.01))
    assert result.verdict is Verdict.REGRESSION and result.fails_gate
    assert result.test == "prediction"
    # Reference: t = (x - mean + tol) / (s * sqrt(1 + 1/n)) on n - 1 degrees of freedom.
    se = float(np.std(base, ddof=1)) * math.sqrt(1 + 1 / len(base))
    expected = stats.t.cdf((0.86 - np.mean(base) + 0.01) / se, len(base) - 1)
    assert result.p_value == pytest.approx(expected, rel=1e-9)
    # The bound agrees with the p-value, and a power figure comes with a pass.
    assert result.ci_high is not None and result.ci_high < -0.01
    within = judge_full([0.905], base, tolerance=Tolerance(0.01))
    assert within.verdict is Verdict.PASS and within.detectable_drop is not None
    assert within.runs_needed is not None


def test_one_baseline_run_is_the_mirror_case() -> None:
    result = judge_full([0.90, 0.91, 0.92, 0.91, 0.90], [0.95], tolerance=Tolerance(0.01))
    assert result.test == "prediction" and result.verdict is Verdict.REGRESSION
    assert result.delta == pytest.approx(0.908 - 0.95)


def test_one_run_a_side_is_unreplicated_and_fails_beyond_the_tolerance() -> None:
    worse = judge_full([0.5], [0.9], tolerance=Tolerance(0.01))
    assert worse.verdict is Verdict.REGRESSION and worse.fails_gate
    assert worse.p_value is None and worse.test is None
    assert "unreplicated" in worse.reasons[0] and "2 or more runs" in worse.reasons[0]
    within = judge_full([0.895], [0.9], tolerance=Tolerance(0.01))
    assert within.verdict is Verdict.INSUFFICIENT and not within.fails_gate
    assert "unreplicated" in within.reasons[0] and "within the tolerance" in within.reasons[0]
    # Exactly at the tolerance is not beyond it, whatever the rounding of 0.9 - 0.91.
    edge = judge_full([0.9], [0.91], tolerance=Tolerance(0.01))
    assert edge.verdict is Verdict.INSUFFICIENT
    # A breach of a limit still fails, and non-inferiority still needs evidence.
    assert judge([0.95], [0.9], at_least=0.97) is Verdict.REGRESSION
    proof = judge_full([0.9], [0.9], mode="noninferiority")
    assert proof.verdict is Verdict.INSUFFICIENT and proof.fails_gate


def test_a_paired_test_with_one_run_falls_back_to_the_prediction_test() -> None:
    cand = runs("c", [0.80], seed="0")
    base = RunSet(
        tuple(
            Run(id=f"b{i}", metrics={"m": v}, params={"seed": str(i)})
            for i, v in enumerate([0.90, 0.91, 0.92])
        ),
        "b",
    )
    result = judge_metric(metric("m", pair_by="params.seed", test="paired_t"), cand, base)
    assert result.test == "prediction" and result.verdict is Verdict.REGRESSION
    assert any("needs at least 2 runs a side" in note for note in result.notes)


def test_limits_fail_whatever_the_baseline_says() -> None:
    floor = judge_full([0.85, 0.86], [0.80, 0.81], at_least=0.9)
    assert floor.verdict is Verdict.REGRESSION
    assert "below the floor at_least: 0.9" in floor.reasons[0]
    ceiling = judge_full([300.0, 310.0], [400.0, 410.0], direction="lower", at_most=250.0)
    assert ceiling.verdict is Verdict.REGRESSION
    assert "above the ceiling at_most: 250" in ceiling.reasons[0]
    # Even a single candidate run is held to the limit.
    assert judge([0.5], BASE, at_least=0.9) is Verdict.REGRESSION


def test_missing_from_candidate_fails_with_a_suggestion() -> None:
    spec = metric("acuracy")
    cand = RunSet((Run("c", {"accuracy": 0.9}),), "c")
    result = judge_metric(spec, cand, runs("b", BASE))
    assert result.verdict is Verdict.MISSING and result.verdict.fails_gate
    assert "did you mean 'accuracy'" in result.reasons[0]


def test_missing_from_baseline_does_not_fail() -> None:
    spec = metric("m", at_least=0.1)
    result = judge_metric(spec, runs("c", [0.9, 0.91]), RunSet((Run("b", {"x": 1.0}),), "b"))
    assert result.verdict is Verdict.NO_BASELINE
    assert not result.verdict.fails_gate
    assert result.candidate.mean == pytest.approx(0.905)


def test_nan_in_candidate_is_a_regression_by_default() -> None:
    result = judge_full([0.91, 0.92, NAN, 0.91, 0.90], BASE)
    assert result.verdict is Verdict.REGRESSION
    assert result.candidate.non_finite == 1 and result.candidate.n == 4
    assert "1 of 5 candidate values are NaN or infinite" in result.reasons[0]
    # The test still ran on the finite values, for the report.
    assert result.p_value is not None


def test_infinity_counts_as_diverged_too() -> None:
    assert judge([0.91, math.inf, 0.92], BASE, direction="lower") is Verdict.REGRESSION


def test_nan_can_be_ignored_on_request() -> None:
    result = judge_full([0.91, 0.92, NAN, 0.91, 0.90], BASE, non_finite="ignore")
    assert result.verdict is Verdict.PASS
    assert "ignored" in result.notes[0]


def test_all_nan_candidate_with_ignore_is_insufficient() -> None:
    assert judge([NAN, NAN], BASE, non_finite="ignore") is Verdict.INSUFFICIENT


def test_nan_in_baseline_is_left_out_with_a_note() -> None:
    result = judge_full([0.91, 0.92, 0.91], [0.91, NAN, 0.92, 0.90])
    assert result.verdict is Verdict.PASS
    assert result.baseline.n == 3 and result.baseline.non_finite == 1
    assert "left out of the baseline" in result.notes[0]


@pytest.mark.parametrize("test", ["welch", "bootstrap", "mannwhitney"])
def test_every_test_catches_a_clear_drop(test: str) -> None:
    cand = [0.80, 0.81, 0.79, 0.80, 0.82, 0.80]
    result = judge_full(cand, [*BASE, 0.91], test=test)
    # Below 20 runs a side the bootstrap hands over to the t-test, and says so.
    assert result.verdict is Verdict.REGRESSION
    assert result.test == {"bootstrap": "welch"}.get(test, test)
    if test == "bootstrap":
        assert any("used the t-test instead" in note for note in result.notes)


def test_gate_result_collects_metrics_and_parameters() -> None:
    policy = Policy(metrics=(metric("m"), metric("gone")))
    cand = RunSet(
        tuple(
            Run(f"c{i}", {"m": v, "extra": 1.0}, {"lr": "0.1", "seed": str(i)})
            for i, v in enumerate(BASE)
        ),
        "cand",
    )
    base = RunSet(
        tuple(
            Run(f"b{i}", {"m": v}, {"lr": "0.01", "seed": str(i + 9)}) for i, v in enumerate(BASE)
        ),
        "base",
    )
    result = decide(policy, cand, base)
    assert [m.verdict for m in result.metrics] == [Verdict.PASS, Verdict.MISSING]
    assert not result.passed and result.verdict == "fail"
    assert [m.name for m in result.worst_first()] == ["gone", "m"]
    # The learning rate differs; the seed is meant to.
    assert [(d.name, d.baseline, d.candidate) for d in result.param_differences] == [
        ("lr", ("0.01",), ("0.1",))
    ]
    assert result.notes == ("not gated (not in the policy): extra",)
    assert (result.candidate_runs, result.baseline_runs) == (5, 5)


def test_a_percentage_tolerance_counts_the_uncertainty_of_the_baseline_mean() -> None:
    # "At most 20% slower": the candidate against 1.2 times the baseline, not against the
    # observed mean plus a 20% taken as known (which gave p = .043 here).
    base = [90.0, 95.0, 100.0, 105.0, 110.0]
    cand = [126.0, 127.0, 128.0, 129.0, 130.0]
    result = judge_metric(metric("m", "lower", tolerance="20%"), runs("c", cand), runs("b", base))
    reference = stats.ttest_ind(
        cand, [1.2 * b for b in base], equal_var=False, alternative="greater"
    )
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-6)
    assert result.p_value is not None and result.p_value > 0.05
    assert result.verdict is Verdict.INCONCLUSIVE
    worse = judge_full([v * 1.5 for v in BASE[:3]] + [1.6], BASE, tolerance="5%")
    assert worse.verdict is Verdict.IMPROVEMENT  # higher is better: 50% better is no drop
    drop = judge_metric(metric("m", tolerance="5%"), runs("c", [0.80, 0.81, 0.79]), runs("b", BASE))
    assert drop.verdict is Verdict.REGRESSION and "0.95 times the baseline" in drop.reasons[0]


def test_a_percentage_of_a_zero_baseline_mean_is_an_error() -> None:
    with pytest.raises(RunSetError, match=r"5% of the baseline mean, which is 0"):
        judge([0.1, 0.2], [-0.1, 0.1], tolerance="5%")
