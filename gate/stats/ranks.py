"""The Mann-Whitney U test and its Hodges-Lehmann-style confidence bounds.

A rank test says whether the candidate's values tend to lie below the
baseline's, shifted by the tolerance; it makes no assumption of normality and
shrugs off a wild run. Its interval is for the location shift, found by
inverting the same test over the pairwise differences, so bound and test
agree by construction.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gate.stats import Comparison, Sample, StatSettings


def mann_whitney_test(candidate: Sample, baseline: Sample, settings: StatSettings) -> Comparison:
    from scipy.stats import mannwhitneyu  # over a second to import: only when this test is used

    def p_less(shift: float) -> float:
        """P-value of "the candidate, moved up by ``-shift``, still lies below the baseline"."""
        return float(mannwhitneyu(candidate - shift, baseline, alternative="less").pvalue)

    def p_greater(shift: float) -> float:
        return float(mannwhitneyu(candidate - shift, baseline, alternative="greater").pvalue)

    alpha = settings.alpha
    # Between consecutive pairwise differences the statistic is constant, so these
    # midpoints (and a point beyond each end) are all the shifts the test can tell apart.
    walsh = np.unique(np.subtract.outer(candidate, baseline).ravel())
    probes = _probes(walsh)
    high = _first(probes, lambda s: p_less(s) <= alpha, walsh, upper=True)
    low = _first(probes[::-1], lambda s: p_greater(s) <= alpha, walsh[::-1], upper=False)
    notes: tuple[str, ...] = ()
    floor = smallest_p(candidate.size, baseline.size)
    if floor > alpha:
        notes = (
            f"with {candidate.size} and {baseline.size} runs the Mann-Whitney test cannot reach "
            f"p <= {alpha:g} (its smallest p is {floor:.3g}), so it can never flag this metric; "
            "add runs or use `test: welch`",
        )
    return Comparison(
        test="mannwhitney",
        delta=float(candidate.mean() - baseline.mean()),
        low=low,
        high=high,
        p_worse=p_less(-settings.tolerance),
        p_better=p_greater(0.0),
        notes=notes,
    )


def smallest_p(n_candidate: int, n_baseline: int) -> float:
    """The smallest one-sided p-value an exact test can give at these sizes (no ties)."""
    return 1.0 / math.comb(n_candidate + n_baseline, n_candidate)


def _probes(walsh: Sample) -> Sample:
    span = float(walsh[-1] - walsh[0]) or 1.0
    mids = (walsh[1:] + walsh[:-1]) / 2
    probes: Sample = np.concatenate(([walsh[0] - span], mids, [walsh[-1] + span]))
    return probes


def _first(
    probes: Sample, rejects: Callable[[float], bool], walsh: Sample, *, upper: bool
) -> float:
    """The Walsh difference where rejection starts, by bisection over the ordered probes.

    ``probes[i]`` lies just before ``walsh[i]`` in the search direction; rejection is
    monotone along it. Returns +/-inf when the test rejects nowhere (too few runs).
    """
    lo, hi = 0, probes.size - 1
    if not rejects(float(probes[hi])):
        return math.inf if upper else -math.inf
    while lo < hi:
        mid = (lo + hi) // 2
        if rejects(float(probes[mid])):
            hi = mid
        else:
            lo = mid + 1
    # probes[lo] is the first rejecting probe; the boundary is the Walsh difference before it.
    return float(walsh[lo - 1]) if lo > 0 else float(walsh[0])
