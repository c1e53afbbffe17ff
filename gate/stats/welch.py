"""Welch's t-test and its confidence bounds: the default test.

Welch holds its false-alarm rate at the small run counts ML teams have
(3-10 seeds), where a percentile bootstrap does not.
"""

from __future__ import annotations

import math

from gate.stats import Comparison, Sample, StatSettings
from gate.stats.tdist import exact_comparison, t_comparison
from gate.vocabulary import TestName


def welch_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    delta = float(candidate.mean() - baseline.mean())
    var_c = float(candidate.var(ddof=1)) / candidate.size
    var_b = float(baseline.var(ddof=1)) / baseline.size
    if var_c + var_b == 0.0:
        return exact_comparison(TestName.WELCH, delta, settings)
    # Welch-Satterthwaite degrees of freedom, written in shares of the total variance so
    # that tiny variances cannot underflow to 0/0.
    share_c, share_b = var_c / (var_c + var_b), var_b / (var_c + var_b)
    df = 1.0 / (share_c**2 / (candidate.size - 1) + share_b**2 / (baseline.size - 1))
    return t_comparison(TestName.WELCH, delta, math.sqrt(var_c + var_b), df, settings)
