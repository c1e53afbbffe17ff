from __future__ import annotations

import numpy as np
import pytest

from gate.stats import StatSettings, compare
from gate.stats.inversion import lower_bound, upper_bound
from gate.stats.large.sign_normal import sign_flip_bounds, sign_flip_p
from gate.stats.paired import SAMPLED_SIGN_FLIPS, SAMPLED_SIGN_FLIPS_UP_TO
from gate.vocabulary import TestName


def listed_sign_flip(d: np.ndarray, settings: StatSettings) -> tuple[float, ...]:
    """The sampled sign-flip test as it was: every pattern held as float64 at once."""
    rng = np.random.default_rng(settings.seed)
    signs = rng.choice((1.0, -1.0), size=(SAMPLED_SIGN_FLIPS, d.size))

    def p(shift: float, alternative: str) -> float:
        shifted = d - shift
        observed, flipped = shifted.sum(), signs @ np.abs(shifted)
        slack = 1e-12 * max(1.0, float(np.abs(shifted).sum()))
        if alternative == "less":
            hits = np.count_nonzero(flipped <= observed + slack)
        else:
            hits = np.count_nonzero(flipped >= observed - slack)
        return float((hits + 1) / (signs.shape[0] + 1))

    span = float(d.max() - d.min()) or 1.0
    grid = np.linspace(d.min() - span, d.max() + span, 4097)
    alpha, tolerance = settings.alpha, settings.tolerance
    return (
        lower_bound(grid, lambda s: p(s, "greater") <= alpha),
        upper_bound(grid, lambda s: p(s, "less") <= alpha),
        p(-tolerance, "less"),
        p(0.0, "greater"),
        p(-tolerance, "greater"),
    )


def test_sampled_patterns_in_blocks_give_what_they_gave_at_once() -> None:
    rng = np.random.default_rng(2)
    cand, base = rng.normal(0.1, 1, 40), rng.normal(0, 1, 40)
    settings = StatSettings(0.2, 0.05, seed=3)
    result = compare(TestName.SIGNFLIP, cand, base, settings)
    found = (result.low, result.high, result.p_worse, result.p_better, result.p_noninferior)
    assert found == listed_sign_flip(cand - base, settings)


@pytest.mark.parametrize("shift", [0.0, 0.05, -0.08])
def test_normal_p_is_the_permutation_p_within_monte_carlo_error(shift: float) -> None:
    rng = np.random.default_rng(7)
    n = SAMPLED_SIGN_FLIPS_UP_TO + 500
    d = rng.standard_t(4, n) * 0.5 + 0.03
    sizes, observed = np.abs(d - shift), float((d - shift).sum())
    draws = 8000
    flipped = np.concatenate(
        [rng.choice((1.0, -1.0), size=(1000, n)) @ sizes for _ in range(draws // 1000)]
    )
    sampled = float(np.mean(flipped <= observed))
    error = np.sqrt(sampled * (1 - sampled) / draws) + 1e-3
    assert sign_flip_p(d, shift, "less") == pytest.approx(sampled, abs=4 * error)


def test_normal_bounds_are_where_the_p_values_reach_alpha() -> None:
    rng = np.random.default_rng(8)
    d = rng.normal(-0.02, 0.3, 5000)
    low, high = sign_flip_bounds(d, 0.05)
    assert sign_flip_p(d, high, "less") == pytest.approx(0.05, rel=1e-9)
    assert sign_flip_p(d, low, "greater") == pytest.approx(0.05, rel=1e-9)
    result = compare(TestName.SIGNFLIP, d, np.zeros(d.size), StatSettings(0.01, 0.05))
    assert (result.low, result.high) == (low, high)
    assert (result.p_worse <= 0.05) == (result.high < -0.01)
    assert (result.p_noninferior <= 0.05) == (result.low > -0.01)


def test_equal_pairs_give_no_evidence() -> None:
    d = np.zeros(SAMPLED_SIGN_FLIPS_UP_TO + 1)
    result = compare(TestName.SIGNFLIP, d, d, StatSettings(0.0, 0.05))
    assert result.p_worse == result.p_better == 1.0
    assert result.low == result.high == 0.0
