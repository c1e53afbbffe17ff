"""Shifts in a metric's recorded history: found where they are, and not in noise."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats
from support.policies import metric
from support.recorded import recorded, sha

from gate.history import change_points, commit_series, detect_shifts, shift_commits, t_test_p
from gate.model import CommitRuns, Run
from gate.policy.shift_settings import DEFAULT_SHIFTS, ShiftSettings
from gate.policy.values import Tolerance

ACCURACY = metric("accuracy", "higher")


def step(before: int, after: int, jump: float, *, seed: int, runs: int = 1) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    levels = [0.0] * before + [jump] * after
    return [list(rng.normal(level, 1.0, runs)) for level in levels]


# R: t.test(extra ~ group, data = sleep, var.equal = TRUE): t = -1.8608, df = 18,
# p-value = 0.07919.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_the_t_test_matches_r_on_the_sleep_data() -> None:
    assert t_test_p(np.array(SLEEP_1), np.array(SLEEP_2)) == pytest.approx(0.07919, abs=5e-6)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(-(10**6), 10**6).map(lambda i: i / 1000), min_size=2, max_size=20),
    st.lists(st.integers(-(10**6), 10**6).map(lambda i: i / 1000), min_size=2, max_size=20),
)
def test_the_t_test_matches_scipy(left: list[float], right: list[float]) -> None:
    assume(np.ptp(left) > 0 and np.ptp(right) > 0)  # scipy warns on a side with no spread
    expected = stats.ttest_ind(left, right, equal_var=True).pvalue
    found = t_test_p(np.array(left), np.array(right))
    assert found == pytest.approx(expected, rel=1e-6, abs=1e-12)


def test_the_t_test_without_any_spread_is_certain() -> None:
    assert t_test_p(np.array([0.5, 0.5]), np.array([0.5, 0.5, 0.5])) == 1.0
    assert t_test_p(np.array([0.5, 0.5]), np.array([0.7, 0.7, 0.7])) == 0.0


def test_a_clear_step_is_found_at_its_commit() -> None:
    history = recorded(step(30, 20, 3.0, seed=1))
    (shift,) = detect_shifts(history, [ACCURACY], DEFAULT_SHIFTS)
    assert (shift.commit, shift.index, shift.previous) == (sha(30), 30, sha(29))
    assert (shift.before_commits, shift.after_commits) == (30, 20)
    assert shift.before_mean == pytest.approx(0.0, abs=0.5)
    assert shift.after_mean == pytest.approx(3.0, abs=0.5)
    assert shift.p < 1e-6 and not shift.worse


def test_a_drop_of_a_lower_is_better_metric_is_better() -> None:
    history = recorded(step(30, 20, -3.0, seed=1), metric="loss")
    (shift,) = detect_shifts(history, [metric("loss", "lower")], DEFAULT_SHIFTS)
    assert shift.change < 0 and not shift.worse
    (drop,) = detect_shifts(recorded(step(30, 20, -3.0, seed=1)), [ACCURACY], DEFAULT_SHIFTS)
    assert drop.worse


def test_a_metric_whose_direction_is_left_to_the_logs_shifts_higher_or_lower() -> None:
    undirected = replace(ACCURACY, direction=None)  # main's records keep no direction
    (drop,) = detect_shifts(recorded(step(30, 20, -3.0, seed=1)), [undirected], DEFAULT_SHIFTS)
    assert (drop.worse, drop.way) == (None, "lower")
    (rise,) = detect_shifts(recorded(step(30, 20, 3.0, seed=1)), [undirected], DEFAULT_SHIFTS)
    assert (rise.worse, rise.way) == (None, "higher")
    directed = detect_shifts(recorded(step(30, 20, -3.0, seed=1)), [ACCURACY], DEFAULT_SHIFTS)
    assert directed[0].way == "worse"


def test_stationary_noise_gives_no_shift() -> None:
    for seed in range(5):
        history = recorded(step(200, 0, 0.0, seed=seed))
        assert detect_shifts(history, [ACCURACY], DEFAULT_SHIFTS) == ()


def test_two_shifts_and_an_excursion_are_all_found() -> None:
    rng = np.random.default_rng(9)
    levels = np.r_[
        np.zeros(30), np.full(25, 3.0), np.full(30, -1.0), np.full(8, 5.0), np.full(30, -1.0)
    ]
    points = change_points(levels + rng.normal(0, 0.5, levels.size), DEFAULT_SHIFTS)
    assert [point.index for point in points] == [30, 55, 85, 93]


def test_several_runs_a_commit_count_once_by_their_mean() -> None:
    per_commit = step(20, 10, 1.0, seed=2, runs=5)
    series = commit_series(recorded(per_commit), ACCURACY)
    assert series.counts == (5,) * 30
    assert series.means == pytest.approx([np.mean(runs) for runs in per_commit])
    # A 1 SD step: five runs a commit make each mean less noisy, and it is found.
    (shift,) = detect_shifts(recorded(per_commit), [ACCURACY], DEFAULT_SHIFTS)
    assert shift.index == 20


def test_non_finite_values_are_left_out_and_commits_without_any_skipped() -> None:
    per_commit = step(20, 20, 3.0, seed=3, runs=2)
    per_commit[5][0] = math.nan
    per_commit[25] = [math.inf, math.nan]
    series = commit_series(recorded(per_commit), ACCURACY)
    assert len(series) == 39 and sha(25) not in series.commits
    assert series.counts[5] == 1 and series.means[5] == per_commit[5][1]
    (shift,) = detect_shifts(recorded(per_commit), [ACCURACY], DEFAULT_SHIFTS)
    assert shift.index == 20


def test_a_commit_recorded_twice_counts_once_at_its_first_place() -> None:
    history = list(recorded(step(20, 20, 3.0, seed=4)))
    again = replace(history[22], duplicate=1, runs=(Run(id="again", metrics={"accuracy": 3.1}),))
    history.insert(23, again)
    series = commit_series(history, ACCURACY)
    assert len(series) == 40 and series.counts[22] == 2
    (shift,) = detect_shifts(history, [ACCURACY], DEFAULT_SHIFTS)
    assert (shift.commit, shift.index) == (sha(20), 20)


def test_a_step_history_is_aggregated_as_the_policy_says() -> None:
    runs = [
        CommitRuns(sha(i), "main", 0.0, (Run(id=str(i), metrics={}, series={"loss": (9.0, v)}),))
        for i, v in enumerate([1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 2.0, 2.1, 1.9, 2.0, 2.05, 1.95])
    ]
    last = commit_series(runs, metric("loss", "lower"))
    assert last.means[0] == 1.0
    worst = commit_series(runs, metric("loss", "lower", aggregate="max"))
    assert list(worst.means) == [9.0] * 12
    assert detect_shifts(runs, [metric("loss", "lower", aggregate="max")], DEFAULT_SHIFTS) == ()
    (shift,) = detect_shifts(runs, [metric("loss", "lower")], DEFAULT_SHIFTS)
    assert shift.index == 6 and shift.worse


@pytest.mark.parametrize("count", [0, 1, 5, 9])
def test_too_few_commits_give_no_shift(count: int) -> None:
    history = recorded([[float(i >= count // 2) * 10] for i in range(count)])
    assert detect_shifts(history, [ACCURACY], DEFAULT_SHIFTS) == ()


def test_the_fewest_commits_a_side_is_a_setting() -> None:
    values = np.r_[np.zeros(3), np.ones(4)] + np.tile([0.0, 0.01, -0.01], 3)[:7]
    assert change_points(values, DEFAULT_SHIFTS) == ()
    (point,) = change_points(values, replace(DEFAULT_SHIFTS, min_commits=3))
    assert point.index == 3


def test_a_step_among_the_newest_commits_waits_for_one_more_commit() -> None:
    # With min_commits commits after a step the split cannot be placed later than the
    # step, so it cannot tell the step from one among the newest commits: it waits.
    values = np.r_[np.zeros(30), np.full(7, 5.0)] + np.tile([0.0, 0.1, -0.1], 13)[:37]
    assert change_points(values[:35], DEFAULT_SHIFTS) == ()  # 5 after the step
    (point,) = change_points(values[:36], DEFAULT_SHIFTS)
    assert point.index == 30


def test_constant_values_give_no_shift_and_two_constant_levels_one() -> None:
    assert change_points(np.full(40, 0.93), DEFAULT_SHIFTS) == ()
    (point,) = change_points(np.r_[np.full(20, 0.93), np.full(20, 0.91)], DEFAULT_SHIFTS)
    assert (point.index, point.p, point.before_mean, point.after_mean) == (20, 0.0, 0.93, 0.91)


def test_a_metric_missing_from_the_history_has_no_shift() -> None:
    history = recorded(step(20, 20, 3.0, seed=5))
    assert detect_shifts(history, [metric("latency", "lower")], DEFAULT_SHIFTS) == ()


def test_a_minimum_change_drops_small_real_shifts() -> None:
    values = np.r_[np.full(20, 100.0), np.full(20, 100.5)] + np.tile([0.0, 0.05], 20)
    assert len(change_points(values, DEFAULT_SHIFTS)) == 1
    relative = ShiftSettings(min_change=Tolerance(0.01, relative=True))
    assert change_points(values, relative) == ()  # 0.5% < 1%
    assert change_points(values, ShiftSettings(min_change=Tolerance(0.4))) != ()
    assert change_points(values, ShiftSettings(min_change=Tolerance(0.6))) == ()


def test_a_weaker_p_finds_a_smaller_shift_a_stricter_one_does_not() -> None:
    values = np.r_[np.zeros(12), np.full(12, 1.5)] + np.random.default_rng(6).normal(0, 1, 24)
    p = t_test_p(values[:12], values[12:])
    assert 1e-4 < p < 0.05
    assert change_points(values, ShiftSettings(p=0.05))
    assert change_points(values, ShiftSettings(p=min(p / 2, 0.1))) == ()


def test_huge_values_do_not_overflow() -> None:
    values = np.r_[np.full(10, 1e300), np.full(10, -1e300)] + np.tile([0.0, 1e298], 10)
    (point,) = change_points(values, DEFAULT_SHIFTS)
    assert point.index == 10 and math.isfinite(point.before_mean)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=60),
    st.integers(2, 6),
)
def test_every_change_point_has_enough_commits_and_passes_its_test(
    values: list[float], size: int
) -> None:
    array = np.array(values)
    settings_ = ShiftSettings(p=0.01, min_commits=size)
    points = change_points(array, settings_)
    bounds = [0, *(point.index for point in points), array.size]
    assert bounds == sorted(bounds)
    for point, before, after in zip(points, bounds, bounds[2:], strict=False):
        assert point.before_count == point.index - before >= size
        assert point.after_count == after - point.index >= size
        assert point.p == t_test_p(array[before : point.index], array[point.index : after])
        assert point.p <= 0.01 and point.before_mean != point.after_mean


def test_each_metric_has_its_own_shifts_in_the_order_of_the_policy() -> None:
    rng = np.random.default_rng(7)
    per_commit = [
        {"latency": [100 + rng.normal() + 10 * (i >= 25)], "accuracy": [0.9 + 0.01 * rng.normal()]}
        for i in range(50)
    ]
    history = recorded(per_commit)
    specs = [metric("accuracy", "higher"), metric("latency", "lower")]
    (shift,) = detect_shifts(history, specs, DEFAULT_SHIFTS)
    assert (shift.metric, shift.index, shift.worse) == ("latency", 25, True)
    assert shift.relative_change == pytest.approx(0.1, abs=0.02)


def test_the_shifts_by_metric_are_what_the_pictures_mark() -> None:
    history = recorded(step(30, 20, 3.0, seed=1))
    shifts = detect_shifts(history, [ACCURACY, metric("loss", "lower")], DEFAULT_SHIFTS)
    assert shift_commits(shifts) == {"accuracy": (sha(30),)}
    assert shift_commits([]) == {}
