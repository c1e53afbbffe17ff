from __future__ import annotations

import numpy as np
import pytest

from gate.stats.large.kth_pair import kth_difference, kth_walsh

FEW = 10  # list the last pairs only when this few are left, so the selection rounds run


@pytest.mark.parametrize("ties", [False, True])
def test_kth_difference_is_the_sorted_pairs_entry(ties: bool) -> None:
    rng = np.random.default_rng(3)
    cand, base = rng.normal(0, 1, 37), rng.normal(0.2, 1, 23)
    if ties:
        cand, base = np.round(cand, 1), np.round(base, 1)
    listed = np.sort(np.subtract.outer(cand, base).ravel())
    for k in (1, 2, 100, 425, 426, 850, listed.size):
        assert kth_difference(cand, base, k, finish=FEW) == listed[k - 1]


@pytest.mark.parametrize("ties", [False, True])
def test_kth_walsh_is_the_sorted_walsh_averages_entry(ties: bool) -> None:
    rng = np.random.default_rng(4)
    d = rng.standard_t(3, 41)
    if ties:
        d = np.round(d)
    upper = np.triu_indices(d.size)
    listed = np.sort(((d[:, None] + d[None, :]) / 2)[upper])
    for k in (1, 7, 430, 431, 861, listed.size):
        assert kth_walsh(d, k, finish=FEW) == listed[k - 1]


def test_values_that_round_alike_stay_in_order() -> None:
    # Differences at the edge of float resolution: the count must use the values the
    # listed matrix would hold, not an algebraic rearrangement of them.
    cand = 1.0 + np.arange(30, dtype=np.float64) * 2.0**-52
    base = np.full(20, 1.0) - np.arange(20, dtype=np.float64) * 2.0**-53
    listed = np.sort(np.subtract.outer(cand, base).ravel())
    for k in range(1, listed.size + 1, 37):
        assert kth_difference(cand, base, k, finish=FEW) == listed[k - 1]


def test_k_outside_the_pairs_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        kth_walsh(np.array([1.0, 2.0]), 4)
