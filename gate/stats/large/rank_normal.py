"""Bounds of the rank tests from their normal approximations, for large samples.

Above a size where scipy itself leaves the exact null distributions (Wilcoxon: more
than 50 pairs; Mann-Whitney: more than 8 runs in each side), its p-value is the
normal approximation of the rank statistic, with the tie correction (and, for
Mann-Whitney, the continuity correction, both as scipy computes them). Between two
consecutive breakpoints of the shift the statistic is a count of pairs beyond the
shift (no pair is tied with it there) and the ties left are those within the data, so
the p-value there is a monotone function of that count alone. The bound is then the
breakpoint where the count crosses the largest (or smallest) value that rejects: one
order statistic of the pairs, picked by ``kth_pair`` in O(n log n). This is exactly
the bound ``gate.stats.inversion`` finds by probing every gap, without listing the gaps.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gate.stats import Sample
from gate.stats.large.kth_pair import kth_difference, kth_walsh


def mann_whitney_bounds(
    candidate: Sample, baseline: Sample, alpha: float
) -> tuple[float, float, float]:
    """(low, high, Hodges-Lehmann shift) of candidate minus baseline, as with the pairs
    listed; p-values as ``scipy.stats.mannwhitneyu(..., method="asymptotic")``."""
    from scipy.special import ndtr

    n1, n2 = candidate.size, baseline.size
    pairs, n = n1 * n2, n1 + n2
    ties = _tie_term(candidate) + _tie_term(baseline)
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    mu = n1 * n2 / 2

    def p_less(u1: int) -> float:  # scipy tests "less" with U2 = n1 n2 - U1
        return float(ndtr(-((pairs - u1) - mu - 0.5) / sigma)) if sigma else 1.0

    def p_greater(u1: int) -> float:
        return float(ndtr(-(u1 - mu - 0.5) / sigma)) if sigma else 1.0

    def kth(k: int) -> float:
        return kth_difference(candidate, baseline, k)

    return (*_bounds(pairs, p_less, p_greater, alpha, kth), _median(pairs, kth))


def wilcoxon_bounds(differences: Sample, alpha: float) -> tuple[float, float, float]:
    """(low, high, Hodges-Lehmann shift) of the paired differences, as with the Walsh
    averages listed; p-values as ``scipy.stats.wilcoxon`` (normal, no continuity
    correction: scipy's default)."""
    from scipy.special import ndtr

    n = differences.size
    pairs = n * (n + 1) // 2
    mean = n * (n + 1.0) * 0.25
    spread = n * (n + 1.0) * (2.0 * n + 1.0)
    se = math.sqrt((spread - _tie_term(differences) / 2) / 24)

    def p_less(t_plus: int) -> float:  # T+ is the count of Walsh averages above the shift
        return float(ndtr((t_plus - mean) / se))

    def p_greater(t_plus: int) -> float:
        return float(ndtr(-((t_plus - mean) / se)))

    def kth(k: int) -> float:
        return kth_walsh(differences, k)

    return (*_bounds(pairs, p_less, p_greater, alpha, kth), _median(pairs, kth))


def _bounds(
    pairs: int,
    p_less: Callable[[int], float],
    p_greater: Callable[[int], float],
    alpha: float,
    kth: Callable[[int], float],
) -> tuple[float, float]:
    """Between breakpoints the statistic is the count of pairs above the shift: the
    upper bound is where it falls to the largest count whose "less" p rejects, the lower
    where it rises to the smallest whose "greater" p rejects."""
    high = math.inf
    if p_less(0) <= alpha:
        most = _last_true(lambda u: p_less(u) <= alpha, 0, pairs)
        high = kth(max(pairs - most, 1))
    low = -math.inf
    if p_greater(pairs) <= alpha:
        least = pairs - _last_true(lambda u: p_greater(pairs - u) <= alpha, 0, pairs)
        low = kth(min(pairs - least + 1, pairs))
    return low, high


def _last_true(holds: Callable[[int], bool], low: int, high: int) -> int:
    """The largest u in [low, high] with holds(u), given holds(low) and that holds is
    true up to some point and false after it."""
    while low < high:
        middle = (low + high + 1) // 2
        if holds(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _median(pairs: int, kth: Callable[[int], float]) -> float:
    """The median of all pairs, as ``np.median`` gives it."""
    if pairs % 2:
        return kth(pairs // 2 + 1)
    return float(np.mean([kth(pairs // 2), kth(pairs // 2 + 1)]))


def _tie_term(values: Sample) -> float:
    """The sum of t**3 - t over groups of t equal values."""
    counts = np.unique(values, return_counts=True)[1].astype(np.float64)
    return float((counts**3 - counts).sum())
