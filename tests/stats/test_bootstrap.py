from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.stats import StatSettings, compare
from gate.stats.kernel import resampled_statistics, statistic_of
from gate.vocabulary import Statistic, TestName


def test_same_inputs_give_the_same_answer() -> None:
    rng = np.random.default_rng(0)
    cand, base = rng.normal(0, 1, 25), rng.normal(0, 1, 25)
    first = compare(TestName.BOOTSTRAP, cand, base, StatSettings(0.1, 0.05))
    second = compare(TestName.BOOTSTRAP, cand, base, StatSettings(0.1, 0.05))
    assert first == second and first.test == "bootstrap"


def test_bootstrap_interval_is_close_to_the_normal_theory_one_at_large_n() -> None:
    rng = np.random.default_rng(3)
    cand, base = rng.normal(0, 1, 200), rng.normal(0.3, 1, 200)
    boot = compare(TestName.BOOTSTRAP, cand, base, StatSettings(0.0, 0.05, resamples=20_000))
    welch = compare(TestName.WELCH, cand, base, StatSettings(0.0, 0.05))
    assert boot.low == pytest.approx(welch.low, abs=0.03)
    assert boot.high == pytest.approx(welch.high, abs=0.03)
    assert boot.p_worse == pytest.approx(welch.p_worse, abs=0.01)


@pytest.mark.parametrize(
    ("test", "fallback"), [("bootstrap", "welch"), ("paired_bootstrap", "paired_t")]
)
def test_small_samples_use_the_t_test_for_the_mean(test: str, fallback: str) -> None:
    cand, base = np.array([1.0, 2, 3, 5]), np.array([1.0, 2, 4, 4])
    result = compare(TestName(test), cand, base, StatSettings(0.0, 0.05))
    direct = compare(TestName(fallback), cand, base, StatSettings(0.0, 0.05))
    assert (result.test, result.low, result.high, result.p_worse) == (
        fallback,
        direct.low,
        direct.high,
        direct.p_worse,
    )
    assert any("used the t-test instead" in note for note in result.notes)


def test_small_samples_for_the_median_warn_instead() -> None:
    result = compare(
        TestName.BOOTSTRAP,
        np.array([1.0, 2, 3]),
        np.array([1.0, 2, 4]),
        StatSettings(0.0, 0.05, statistic=Statistic.MEDIAN),
    )
    assert result.test == "bootstrap"
    assert any("false alarms" in note for note in result.notes)


@pytest.mark.parametrize("statistic", ["mean", "median", "iqm"])
def test_kernel_matches_explicit_resampling(statistic: str) -> None:
    sample = np.random.default_rng(8).normal(0, 1, 13)
    fast = resampled_statistics(sample, 50, seed=4, stream=2, statistic=Statistic(statistic))
    # The kernel draws the same indices; the mean resamples the data as given,
    # the order statistics resample the sorted data.
    data = sample if statistic == "mean" else np.sort(sample)
    rng = np.random.default_rng((4, 2, sample.size))
    picks = data[rng.integers(0, sample.size, size=(50, sample.size))]
    if statistic == "mean":
        reference = picks.mean(axis=1)
    elif statistic == "median":
        reference = np.median(picks, axis=1)
    else:
        reference = np.array([_trim_mean(row) for row in picks])
    np.testing.assert_allclose(fast, reference, rtol=1e-12, atol=1e-12)


def _trim_mean(row: npt.NDArray[np.float64]) -> float:
    from scipy import stats

    return float(stats.trim_mean(row, 0.25))


def test_kernel_blocks_do_not_change_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    sample = np.random.default_rng(2).normal(0, 1, 1000)
    whole = resampled_statistics(sample, 300, seed=1)
    monkeypatch.setattr("gate.stats.kernel.BLOCK_CELLS", 7000)  # 7 resamples a block
    blocked = resampled_statistics(sample, 300, seed=1)
    np.testing.assert_allclose(whole, blocked)


@pytest.mark.parametrize("statistic", ["mean", "median", "iqm"])
def test_statistic_of_the_sample_itself(statistic: str) -> None:
    from scipy import stats

    sample = np.random.default_rng(5).normal(0, 1, 31)
    expected = {
        "mean": np.mean(sample),
        "median": np.median(sample),
        "iqm": stats.trim_mean(sample, 0.25),
    }[statistic]
    assert statistic_of(sample, Statistic(statistic)) == pytest.approx(expected)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-10, 10), min_size=20, max_size=30),
    st.lists(st.floats(-10, 10), min_size=20, max_size=30),
    st.floats(0, 2),
    st.sampled_from([0.05, 0.1]),
    st.sampled_from(["mean", "median", "iqm"]),
)
def test_bound_and_p_value_agree(
    cand: list[float], base: list[float], tolerance: float, alpha: float, statistic: str
) -> None:
    result = compare(
        TestName.BOOTSTRAP,
        np.array(cand),
        np.array(base),
        StatSettings(tolerance, alpha, resamples=1000, statistic=Statistic(statistic)),
    )
    assert (result.p_worse <= alpha) == (result.high < -tolerance)
    assert (result.p_better <= alpha) == (result.low > 0)
    assert (result.p_noninferior <= alpha) == (result.low > -tolerance)


@pytest.mark.parametrize("statistic", ["mean", "median", "iqm"])
def test_few_distinct_values_resample_from_their_shares(statistic: str) -> None:
    # 0/1 outcomes: drawn as multinomial counts of the distinct values, which must give
    # the same distribution as drawing positions.
    rng = np.random.default_rng(6)
    sample = rng.choice([0.0, 1.0, 2.0], p=[0.2, 0.5, 0.3], size=400)
    fast = resampled_statistics(sample, 4000, seed=3, statistic=Statistic(statistic))
    picks = sample[rng.integers(0, sample.size, size=(4000, sample.size))]
    if statistic == "mean":
        slow = picks.mean(axis=1)
    elif statistic == "median":
        slow = np.median(picks, axis=1)
    else:
        from scipy import stats

        slow = stats.trim_mean(picks, 0.25, axis=1)
    assert fast.mean() == pytest.approx(slow.mean(), abs=0.01)
    assert fast.std() == pytest.approx(slow.std(), rel=0.1, abs=0.005)


@pytest.mark.parametrize(
    ("test", "fallback"), [("bootstrap", "welch"), ("paired_bootstrap", "paired_t")]
)
def test_large_samples_use_the_t_test_for_the_mean(test: str, fallback: str) -> None:
    from gate.stats.bootstrap import LARGE_SAMPLE

    rng = np.random.default_rng(5)
    cand, base = rng.random(LARGE_SAMPLE + 1), rng.random(LARGE_SAMPLE + 1)
    result = compare(TestName(test), cand, base, StatSettings(0.01, 0.05))
    direct = compare(TestName(fallback), cand, base, StatSettings(0.01, 0.05))
    assert (result.test, result.low, result.high, result.p_worse) == (
        fallback,
        direct.low,
        direct.high,
        direct.p_worse,
    )
    assert any("the t-test takes a fraction of the time" in note for note in result.notes)
    # At the cut-over itself the bootstrap still runs, and its bound is the t-test's to
    # within its Monte Carlo error (benchmarks/bootstrap_switch.py measures how close).
    at = compare(TestName(test), cand[:LARGE_SAMPLE], base[:LARGE_SAMPLE], StatSettings(0.01, 0.05))
    t = compare(
        TestName(fallback), cand[:LARGE_SAMPLE], base[:LARGE_SAMPLE], StatSettings(0.01, 0.05)
    )
    assert at.test == test
    assert at.high - at.delta == pytest.approx(t.high - t.delta, rel=0.03)
