from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.stats.correction import adjust
from gate.vocabulary import Correction, TestName

# The 15 p-values of Benjamini & Hochberg (1995), section 4.3. At 0.05 Holm's
# procedure rejects the 3 smallest, and the BH procedure the 4 smallest.
BH_1995 = [
    0.0001,
    0.0004,
    0.0019,
    0.0095,
    0.0201,
    0.0278,
    0.0298,
    0.0344,
    0.0459,
    0.3240,
    0.4262,
    0.5719,
    0.6528,
    0.7590,
    1.0000,
]


def test_holm_and_bh_on_the_published_example() -> None:
    holm = adjust(BH_1995, Correction.HOLM)
    bh = adjust(BH_1995, Correction.BH)
    assert [p <= 0.05 for p in holm] == [True] * 3 + [False] * 12
    assert [p <= 0.05 for p in bh] == [True] * 4 + [False] * 11
    # Holm's adjusted p: the running maximum of (m - i + 1) p_(i).
    assert holm[:4] == pytest.approx([15 * 0.0001, 14 * 0.0004, 13 * 0.0019, 12 * 0.0095])


def test_bh_matches_scipy() -> None:
    from scipy import stats

    shuffled = np.random.default_rng(3).permutation(BH_1995)
    np.testing.assert_allclose(
        adjust(list(shuffled), Correction.BH), stats.false_discovery_control(shuffled)
    )


def test_none_and_empty_change_nothing() -> None:
    assert adjust([0.01, 0.5], Correction.NONE) == [0.01, 0.5]
    assert adjust([], Correction.HOLM) == []


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30), st.sampled_from(["holm", "bh"]))
def test_adjusted_p_values_are_valid_and_keep_the_order(ps: list[float], method: str) -> None:
    adjusted = adjust(ps, Correction(method))
    assert all(p <= a <= 1.0 for p, a in zip(ps, adjusted, strict=True))
    order = np.argsort(ps, kind="stable")
    assert np.all(np.diff(np.asarray(adjusted)[order]) >= -1e-15)


def test_holm_holds_the_gate_false_alarm_rate_by_simulation() -> None:
    # Field notes, n = 5, 20 independent metrics, no change: 61% of gates raise a false
    # alarm without correction, about 4% with Holm.
    from gate.stats import StatSettings, compare

    rng = np.random.default_rng(20)
    sims, metrics, n, alpha = 600, 20, 5, 0.05
    data = rng.normal(0, 1, (sims, metrics, 2, n))
    raw_alarms = holm_alarms = 0
    for gate in data:
        ps = [compare(TestName.WELCH, m[0], m[1], StatSettings(0.0, alpha)).p_worse for m in gate]
        raw_alarms += min(ps) <= alpha
        holm_alarms += min(adjust(ps, Correction.HOLM)) <= alpha
    assert 0.5 <= raw_alarms / sims <= 0.7
    assert holm_alarms / sims <= alpha + 3 * np.sqrt(alpha * (1 - alpha) / sims)
