from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.stats import StatSettings, compare


def test_same_inputs_give_the_same_answer() -> None:
    rng = np.random.default_rng(0)
    cand, base = rng.normal(0, 1, 8), rng.normal(0, 1, 8)
    first = compare("bootstrap", cand, base, StatSettings(0.1, 0.05))
    second = compare("bootstrap", cand, base, StatSettings(0.1, 0.05))
    assert first == second


def test_bootstrap_interval_is_close_to_the_normal_theory_one_at_large_n() -> None:
    rng = np.random.default_rng(3)
    cand, base = rng.normal(0, 1, 200), rng.normal(0.3, 1, 200)
    boot = compare("bootstrap", cand, base, StatSettings(0.0, 0.05, resamples=20_000))
    welch = compare("welch", cand, base, StatSettings(0.0, 0.05))
    assert boot.low == pytest.approx(welch.low, abs=0.03)
    assert boot.high == pytest.approx(welch.high, abs=0.03)
    assert boot.p_worse == pytest.approx(welch.p_worse, abs=0.01)


def test_small_samples_carry_a_warning() -> None:
    result = compare(
        "bootstrap", np.array([1.0, 2, 3]), np.array([1.0, 2, 4]), StatSettings(0.0, 0.05)
    )
    assert any("false alarms" in note for note in result.notes)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-10, 10), min_size=2, max_size=8),
    st.lists(st.floats(-10, 10), min_size=2, max_size=8),
    st.floats(0, 2),
    st.sampled_from([0.05, 0.1]),
)
def test_bound_and_p_value_agree(
    cand: list[float], base: list[float], tolerance: float, alpha: float
) -> None:
    result = compare(
        "bootstrap", np.array(cand), np.array(base), StatSettings(tolerance, alpha, resamples=1000)
    )
    assert (result.p_worse <= alpha) == (result.high < -tolerance)
    assert (result.p_better <= alpha) == (result.low > 0)
