from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.stats import StatSettings, compare
from gate.vocabulary import TestName

# R's `sleep` data; t.test(extra ~ group, data = sleep, paired = TRUE) in R 4.x gives
# t = -4.0621, df = 9, p-value = 0.002833, 95 percent CI: -2.4598858 -0.7001142
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_paired_t_matches_r_on_the_sleep_data() -> None:
    result = compare(TestName.PAIRED_T, SLEEP_1, SLEEP_2, StatSettings(tolerance=0.0, alpha=0.025))
    assert result.low == pytest.approx(-2.4598858, abs=1e-7)
    assert result.high == pytest.approx(-0.7001142, abs=1e-7)
    assert 2 * result.p_worse == pytest.approx(0.002833, abs=1e-6)
    assert result.df == 9


def test_wilcoxon_matches_scipy_with_the_tolerance_as_a_shift() -> None:
    from scipy import stats

    result = compare(TestName.WILCOXON, SLEEP_1, SLEEP_2, StatSettings(0.3, 0.05))
    reference = stats.wilcoxon(SLEEP_1 - SLEEP_2 + 0.3, alternative="less")
    assert result.p_worse == pytest.approx(reference.pvalue)
    assert result.floor == pytest.approx(1 / 2**10)


def test_sign_flip_is_exact_against_enumeration() -> None:
    cand, base = np.array([1.0, 2.5, 0.3, 4.0, 2.0]), np.array([2.0, 2.0, 1.0, 4.5, 3.5])
    differences = cand - base + 0.2  # the tolerance shifts the null
    observed = differences.sum()
    flips = [np.dot(signs, np.abs(differences)) for signs in itertools.product((1, -1), repeat=5)]
    expected = np.mean(np.array(flips) <= observed + 1e-12)
    result = compare(TestName.SIGNFLIP, cand, base, StatSettings(0.2, 0.05))
    assert result.p_worse == pytest.approx(expected)
    assert result.floor == 1 / 32
    assert any(
        "cannot flag this metric at all" in note
        for note in compare(TestName.SIGNFLIP, cand[:3], base[:3], StatSettings(0.0, 0.05)).notes
    )


def test_mcnemar_matches_an_exact_binomial_test() -> None:
    from scipy import stats

    rng = np.random.default_rng(0)
    base = (rng.random(1000) < 0.8).astype(float)
    cand = base.copy()
    flip = rng.random(1000) < 0.06
    cand[flip] = 1 - cand[flip]
    lost = int(((base == 1) & (cand == 0)).sum())
    discordant = int((base != cand).sum())
    result = compare(TestName.MCNEMAR, cand, base, StatSettings(0.0, 0.05))
    assert result.p_worse == pytest.approx(
        stats.binomtest(lost, discordant, 0.5, alternative="greater").pvalue, rel=1e-9
    )
    assert result.delta == pytest.approx(cand.mean() - base.mean())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-10, 10), st.floats(-10, 10)), min_size=4, max_size=9),
    st.floats(0, 2),
    st.sampled_from(["paired_t", "wilcoxon", "signflip"]),
)
def test_bound_and_p_value_agree(
    pairs: list[tuple[float, float]], tolerance: float, test: str
) -> None:
    alpha = 0.1
    cand, base = np.array([c for c, _ in pairs]), np.array([b for _, b in pairs])
    result = compare(TestName(test), cand, base, StatSettings(tolerance, alpha))
    differences = cand - base
    # Exactly at a breakpoint of a step-function test, or at the boundary, rounding decides.
    near = (
        np.isclose(differences, -tolerance, atol=1e-6).any() or abs(result.high + tolerance) < 1e-6
    )
    if not near and abs(result.p_worse - alpha) > 1e-9:
        assert (result.p_worse <= alpha) == (result.high < -tolerance)
    if abs(result.p_better - alpha) > 1e-9 and abs(result.low) > 1e-6:
        assert (result.p_better <= alpha) == (result.low > 0)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.floats(0, 0.03), st.sampled_from([0.05, 0.1]))
def test_mcnemar_bounds_agree_with_its_p_values(
    lost: int, gained: int, tolerance: float, alpha: float
) -> None:
    total = 500
    base = np.zeros(total)
    cand = np.zeros(total)
    base[:lost] = 1.0  # lost: the baseline right, the candidate wrong
    cand[lost : lost + gained] = 1.0  # gained
    result = compare(TestName.MCNEMAR, cand, base, StatSettings(tolerance, alpha))
    if abs(result.high + tolerance) > 1e-9 and abs(result.p_worse - alpha) > 1e-9:
        assert (result.p_worse <= alpha) == (result.high < -tolerance)
    if abs(result.low + tolerance) > 1e-9 and abs(result.p_noninferior - alpha) > 1e-9:
        assert (result.p_noninferior <= alpha) == (result.low > -tolerance)


def test_pairing_catches_a_drop_hidden_by_the_seed_effect() -> None:
    # Field notes: seed effect SD 1, noise 0.3, drop 0.3, 10 seeds: paired t .66, Welch ~.01.
    rng = np.random.default_rng(12)
    sims, n, alpha = 1500, 10, 0.05
    seed_effect = rng.normal(0, 1, (sims, n))
    base = seed_effect + rng.normal(0, 0.3, (sims, n))
    cand = seed_effect + rng.normal(0, 0.3, (sims, n)) - 0.3
    settings_ = StatSettings(0.0, alpha)
    paired = np.mean(
        [
            compare(TestName.PAIRED_T, c, b, settings_).p_worse <= alpha
            for c, b in zip(cand, base, strict=True)
        ]
    )
    unpaired = np.mean(
        [
            compare(TestName.WELCH, c, b, settings_).p_worse <= alpha
            for c, b in zip(cand, base, strict=True)
        ]
    )
    assert 0.60 <= paired <= 0.72
    assert unpaired < 0.05


def test_equal_differences_give_a_finite_bound_that_agrees_with_p() -> None:
    # Found by hypothesis: five equal differences, whose subset means differ by rounding.
    cand, base = np.full(5, -2.6277), np.full(5, 1.0)
    result = compare(TestName.SIGNFLIP, cand, base, StatSettings(0.0, 0.1))
    assert result.p_worse == pytest.approx(1 / 32)
    assert result.high == pytest.approx(-3.6277)  # below 0: agrees with p <= alpha
