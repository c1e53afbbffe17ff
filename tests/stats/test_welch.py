from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.stats import StatSettings, compare
from gate.vocabulary import TestName

# R's `sleep` data (extra hours of sleep under two drugs); reference values from R 4.x:
# t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939,
# 95 percent confidence interval: -3.3654832  0.2054832
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_welch_matches_r_on_the_sleep_data() -> None:
    # A two-sided 95% interval is two one-sided 97.5% bounds: alpha = 0.025.
    result = compare(TestName.WELCH, SLEEP_1, SLEEP_2, StatSettings(tolerance=0.0, alpha=0.025))
    assert result.low == pytest.approx(-3.3654832, abs=1e-7)
    assert result.high == pytest.approx(0.2054832, abs=1e-7)
    # R's two-sided p is twice the one-sided p of "group 1 is lower".
    assert 2 * result.p_worse == pytest.approx(0.07939, abs=1e-5)
    assert result.p_worse + result.p_better == pytest.approx(1.0)


def test_welch_matches_scipy_with_a_tolerance() -> None:
    from scipy import stats

    rng = np.random.default_rng(1)
    cand, base = rng.normal(0, 1, 7), rng.normal(0.5, 2, 4)
    result = compare(TestName.WELCH, cand, base, StatSettings(tolerance=0.3, alpha=0.05))
    # H0: mean difference >= -0.3, i.e. shift the candidate up by the tolerance.
    reference = stats.ttest_ind(cand + 0.3, base, equal_var=False, alternative="less")
    assert result.p_worse == pytest.approx(reference.pvalue, rel=1e-10)
    interval = stats.ttest_ind(cand, base, equal_var=False, alternative="less")
    assert result.high == pytest.approx(interval.confidence_interval(0.95).high, rel=1e-10)


def test_constant_sides_give_an_exact_answer() -> None:
    same = compare(
        TestName.WELCH, np.array([0.9, 0.9]), np.array([0.9, 0.9]), StatSettings(0.0, 0.05)
    )
    assert (same.p_worse, same.p_better, same.low, same.high) == (1.0, 1.0, 0.0, 0.0)
    worse = compare(
        TestName.WELCH, np.array([0.8, 0.8]), np.array([0.9, 0.9]), StatSettings(0.0, 0.05)
    )
    assert worse.p_worse == 0.0 and worse.high == pytest.approx(-0.1)
    # Exactly at the tolerance is not beyond it, whatever the rounding of 0.9 - 0.91.
    edge = compare(
        TestName.WELCH, np.array([0.9, 0.9]), np.array([0.91, 0.91]), StatSettings(0.01, 0.05)
    )
    assert edge.p_worse == 1.0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-100, 100), min_size=2, max_size=12),
    st.lists(st.floats(-100, 100), min_size=2, max_size=12),
    st.floats(0, 10),
    st.sampled_from([0.01, 0.05, 0.1, 0.25]),
)
def test_bound_and_p_value_agree(
    cand: list[float], base: list[float], tolerance: float, alpha: float
) -> None:
    result = compare(TestName.WELCH, np.array(cand), np.array(base), StatSettings(tolerance, alpha))
    # Stay clear of the boundary itself, where rounding decides.
    if abs(result.p_worse - alpha) > 1e-9 and abs(result.high + tolerance) > 1e-9:
        assert (result.p_worse <= alpha) == (result.high < -tolerance)
    if abs(result.p_better - alpha) > 1e-9 and abs(result.low) > 1e-9:
        assert (result.p_better <= alpha) == (result.low > 0)


def test_false_alarm_rate_holds_alpha_by_simulation() -> None:
    rng = np.random.default_rng(2026)
    sims, n, alpha = 4000, 5, 0.05
    data = rng.normal(0, 1, (sims, 2, n))
    alarms = sum(
        compare(TestName.WELCH, row[0], row[1], StatSettings(0.0, alpha)).p_worse <= alpha
        for row in data
    )
    rate = alarms / sims
    # Monte Carlo standard error at 4000 draws is about 0.0035.
    assert 0.03 <= rate <= alpha + 3 * 0.0035


def test_power_against_a_real_drop_by_simulation() -> None:
    rng = np.random.default_rng(7)
    sims, n, alpha = 2000, 10, 0.05
    base = rng.normal(0, 1, (sims, n))
    cand = rng.normal(-1, 1, (sims, n))  # a one-SD drop
    power = np.mean(
        [
            compare(TestName.WELCH, c, b, StatSettings(0.0, alpha)).p_worse <= alpha
            for c, b in zip(cand, base, strict=True)
        ]
    )
    # Field notes measured 0.68 at n = 10; the exact noncentral-t power is about 0.69.
    assert 0.63 <= power <= 0.75
