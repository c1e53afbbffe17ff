"""What a pass is worth: the smallest drop the gate could have caught, and the runs it needs.

With the observed spread, a true drop of ``tolerance + (t_(1-alpha) + t_power) * se``
is caught with the given power. A pass on 3 noisy seeds may mean "any drop
under 5 points goes unseen"; the report says so.
"""

from __future__ import annotations

import functools
import math

from gate.stats.quantiles.student import normal_quantile, t_quantile

POWER = 0.8
MAX_RUNS = 10_000


def detectable_drop(
    se: float, df: float | None, alpha: float, tolerance: float, power: float = POWER
) -> float:
    """The smallest true worsening caught with ``power`` at this standard error."""
    return tolerance + _margin(df, alpha, power) * se


def runs_needed(
    se: float,
    runs: float,
    alpha: float,
    tolerance: float,
    *,
    paired: bool,
    power: float = POWER,
) -> int | None:
    """Runs a side with which a true drop of twice the tolerance is caught with ``power``.

    That is a drop worse than the tolerance by as much again. The standard error is
    assumed to shrink as 1/sqrt(runs) from its value at ``runs`` runs a side. None when
    the tolerance is 0 (use the detectable drop instead) or beyond ``MAX_RUNS``.
    """
    if tolerance <= 0 or se <= 0:
        return None if tolerance <= 0 else 2

    def enough(n: int) -> bool:
        df = n - 1 if paired else 2 * n - 2
        return _margin(df, alpha, power) * se * math.sqrt(runs / n) <= tolerance

    # More runs only shrink both the margin and the standard error, so the smallest
    # count that is enough is found by halving: about 14 quantiles, not up to 10,000.
    if not enough(MAX_RUNS):
        return None
    low, high = 1, MAX_RUNS  # enough(high); not known for low (2 is the least)
    while high - low > 1:
        middle = (low + high) // 2
        if middle >= 2 and enough(middle):
            high = middle
        else:
            low = middle
    return high


@functools.lru_cache(maxsize=4096)
def _margin(df: float | None, alpha: float, power: float) -> float:
    """Two t quantiles: the same few (df, alpha) recur for every metric of a gate and every
    step of the halving search, and each costs far more than a lookup."""
    if df is None or not math.isfinite(df):
        return normal_quantile(1 - alpha) + normal_quantile(power)
    if df >= 1 and float(df).is_integer():
        # Without scipy: a bootstrap-only gate would import scipy.special for these alone
        # (about 0.2 s); the same quantiles to within 2e-14 (gate.stats.quantiles).
        return t_quantile(int(df), 1 - alpha) + t_quantile(int(df), power)
    from scipy import special  # Welch's fractional degrees of freedom: its test loaded it

    return float(special.stdtrit(df, 1 - alpha) + special.stdtrit(df, power))
