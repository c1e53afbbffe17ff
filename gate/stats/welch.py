"""Welch's t-test and its confidence bounds: the default test.

Welch holds its false-alarm rate at the small run counts ML teams have
(3-10 seeds), where a percentile bootstrap does not.
"""

from __future__ import annotations

import math

from gate.stats import Comparison, Sample, StatSettings


def welch_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    from scipy import special  # about 0.35 s; scipy.stats would cost over a second

    delta = float(candidate.mean() - baseline.mean())
    var_c = float(candidate.var(ddof=1)) / candidate.size
    var_b = float(baseline.var(ddof=1)) / baseline.size
    se = math.sqrt(var_c + var_b)
    if se == 0.0:
        return _exact(delta, settings)
    # Welch-Satterthwaite degrees of freedom, written in shares of the total variance so
    # that tiny variances cannot underflow to 0/0.
    share_c, share_b = var_c / (var_c + var_b), var_b / (var_c + var_b)
    df = 1.0 / (share_c**2 / (candidate.size - 1) + share_b**2 / (baseline.size - 1))
    t_crit = float(special.stdtrit(df, 1.0 - settings.alpha))
    return Comparison(
        test="welch",
        delta=delta,
        low=delta - t_crit * se,
        high=delta + t_crit * se,
        # P(T <= t) for the shifted statistic: small when even the best case is too bad.
        p_worse=float(special.stdtr(df, (delta + settings.tolerance) / se)),
        p_better=float(special.stdtr(df, -delta / se)),
    )


def _exact(delta: float, settings: StatSettings) -> Comparison:
    """Both sides constant: the difference is known exactly, so the answer is certain."""
    # Rounding in the means must not turn "exactly at the tolerance" into a regression.
    slack = 1e-12 * max(1.0, abs(delta), settings.tolerance)
    worse = delta + settings.tolerance < -slack
    better = delta > slack
    return Comparison(
        test="welch",
        delta=delta,
        low=delta,
        high=delta,
        p_worse=0.0 if worse else 1.0,
        p_better=0.0 if better else 1.0,
        notes=("both sides are constant: the difference is exact",),
    )
