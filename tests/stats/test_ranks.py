from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.stats import StatSettings, compare
from gate.stats.ranks import smallest_p
from gate.vocabulary import TestName

SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_p_values_match_scipy_with_the_tolerance_as_a_shift() -> None:
    from scipy import stats

    result = compare(TestName.MANNWHITNEY, SLEEP_1, SLEEP_2, StatSettings(0.5, 0.05))
    reference = stats.mannwhitneyu(SLEEP_1 + 0.5, SLEEP_2, alternative="less")
    assert result.p_worse == pytest.approx(reference.pvalue)
    better = stats.mannwhitneyu(SLEEP_1, SLEEP_2, alternative="greater")
    assert result.p_better == pytest.approx(better.pvalue)


def test_exact_smallest_p_values() -> None:
    # 1 / C(2n, n): the floor of a one-sided exact two-sample rank test (field notes).
    assert [round(smallest_p(n, n), 3) for n in (2, 3, 4, 5)] == [0.167, 0.05, 0.014, 0.004]


def test_too_few_runs_to_ever_reject_is_said() -> None:
    result = compare(
        TestName.MANNWHITNEY, np.array([0.1, 0.2]), np.array([5.0, 6.0]), StatSettings(0.0, 0.05)
    )
    assert result.p_worse > 0.05
    assert result.high == float("inf")
    assert any("cannot flag this metric at all" in note for note in result.notes)


def test_shift_bound_brackets_the_hodges_lehmann_estimate() -> None:
    rng = np.random.default_rng(11)
    cand, base = rng.normal(0, 1, 12), rng.normal(1, 1, 12)
    result = compare(TestName.MANNWHITNEY, cand, base, StatSettings(0.0, 0.05))
    estimate = float(np.median(np.subtract.outer(cand, base)))
    assert result.low < estimate < result.high


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-10, 10), min_size=3, max_size=8, unique=True),
    st.lists(st.floats(-10, 10), min_size=3, max_size=8, unique=True),
    st.floats(0, 2),
)
def test_bound_and_p_value_agree(cand: list[float], base: list[float], tolerance: float) -> None:
    alpha = 0.1
    result = compare(
        TestName.MANNWHITNEY, np.array(cand), np.array(base), StatSettings(tolerance, alpha)
    )
    walsh = np.subtract.outer(np.array(cand), np.array(base))
    if np.any(np.isclose(walsh, -tolerance)):
        return  # exactly on a pairwise difference the statistic has a tie
    assert (result.p_worse <= alpha) == (result.high < -tolerance)
