"""The E-divisive statistic: a hand-computed case, the definition, and the fast scan."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.history.energy import KAPPA_GRID, best_split, energy_q


def test_q_of_a_small_case_by_hand() -> None:
    # X = [0, 1], Y = [3, 5]: between |0-3|+|0-5|+|1-3|+|1-5| = 14, so 2*14/(2*2) = 7;
    # within X: 1 over 1 pair; within Y: 2 over 1 pair. E = 7 - 1 - 2 = 4,
    # Q = 2*2/(2+2) * 4 = 4.
    assert energy_q(np.array([0.0, 1.0]), np.array([3.0, 5.0])) == pytest.approx(4.0)


def brute_force(values: np.ndarray, min_size: int) -> tuple[float, int, int]:
    n = values.size
    return max(
        (energy_q(values[:tau], values[tau:kappa]), tau, kappa)
        for tau, kappa in itertools.product(range(n + 1), repeat=2)
        if tau >= min_size and kappa - tau >= min_size
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False), min_size=4, max_size=24),
    st.integers(2, 4),
)
def test_the_scan_finds_the_largest_q_of_the_definition(values: list[float], size: int) -> None:
    array = np.array(values)
    found = best_split(array, size)
    if array.size < 2 * size or np.ptp(array) == 0:
        assert found is None
        return
    q, _, _ = brute_force(array, size)
    tiny = 1e-9 * float(np.ptp(array))
    if q <= tiny:  # no difference beyond rounding: none, or one as small
        assert found is None or found.q <= tiny
        return
    assert found is not None
    assert found.q == pytest.approx(q, rel=1e-9, abs=tiny)
    chosen = energy_q(array[: found.tau], array[found.tau : found.kappa])
    assert chosen == pytest.approx(q, rel=1e-9, abs=tiny)


def test_a_step_is_split_where_it_happens() -> None:
    rng = np.random.default_rng(3)
    values = np.r_[rng.normal(0, 1, 30), rng.normal(4, 1, 30)]
    found = best_split(values, 3)
    assert found is not None and found.tau == 30


def test_an_excursion_is_bounded_on_both_sides() -> None:
    rng = np.random.default_rng(4)
    values = np.r_[rng.normal(0, 1, 30), rng.normal(5, 1, 8), rng.normal(0, 1, 30)]
    found = best_split(values, 3)
    assert found is not None and (found.tau, found.kappa) == (30, 38)


def test_long_segments_search_a_grid_of_right_ends_that_keeps_the_segment_end() -> None:
    rng = np.random.default_rng(5)
    values = np.r_[rng.normal(0, 1, 300), rng.normal(3, 1, 300)]
    found = best_split(values, 5)
    assert values.size > 2 * KAPPA_GRID
    assert found is not None and found.tau == 300 and found.kappa == 600


@pytest.mark.parametrize("values", [[1.0] * 10, [2.0, 2.0, 2.0], []])
def test_constant_or_short_segments_have_no_split(values: list[float]) -> None:
    assert best_split(np.array(values), 2) is None


def test_huge_values_do_not_overflow() -> None:
    values = np.r_[np.full(5, 1e300), np.full(5, -1e300)] + np.tile([0.0, 1e290], 5)
    found = best_split(values, 2)
    assert found is not None and found.tau == 5 and np.isfinite(found.q)
