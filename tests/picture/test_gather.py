"""The core keeps what the pictures need: the values compared, and main's trend."""

from __future__ import annotations

import math

import pytest
from support.histories import history, pictured_result, sha
from support.policies import metric as metric_policy

from gate.decide import decide
from gate.model import CommitRuns, Run, RunSet
from gate.picture import metric_trend, with_shifts
from gate.policy import Policy


def record(commit: str, *values: float, name: str = "acc") -> CommitRuns:
    runs = tuple(Run(id=f"{commit}{i}", metrics={name: v}) for i, v in enumerate(values))
    return CommitRuns(commit=commit, branch="main", recorded_at=0.0, runs=runs)


def test_the_trend_is_each_commits_mean_oldest_first() -> None:
    trend = metric_trend(metric_policy("acc"), [record("a", 0.8, 0.9), record("b", 0.7)])
    assert [(p.commit, p.runs) for p in trend] == [("a", 2), ("b", 1)]
    assert trend[0].mean == pytest.approx(0.85)


def test_a_commit_recorded_twice_is_one_point_with_the_runs_of_both() -> None:
    records = [record("a", 0.8), record("b", 0.5), record("a", 0.9)]
    trend = metric_trend(metric_policy("acc"), records)
    assert [(p.commit, p.runs) for p in trend] == [("a", 2), ("b", 1)]
    assert trend[0].mean == pytest.approx(0.85)


def test_commits_without_a_finite_value_are_left_out() -> None:
    records = [record("a", math.nan), record("b", 0.5, math.inf), record("c", 1.0, name="other")]
    trend = metric_trend(metric_policy("acc"), records)
    assert [(p.commit, p.mean, p.runs) for p in trend] == [("b", 0.5, 1)]


def test_a_step_history_is_aggregated_as_the_policy_says() -> None:
    run = Run(id="r", metrics={}, series={"loss": (3.0, 2.0, 1.0)})
    records = [CommitRuns(commit="a", branch="main", recorded_at=0.0, runs=(run,))]
    assert metric_trend(metric_policy("loss", "lower"), records)[0].mean == 1.0
    spec = metric_policy("loss", "lower", aggregate="min")
    assert metric_trend(spec, records)[0].mean == 1.0
    assert metric_trend(metric_policy("loss", "lower", aggregate="mean"), records)[0].mean == 2.0


def test_decide_keeps_the_compared_values_and_the_baselines_history() -> None:
    result = pictured_result()
    accuracy = result.metrics[0]
    assert accuracy.picture.candidate == (0.861, 0.872, 0.866, 0.869, 0.875)
    assert len(accuracy.picture.baseline) == 3
    assert len(accuracy.picture.trend) == 60
    assert accuracy.picture.trend[-1].commit == sha(59)
    assert accuracy.picture.shifts == (sha(40),)
    assert result.metrics[1].picture.shifts == ()


def test_without_history_there_is_no_trend_and_non_finite_values_are_not_points() -> None:
    spec = metric_policy("acc", non_finite="ignore")
    candidate = RunSet(
        runs=(*history(1, {"acc": 0.9})[0].runs, Run("x", {"acc": math.nan})), description="c"
    )
    baseline = RunSet(runs=history(1, {"acc": 0.9}, seed=3)[0].runs, description="b")
    (result,) = decide(Policy(metrics=(spec,)), candidate, baseline).metrics
    assert result.picture.trend == ()
    assert len(result.picture.candidate) == 3 and all(map(math.isfinite, result.picture.candidate))


def test_per_example_scores_are_not_points() -> None:
    spec = metric_policy("acc", pair_by="example", test="mcnemar")
    scores = (1.0, 0.0, 1.0, 1.0) * 10
    candidate = RunSet(runs=(Run("c", {}, series={"acc": scores}),), description="c")
    baseline = RunSet(runs=(Run("b", {}, series={"acc": scores[::-1]}),), description="b")
    (result,) = decide(Policy(metrics=(spec,)), candidate, baseline).metrics
    assert result.picture.candidate == () and result.picture.baseline == ()


def test_with_shifts_marks_each_metric_by_name() -> None:
    result = with_shifts(pictured_result(with_history=False), {"loss": ["abc", "def"]})
    assert [m.picture.shifts for m in result.metrics] == [(), ("abc", "def")]
