"""The large-sample rank tests against scipy's p-values and against the bounds found by
listing every pair (the definitions used below the cut-overs, kept here as they were)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from scipy import stats

from gate.stats import StatSettings, compare
from gate.stats.inversion import lower_bound, upper_bound
from gate.stats.large.rank_normal import mann_whitney_bounds, wilcoxon_bounds
from gate.stats.paired import LISTED_WALSH
from gate.stats.ranks import LISTED_PAIRS
from gate.vocabulary import TestName

Bounds = tuple[float, float, float]


def same(found: Bounds, listed: Bounds) -> bool:
    """Equal, up to the last bits: with rounded data, pairs that are equal on paper (0.1 -
    0.4 and 0.2 - 0.5) differ in their last bit, and in the gap between them the listed
    definition's probe meets its own rounding, so it may stop at either one."""
    return found == pytest.approx(listed, rel=1e-12, abs=1e-12)


def listed_mann_whitney(cand: np.ndarray, base: np.ndarray, alpha: float) -> Bounds:
    def p(shift: float, alternative: str) -> float:
        return float(
            stats.mannwhitneyu(
                cand - shift, base, alternative=alternative, method="asymptotic"
            ).pvalue
        )

    pairwise = np.subtract.outer(cand, base).ravel()
    return _listed(pairwise, p, alpha)


def listed_wilcoxon(d: np.ndarray, alpha: float) -> Bounds:
    def p(shift: float, alternative: str) -> float:
        shifted = d - shift
        if not np.any(shifted):
            return 1.0
        return float(stats.wilcoxon(shifted, alternative=alternative).pvalue)

    walsh = ((d[:, None] + d[None, :]) / 2)[np.triu_indices(d.size)]
    return _listed(walsh, p, alpha)


def _listed(pairs: np.ndarray, p: Callable[[float, str], float], alpha: float) -> Bounds:
    low = lower_bound(pairs, lambda s: p(s, "greater") <= alpha)
    high = upper_bound(pairs, lambda s: p(s, "less") <= alpha)
    return low, high, float(np.median(pairs))


def _sample(rng: np.random.Generator, n: int, ties: bool, shift: float = 0.0) -> np.ndarray:
    values = rng.normal(shift, 1.0, n)
    return np.round(values, 1) if ties else values


@pytest.mark.parametrize(("n1", "n2"), [(9, 12), (30, 40), (120, 70)])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("alpha", [0.05, 0.01])
def test_mann_whitney_bounds_equal_the_listed_definition(
    n1: int, n2: int, ties: bool, alpha: float
) -> None:
    rng = np.random.default_rng(n1 * n2)
    cand, base = _sample(rng, n1, ties, -0.3), _sample(rng, n2, ties)
    assert same(mann_whitney_bounds(cand, base, alpha), listed_mann_whitney(cand, base, alpha))


@pytest.mark.parametrize("n", [51, 80, 200])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("alpha", [0.05, 0.01])
def test_wilcoxon_bounds_equal_the_listed_definition(n: int, ties: bool, alpha: float) -> None:
    rng = np.random.default_rng(n)
    d = _sample(rng, n, ties, 0.1)
    assert same(wilcoxon_bounds(d, alpha), listed_wilcoxon(d, alpha))


def test_sides_far_apart_give_bounds_around_the_shift() -> None:
    cand, base = np.arange(60.0), np.arange(60.0) + 1000.0
    found = mann_whitney_bounds(cand, base, 0.05)
    assert same(found, listed_mann_whitney(cand, base, 0.05))
    assert found[0] < found[2] == -1000.0 < found[1]


@pytest.mark.parametrize("ties", [False, True])
def test_large_mann_whitney_agrees_with_scipy_and_the_listed_bounds(ties: bool) -> None:
    rng = np.random.default_rng(5)
    cand, base = _sample(rng, 700, ties, -0.1), _sample(rng, 400, ties)
    assert cand.size * base.size > LISTED_PAIRS
    result = compare(TestName.MANNWHITNEY, cand, base, StatSettings(0.05, 0.05))
    worse = stats.mannwhitneyu(cand + 0.05, base, alternative="less", method="asymptotic")
    better = stats.mannwhitneyu(cand, base, alternative="greater")
    assert result.p_worse == pytest.approx(worse.pvalue, rel=1e-12)
    assert result.p_better == pytest.approx(better.pvalue, rel=1e-12)
    assert same((result.low, result.high, result.delta), listed_mann_whitney(cand, base, 0.05))


@pytest.mark.parametrize("n", [LISTED_WALSH + 1, 500, 3000])
@pytest.mark.parametrize("ties", [False, True])
def test_large_wilcoxon_agrees_with_scipy(n: int, ties: bool) -> None:
    rng = np.random.default_rng(n)
    cand = _sample(rng, n, ties, 0.05)
    base = _sample(rng, n, ties)
    result = compare(TestName.WILCOXON, cand, base, StatSettings(0.1, 0.05))
    d = cand - base
    assert result.p_worse == pytest.approx(
        stats.wilcoxon(d + 0.1, alternative="less").pvalue, rel=1e-12
    )
    assert result.p_noninferior == pytest.approx(
        stats.wilcoxon(d + 0.1, alternative="greater").pvalue, rel=1e-12
    )
    # The bound and the test agree (away from the boundary, where rounding decides).
    if abs(result.p_worse - 0.05) > 1e-9:
        assert (result.p_worse <= 0.05) == (result.high < -0.1)
    if abs(result.p_noninferior - 0.05) > 1e-9:
        assert (result.p_noninferior <= 0.05) == (result.low > -0.1)
    assert result.low <= result.delta <= result.high


def test_large_wilcoxon_at_a_size_still_listed_matches_the_listed_bounds() -> None:
    rng = np.random.default_rng(9)
    d = np.round(rng.normal(0.1, 1, 400), 2)
    result = compare(TestName.WILCOXON, d, np.zeros(d.size), StatSettings(0.0, 0.05))
    assert same((result.low, result.high, result.delta), listed_wilcoxon(d, 0.05))
